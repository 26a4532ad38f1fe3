import Testing
import SimulationKernel
@testable import RayClusterModel

/// Model and checker defects found by the hardening issue, each pinned by the fact it gets right.
@Suite("Hardening: storage namespaces, limits inside the violating level")
struct HardeningModelTests {
    /// A scripted GCS restart on `namespace`, then back on the cluster's own (manual supervision).
    static func namespaceScenario(_ steps: [ScriptStep]) -> ModelDefinition {
        var d = ModelDefinition(name: "namespaces", summary: "a GCS started on another storage namespace, then on its own",
                                spec: ClusterSpec(workers: 1), faults: FaultBudget(kinds: [], maxFaults: 0, horizon: .zero))
        d.supervisor = .manual
        d.script = steps
        d.until = .minutes(3)
        return d
    }

    static func servingEvents(_ d: ModelDefinition, seed: UInt64) -> [ClusterEvent] {
        Simulator(model: ClusterModel(d)).run(seed: seed).all("gcsServing").map(\.event)
    }

    @Test("a GCS on another storage namespace leaves the cluster's own data in Redis: the next GCS on its own reloads it",
          arguments: 0..<5 as Range<UInt64>)
    func otherNamespaceKeepsOwnData(seed: UInt64) {
        let d = Self.namespaceScenario([
            ScriptStep(at: .zero, .gcsProcessKill), ScriptStep(at: .seconds(1), .gcsStart(storageNamespace: "other")),
            ScriptStep(at: .seconds(5), .gcsProcessKill), ScriptStep(at: .seconds(6), .gcsStart(storageNamespace: nil)),
        ])
        let serving = Self.servingEvents(d, seed: seed)
        #expect(serving.count == 2)
        #expect(serving.first?.fact.keptCluster == false)
        #expect(serving.first?.detail.contains("namespace other") == true, "\(serving.first?.detail ?? "-")")
        #expect(serving.last?.fact.keptCluster == true)
        #expect(serving.last?.detail.contains("namespace \(d.cluster.storageNamespace)") == true)
    }

    @Test("FLUSHALL while a GCS reads another namespace loses the cluster's own data too")
    func flushLosesEveryNamespace() {
        let d = Self.namespaceScenario([
            ScriptStep(at: .zero, .gcsProcessKill), ScriptStep(at: .seconds(1), .gcsStart(storageNamespace: "other")),
            ScriptStep(at: .seconds(5), .gcsProcessKill), ScriptStep(at: .seconds(5), .redisFlush),
            ScriptStep(at: .seconds(6), .gcsStart(storageNamespace: nil)),
        ])
        #expect(Self.servingEvents(d, seed: 0).last?.fact.keptCluster == false)
    }

    @Test("a worker that stays connected across a detour to another namespace survives, and the check agrees with runs")
    func detourCheckAgreesWithRuns() {
        var d = Self.namespaceScenario([
            ScriptStep(at: .zero, .gcsProcessKill), ScriptStep(at: .seconds(1), .gcsStart(storageNamespace: "other")),
            ScriptStep(at: .seconds(5), .gcsProcessKill), ScriptStep(at: .seconds(6), .gcsStart(storageNamespace: nil)),
        ])
        d.timing.granularity = .seconds(5)
        let verdicts = ReductionDifferential.compare(d)
        // The raylet's self-check may or may not fall inside the 4 s on the foreign GCS: both happen.
        #expect(verdicts[ClusterProperties.workersSurvive.id] == .violated)
        let survivors = (0..<40 as Range<UInt64>).filter { Simulator(model: ClusterModel(d)).runQuietly(seed: $0).allHeld }
        #expect(!survivors.isEmpty, "some seeds must see the worker resubscribe to its own namespace")
    }

    @Test("a state limit inside the level of the first violation gives the unlimited check's counterexample, on 1 and 2 threads")
    func stateLimitInsideViolatingLevel() throws {
        var d = EmbeddedModels.kuberaySample
        d.spec.workerReconnectTimeoutSeconds = 60
        d.timing.granularity = d.checkGranularity
        let model = ClusterModel(d)
        let unlimited = Explorer(model: model).check()
        let expected = try #require(unlimited.property(ClusterProperties.workersSurvive.id)?.counterexample)
        for threads in [1, 2] {
            let limited = Explorer(model: model, options: CheckOptions(limits: CheckLimits(maxStates: 500), threads: threads)).check()
            #expect(limited.verdict == .violated, "threads \(threads)")
            #expect(limited.property(ClusterProperties.workersSurvive.id)?.counterexample == expected, "threads \(threads)")
            #expect(limited.distinctStates == unlimited.distinctStates, "the level is finished either way")
        }
    }
}
