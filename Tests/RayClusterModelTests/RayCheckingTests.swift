import Testing
import SimulationKernel
@testable import RayClusterModel

/// The checker on the Ray model: symmetry, shortest counterexamples, agreement with seed sweeps.
@Suite("Exhaustive checking of the Ray model")
struct RayCheckingTests {
    static func checked(_ d: ModelDefinition, granularity: SimDuration, symmetry: Bool = true) -> CheckReport {
        var d = d
        d.timing.granularity = granularity
        return Explorer(model: ClusterModel(d, symmetry: symmetry)).check()
    }

    @Test("symmetry merges states of interchangeable workers without changing the verdict")
    func symmetryReduces() {
        var d = EmbeddedModels.kuberaySample
        d.spec.workers = 3
        // One fault kind keeps the unreduced graph small enough for the normal suite.
        d.faults = FaultBudget(kinds: [.headPodDelete], maxFaults: 1, horizon: .minutes(5))
        let on = Self.checked(d, granularity: .seconds(10))
        let off = Self.checked(d, granularity: .seconds(10), symmetry: false)
        #expect(on.verdict == .holds && off.verdict == .holds)
        #expect(on.distinctStates < off.distinctStates)
    }

    @Test("with symmetry, distinct states grow polynomially in the number of workers")
    func polynomialGrowth() {
        var counts: [Int] = []
        for w in 1...4 {
            var d = EmbeddedModels.kuberaySample
            d.spec.workers = w
            // One fault kind: the same shape (1,192 / 5,456 / 15,828 / 36,308 states on 1 to 4
            // workers) at a quarter of the five kinds' size.
            d.faults = FaultBudget(kinds: [.headPodDelete], maxFaults: 1, horizon: .minutes(5))
            counts.append(Self.checked(d, granularity: .seconds(10)).distinctStates)
        }
        // Exponential growth keeps the ratio of successive counts from shrinking; polynomial growth shrinks it.
        let ratios = zip(counts.dropFirst(), counts).map { Double($0) / Double($1) }
        #expect(ratios[2] < ratios[1] && ratios[1] < ratios[0], "counts \(counts)")
    }

    @Test("the equal-timeouts counterexample is the shortest one: plan the fault, kill the GCS, the worker gives up")
    func shortest() throws {
        var d = EmbeddedModels.kuberaySample
        d.spec.workerReconnectTimeoutSeconds = 60
        let report = Self.checked(d, granularity: .seconds(1))
        let cx = try #require(report.property("workers-survive-head-restart")?.counterexample)
        #expect(cx.depth == 3)
        let replay = Simulator(model: ClusterModel(d)).replay(cx.script)
        #expect(replay.verdict("workers-survive-head-restart")?.violatedAtStep == 3)
    }

    @Test("the checker agrees with seed sweeps on every shipped model", arguments: ["kuberay-sample.json", "apiserver-ha.json", "no-ft.json", "ft-equal-timeouts.json"])
    func agreesWithSweeps(file: String) throws {
        let d = try ModelFiles.load(file)
        let report = Self.checked(d, granularity: .seconds(5))
        let sim = Simulator(model: ClusterModel(d))
        let sweepViolates = (0..<300 as Range<UInt64>).contains { !sim.runQuietly(seed: $0).allHeld }
        #expect((report.verdict == .violated) == sweepViolates, "check \(report.verdict), sweep violated: \(sweepViolates)")
    }

    @Test("a coarser grid never finds more states than a finer one")
    func gridMonotone() {
        let coarse = Self.checked(EmbeddedModels.kuberaySample, granularity: .seconds(10))
        let fine = Self.checked(EmbeddedModels.kuberaySample, granularity: .seconds(2))
        #expect(coarse.distinctStates < fine.distinctStates)
    }
}

@Suite("The KubeRay sample's Redis")
struct SampleRedisTests {
    @Test("the sample's Redis keeps its append-only file off any volume, so a Redis restart before a head restart loses the workers")
    func sampleRedisLosesData() {
        var d = EmbeddedModels.kuberaySample
        #expect(d.spec.redisPersistence == .none)
        d.faults = FaultBudget(kinds: [.redisRestart, .gcsProcessKill], maxFaults: 2, horizon: .minutes(1))
        let report = ClusterCheck(d, granularity: .seconds(10)).run().report
        #expect(report.property("workers-survive-head-restart")?.verdict == .violated)
        d.spec.redisPersistence = .appendOnly
        #expect(ClusterCheck(d, granularity: .seconds(10)).run().report.verdict == .holds)
    }
}
