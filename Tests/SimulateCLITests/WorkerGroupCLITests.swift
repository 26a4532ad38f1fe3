import Foundation
import Testing
@testable import SimulateCLI

/// `simulate check` on a cluster with named worker groups: each group's timeout in the header,
/// each group's margin, and the groups in `--json`.
@Suite("simulate check with worker groups")
struct WorkerGroupCLITests {
    static func model(gpuTimeout: Int) throws -> String {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("groups.json")
        try Data("""
            {"name": "groups", "cluster": {"ftEnabled": true, "workerGroups": [
                {"name": "cpu-group", "replicas": 1},
                {"name": "gpu-group", "replicas": 1, "reconnectTimeoutSeconds": \(gpuTimeout)}]},
             "faults": {"kinds": ["gcs-process-kill"], "maxFaults": 1, "horizon": "1m"},
             "check": {"granularity": "10s"}}
            """.utf8).write(to: file)
        return file.path
    }

    @Test("the header names each group with its timeout and where it came from")
    func header() throws {
        let out = simulate("check", try Self.model(gpuTimeout: 45))
        #expect(out.exitCode == 1)
        #expect(out.stdout.contains(
            "group cpu-group (1) 600s (unset and ray.io/ft-enabled is true"))
        #expect(out.stdout.contains("group gpu-group (1) 45s (set by the user"))
        #expect(out.stdout.contains("of worker group gpu-group): the raylet exits"))
    }

    @Test("--json lists the groups and each group's deadline margin")
    func json() throws {
        let out = simulate("check", try Self.model(gpuTimeout: 900), "--json")
        #expect(out.exitCode == 0, "\(out.stdout)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let cluster = try #require(object["cluster"] as? [String: Any])
        let groups = try #require(cluster["workerGroups"] as? [[String: Any]])
        #expect(groups.map { $0["name"] as? String } == ["cpu-group", "gpu-group"])
        #expect(groups.map { $0["reconnectTimeoutMs"] as? Int } == [600_000, 900_000])
        #expect(groups.map { $0["source"] as? String } == ["kuberay-default", "user"])
        #expect(cluster["workerReconnectTimeoutMs"] as? Int == 600_000)
        let margins = try #require(object["groupDeadlineMargins"] as? [[String: Any]])
        #expect(margins.map { $0["group"] as? String } == ["cpu-group", "gpu-group"])
        let ms = margins.compactMap { $0["workerDeadlineMarginMs"] as? Int }
        #expect(ms.count == 2 && ms[1] - ms[0] == 300_000)
        let sometimes = try #require(object["sometimes"] as? [[String: Any]])
        #expect(sometimes.map { $0["verdict"] as? String } == ["reached", "reached"])
    }

    static func model(groups: String) throws -> String {
        let file = try temporaryDirectory().appendingPathComponent("own.json")
        try Data("""
            {"name": "own", "cluster": {"ftEnabled": true, "workerGroups": [\(groups)]},
             "faults": {"kinds": ["gcs-process-kill"], "maxFaults": 1, "horizon": "1m"},
             "check": {"granularity": "10s"}}
            """.utf8).write(to: file)
        return file.path
    }

    @Test("a group's own restartPolicy shows in the header and in --json; the shorthand's does not")
    func ownPolicy() throws {
        let file = try Self.model(groups: """
            {"name": "cpu-group", "replicas": 1},
            {"name": "gpu-group", "replicas": 1, "restartPolicy": "Never"}
            """)
        let out = simulate("check", file, "--json")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let groups = (object["cluster"] as? [String: Any])?["workerGroups"] as? [[String: Any]]
        #expect(groups?.map { $0["restartPolicy"] as? String } == ["Always", "Never"])
        let text = simulate("run", file, "--seed", "1")
        #expect(text.stdout.contains(
            "head restartPolicy Always, workers restartPolicy group cpu-group Always, "
                + "group gpu-group Never"), "\(text.stdout)")
        let plain = simulate("check", try Self.model(gpuTimeout: 900), "--json")
        #expect(!plain.stdout.contains("\"restartPolicy\""), "no group sets its own")
    }

    @Test("bad per-group values exit 2, the message naming the group's field", arguments: [
        (#""restartPolicy": "OnFailure""#,
         #"error: cluster.workerGroups[0].restartPolicy: unknown policy "OnFailure". "#
            + #"Fix: use "Always" or "Never""#),
        (#""probes": {"liveness": {"initialDelaySeconds": 0, "periodSeconds": 0, "#
            + #""timeoutSeconds": 1, "failureThreshold": 3, "checks": "gcs"}}"#,
         "error: cluster.workerGroups[0].probes.liveness.periodSeconds: 0 is out of range "
            + "1...3600. Fix: use 1 to 3600 seconds (Kubernetes' minimum is 1)"),
        (#""probes": {"liveness": "off"}"#,
         #"error: cluster.workerGroups[0].probes.liveness: unknown probe "off""#),
    ])
    func badOwnSettings(field: String, message: String) throws {
        let file = try Self.model(groups: #"{"name": "a", "replicas": 1, "# + field + "}")
        for command in ["check", "run"] {
            let out = simulate(command, file)
            #expect(out.exitCode == 2)
            #expect(out.stderr.contains(message), "\(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
    }
}
