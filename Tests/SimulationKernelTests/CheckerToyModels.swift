import SimulationKernel

/// A step's report in the toy models: nothing a checker test reads.
struct ToyEvent: TraceEvent {
    var component: String { "toy" }
    var name: String { "stepped" }
    var detail: String { "a toy model stepped" }
    var attributes: [(key: String, value: String)] { [] }
}

/// A counter that goes up by 1 or 2 until it reaches 6; it must stay below 3.
///
/// Shortest violations have two steps: 0→1→3 (choices 0 then 1) is first in BFS order, 0→2→3
/// and 0→2→4 come later. Reachable: 0...7 (8 states, 12 transitions, deepest level 4).
struct CounterModel: SimulationModel {
    typealias Event = ToyEvent

    struct State: Hashable, Codable, Sendable, StableHashable {
        var value: Int
        func stableHash(into hasher: inout StableHasher) { hasher.combine(value) }
    }

    var initialState: State { State(value: 0) }

    var properties: [Property<State>] {
        [Property(id: "belowThree", summary: "the counter stays below 3") { $0.value < 3 }]
    }

    func step(_ state: inout State, choices: inout some ChoiceSource, events: inout some EventSink<ToyEvent>) -> SimDuration? {
        guard state.value < 6 else { return nil }
        state.value += choices.choose(2) + 1
        events.record(ToyEvent())
        return .ms(1)
    }
}

/// Two dials 0..<4; a step picks a dial, then adds 1 or 2 (mod 4): two choices per step.
///
/// 16 states; with `symmetric`, the dials are interchangeable and states are stored sorted
/// (10 classes). The property fails when one dial shows 3 and the other 1: at least four steps.
struct DialsModel: SimulationModel {
    typealias Event = ToyEvent

    struct State: Hashable, Codable, Sendable, StableHashable {
        var a: Int
        var b: Int
        func stableHash(into hasher: inout StableHasher) {
            hasher.combine(a)
            hasher.combine(b)
        }
    }

    var symmetric = false

    var initialState: State { State(a: 0, b: 0) }

    var properties: [Property<State>] {
        [Property(id: "notThreeAndOne", summary: "never one dial at 3 and the other at 1") {
            !(($0.a == 3 && $0.b == 1) || ($0.a == 1 && $0.b == 3))
        }]
    }

    func step(_ state: inout State, choices: inout some ChoiceSource, events: inout some EventSink<ToyEvent>) -> SimDuration? {
        let dial = choices.choose(2)
        let amount = choices.choose(2) + 1
        if dial == 0 { state.a = (state.a + amount) % 4 } else { state.b = (state.b + amount) % 4 }
        events.record(ToyEvent())
        return .ms(1)
    }

    func canonicalize(_ state: inout State) {
        if symmetric && state.a > state.b { swap(&state.a, &state.b) }
    }
}
