import Testing
import SimulationKernel
@testable import RayClusterModel

/// Every reduction of the checker against the plain version, on random small models and
/// scenarios: symmetry on and off, fingerprints and exact states, one and two threads. Verdicts
/// and counts must agree, every counterexample must violate its property when the simulator
/// replays it, and no property the checker proves may be violated by a simulated run of the same
/// model (a run samples one of the paths the check explores). This is the test that catches a
/// reduction merging worlds that a script, a property or a fault can tell apart.
@Suite("Reductions agree with the plain checker and with runs")
struct ReductionDifferentialTests {
    @Test("on 16 random small models and scenarios (1–2 workers), every reduction gives the plain checker's verdicts")
    func randomSmallModels() {
        let compared = ReductionDifferential.compareRandom(seed: 0xD1FF, count: 16, maxWorkers: 2, maxStates: 8_000)
        #expect(compared == 16)
    }

    @Test("the false proof of the hardening issue: a script deleting the actor's worker is violated, with or without symmetry",
          arguments: [1, 2])
    func scriptNamingAWorker(worker: Int) {
        var d = ModelDefinition(name: "delete-worker-\(worker)", summary: "two workers, one deleted by the script",
                                spec: ClusterSpec(workers: 2), faults: FaultBudget(kinds: [], maxFaults: 0, horizon: .zero))
        d.script = [ScriptStep(at: .seconds(10), .workerPodDelete(worker: worker))]
        d.until = .minutes(5)
        d.timing.granularity = d.checkGranularity
        let verdicts = ReductionDifferential.compare(d)
        // The actor lives on worker 1: deleting it loses the counter, deleting worker 2 does not.
        #expect(verdicts[ClusterProperties.actorSurvives.id] == (worker == 1 ? .violated : .holds))
    }
}

/// Exact states and fingerprints, with and without symmetry, on the Ray model's own files: the
/// encodings (`World/ClusterState+Fields.swift`) lose nothing a stored state keeps.
@Suite("Fingerprints and exact states agree on the Ray model's files")
struct EncodingDifferentialTests {
    /// Files that check in well under a second each (release build), and the default model on a
    /// coarser grid, also with three workers so that symmetry has workers to merge.
    static let models: [(String, @Sendable () throws -> ModelDefinition)] = [
        ("default model, GCS kill or head pod delete, 30 s grid", {
            var d = EmbeddedModels.kuberaySample
            d.faults = FaultBudget(kinds: [.gcsProcessKill, .headPodDelete], maxFaults: 1,
                                   horizon: d.faults.horizon)
            return ReductionDifferential.onGrid(d, .seconds(30))
        }),
        ("default model, 3 workers, worker pod delete too, 30 s grid", {
            var d = EmbeddedModels.kuberaySample
            d.spec.workers = 3
            d.faults = FaultBudget(kinds: [.gcsProcessKill, .headPodDelete, .workerPodDelete],
                                   maxFaults: 1, horizon: .minutes(2))
            return ReductionDifferential.onGrid(d, .seconds(30))
        }),
        // Every property is searched to its end (not only to the first violation), so the two
        // violating files get two fault kinds on a 5 s grid: a few thousand states each.
        ("ft-equal-timeouts.json, GCS kill or head pod delete, 5 s grid", {
            try twoKinds(ModelFiles.load("ft-equal-timeouts.json"))
        }),
        ("no-ft.json, GCS kill or head pod delete, 5 s grid", {
            try twoKinds(ModelFiles.load("no-ft.json"))
        }),
        ("ray-gcs-restart-actor-survives.json", {
            try scenario("ray-gcs-restart-actor-survives.json")
        }),
        ("ray-redis-failover-recovers.json", { try scenario("ray-redis-failover-recovers.json") }),
        ("real-ray-restart-after-deadline.json", {
            try scenario("real-ray-restart-after-deadline.json")
        }),
    ]

    static func twoKinds(_ model: ModelDefinition) -> ModelDefinition {
        var d = model
        d.faults = FaultBudget(kinds: [.gcsProcessKill, .headPodDelete], maxFaults: 1,
                               horizon: d.faults.horizon)
        return ReductionDifferential.onGrid(d, .seconds(5))
    }

    static func scenario(_ file: String) throws -> ModelDefinition {
        try Scenario.load(path: ModelFiles.directory + "/scenarios/" + file).definition
    }

    @Test("verdicts, state counts and counterexample depths agree, with and without symmetry",
          arguments: models.map(\.0))
    func filesAgree(model name: String) throws {
        let load = try #require(Self.models.first { $0.0 == name }).1
        var d = try load()
        if name.hasSuffix(".json") { d = ReductionDifferential.onGrid(d, d.checkGranularity) }
        ReductionDifferential.compare(d)
    }
}

/// The long version, for the separate job (`swift test --filter LongSweeps`).
@Suite("Reductions agree with the plain checker (LongSweeps)")
struct ReductionDifferentialLongSweeps {
    @Test("on 200 random small models and scenarios (1–3 workers), every reduction gives the plain checker's verdicts")
    func manyRandomSmallModels() {
        let compared = ReductionDifferential.compareRandom(seed: 0x5EED, count: 200, maxWorkers: 3, maxStates: 300_000)
        #expect(compared == 200)
    }
}

enum ReductionDifferential {
    /// One configuration of the checker.
    struct Configuration: CustomStringConvertible {
        var symmetry: Bool
        var visited: VisitedStore
        var threads: Int
        var description: String { "symmetry \(symmetry), \(visited.rawValue), \(threads) thread(s)" }
    }

    static let plain = Configuration(symmetry: false, visited: .exactStates, threads: 1)

    /// Compares `count` random models whose plain check stays within `maxStates` (larger ones are
    /// drawn again, at most 5 × `count` draws); returns how many were compared.
    static func compareRandom(seed: UInt64, count: Int, maxWorkers: Int, maxStates: Int) -> Int {
        var compared = 0
        for index in 0..<(5 * count) where compared < count {
            let d = randomModel(seed: seed, index: index, maxWorkers: maxWorkers)
            guard check(d, plain, maxStates: maxStates).stopReason != .stateLimit else { continue }
            compare(d)
            compared += 1
        }
        return compared
    }
    static let reduced: [Configuration] = [
        Configuration(symmetry: false, visited: .fingerprints, threads: 1),
        Configuration(symmetry: true, visited: .exactStates, threads: 1),
        Configuration(symmetry: true, visited: .fingerprints, threads: 1),
        Configuration(symmetry: true, visited: .fingerprints, threads: 2),
    ]

    /// Checks `d` in every configuration and compares; returns the plain checker's verdicts.
    @discardableResult
    static func compare(_ d: ModelDefinition, sourceLocation: SourceLocation = #_sourceLocation)
        -> [String: CheckReport.Verdict] {
        let what = "\(d.name): \(d.script.map { "\($0.action.id)@\($0.at)" }), faults \(d.faults.kinds.map(\.rawValue)) x\(d.faults.maxFaults)"
        let base = check(d, plain)
        expectCounterexamplesReplay(d, base, plain, what, sourceLocation)
        var symmetric: CheckReport? = nil
        for c in reduced {
            let r = check(d, c)
            #expect(r.properties.map(\.verdict) == base.properties.map(\.verdict),
                    "\(what): \(c) disagrees with the plain checker", sourceLocation: sourceLocation)
            // BFS over the symmetry quotient keeps distances, so shortest counterexamples keep
            // their depth.
            #expect(r.properties.map(\.counterexample?.depth)
                        == base.properties.map(\.counterexample?.depth),
                    "\(what): \(c) counterexample depths differ", sourceLocation: sourceLocation)
            #expect(r.distinctStates <= base.distinctStates, "\(what): \(c) stored more states", sourceLocation: sourceLocation)
            if c.symmetry == plain.symmetry {
                #expect(r.distinctStates == base.distinctStates, "\(what): \(c) counts differ", sourceLocation: sourceLocation)
            } else if let first = symmetric {
                #expect(r.distinctStates == first.distinctStates,
                        "\(what): \(c) counts differ from exact states",
                        sourceLocation: sourceLocation)
            } else {
                symmetric = r
            }
            expectCounterexamplesReplay(d, r, c, what, sourceLocation)
        }
        expectRunsAgree(d, base, what, sourceLocation)
        return Dictionary(uniqueKeysWithValues: base.properties.map { ($0.id, $0.verdict) })
    }

    /// `d` on the grid `granularity`, as a check of it runs.
    static func onGrid(_ d: ModelDefinition, _ granularity: SimDuration) -> ModelDefinition {
        var d = d
        d.timing.granularity = granularity
        return d
    }

    static func check(_ d: ModelDefinition, _ c: Configuration, maxStates: Int = 2_000_000) -> CheckReport {
        let options = CheckOptions(limits: CheckLimits(maxStates: maxStates), threads: c.threads, visited: c.visited,
                                   stopAtFirstViolation: false)
        return Explorer(model: ClusterModel(d, symmetry: c.symmetry), options: options).check()
    }

    /// Each counterexample, replayed by the simulator, ends in a state that breaks its property.
    static func expectCounterexamplesReplay(_ d: ModelDefinition, _ r: CheckReport, _ c: Configuration, _ what: String,
                                            _ sourceLocation: SourceLocation) {
        for p in r.properties {
            guard let cx = p.counterexample else { continue }
            let run = Simulator(model: ClusterModel(d), limits: RunLimits(maxSteps: max(cx.depth, 1))).replay(cx.script)
            #expect(run.steps == cx.depth && run.verdict(p.id)?.held == false,
                    "\(what): \(c) counterexample for \(p.id) does not violate it on replay", sourceLocation: sourceLocation)
        }
    }

    /// A property violated by a simulated run on the check's grid is violated in the check too.
    static func expectRunsAgree(_ d: ModelDefinition, _ r: CheckReport, _ what: String, _ sourceLocation: SourceLocation) {
        let simulator = Simulator(model: ClusterModel(d))
        for seed: UInt64 in 0..<8 {
            let run = simulator.runQuietly(seed: seed)
            for v in run.verdicts where !v.held {
                #expect(r.property(v.id)?.verdict == .violated,
                        "\(what): seed \(seed) violates \(v.id), the check says \(r.property(v.id)?.verdict.rawValue ?? "-")",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// A random small model: 1–`maxWorkers` workers, random settings, a random fault budget and a random
    /// script (worker steps name random workers), on a 10 s grid so each check takes milliseconds.
    static func randomModel(seed: UInt64, index: Int, maxWorkers: Int) -> ModelDefinition {
        var g = SplitMix64(seed: seed).derived(UInt64(index))
        func pick<T>(_ xs: [T]) -> T { xs[g.next(below: xs.count)] }
        let workers = 1 + g.next(below: maxWorkers)
        let spec = ClusterSpec(ftEnabled: g.next(below: 4) != 0, workers: workers,
                               headRestartPolicy: pick(RestartPolicy.allCases),
                               workerReconnectTimeoutSeconds: pick([nil, 30, 60, 600]),
                               redisPersistence: pick(RedisPersistence.allCases), actorMaxRestarts: pick([0, -1]))
        var kinds: [FaultKind] = []
        for _ in 0..<g.next(below: 3) { kinds.append(pick(FaultKind.faults)) }
        let faults = FaultBudget(kinds: kinds, maxFaults: kinds.isEmpty ? 0 : 1, horizon: .seconds(10 * Int64(g.next(below: 4))))
        var d = ModelDefinition(name: "random-\(seed)-\(index)", summary: "a random small model", spec: spec,
                                faults: faults, recoveryBound: .minutes(3), checkGranularity: .seconds(10))
        var at = SimDuration.zero
        for _ in 0..<g.next(below: 3) {
            at = at + .seconds(10 * Int64(g.next(below: 4)))
            let action: ScriptAction = pick([
                .workerPodDelete(worker: 1 + g.next(below: workers)), .gcsProcessKill, .gcsStart(storageNamespace: nil),
                .headPodDelete, .headContainerCrash, .redisRestart, .redisFlush, .actorCall,
                .workerPodDelete(worker: workers),
            ])
            d.script.append(ScriptStep(at: at, action))
        }
        if !d.script.isEmpty {
            d.supervisor = g.next(below: 4) == 0 ? .manual : .kubernetes
            d.until = at + .minutes(3)
        }
        d.timing.granularity = d.checkGranularity
        return d
    }
}
