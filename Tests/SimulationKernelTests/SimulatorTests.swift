import Testing
@testable import SimulationKernel

/// A toy model: a counter that ticks every second by 1 or 2 (a choice) and must stay below a limit.
struct TickCounter: SimulationModel {
    struct State: Hashable, Codable, Sendable, StableHashable {
        var value: Int
        var agenda: Agenda<String>
        func stableHash(into h: inout StableHasher) {
            h.combine(value)
            h.combine(agenda.count)
        }
    }
    struct Event: TraceEvent {
        let value: Int
        var component: String { "counter" }
        var name: String { "ticked" }
        var detail: String { "value \(value)" }
        var attributes: [(key: String, value: String)] { [("value", String(value))] }
    }
    let limit: Int
    let ticks: Int

    var initialState: State {
        var a = Agenda<String>()
        a.schedule("tick", after: .seconds(1))
        return State(value: 0, agenda: a)
    }

    var properties: [Property<State>] {
        let limit = self.limit
        return [Property(id: "below-limit", summary: "value stays below \(limit)", holds: { $0.value < limit })]
    }

    func step(_ state: inout State, choices: inout some ChoiceSource, events: inout some EventSink<Event>) -> SimDuration? {
        guard state.value < ticks * 2, let (elapsed, _) = state.agenda.takeNext(choices: &choices) else { return nil }
        state.value += 1 + choices.choose(2)
        events.record(Event(value: state.value))
        state.agenda.schedule("tick", after: .seconds(1))
        return elapsed
    }
}

@Suite("Simulator run loop")
struct SimulatorTests {
    @Test("the same seed gives the same timeline, choices and digest")
    func sameSeedSameRun() {
        let sim = Simulator(model: TickCounter(limit: 100, ticks: 20))
        let a = sim.run(seed: 5), b = sim.run(seed: 5)
        #expect(a.timelineJSONLines == b.timelineJSONLines)
        #expect(a.choices == b.choices)
        #expect(a.digest == b.digest)
        let c = sim.run(seed: 6)
        #expect(a.digest != c.digest, "different seeds should explore different runs")
    }

    @Test("virtual time is the sum of the steps' elapsed times")
    func virtualTime() {
        let r = Simulator(model: TickCounter(limit: 100, ticks: 3)).run(seed: 1)
        #expect(r.timeline.map(\.at) == (1...r.steps).map { SimDuration.seconds(Int64($0)) })
        #expect(r.end == .quiescent)
    }

    @Test("a violated property is reported with the time and step it first failed")
    func violation() {
        let r = Simulator(model: TickCounter(limit: 3, ticks: 10)).run(seed: 1)
        let v = r.verdict("below-limit")!
        #expect(!v.held)
        let firstBad = r.timeline.first { $0.event.value >= 3 }!
        #expect(v.violatedAtStep == firstBad.step)
        #expect(v.violatedAt == firstBad.at)
    }

    @Test("a run stops at its step limit and says so")
    func stepLimit() {
        let r = Simulator(model: TickCounter(limit: 1000, ticks: 1000), limits: RunLimits(maxSteps: 7)).run(seed: 1)
        #expect(r.steps == 7)
        #expect(r.end == .stepLimit)
    }

    @Test("replaying a run's choices reproduces it exactly")
    func replay() {
        let sim = Simulator(model: TickCounter(limit: 100, ticks: 15))
        let original = sim.run(seed: 77)
        let again = sim.replay(original.choices.map(\.index))
        #expect(again.timelineJSONLines == original.timelineJSONLines)
        #expect(again.finalState == original.finalState)
    }

    @Test("runQuietly gives the same verdicts and final world without a timeline")
    func quiet() {
        let sim = Simulator(model: TickCounter(limit: 12, ticks: 10))
        let loud = sim.run(seed: 3), quiet = sim.runQuietly(seed: 3)
        #expect(quiet.timeline.isEmpty)
        #expect(quiet.verdicts == loud.verdicts)
        #expect(quiet.finalState == loud.finalState)
    }
}
