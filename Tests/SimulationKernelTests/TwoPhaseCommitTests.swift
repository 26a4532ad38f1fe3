import SimulationKernel
import Testing
import TwoPhaseCommit

/// TwoPhase with one more property that fails: "no RM ever commits". Its shortest counterexample
/// for n RMs has 2n + 2 steps (n prepares, n receipts by the TM, commit, one RM commits).
private struct CommitIsReachable: SimulationModel {
    let base: TwoPhaseCommit.Model
    typealias State = TwoPhaseCommit.Model.State
    typealias Event = TwoPhaseCommit.Model.Event

    var initialState: State { base.initialState }

    var properties: [Property<State>] {
        let base = self.base
        return base.properties + [Property(id: "nobodyCommits", summary: "no resource manager commits") { state in
            (0..<base.resourceManagers).allSatisfy { base.rm($0, in: state) != .committed }
        }]
    }

    func step(_ state: inout State, choices: inout some ChoiceSource,
              events: inout some EventSink<TwoPhaseCommit.Model.Event>) -> SimDuration? {
        base.step(&state, choices: &choices, events: &events)
    }

    func canonicalize(_ state: inout State) { base.canonicalize(&state) }

    func forEachSuccessor(of state: State, _ body: (State) -> Bool) { base.forEachSuccessor(of: state, body) }
}

private func check<M: SimulationModel>(_ model: M, threads: Int = 1, visited: VisitedStore = .fingerprints) -> CheckReport {
    Explorer(model: model, options: CheckOptions(threads: threads, visited: visited)).check()
}

/// Every state reachable in `model`, in BFS order.
private func reachable(_ model: TwoPhaseCommit.Model) -> [TwoPhaseCommit.Model.State] {
    var states: [TwoPhaseCommit.Model.State] = []
    _ = Explorer(model: model).check { state, _ in states.append(state) }
    return states
}

@Suite("TwoPhase commit")
struct TwoPhaseCommitTests {
    @Test("3 resource managers have the published 288 distinct states, all consistent")
    func threeRMs() {
        let report = check(TwoPhaseCommit.Model(resourceManagers: 3))
        #expect(report.distinctStates == 288)
        #expect(report.transitions == 1145)
        #expect(report.maxDepth == 10)
        #expect(report.verdict == .holds)
        #expect(report.property("consistency")?.verdict == .holds)
    }

    @Test("5 resource managers have the published 8,832 distinct states, all consistent")
    func fiveRMs() {
        let report = check(TwoPhaseCommit.Model(resourceManagers: 5))
        #expect(report.distinctStates == 8_832)
        #expect(report.transitions == 58_145)
        #expect(report.verdict == .holds)
    }

    @Test("the fast successor loop yields the step's successors on every reachable state", arguments: [false, true])
    func fastSuccessorsMatchStep(symmetry: Bool) {
        let model = TwoPhaseCommit.Model(resourceManagers: 3, symmetry: symmetry)
        for state in reachable(model) {
            var fast: [UInt64] = []
            model.forEachSuccessor(of: state) { fast.append($0.word); return true }
            var generic: [UInt64] = []
            model.forEachStep(of: state) { next, _ in
                var canonical = next
                model.canonicalize(&canonical)
                generic.append(canonical.word)
                return true
            }
            #expect(fast.sorted() == generic.sorted(), "successors of \(state.word)")
            #expect(Set(fast) == Set(generic))
        }
    }

    @Test("symmetry reduction leaves one state per permutation class: 80 for 3 RMs, 314 for 5")
    func symmetryCounts() {
        #expect(check(TwoPhaseCommit.Model(resourceManagers: 3, symmetry: true)).distinctStates == 80)
        #expect(check(TwoPhaseCommit.Model(resourceManagers: 5, symmetry: true)).distinctStates == 314)
    }

    @Test("exact states and fingerprints agree on 5 RMs")
    func exactAgrees() {
        let exact = check(TwoPhaseCommit.Model(resourceManagers: 5), visited: .exactStates)
        let fingerprints = check(TwoPhaseCommit.Model(resourceManagers: 5))
        #expect(exact.distinctStates == fingerprints.distinctStates)
        #expect(exact.transitions == fingerprints.transitions)
        #expect(exact.maxDepth == fingerprints.maxDepth)
    }

    @Test("two threads give the same counts as one on 6 RMs")
    func threadsAgree() {
        let one = check(TwoPhaseCommit.Model(resourceManagers: 6))
        let two = check(TwoPhaseCommit.Model(resourceManagers: 6), threads: 2)
        #expect(two.threads == 2)
        #expect(one.distinctStates == two.distinctStates)
        #expect(one.transitions == two.transitions)
        #expect(one.maxDepth == two.maxDepth)
        #expect(one.verdict == .holds && two.verdict == .holds)
    }

    @Test("a reachable commit is found at depth 2n+2 with the same counterexample on any threads",
          arguments: [false, true])
    func commitCounterexample(symmetry: Bool) throws {
        let model = CommitIsReachable(base: TwoPhaseCommit.Model(resourceManagers: 5, symmetry: symmetry))
        let one = check(model)
        let two = check(model, threads: 2)
        let exact = check(model, visited: .exactStates)
        let cx = try #require(one.property("nobodyCommits")?.counterexample)
        #expect(cx.depth == 12)
        #expect(two.property("nobodyCommits") == one.property("nobodyCommits"))
        #expect(exact.property("nobodyCommits") == one.property("nobodyCommits"))
        #expect(one.distinctStates == two.distinctStates)
        #expect(one.transitions == two.transitions)
        #expect(one.property("consistency")?.verdict == .incomplete)
        let run = Simulator(model: model).replay(cx.script)
        #expect(run.verdict("nobodyCommits")?.violatedAtStep == 12)
        #expect(run.verdict("consistency")?.held == true)
        var final = run.finalState
        model.canonicalize(&final)
        #expect(final.fingerprint == cx.violatingFingerprint)
    }

    @Test("the benchmark entry checks the model it names")
    func benchEntry() {
        let report = benchTwoPhase(rms: 4, threads: 2)
        #expect(report.verdict == .holds)
        #expect(report.threads == 2)
        #expect(report.distinctStates == check(TwoPhaseCommit.Model(resourceManagers: 4)).distinctStates)
    }
}
