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
