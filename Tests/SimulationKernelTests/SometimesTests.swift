import Testing
import SimulationKernel

/// The counter of ``CounterModel`` with "sometimes" properties: 5 is reachable (shortest in three
/// steps, 0→1→3→5 is first in BFS order), 8 never is (the counter stops at 6 or 7).
struct SometimesCounter: SimulationModel {
    typealias Event = ToyEvent
    typealias State = CounterModel.State
    var base = CounterModel()
    var initialState: State { base.initialState }
    var properties: [Property<State>] { base.properties }
    var sometimes: [Property<State>] {
        [Property(id: "reachesFive", summary: "the counter shows 5") { $0.value == 5 },
         Property(id: "reachesEight", summary: "the counter shows 8") { $0.value == 8 }]
    }
    func step(_ state: inout State, choices: inout some ChoiceSource,
              events: inout some EventSink<ToyEvent>) -> SimDuration? {
        base.step(&state, choices: &choices, events: &events)
    }
}

@Suite("Sometimes properties: a shortest example, or unreached after a whole search")
struct SometimesTests {
    @Test("a reachable example comes with a shortest path; an unreachable one is unreached",
          arguments: [1, 2])
    func reachedAndUnreached(threads: Int) throws {
        let options = CheckOptions(threads: threads, stopAtFirstViolation: false)
        let report = Explorer(model: SometimesCounter(), options: options).check()
        #expect(report.sometimes.map(\.id) == ["reachesFive", "reachesEight"])
        #expect(report.sometimes.map(\.verdict) == [.reached, .unreached])
        #expect(report.unreached.map(\.id) == ["reachesEight"])
        let example = try #require(report.sometimes[0].example)
        #expect(example.depth == 3)
        let run = Simulator(model: SometimesCounter()).replay(steps: example.steps).run
        #expect(run.finalState.value == 5)
        // The "always" property is still judged as before.
        #expect(report.property("belowThree")?.verdict == .violated)
        #expect(report.distinctStates == 8)
    }

    @Test("an example never stops the search, and a stopped search leaves the rest undecided")
    func examplesDoNotStop() {
        // Stopping at the first violation (of belowThree, at depth 2): reachesFive is not yet
        // found, and reachesEight cannot be called unreached.
        let stopped = Explorer(model: SometimesCounter()).check()
        #expect(stopped.stopReason == .violation)
        #expect(stopped.sometimes.map(\.verdict) == [.incomplete, .incomplete])
        let limited = Explorer(model: SometimesCounter(), options: CheckOptions(
            limits: CheckLimits(maxStates: 2), stopAtFirstViolation: false)).check()
        #expect(limited.sometimes.allSatisfy { $0.verdict != .unreached })
    }

    @Test("a model without sometimes properties reports none")
    func noneByDefault() {
        #expect(Explorer(model: CounterModel()).check().sometimes.isEmpty)
    }
}
