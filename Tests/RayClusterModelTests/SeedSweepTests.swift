import Testing
import SimulationKernel
@testable import RayClusterModel

/// Properties over many seeds: the shipped models say what the docs say they say.
@Suite("Seed sweeps of the shipped models")
struct SeedSweepTests {
    static func sweep(_ model: ClusterModel, _ seeds: Range<UInt64>) -> [RunResult<ClusterModel>] {
        let sim = Simulator(model: model)
        return seeds.map { sim.run(seed: $0) }
    }

    @Test("the KubeRay sample survives one head-side fault for 500 seeds, and every fault kind was tried")
    func sampleSurvives() {
        let runs = Self.sweep(ClusterModel(EmbeddedModels.kuberaySample), 0..<500)
        for r in runs where !r.allHeld { Issue.record("seed \(r.seed!) violated \(r.verdicts.filter { !$0.held }.map(\.id))") }
        let kinds = Set(runs.flatMap(\.faultsInjected))
        #expect(kinds == Set(FaultKind.headSide.map(\.rawValue)))
    }

    @Test("the API-server HA example (workers 300 s) survives one head-side fault for 300 seeds")
    func apiServerSurvives() throws {
        let model = ClusterModel(try ModelFiles.load("apiserver-ha.json"))
        #expect(model.cluster.workerReconnectTimeout == .seconds(300))
        for r in Self.sweep(model, 0..<300) where !r.allHeld { Issue.record("seed \(r.seed!) violated") }
    }

    @Test("without FT, every run with a head fault kills the worker (fate-sharing)")
    func noFTAlwaysViolates() throws {
        let runs = Self.sweep(ClusterModel(try ModelFiles.load("no-ft.json")), 0..<300)
        let faulted = runs.filter { !$0.faultsInjected.isEmpty }
        #expect(faulted.count > 290)
        for r in faulted { #expect(!r.held(ClusterProperties.workersSurvive), "seed \(r.seed!)") }
    }

    @Test("with equal timeouts some seeds lose the worker, and exactly those whose fault was gcs-process-kill")
    func equalTimeoutsViolate() throws {
        let runs = Self.sweep(ClusterModel(try ModelFiles.load("ft-equal-timeouts.json")), 0..<300)
        let violating = runs.filter { !$0.held(ClusterProperties.workersSurvive) }
        #expect(!violating.isEmpty)
        for r in runs {
            let killed = r.faultsInjected == ["gcs-process-kill"]
            #expect(killed == !r.held(ClusterProperties.workersSurvive), "seed \(r.seed!): faults \(r.faultsInjected)")
        }
    }

    @Test("a raylet exits T to T+1 s after the GCS died, and both ends happen (reference §9)")
    func deadlinePhase() throws {
        let model = makeModel(faults: [.gcsProcessKill], horizon: .seconds(60)) { $0.spec.workerReconnectTimeoutSeconds = 30 }
        var delays: [SimDuration] = []
        for r in Self.sweep(model, 0..<300) {
            guard let kill = r.first("gcsDied"), let exit = r.first("rayletExited", on: "worker-1/raylet") else { continue }
            delays.append(exit.at - kill.at)
        }
        #expect(delays.count > 250)
        #expect(delays.allSatisfy { $0 >= .seconds(30) && $0 <= .seconds(31) })
        #expect(delays.min() == .seconds(30) && delays.max() == .seconds(31))
    }

    @Test("Redis without persistence: a Redis restart makes the GCS exit and come back empty, killing the workers; with append-only it never does")
    func redisPersistence() {
        let none = makeModel(faults: [.redisRestart, .gcsProcessKill], maxFaults: 2, horizon: .minutes(2)) { $0.spec.redisPersistence = .none }
        let noneRuns = Self.sweep(none, 0..<300)
        let lost = noneRuns.filter { !$0.held(ClusterProperties.workersSurvive) }
        #expect(!lost.isEmpty)
        // Ray 2.60's GCS exits 3.5 s after losing Redis, so a Redis restart alone restarts the head.
        for r in lost { #expect(r.faultsInjected.contains("redis-restart"), "seed \(r.seed!)") }
        #expect(lost.contains { $0.faultsInjected == ["redis-restart"] }, "a Redis restart alone loses the cluster")
        let aof = makeModel(faults: [.redisRestart, .gcsProcessKill], maxFaults: 2, horizon: .minutes(2)) { $0.spec.redisPersistence = .appendOnly }
        for r in Self.sweep(aof, 0..<300) { #expect(r.held(ClusterProperties.workersSurvive), "seed \(r.seed!)") }
    }

    @Test("data loss in Redis followed by a head restart kills the workers")
    func dataLoss() {
        let model = makeModel(faults: [.redisDataLoss, .headPodDelete], maxFaults: 2, horizon: .minutes(2))
        let lost = Self.sweep(model, 0..<200).filter { !$0.held(ClusterProperties.workersSurvive) }
        #expect(!lost.isEmpty)
        for r in lost { #expect(Set(r.faultsInjected) == ["redis-data-loss", "head-pod-delete"], "seed \(r.seed!)") }
    }
}

/// Model files under models/, found from this source file's location.
enum ModelFiles {
    static var directory: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("models").path
    }

    static func load(_ name: String) throws -> ModelDefinition {
        try ModelDefinition.load(path: directory + "/" + name)
    }
}

import Foundation

/// Long sweeps: many more seeds, run in a separate job (`swift test --filter LongSweeps`).
@Suite("Long seed sweeps (separate job)")
struct LongSweeps {
    @Test("the KubeRay sample and the API-server example survive one head-side fault for 20,000 seeds each",
          arguments: ["kuberay-sample.json", "apiserver-ha.json"])
    func survive(file: String) throws {
        let sim = Simulator(model: ClusterModel(try ModelFiles.load(file)))
        for seed: UInt64 in 0..<20_000 {
            let r = sim.runQuietly(seed: seed)
            if !r.allHeld { Issue.record("\(file) seed \(seed) violated \(r.verdicts.filter { !$0.held }.map(\.id))") }
        }
    }

    @Test("three workers, two faults of any head-side kind: the sample still holds for 5,000 seeds")
    func twoFaultsThreeWorkers() {
        let model = makeModel(faults: FaultKind.headSide, maxFaults: 2, horizon: .minutes(10)) { $0.spec.workers = 3 }
        let sim = Simulator(model: model)
        for seed: UInt64 in 0..<5_000 {
            let r = sim.runQuietly(seed: seed)
            if !r.allHeld { Issue.record("seed \(seed) violated \(r.verdicts.filter { !$0.held }.map(\.id))") }
        }
    }
}
