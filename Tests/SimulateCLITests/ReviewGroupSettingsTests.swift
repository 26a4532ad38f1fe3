import Foundation
import Testing
import RayClusterModel
import SimulationKernel
@testable import SimulateCLI

/// `simulate review` reads each worker group's own pod template (restartPolicy, probes), its
/// replica range, and whether the autoscaler may change the count.
@Suite("simulate review: each group's restartPolicy, probes, replica range; the autoscaler")
struct ReviewGroupSettingsTests {
    static let bounds = ReviewTests.bounds

    /// A FT RayCluster with groups `cpu-group` and `gpu-group`; `gpu` goes into the gpu group's
    /// Ray container, `gpuPod` into its pod spec, `groups` under each group, `spec` under spec.
    static func manifest(gpu: String = "", gpuPod: String = "", groups: (String, String) = (
        "replicas: 1", "replicas: 1"), spec: String = "") -> String {
        """
        apiVersion: ray.io/v1
        kind: RayCluster
        metadata:
          name: groups
          annotations: {ray.io/ft-enabled: "true"}
        spec:
        \(spec.isEmpty ? "  rayVersion: 2.9.0" : spec)
          headGroupSpec:
            rayStartParams: {num-cpus: "0"}
            template:
              spec:
                containers:
                  - name: ray-head
                    env: [{name: RAY_REDIS_ADDRESS, value: "redis:6379"}]
          workerGroupSpecs:
            - groupName: cpu-group
              \(groups.0)
              template:
                spec:
                  containers:
                    - name: ray-worker
            - groupName: gpu-group
              \(groups.1)
              template:
                spec:
        \(gpuPod.isEmpty ? "" : gpuPod + "\n")\
                  containers:
                    - name: ray-worker
        \(gpu)
        """
    }

    /// `ray health-check` against the head: fails whenever the GCS is unreachable.
    static let gcsLiveness = [
        "              livenessProbe:",
        "                exec: {command: [ray, health-check, --address, head-svc:6379]}",
        "                periodSeconds: 5",
        "                failureThreshold: 3",
    ].joined(separator: "\n")

    static func line(of text: String, in manifest: String) -> Int? {
        manifest.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains(text) }.map { $0 + 1 }
    }

    static func group(_ object: [String: Any], _ name: String) -> [String: Any]? {
        let groups = (object["effective"] as? [String: Any])?["workerGroups"] as? [[String: Any]]
        return groups?.first { $0["name"] as? String == name }
    }

    @Test("a liveness probe in one group: the finding names that group, its line and a fix")
    func livenessInOneGroup() throws {
        let text = Self.manifest(gpu: Self.gcsLiveness)
        let dir = try temporaryDirectory()
        let out = simulate(["review", try ReviewTests.file(text), "--json",
                            "--trace-out", dir.path + "/"] + Self.bounds)
        #expect(out.exitCode == 1, "\(out.stderr)")
        let object = try ReviewTests.json(out)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let errors = findings.filter { $0["severity"] as? String == "error" }
        #expect(errors.count == 1, "\(errors)")
        let finding = try #require(errors.first)
        let message = try #require(finding["message"] as? String)
        #expect(message.contains("worker group gpu-group: its livenessProbe"))
        #expect(!errors.contains { ($0["message"] as? String)?.contains("cpu-group") == true })
        #expect(finding["line"] as? Int == Self.line(of: "livenessProbe:", in: text))
        #expect(Self.group(object, "gpu-group")?["livenessProbe"] as? String
            == "delay 0s, period 5s, timeout 1s, 3 failures, checks gcs")
        #expect((Self.group(object, "cpu-group")?["livenessProbe"] as? String)?
            .hasSuffix("checks node-alive") == true)
        // The trace, replayed: the kubelet kills a worker of gpu-group, never one of cpu-group.
        let properties = try #require(object["properties"] as? [[String: Any]])
        let tracePath = try #require(properties.first { $0["id"] as? String
            == "workers-survive-head-restart" }?["trace"] as? String)
        let replay = simulate(["replay", tracePath, "--json"])
        #expect(replay.exitCode == 1, "\(replay.stderr)")
        let events = replay.stdout.split(separator: "\n")
            .filter { $0.contains("\"event\":\"livenessProbeFailed\"") }
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.contains("\"group\":\"gpu-group\"") })
        #expect(!events.contains { $0.contains("cpu-group") })
        // The fix is the checker's: one failure fewer breaks the rule, the value itself holds.
        let recommendation = try #require(finding["recommendation"] as? String)
        let words = recommendation.split(separator: " ")
        let at = try #require(words.firstIndex(of: "least"), "\(recommendation)")
        let least = try #require(Int(words[at + 1]), "\(recommendation)")
        for (threshold, verdict) in [(least - 1, "violated"), (least, "holds")] {
            let model = try ReviewTests.file("""
                {"name": "groups", "cluster": {"ftEnabled": true, "workerGroups": [
                  {"name": "cpu-group", "replicas": 1, "reconnectTimeoutSeconds": 86400,
                   "probes": {"liveness": "none"}},
                  {"name": "gpu-group", "replicas": 1, "probes": {"liveness": {
                    "initialDelaySeconds": 0, "periodSeconds": 5, "timeoutSeconds": 1,
                    "failureThreshold": \(threshold), "checks": "gcs"}}}]}}
                """, "groups.json")
            let check = try ReviewTests.json(simulate(["check", model, "--json"] + Self.bounds))
            let survive = (check["properties"] as? [[String: Any]])?.first
            #expect(survive?["verdict"] as? String == verdict, "threshold \(threshold)")
        }
    }

    @Test("restartPolicy Never in one group: shown per group, and only that group's pods fail")
    func neverInOneGroup() throws {
        let text = Self.manifest(gpuPod: "          restartPolicy: Never")
        let out = simulate(["review", try ReviewTests.file(text), "--json"] + Self.bounds)
        let object = try ReviewTests.json(out)
        #expect(Self.group(object, "cpu-group")?["restartPolicy"] as? String == "Always")
        #expect(Self.group(object, "gpu-group")?["restartPolicy"] as? String == "Never")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(!findings.contains { $0["rule"] as? String == "worker-restart-policy" },
                "the warning that the model has one policy is gone")
        let settings = try #require(object["settings"] as? [[String: Any]])
        let row = try #require(settings.first { $0["name"] as? String
            == "worker group gpu-group restartPolicy" })
        #expect(row["value"] as? String == "Never" && row["source"] as? String == "user")
        #expect(row["line"] as? Int == Self.line(of: "restartPolicy: Never", in: text))
        // The model the review checks runs the gpu worker's pod by Never, the cpu one's by Always.
        var review = try ManifestReview(manifest: Data(text.utf8))
        var d = review.definition
        d.faults = FaultBudget(kinds: [], maxFaults: 0, horizon: .zero)
        d.script = [ScriptStep(at: .zero, .gcsProcessKill)]
        for g in d.spec.workerGroups.indices { d.spec.workerGroups[g].reconnectTimeoutSeconds = 30 }
        let run = Simulator(model: ClusterModel(d)).replay([0])
        let names = { (c: String) in
            run.timeline.filter { $0.event.component == c }.map(\.event.name)
        }
        #expect(names("worker-2/pod").contains("podFailed"))
        #expect(!names("worker-2/pod").contains("containerRestarting"))
        #expect(names("worker-1/pod").contains("containerRestarting"))
        #expect(!names("worker-1/pod").contains("podFailed"))
        review = try ManifestReview(manifest: Data(Self.manifest().utf8))
        #expect(review.definition.cluster.workerGroups.map(\.restartPolicy) == [.always, .always])
    }

    @Test("minReplicas above maxReplicas: before 1.6 KubeRay runs maxReplicas; 1.6+ rejects it")
    func minAboveMax() throws {
        let text = Self.manifest(groups: ("replicas: 1\n      minReplicas: 3\n      maxReplicas: 2",
                                          "replicas: 5\n      maxReplicas: 2"))
        let file = try ReviewTests.file(text)
        let newer = try ReviewTests.json(simulate(["review", file, "--json"] + Self.bounds))
        #expect(newer["verdict"] as? String == "rejected")
        let refusals = (newer["findings"] as? [[String: Any]] ?? []).filter {
            $0["rule"] as? String == "kuberay-rejects" }
        #expect(refusals.count == 1)
        #expect(refusals.first?["line"] as? Int == Self.line(of: "minReplicas: 3", in: text))
        #expect(!(newer["findings"] as? [[String: Any]] ?? []).contains {
            $0["rule"] as? String == "replica-range" && $0["severity"] as? String == "warning"
        }, "the warning says KubeRay runs it, which 1.7 does not")
        let out = simulate(["review", file, "--json", "--kuberay-version", "1.5"] + Self.bounds)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let object = try ReviewTests.json(out)
        let cpu = try #require(Self.group(object, "cpu-group"))
        #expect(cpu["replicas"] as? Int == 2)
        #expect(cpu["minReplicas"] as? Int == 3 && cpu["maxReplicas"] as? Int == 2)
        #expect(Self.group(object, "gpu-group")?["replicas"] as? Int == 2)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let ranges = findings.filter { $0["rule"] as? String == "replica-range" }
        let warning = try #require(ranges.first { $0["severity"] as? String == "warning" })
        #expect((warning["message"] as? String)?.contains(
            "cpu-group: minReplicas 3 is greater than maxReplicas 2") == true)
        #expect(warning["line"] as? Int == Self.line(of: "minReplicas: 3", in: text))
        let info = try #require(ranges.first { $0["severity"] as? String == "info" })
        #expect((info["message"] as? String)?.contains("replicas 5 is outside") == true)
        let settings = try #require(object["settings"] as? [[String: Any]])
        let max = settings.first { $0["name"] as? String == "worker group cpu-group maxReplicas" }
        #expect(max?["line"] as? Int == Self.line(of: "maxReplicas: 2", in: text))
        #expect(ManifestReplicas(group: "g", replicas: 1, minReplicas: 3, maxReplicas: 2).desired
            == 2)
        #expect(ManifestReplicas(group: "g", replicas: nil, minReplicas: 2).desired == 2)
        #expect(ManifestReplicas(group: "g").desired == 0, "the CRD's defaults: 0 pods")
        let negative = Self.manifest(groups: ("maxReplicas: -1", "replicas: 1"))
        let refused = simulate(["review", try ReviewTests.file(negative)] + Self.bounds)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("maxReplicas is not a whole number"), "\(refused.stderr)")
    }

    @Test("the autoscaler on: its setting and ranges shown, an info finding on what is proven")
    func autoscaling() throws {
        let spec = "  enableInTreeAutoscaling: true"
        let range = { (r: Int, low: Int, high: Int) in
            "replicas: \(r)\n      minReplicas: \(low)\n      maxReplicas: \(high)"
        }
        let text = Self.manifest(groups: (range(1, 1, 8), range(0, 0, 4)), spec: spec)
        let out = simulate(["review", try ReviewTests.file(text), "--json"] + Self.bounds)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let object = try ReviewTests.json(out)
        let effective = try #require(object["effective"] as? [String: Any])
        #expect(effective["autoscaling"] as? Bool == true)
        let gpu = try #require(Self.group(object, "gpu-group"))
        #expect(gpu["replicas"] as? Int == 0 && gpu["replicasReviewed"] as? Int == 1,
                "the autoscaler may start one: reviewed with one")
        #expect(gpu["minReplicas"] as? Int == 0 && gpu["maxReplicas"] as? Int == 4)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let info = try #require(findings.first { $0["rule"] as? String == "autoscaling" })
        #expect(info["severity"] as? String == "info")
        #expect(info["line"] as? Int == Self.line(of: "enableInTreeAutoscaling", in: text))
        let message = try #require(info["message"] as? String)
        #expect(message.contains("cpu-group 1…8 (reviewed with 1)"))
        #expect(message.contains("gpu-group 0…4 (reviewed with 1)"))
        #expect(message.contains("the model never adds or removes a worker"))
        let assumptions = try #require(object["assumptions"] as? [String: Any])
        #expect(assumptions.values.contains { ($0 as? String)?.contains(
            "gpu-group: 0 replicas reviewed as 1") == true })
        let settings = try #require(object["settings"] as? [[String: Any]])
        let row = settings.first {
            $0["name"] as? String == "autoscaling (enableInTreeAutoscaling)"
        }
        #expect(row?["value"] as? String == "on")
        // Without the autoscaler a group of 0 has no worker, and one of 0 alone is refused.
        let off = Self.manifest(groups: ("replicas: 0", "replicas: 0"))
        let refused = simulate(["review", try ReviewTests.file(off)] + Self.bounds)
        #expect(refused.exitCode == 2 && refused.stderr.contains("no worker with replicas"))
        let plain = try ReviewTests.json(simulate(
            ["review", try ReviewTests.file(Self.manifest()), "--json"] + Self.bounds))
        #expect((plain["effective"] as? [String: Any])?["autoscaling"] as? Bool == false)
        #expect(!((plain["findings"] as? [[String: Any]]) ?? []).contains {
            $0["rule"] as? String == "autoscaling" })
    }

    @Test("autoscaler v2 on KubeRay 1.4+: every pod's restartPolicy is Never, KubeRay's doing")
    func autoscalerV2() throws {
        let spec = "  enableInTreeAutoscaling: true\n  autoscalerOptions: {version: v2}"
        let text = Self.manifest(spec: spec)
        let review = try ManifestReview(manifest: Data(text.utf8))
        #expect(review.definition.spec.autoscalerV2)
        #expect(review.definition.cluster.workerGroups.map(\.restartPolicy) == [.never, .never])
        var old = ReviewAssumptions()
        old.kuberayVersion = KubeRayVersion(1, 3)
        let before = try ManifestReview(manifest: Data(text.utf8), assumptions: old)
        #expect(before.definition.cluster.headRestartPolicy == .always)
        let rows = ReviewFormat.settings(review)
        let gpu = rows.first { $0.name == "worker group gpu-group restartPolicy" }
        #expect(gpu?.value == "Never" && gpu?.source == "kuberay-default")
    }
}

private func simulate(_ args: [String]) -> CommandOutcome { SimulateCommand.execute(args) }
