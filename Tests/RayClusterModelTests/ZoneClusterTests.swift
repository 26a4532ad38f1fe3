import Testing
import SimulationKernel
@testable import RayClusterModel

/// The zone checker on the Ray model, against the grid checker: every world the grid reaches,
/// zones reach too (they cover every real-valued timing, the grid only its points); verdicts
/// agree wherever the grid finishes; and every zone counterexample replays concretely.
@Suite("Zones against the grid on the Ray model")
struct ZoneClusterTests {
    /// A world without its timing: pending events as a set, recovery as none/zero/positive.
    /// Pending connection checks (reconnects) are left out: they are how each engine places a
    /// check relative to its deadline (the grid leaves a check after the deadline unscheduled and
    /// lets a deadline yield to a check at its own instant; zones schedule the check and cancel
    /// it when the deadline comes first), and the client's phase says the rest.
    static func discrete(_ s: ClusterState) -> UInt64 {
        var c = s
        c.agenda = Agenda()
        let checks: Set<Happening.Kind> = [.rayletReconnects, .actorReconnects, .headAgentReconnects]
        let kept = s.agenda.entries.map(\.kind).filter { !checks.contains($0.kind) }
        for kind in kept.sorted(by: { $0.sortKey < $1.sortKey }) {
            c.agenda.schedule(kind, after: .zero)
        }
        c.monitor.recoveredAfter = s.monitor.recoveredAfter.map { $0 == .zero ? .zero : .ms(1) }
        return c.fingerprint
    }

    /// The grid's worlds (the agent drawn eagerly, as in zones; no symmetry) and the zones'.
    static func worlds(_ d: ModelDefinition) -> (grid: Set<UInt64>, zones: Set<UInt64>) {
        var grid = Set<UInt64>(), zones = Set<UInt64>()
        let options = CheckOptions(stopAtFirstViolation: false)
        _ = Explorer(model: ClusterModel(d, symmetry: false), options: options)
            .check { s, _ in grid.insert(discrete(s)) }
        _ = ZoneExplorer(model: ClusterModel.symbolic(d), options: options)
            .check { s, _ in zones.insert(discrete(s)) }
        return (grid, zones)
    }

    static func zoneCheck(_ d: ModelDefinition, stop: Bool = false) -> ClusterCheckResult {
        ClusterCheck(d, options: CheckOptions(stopAtFirstViolation: stop), time: .zones).run()
    }

    static func gridCheck(_ d: ModelDefinition, granularity: SimDuration? = nil) -> ClusterCheckResult {
        ClusterCheck(d, granularity: granularity, options: CheckOptions(stopAtFirstViolation: false))
            .run()
    }

    /// Each concrete counterexample of a zone check replays to its violation.
    static func expectReplays(_ r: ClusterCheckResult, _ what: String) {
        for p in r.report.properties where p.verdict == .violated {
            let replay = r.counterexamples.first { $0.property == p.id }
            #expect(replay?.violates == true, "\(what): \(p.id)'s concrete counterexample")
        }
        #expect(!r.report.properties.contains { $0.verdict == .unknown }, "\(what): no unknown")
    }

    @Test("on random small models zones reach every grid world and never hold what it violates",
          arguments: 0..<8)
    func randomModels(index: Int) {
        Self.expectRandomModelAgrees(index)
    }

    static func expectRandomModelAgrees(_ index: Int) {
        let d = ReductionDifferential.randomModel(seed: 0x2053, index: index, maxWorkers: 2)
        let (grid, zones) = Self.worlds(d)
        #expect(grid.isSubset(of: zones),
                "\(d.name): \(grid.subtracting(zones).count) grid worlds the zones miss")
        let z = Self.zoneCheck(d), g = Self.gridCheck(d)
        for (zp, gp) in zip(z.report.properties, g.report.properties) {
            if gp.verdict == .violated { #expect(zp.verdict == .violated, "\(d.name): \(zp.id)") }
            if zp.verdict == .holds { #expect(gp.verdict == .holds, "\(d.name): \(zp.id)") }
        }
        Self.expectReplays(z, d.name)
    }

    @Test("the default model and its one-fault variants: grid worlds are zone worlds",
          arguments: [[FaultKind.gcsProcessKill, .headPodDelete], [.redisRestart], [.workerPodDelete],
                      [.headContainerCrash, .redisDataLoss]])
    func defaultModelWorlds(kinds: [FaultKind]) {
        var d = EmbeddedModels.kuberaySample
        d.faults = FaultBudget(kinds: kinds, maxFaults: 1, horizon: .minutes(1))
        d.timing.granularity = .seconds(5)
        let (grid, zones) = Self.worlds(d)
        #expect(grid.isSubset(of: zones), "\(kinds): \(grid.subtracting(zones).count) missed")
    }

    @Test("two faults, Redis among them: grid worlds are zone worlds",
          arguments: [[FaultKind.gcsProcessKill, .redisRestart], [.headPodDelete, .headContainerCrash]])
    func twoFaultWorlds(kinds: [FaultKind]) {
        Self.expectTwoFaultWorlds(kinds, workers: 1, grid: .seconds(30))
    }

    static func expectTwoFaultWorlds(_ kinds: [FaultKind], workers: Int, grid step: SimDuration) {
        var d = EmbeddedModels.kuberaySample
        d.spec.workers = workers
        d.faults = FaultBudget(kinds: kinds, maxFaults: 2, horizon: .seconds(30))
        d.timing.granularity = step
        let (grid, zones) = Self.worlds(d)
        #expect(grid.isSubset(of: zones), "\(kinds): \(grid.subtracting(zones).count) missed")
        #expect(zones.count > 1 && grid.count > 1)
    }

    /// Every model file and scenario: the zone verdict of each property equals the grid's at the
    /// file's check granularity (the two Redis files at the coarser bounds their documentation
    /// uses, where the grid finishes), and the counts of the small ones are pinned.
    static let files: [(file: String, zoneStates: Int?)] = [
        ("kuberay-sample.json", 50), ("apiserver-ha.json", 50), ("no-ft.json", 185),
        ("ft-equal-timeouts.json", 164), ("redis-no-persistence.json", nil),
        ("redis-persistent-volume.json", nil),
        ("scenarios/issue-example-flush-other-namespace.json", 45),
        ("scenarios/kuberay-e2e-gcs-ft.json", 31),
        ("scenarios/kuberay-rayservice-ha-head-timeout-20s.json", 24),
        ("scenarios/ray-gcs-restart-actor-survives.json", 25),
        ("scenarios/ray-raylet-fate-sharing-without-redis.json", 44),
        ("scenarios/ray-raylet-survives-with-redis.json", 23),
        ("scenarios/ray-redis-failover-recovers.json", 28),
        ("scenarios/ray-redis-flushed-raylet-exits.json", 45),
        ("scenarios/real-ray-data-loss-unregistered-until-self-check.json", 45),
        ("scenarios/real-ray-restart-after-deadline.json", 13),
        ("scenarios/real-ray-restart-at-deadline.json", 93),
        ("scenarios/real-ray-restart-before-deadline.json", 23),
        ("scenarios/real-ray-restart-half-second-after-deadline.json", 93),
        ("scenarios/real-ray-agent-double-outage.json", nil),
        ("scenarios/real-ray-agent-double-outage-10s.json", nil),
        ("scenarios/real-ray-agent-double-outage-long-second-10s.json", nil),
        ("scenarios/real-ray-agent-single-outage-10s.json", nil),
        ("scenarios/real-ray-agent-single-outage-past-deadline-10s.json", nil),
    ]

    /// The model files whose grid, searched to its end for every property, takes the longest
    /// (up to 167,047 states on `no-ft.json`): checked in LongSweeps.
    static let longFiles: Set<String> = [
        "apiserver-ha.json", "no-ft.json", "ft-equal-timeouts.json", "redis-no-persistence.json",
        "redis-persistent-volume.json",
    ]

    @Test("every scenario and the default model: zones and grid give the same verdicts",
          arguments: files.map(\.file).filter { !longFiles.contains($0) })
    func filesAgree(file: String) throws {
        try Self.expectFileAgrees(file)
    }

    static func expectFileAgrees(_ file: String) throws {
        var d = file.hasPrefix("scenarios/")
            ? try Scenario.load(path: ModelFiles.directory + "/" + file).definition
            : try ModelFiles.load(file)
        var granularity = d.checkGranularity
        if file.hasPrefix("redis-") {
            granularity = .seconds(10)
            d.faults.horizon = .minutes(1)
        }
        let z = Self.zoneCheck(d), g = Self.gridCheck(d, granularity: granularity)
        #expect(g.report.stopReason == .exhausted, "\(file): the grid finishes")
        #expect(z.report.properties.map(\.verdict) == g.report.properties.map(\.verdict), "\(file)")
        if let pinned = Self.files.first(where: { $0.file == file })?.zoneStates {
            #expect(z.report.distinctStates == pinned, "\(file): symbolic states")
        }
        Self.expectReplays(z, file)
    }
}

/// The long version, for the separate job (`swift test --filter LongSweeps`): two workers, and the
/// model files whose grid takes longest.
@Suite("Zones against the grid, two faults and two workers (LongSweeps)")
struct ZoneClusterLongSweeps {
    @Test("more random small models: zones reach every grid world, never hold what it violates",
          arguments: 8..<40)
    func moreRandomModels(index: Int) {
        ZoneClusterTests.expectRandomModelAgrees(index)
    }

    @Test("the other model files: zones and grid give the same verdicts",
          arguments: ZoneClusterTests.longFiles.sorted())
    func longFilesAgree(file: String) throws {
        try ZoneClusterTests.expectFileAgrees(file)
    }

    @Test("two faults and two workers: grid worlds are zone worlds",
          arguments: [[FaultKind.gcsProcessKill, .redisRestart], [.headPodDelete, .workerPodDelete]])
    func twoFaultsTwoWorkers(kinds: [FaultKind]) {
        ZoneClusterTests.expectTwoFaultWorlds(kinds, workers: 2, grid: .seconds(20))
    }
}
