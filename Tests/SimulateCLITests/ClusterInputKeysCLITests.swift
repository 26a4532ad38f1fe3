import Foundation
import Testing
@testable import SimulateCLI

/// The KubeRay-side cluster keys on the command line: a bad value exits 2 with one message naming
/// the field, and every report's header says which release, storage and policies it ran.
@Suite("Cluster input keys on the command line: exit 2 on bad values, shown in every header")
struct ClusterInputKeysCLITests {
    /// A model file with `cluster` as its cluster section, in a fresh directory.
    static func model(_ cluster: [String: Any], name: String = "keys") throws -> (dir: URL, file: URL) {
        let dir = try temporaryDirectory()
        var base: [String: Any] = [
            "ftEnabled": true, "workers": 1, "headReconnectTimeoutSeconds": 60,
            "workerReconnectTimeoutSeconds": 60, "redisPersistence": "appendOnly",
        ]
        for (key, value) in cluster { base[key] = value }
        return (dir, try modelFile(in: dir, ["name": name, "cluster": base]))
    }

    static var probe: [String: Any] { [
        "initialDelaySeconds": 10, "periodSeconds": 5, "timeoutSeconds": 1, "failureThreshold": 10,
        "checks": "gcs",
    ] }

    static var badValues: [(name: String, cluster: [String: Any], field: String, message: String)] { [
        ("unknown version", ["kuberayVersion": "1.9"], "cluster.kuberayVersion",
         #"unknown KubeRay version "1.9". Fix: use one of 0.5, 0.6, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7"#),
        ("unknown storage", ["gcsStorage": "disk"], "cluster.gcsStorage", #"unknown storage "disk""#),
        ("unknown worker policy", ["workerRestartPolicy": "OnFailure"], "cluster.workerRestartPolicy",
         #"unknown policy "OnFailure". Fix: use "Always" or "Never""#),
        ("period 0", ["probes": ["head": ["liveness": probe.merging(["periodSeconds": 0]) { $1 }]]],
         "cluster.probes.head.liveness.periodSeconds", "0 is out of range 1...3600"),
        ("unknown check", ["probes": ["worker": ["readiness": probe.merging(["checks": "tcp"]) { $1 }]]],
         "cluster.probes.worker.readiness.checks", #"unknown check "tcp""#),
        ("redis without FT on 1.3", ["ftEnabled": false, "gcsStorage": "redis", "kuberayVersion": "1.3.0"],
         "cluster.gcsStorage", "rejected by KubeRay 1.3.0"),
    ] }

    @Test("a bad cluster value exits 2 with one message naming the field, for run, check and sweep",
          arguments: ["unknown version", "unknown storage", "unknown worker policy", "period 0", "unknown check",
                      "redis without FT on 1.3"])
    func badValue(name: String) throws {
        let bad = Self.badValues.first { $0.name == name }!
        let (dir, file) = try Self.model(bad.cluster)
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in [["--seed", "1", "--model", file.path], ["check", file.path], ["sweep", file.path, "--seeds", "1"]] {
            let out = SimulateCommand.execute(command)
            expectOneClearMessage(out, field: bad.field, contains: bad.message)
            #expect(out.stderr.hasPrefix("error: \(bad.field): "), "\(out.stderr)")
        }
    }

    @Test("the built executable exits 2 on an unknown KubeRay version, printing nothing on stdout")
    func processExitCode() throws {
        let binary = try #require(simulateBinary())
        let (dir, file) = try Self.model(["kuberayVersion": "v2.0.0"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runSubprocess(binary, ["run", file.path])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix(#"error: cluster.kuberayVersion: unknown KubeRay version "v2.0.0". Fix: "#), "\(r.stderr)")
    }

    @Test("the header names the release, FT and storage apart, the worker policy when Never, and the head Service's readiness gate before 1.2")
    func header() throws {
        let (dir, file) = try Self.model(["kuberayVersion": "1.1.0", "workerRestartPolicy": "Never"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["--seed", "1", "--model", file.path])
        #expect(out.exitCode != 2, "\(out.stderr)")
        let line = try #require(out.stdout.split(separator: "\n").first { $0.hasPrefix("model keys:") })
        #expect(line.hasPrefix("model keys: KubeRay 1.1.0, GCS FT on, storage redis (appendOnly), namespace raycluster-uid, 1 worker"), "\(line)")
        #expect(line.contains("head restartPolicy Always, workers restartPolicy Never"), "\(line)")
        #expect(line.contains("head Service routes only to a Ready head pod (KubeRay before 1.2)"), "\(line)")
    }

    @Test("autoscaler v2 on KubeRay 1.4 shows both restart policies forced to Never")
    func forcedPolicyHeader() throws {
        let (dir, file) = try Self.model(["kuberayVersion": "1.4", "autoscalerV2": true])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["--seed", "1", "--model", file.path])
        let line = out.stdout.split(separator: "\n").first { $0.hasPrefix("model keys:") } ?? ""
        #expect(line.contains("head restartPolicy Never, workers restartPolicy Never (forced by autoscaler v2)"), "\(line)")
        #expect(!line.contains("head Service"), "\(line)")
    }

    @Test("the default header says the newest release and neither a worker policy nor a Service gate")
    func defaultHeader() {
        let out = SimulateCommand.execute(["--seed", "1", "--model", path("models/no-ft.json")])
        let line = out.stdout.split(separator: "\n").first { $0.hasPrefix("model ") } ?? ""
        #expect(line.contains(": KubeRay 1.7.0, GCS FT off, storage memory, 1 worker, head restartPolicy Always"), "\(line)")
        #expect(!line.contains("workers restartPolicy") && !line.contains("head Service"), "\(line)")
    }

    @Test("--json outputs carry the release, storage, policies and Service gate as fields")
    func jsonFields() throws {
        let (dir, file) = try Self.model(["kuberayVersion": "1.1", "gcsStorage": "memory", "workerRestartPolicy": "Never"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = SimulateCommand.execute(["--seed", "1", "--model", file.path, "--json"])
        let first = try jsonObject(String(run.stdout.split(separator: "\n").first ?? ""))
        let check = try jsonObject(SimulateCommand.execute(["check", file.path, "--json", "--granularity", "10s",
                                                            "--faults", "gcs-process-kill"]).stdout)
        let sweep = try jsonObject(SimulateCommand.execute(["sweep", file.path, "--json", "--seeds", "1"]).stdout)
        for fields in [first, try #require(check["cluster"] as? [String: Any]), try #require(sweep["cluster"] as? [String: Any])] {
            #expect(fields["kuberayVersion"] as? String == "1.1.0")
            #expect(fields["ftEnabled"] as? Bool == true)
            #expect(fields["gcsStorage"] as? String == "memory")
            #expect(fields["workerRestartPolicy"] as? String == "Never")
            #expect(fields["headRestartPolicy"] as? String == "Always")
            #expect(fields["headServiceNeedsReadiness"] as? Bool == true)
        }
    }

    @Test("a checked model with custom probes and a release writes a trace that reads back to the same model")
    func traceRoundTrip() throws {
        let cluster: [String: Any] = [
            "kuberayVersion": "1.2.1",
            "probes": ["head": ["readiness": "none", "liveness": Self.probe], "worker": ["liveness": "none"]],
        ]
        let (dir, file) = try Self.model(cluster)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("cx.json")
        let out = SimulateCommand.execute(["check", file.path, "--granularity", "10s", "--faults", "gcs-process-kill",
                                           "--trace-out", trace.path])
        #expect(out.exitCode == 1, "\(out.stderr)")
        let written = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("cx") })
        let read = try TraceFile.read(dir.appendingPathComponent(written).path)
        let text = try String(contentsOf: dir.appendingPathComponent(written), encoding: .utf8)
        #expect(read.model.spec.kuberayVersion.description == "1.2.1")
        #expect(read.model.spec.probes.headReadiness == .none && read.model.spec.probes.workerLiveness == .none)
        guard case .custom(let p) = read.model.spec.probes.headLiveness else {
            Issue.record("head liveness not custom: \(read.model.spec.probes.headLiveness)")
            return
        }
        #expect(p.periodSeconds == 5 && p.failureThreshold == 10 && p.check.rawValue == "gcs")
        #expect(text.contains(#""checks" : "gcs""#), "the trace spells the probe as a model file does")
        let replay = SimulateCommand.execute(["replay", dir.appendingPathComponent(written).path])
        #expect(replay.exitCode == 1, "\(replay.stderr)")
    }

    @Test("a scenario with check.granularity 0s exits 2 with a clean message for check and run (issue 8), no trap")
    func scenarioGranularityZero() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Data(contentsOf: URL(fileURLWithPath: path("models/scenarios/kuberay-e2e-gcs-ft.json")))
        var scenario = try #require(try JSONSerialization.jsonObject(with: source) as? [String: Any])
        scenario["cluster"] = path("models/kuberay-sample.json")
        scenario["check"] = ["granularity": "0s"]
        let file = dir.appendingPathComponent("zero.json")
        try JSONSerialization.data(withJSONObject: scenario).write(to: file)
        for command in [["check", file.path], ["run", file.path]] {
            expectOneClearMessage(SimulateCommand.execute(command), field: "check.granularity", contains: "must be positive")
        }
        let binary = try #require(simulateBinary())
        let r = try runSubprocess(binary, ["check", file.path])
        #expect(r.code == 2 && !r.signalled, "\(r.stderr)")
        #expect(r.stderr == "error: check.granularity: must be positive. Fix: e.g. \"1s\"\n")
    }

    @Test("--help lists every fault id, the new ones included", arguments: ["help", "check", "sweep", "run"])
    func helpListsFaults(command: String) {
        let out = command == "help" ? SimulateCommand.execute(["help"]) : SimulateCommand.execute([command, "--help"])
        let text = out.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for id in ["gcs-process-sigkill", "head-pod-evict", "gcs-process-kill", "worker-pod-delete"] {
            #expect(text.contains(id), "\(command) --help lacks \(id)")
        }
    }
}
