import Testing
@testable import SimulationKernel

/// A timer of ``TimersModel``.
struct Timer: Hashable, Codable, Sendable, StableHashable {
    var id: Int
    func stableHash(into hasher: inout StableHasher) { hasher.combine(id) }
}

/// A random small timed model: timers with windows in whole milliseconds, each of which, when it
/// fires, moves a dial and may re-arm or cancel other timers; a fault budget's horizon too.
///
/// Every window is closed and every constant whole, so on a 1 ms grid the reachable discrete
/// worlds are exactly those of real-valued time (digitization of closed timed automata): the
/// zone checker must find exactly the grid checker's, no more and no fewer.
struct TimersModel: SimulationModel {
    typealias Event = ToyEvent

    struct Spec: Sendable {
        var window: (Int64, Int64)
        var dial: Int
        var delta: Int
        var branches: Bool
        var arms: [Int]
        var cancels: [Int]
        var plansFault: Bool
    }

    struct State: Hashable, Codable, Sendable, StableHashable, ZoneTimedState {
        var dials: [Int]
        var steps: Int
        var agenda: Agenda<Timer>
        func stableHash(into hasher: inout StableHasher) {
            for d in dials { hasher.combine(d) }
            hasher.combine(steps)
            agenda.stableHash(into: &hasher)
        }
    }

    let specs: [Spec]
    let cap: Int
    let symbolic: Bool
    static let fault = Timer(id: 100), horizon = Timer(id: 101)

    /// The model of `seed`: 3 or 4 timers, windows within 0...4 ms.
    init(seed: UInt64, symbolic: Bool) {
        var g = SplitMix64(seed: seed)
        let n = 3 + g.next(below: 2)
        specs = (0..<n).map { _ in
            let lo = Int64(g.next(below: 4))
            return Spec(
                window: (lo, lo + Int64(g.next(below: 3))), dial: g.next(below: 2),
                delta: 1 + g.next(below: 2), branches: g.next(below: 3) == 0,
                arms: (0..<n).filter { _ in g.next(below: 3) == 0 },
                cancels: (0..<n).filter { _ in g.next(below: 4) == 0 },
                plansFault: g.next(below: 4) == 0)
        }
        cap = 5
        self.symbolic = symbolic
    }

    var initialState: State {
        var agenda = symbolic ? Agenda<Timer>.symbolic() : Agenda<Timer>()
        agenda.schedule(Timer(id: 0), after: .ms(specs[0].window.0))
        agenda.schedule(Timer(id: 1), after: .ms(specs[1].window.1))
        agenda.schedule(Self.horizon, after: .ms(6))
        return State(dials: [0, 0], steps: 0, agenda: agenda)
    }

    var properties: [Property<State>] {
        [Property(id: "notBothTwo", summary: "the dials never both show 2") {
            !($0.dials[0] == 2 && $0.dials[1] == 2)
        }]
    }

    func step(_ s: inout State, choices: inout some ChoiceSource,
              events: inout some EventSink<ToyEvent>) -> SimDuration? {
        guard let (elapsed, timer) = s.agenda.takeNext(choices: &choices) else { return nil }
        s.steps += 1
        if timer == Self.fault {
            s.dials[1] = (s.dials[1] + 2) % 3
        } else if timer != Self.horizon {
            let spec = specs[timer.id]
            let extra = spec.branches ? choices.choose(2) : 0
            s.dials[spec.dial] = (s.dials[spec.dial] + spec.delta + extra) % 3
            if s.steps < cap {
                for c in spec.cancels { s.agenda.cancel(Timer(id: c)) }
                for a in spec.arms where !s.agenda.contains(Timer(id: a)) {
                    let w = specs[a].window
                    s.agenda.schedule(Timer(id: a), in: DurationRange(.ms(w.0), .ms(w.1)),
                                      granularity: .ms(1), choices: &choices)
                }
                if spec.plansFault && !s.agenda.contains(Self.fault) {
                    _ = FaultHorizon.planNext(&s.agenda, fault: Self.fault, horizonEnds: Self.horizon,
                                              granularity: .ms(1), choices: &choices)
                }
            }
        }
        s.agenda.finishSymbolicStep()
        events.record(ToyEvent())
        return elapsed
    }

    /// A world without its timing: the dials, the step count and the pending timers.
    static func discrete(_ s: State) -> [Int] {
        s.dials + [s.steps] + s.agenda.entries.map(\.kind.id).sorted()
    }
}

@Suite("Zone checker")
struct ZoneCheckerTests {
    @Test("on random closed models the zone checker reaches exactly the 1 ms grid's worlds",
          arguments: 1...40)
    func zonesEqualGridOnRandomModels(seed: Int) {
        let grid = TimersModel(seed: UInt64(seed), symbolic: false)
        let zones = TimersModel(seed: UInt64(seed), symbolic: true)
        var gridWorlds = Set<[Int]>(), zoneWorlds = Set<[Int]>()
        let g = Explorer(model: grid, options: CheckOptions(stopAtFirstViolation: false))
            .check { s, _ in gridWorlds.insert(TimersModel.discrete(s)) }
        let z = ZoneExplorer(model: zones, options: CheckOptions(stopAtFirstViolation: false))
            .check { s, _ in zoneWorlds.insert(TimersModel.discrete(s)) }
        #expect(zoneWorlds == gridWorlds,
                "seed \(seed): zones only \(zoneWorlds.subtracting(gridWorlds).sorted { $0.lexicographicallyPrecedes($1) }.prefix(3)), grid only \(gridWorlds.subtracting(zoneWorlds).sorted { $0.lexicographicallyPrecedes($1) }.prefix(3))")
        #expect(z.report.properties[0].verdict == g.properties[0].verdict, "seed \(seed)")
        #expect(z.report.distinctStates <= g.distinctStates, "seed \(seed): zones never store more")
    }

    @Test("every zone counterexample of a random model replays concretely to the violation",
          arguments: 1...40)
    func counterexamplesReplay(seed: Int) {
        let zones = TimersModel(seed: UInt64(seed), symbolic: true)
        let grid = TimersModel(seed: UInt64(seed), symbolic: false)
        let z = ZoneExplorer(model: zones).check()
        guard let cx = z.report.properties[0].counterexample, let path = z.paths[0] else { return }
        let outcome = ZoneConcretiser(symbolic: zones, concrete: grid)
            .concretise(path: path, steps: cx.steps, property: zones.properties[0])
        guard case .concrete(let steps, let times) = outcome else {
            Issue.record("seed \(seed): \(outcome)")
            return
        }
        let run = Simulator(model: grid).replay(steps: steps)
        #expect(run.mismatch == nil && run.run.steps == cx.depth, "seed \(seed)")
        #expect(!grid.properties[0].holds(run.run.finalState), "seed \(seed): replays the violation")
        #expect(run.run.endTime == times.last, "seed \(seed): at the planned times")
    }
}

/// The world of the two window models below: whether a window opened and closed, whether the
/// watched event came inside it, and the agenda.
struct WindowState: Hashable, Codable, Sendable, StableHashable, ZoneTimedState {
    var opened = false, closed = false, bad = false
    var agenda: Agenda<Timer>
    func stableHash(into hasher: inout StableHasher) {
        hasher.combine(opened)
        hasher.combine(closed)
        hasher.combine(bad)
        agenda.stableHash(into: &hasher)
    }
}

/// A model whose only violation needs a delay off a 1 s grid: timers A and B are armed at 0
/// anywhere in [0, 1 s]; when A fires it arms C at 200 ms and D at 800 ms; B firing after C and
/// before D (B − A within [200, 800] ms) is the violation. On a 1 s grid A and B are 0 or 1 s, so
/// B − A is 0 or ±1 s and the property holds; with zones it does not.
struct BandModel: SimulationModel {
    typealias Event = ToyEvent
    let granularity: SimDuration
    let symbolic: Bool
    static let a = Timer(id: 0), b = Timer(id: 1), c = Timer(id: 2), d = Timer(id: 3)

    typealias State = WindowState

    var initialState: State {
        var agenda = symbolic ? Agenda<Timer>.symbolic() : Agenda<Timer>()
        agenda.schedule(Timer(id: 5), after: .zero)  // the start, which arms A and B
        return State(agenda: agenda)
    }

    var properties: [Property<State>] {
        [Property(id: "noBand", summary: "B never fires between C and D") { !$0.bad }]
    }

    func step(_ s: inout State, choices: inout some ChoiceSource,
              events: inout some EventSink<ToyEvent>) -> SimDuration? {
        guard let (elapsed, timer) = s.agenda.takeNext(choices: &choices) else { return nil }
        switch timer.id {
        case 5:
            let window = DurationRange(.zero, .seconds(1))
            s.agenda.schedule(Self.a, in: window, granularity: granularity, choices: &choices)
            s.agenda.schedule(Self.b, in: window, granularity: granularity, choices: &choices)
        case 0:
            s.agenda.schedule(Self.c, after: .ms(200))
            s.agenda.schedule(Self.d, after: .ms(800))
        case 1:
            if s.opened && !s.closed { s.bad = true }
        case 2: s.opened = true
        case 3: s.closed = true
        default: break
        }
        s.agenda.finishSymbolicStep()
        events.record(ToyEvent())
        return elapsed
    }
}

/// A model whose zone violation cannot be made concrete: a connection check scheduled at one of
/// two ticks in phase with an exact deadline (ticks at 0 and 1 s only), and the violation is the
/// check coming between 1.2 s and 1.8 s. Zones cannot state the ticks' spacing, so they find the
/// violation; no concrete run has it.
struct RigidCheckModel: SimulationModel {
    typealias Event = ToyEvent
    let symbolic: Bool
    static let start = Timer(id: 0), deadline = Timer(id: 1), check = Timer(id: 2)
    static let early = Timer(id: 3), late = Timer(id: 4)

    typealias State = WindowState

    var initialState: State {
        var agenda = symbolic ? Agenda<Timer>.symbolic() : Agenda<Timer>()
        agenda.schedule(Self.start, after: .zero)
        return State(agenda: agenda)
    }

    var properties: [Property<State>] {
        [Property(id: "checkOnTick", summary: "the check never comes in (1.2 s, 1.8 s)") { !$0.bad }]
    }

    func step(_ s: inout State, choices: inout some ChoiceSource,
              events: inout some EventSink<ToyEvent>) -> SimDuration? {
        guard let (elapsed, timer) = s.agenda.takeNext(choices: &choices) else { return nil }
        switch timer {
        case Self.start:
            s.agenda.schedule(Self.deadline, after: .seconds(5))
            s.agenda.schedule(Self.early, after: .ms(1200))
            s.agenda.schedule(Self.late, after: .ms(1800))
            s.agenda.scheduleAtCheck(Self.check, checks: 2, every: .seconds(1),
                                     before: Self.deadline, choices: &choices)
        case Self.check:
            if s.opened && !s.closed { s.bad = true }
            s.agenda.cancel(Self.deadline)
        case Self.early: s.opened = true
        case Self.late: s.closed = true
        default: break
        }
        s.agenda.finishSymbolicStep()
        events.record(ToyEvent())
        return elapsed
    }
}

@Suite("Zone checker: off the grid, and what cannot be made concrete")
struct ZoneOffGridTests {
    @Test("a violation only off the 1 s grid: the grid holds, zones violate, the run replays it")
    func offGridViolation() throws {
        let grid = Explorer(model: BandModel(granularity: .seconds(1), symbolic: false)).check()
        #expect(grid.verdict == .holds)
        let zones = BandModel(granularity: .seconds(1), symbolic: true)
        let z = ZoneExplorer(model: zones).check()
        #expect(z.report.verdict == .violated)
        let concrete = BandModel(granularity: .ms(1), symbolic: false)
        let cx = try #require(z.report.properties[0].counterexample)
        let outcome = ZoneConcretiser(symbolic: zones, concrete: concrete)
            .concretise(path: try #require(z.paths[0]), steps: cx.steps,
                        property: zones.properties[0])
        guard case .concrete(let steps, let times) = outcome else {
            Issue.record("not concrete: \(outcome)")
            return
        }
        let run = Simulator(model: concrete).replay(steps: steps).run
        #expect(run.verdict("noBand")?.held == false, "the replay violates it")
        // B fired at a time off the 1 s grid, 200 to 800 ms after A.
        let offGrid = times.filter { $0.milliseconds % 1000 != 0 }
        #expect(!offGrid.isEmpty, "times \(times)")
    }

    @Test("a symbolic violation no concrete run has is unknown, with the reason")
    func notConcretisable() throws {
        let grid = Explorer(model: RigidCheckModel(symbolic: false)).check()
        #expect(grid.verdict == .holds, "ticks at 0 and 1 s only")
        let zones = RigidCheckModel(symbolic: true)
        let z = ZoneExplorer(model: zones).check()
        #expect(z.report.verdict == .violated, "zones cannot state the ticks' spacing")
        let cx = try #require(z.report.properties[0].counterexample)
        let outcome = ZoneConcretiser(symbolic: zones, concrete: RigidCheckModel(symbolic: false))
            .concretise(path: try #require(z.paths[0]), steps: cx.steps,
                        property: zones.properties[0])
        guard case .unknown(let reason) = outcome else {
            Issue.record("made concrete: \(outcome)")
            return
        }
        #expect(reason.contains("no alternative"), "\(reason)")
    }
}
