import Testing
import SimulationKernel
@testable import RayClusterModel

/// The Ray model's "sometimes" properties catch a check that proves its properties vacuously.
/// The KubeRay sample without FT: in-memory GCS, workers on Ray's 60 s.
private var noFT: ModelDefinition {
    var d = EmbeddedModels.kuberaySample
    d.spec.ftEnabled = false
    return d
}

@Suite("Vacuity: every fault kind is injected somewhere, and recovery is reached")
struct VacuityTests {
    @Test("the default model reaches every example, each replaying to a world that shows it")
    func defaultModelReachesAll() throws {
        let model = ClusterModel(EmbeddedModels.kuberaySample)
        let ids = EmbeddedModels.kuberaySample.faults.kinds.map { "exercises-\($0.rawValue)" }
        let result = ClusterCheck(EmbeddedModels.kuberaySample, granularity: .seconds(10)).run()
        #expect(result.holds)
        #expect(result.report.sometimes.map(\.id) == ids + ["reaches-recovery"])
        #expect(result.report.unreached.isEmpty)
        for (p, property) in model.sometimes.enumerated() {
            let example = try #require(result.report.sometimes[p].example)
            var final = Simulator(model: model).replay(steps: example.steps).run.finalState
            model.canonicalize(&final)
            #expect(property.holds(final), "\(property.id)")
        }
    }

    @Test("a Redis restart on a cluster without Redis is never injected: the check says so")
    func vacuousRedisRestart() {
        var d = noFT
        d.faults = FaultBudget(kinds: [.redisRestart], maxFaults: 1, horizon: .minutes(5))
        let report = ClusterCheck(d).run().report
        #expect(report.verdict == .holds)
        #expect(report.unreached.map(\.id) == ["exercises-redis-restart", "reaches-recovery"])
    }

    @Test("a fault kind that is injected is reached even when it breaks the cluster")
    func injectedButViolating() {
        var d = noFT
        d.faults = FaultBudget(kinds: [.gcsProcessKill], maxFaults: 1, horizon: .minutes(1))
        let report = ClusterCheck(
            d, options: CheckOptions(stopAtFirstViolation: false)).run().report
        #expect(report.verdict == .violated)
        #expect(report.sometimes.first { $0.id == "exercises-gcs-process-kill" }?.verdict
            == .reached)
    }

    @Test("scripted scenarios and budgets without faults have no sometimes properties")
    func noneWithoutRandomFaults() {
        var d = EmbeddedModels.kuberaySample
        d.faults.maxFaults = 0
        #expect(ClusterModel(d).sometimes.isEmpty)
    }
}
