import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// Each worker group has its own pod template, so its own `restartPolicy` and probes: the rules
/// look them up by the node's group (reference §6: the kubelet restarts by the pod's policy and
/// kills a container whose liveness probe fails; KubeRay replaces a failed pod).
@Suite("Worker groups: each group's restartPolicy and probes")
struct WorkerGroupPodSettingsTests {
    /// A user liveness probe that fails while the GCS is unreachable: 3 failures 5 s apart.
    static let gcsProbe = ProbeSpec(
        initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3,
        check: .gcs)

    /// The KubeRay sample with groups `cpu` (worker 1, the actor's host) and `gpu` (worker 2),
    /// both on KubeRay's 600 s; `gpu` gets `change`.
    static func twoGroups(
        faults: [FaultKind] = [.gcsProcessKill], _ change: (inout WorkerGroupSpec) -> Void
    ) -> ModelDefinition {
        var d = EmbeddedModels.kuberaySample
        d.name = "two-groups"
        d.faults = FaultBudget(kinds: faults, maxFaults: 1, horizon: .seconds(60))
        var gpu = WorkerGroupSpec(name: "gpu", replicas: 1)
        change(&gpu)
        d.spec.workerGroups = [WorkerGroupSpec(name: "cpu", replicas: 1), gpu]
        return d
    }

    @Test("a liveness probe in one group kills its worker during an outage, not the other's")
    func livenessPerGroup() throws {
        let d = Self.twoGroups { $0.probes = PodProbeSettings(liveness: .custom(Self.gcsProbe)) }
        let c = d.cluster
        #expect(c.probes(of: 2).liveness == Self.gcsProbe)
        #expect(c.probes(of: 1).liveness?.check == .nodeAlive, "KubeRay's default for cpu")
        #expect(c.probes(of: 0) == c.headProbes)
        let result = ClusterCheck(d, granularity: .seconds(5)).run()
        #expect(result.report.property(ClusterProperties.workersSurvive.id)?.verdict == .violated)
        let run = try #require(result.counterexample(ClusterProperties.workersSurvive.id))
        let kills = run.all("livenessProbeFailed")
        #expect(!kills.isEmpty)
        #expect(kills.allSatisfy { $0.event.component == "worker-2/pod" })
        let kill = try #require(kills.first)
        #expect(kill.event.attributes.contains { $0.key == "group" && $0.value == "gpu" })
        #expect(kill.event.detail.hasPrefix("liveness probe of worker group gpu failed 3 times"))
        // Every run of the simulator agrees: worker 1 (cpu) is never killed by a probe.
        for seed in UInt64(0)..<20 {
            let r = Simulator(model: ClusterModel(d)).run(seed: seed)
            #expect(r.first("livenessProbeFailed", on: "worker-1/pod") == nil, "seed \(seed)")
        }
        // The same probe as the cluster's worker probe kills both groups' workers.
        var both = d
        both.spec.workerGroups[1].probes = nil
        both.spec.probes.workerLiveness = .custom(Self.gcsProbe)
        let components = Set((0..<20).flatMap { seed in
            Simulator(model: ClusterModel(both)).run(seed: UInt64(seed))
                .all("livenessProbeFailed").map(\.event.component)
        })
        #expect(components == ["worker-1/pod", "worker-2/pod"])
    }

    @Test("a group's own probes replace the cluster's worker pair; a probe left out is KubeRay's")
    func ownPairReplacesClusters() {
        var d = Self.twoGroups { $0.probes = PodProbeSettings(readiness: .none) }
        d.spec.probes.workerLiveness = .custom(Self.gcsProbe)
        let c = d.cluster
        #expect(c.probes(of: 1).liveness == Self.gcsProbe, "cpu has no pair: the cluster's")
        #expect(c.probes(of: 2).readiness == nil)
        #expect(c.probes(of: 2).liveness == KubeRayDefaulting.defaultProbe(
            liveness: true, head: false, version: .newest, ftEnabled: true))
    }

    @Test("restartPolicy Never in one group: its worker gets a new pod, the other restarts")
    func restartPolicyPerGroup() throws {
        var d = Self.twoGroups(faults: []) { $0.restartPolicy = .never }
        d.script = [ScriptStep(at: .zero, .gcsProcessKill)]
        for g in d.spec.workerGroups.indices { d.spec.workerGroups[g].reconnectTimeoutSeconds = 30 }
        #expect(d.cluster.workerGroups.map(\.restartPolicy) == [.always, .never])
        let run = earliestRun(ClusterModel(d))
        #expect(run.first("containerRestarting", on: "worker-1/pod") != nil)
        #expect(run.first("podFailed", on: "worker-1/pod") == nil)
        let failed = try #require(run.first("podFailed", on: "worker-2/pod"))
        #expect(failed.event.detail.contains("restartPolicy Never of worker group gpu"))
        #expect(run.first("containerRestarting", on: "worker-2/pod") == nil)
        #expect(run.first("initWaiting", on: "worker-2/pod") != nil, "a new pod: init first")
        // Autoscaler v2 on KubeRay 1.4+ forces Never on every group, whatever each sets.
        var forced = d
        forced.spec.autoscalerV2 = true
        forced.spec.workerGroups[0].restartPolicy = .always
        #expect(forced.cluster.workerGroups.map(\.restartPolicy) == [.never, .never])
    }

    @Test("a model without per-group settings has the same per-node rules as before")
    func noPerGroupSettings() {
        var d = EmbeddedModels.kuberaySample
        d.spec.workers = 3
        d.spec.workerRestartPolicy = .never
        d.spec.probes.workerLiveness = .custom(Self.gcsProbe)
        let rules = RuleBook(d)
        #expect(rules.restartPolicies == [d.cluster.headRestartPolicy, .never, .never, .never])
        #expect(rules.livenessProbes.dropFirst().allSatisfy { $0 == Self.gcsProbe })
        #expect(d.spec.isOneDefaultGroup)
        // A default-named group with a policy of its own is no longer the shorthand.
        d.spec.workerGroups[0].restartPolicy = .always
        #expect(!d.spec.isOneDefaultGroup)
    }

    static func file(_ groups: String) -> Data {
        Data("""
            {"name": "groups", "cluster": {"ftEnabled": true, "workerGroups": [\(groups)]}}
            """.utf8)
    }

    @Test("model files: a group's restartPolicy and probes are read, and encode back the same")
    func modelFile() throws {
        let d = try ModelDefinition.parse(Self.file("""
            {"name": "cpu", "replicas": 1},
            {"name": "gpu", "replicas": 1, "restartPolicy": "Never",
             "probes": {"readiness": "none", "liveness": {"initialDelaySeconds": 0,
               "periodSeconds": 5, "timeoutSeconds": 1, "failureThreshold": 3, "checks": "gcs"}}}
            """))
        #expect(d.spec.workerGroups[0] == WorkerGroupSpec(name: "cpu", replicas: 1))
        #expect(d.spec.workerGroups[1].restartPolicy == .never)
        #expect(d.spec.workerGroups[1].probes
            == PodProbeSettings(readiness: .none, liveness: .custom(Self.gcsProbe)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(d.spec)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""probes":{"liveness":{"checks":"gcs""#), "\(text)")
        #expect(text.contains(#""readiness":"none""#) && text.contains(#""restartPolicy":"Never""#))
        #expect(try JSONDecoder().decode(ClusterSpec.self, from: data) == d.spec)
        // Empty probes: the group's pair is KubeRay's defaults, kept apart from "no pair".
        let empty = try ModelDefinition.parse(
            Self.file(#"{"name": "a", "replicas": 1, "probes": {}}"#))
        #expect(empty.spec.workerGroups[0].probes == PodProbeSettings())
    }

    @Test("bad per-group values are refused naming the field", arguments: [
        (#""restartPolicy": "OnFailure""#, "cluster.workerGroups[0].restartPolicy",
         #"unknown policy "OnFailure""#),
        (#""restartPolicy": true"#, "cluster.workerGroups[0].restartPolicy", "expected a string"),
        (#""probes": {"liveness": "sometimes"}"#, "cluster.workerGroups[0].probes.liveness",
         #"unknown probe "sometimes""#),
        (#""probes": {"startup": "none"}"#, "cluster.workerGroups[0].probes.startup",
         "unknown field"),
        (#""probes": {"liveness": {"initialDelaySeconds": 0, "periodSeconds": 0, "#
            + #""timeoutSeconds": 1, "failureThreshold": 3, "checks": "gcs"}}"#,
         "cluster.workerGroups[0].probes.liveness.periodSeconds", "out of range"),
        (#""probes": {"readiness": {"initialDelaySeconds": 0, "periodSeconds": 5, "#
            + #""timeoutSeconds": 1, "failureThreshold": 3, "checks": "dns"}}"#,
         "cluster.workerGroups[0].probes.readiness.checks", #"unknown check "dns""#),
        (#""probes": {"liveness": {"periodSeconds": 5}}"#,
         "cluster.workerGroups[0].probes.liveness.initialDelaySeconds", "missing"),
        (#""probes": "none""#, "cluster.workerGroups[0].probes", "expected an object"),
    ])
    func refused(field: String, path: String, problem: String) {
        do {
            _ = try ModelDefinition.parse(
                Self.file(#"{"name": "a", "replicas": 1, "# + field + "}"))
            Issue.record("accepted \(field)")
        } catch {
            #expect(error.field == path, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
            #expect(!error.fix.isEmpty)
        }
    }

    @Test("a model built in code with a bad group probe fails validation naming the group")
    func validationInCode() {
        var d = Self.twoGroups { $0.probes = PodProbeSettings(liveness: .custom(ProbeSpec(
            initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 0,
            check: .gcs))) }
        d.faults = .oneHeadSideFault
        #expect(throws: InputError.self) { try d.validate() }
        do { try d.validate() } catch {
            #expect(error.field == "cluster.workerGroups[1].probes.liveness.failureThreshold")
        }
    }
}
