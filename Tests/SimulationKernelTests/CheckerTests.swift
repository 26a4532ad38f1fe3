import SimulationKernel
import Testing

/// The parts of a report that must not depend on threads, timing or the visited store.
private struct Findings: Equatable {
    var verdict: CheckReport.Verdict
    var stopReason: CheckReport.StopReason
    var distinctStates: Int
    var transitions: Int
    var maxDepth: Int
    var properties: [PropertyResult]

    init(_ r: CheckReport) {
        verdict = r.verdict
        stopReason = r.stopReason
        distinctStates = r.distinctStates
        transitions = r.transitions
        maxDepth = r.maxDepth
        properties = r.properties
    }
}

private func check<M: SimulationModel>(_ model: M, threads: Int = 1, visited: VisitedStore = .fingerprints,
                                       limits: CheckLimits = CheckLimits(), stopAtFirstViolation: Bool = true) -> CheckReport {
    Explorer(model: model, options: CheckOptions(limits: limits, threads: threads, visited: visited,
                                                 stopAtFirstViolation: stopAtFirstViolation)).check()
}

@Suite("Explorer")
struct CheckerTests {
    @Test("the counter's shortest violation is the first two-step path in BFS order, and it replays")
    func counterCounterexample() throws {
        let report = check(CounterModel())
        #expect(report.verdict == .violated)
        #expect(report.stopReason == .violation)
        let cx = try #require(report.property("belowThree")?.counterexample)
        #expect(cx.steps == [[0], [1]])
        #expect(cx.script == [0, 1])
        let run = Simulator(model: CounterModel()).replay(cx.script)
        #expect(run.steps >= 2)
        var state = CounterModel().initialState
        for (i, choice) in cx.script.enumerated() {
            #expect(run.choices[i].index == choice)
            state.value += choice + 1
        }
        #expect(state.value == 3)
        #expect(cx.violatingFingerprint == state.fingerprint)
        #expect(run.verdict("belowThree")?.violatedAtStep == 2)
    }

    @Test("a search that does not stop at the violation visits every counter value")
    func counterFullSpace() {
        let report = check(CounterModel(), stopAtFirstViolation: false)
        #expect(report.distinctStates == 8)
        #expect(report.transitions == 12)
        #expect(report.maxDepth == 4)
        #expect(report.stopReason == .exhausted)
        #expect(report.verdict == .violated)
        #expect(report.property("belowThree")?.counterexample?.steps == [[0], [1]])
    }

    @Test("observe sees every distinct state once, in BFS order with its depth")
    func observeHook() {
        var seen: [(Int, Int)] = []
        let report = Explorer(model: CounterModel(), options: CheckOptions(stopAtFirstViolation: false))
            .check { state, depth in seen.append((state.value, depth)) }
        #expect(seen.map(\.0) == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(seen.map(\.1) == [0, 1, 1, 2, 2, 3, 3, 4])
        #expect(report.distinctStates == seen.count)
    }

    @Test("a step with two choices records both, and the counterexample replays to a violating state")
    func dialsCounterexample() throws {
        let report = check(DialsModel())
        let cx = try #require(report.property("notThreeAndOne")?.counterexample)
        #expect(cx.depth == 3)
        #expect(cx.steps.allSatisfy { $0.count == 2 })
        let run = Simulator(model: DialsModel()).replay(cx.script)
        #expect(run.verdict("notThreeAndOne")?.violatedAtStep == 3)
    }

    @Test("symmetry reduction stores one state per class and its counterexample still replays")
    func dialsSymmetry() throws {
        let full = check(DialsModel(), stopAtFirstViolation: false)
        let reduced = check(DialsModel(symmetric: true), stopAtFirstViolation: false)
        #expect(full.distinctStates == 16)
        #expect(reduced.distinctStates == 10)
        let cx = try #require(reduced.property("notThreeAndOne")?.counterexample)
        #expect(cx.depth == full.property("notThreeAndOne")?.counterexample?.depth)
        let run = Simulator(model: DialsModel(symmetric: true)).replay(cx.script)
        #expect(run.verdict("notThreeAndOne")?.violatedAtStep == cx.depth)
    }

    @Test("exact states and fingerprints find the same states and the same counterexamples")
    func exactAgreesWithFingerprints() {
        for model in [DialsModel(), DialsModel(symmetric: true)] {
            let exact = check(model, visited: .exactStates, stopAtFirstViolation: false)
            let fingerprints = check(model, stopAtFirstViolation: false)
            #expect(Findings(exact) == Findings(fingerprints))
            #expect(exact.collisionProbability == 0)
            #expect(fingerprints.collisionProbability > 0)
        }
        #expect(Findings(check(CounterModel(), visited: .exactStates)) == Findings(check(CounterModel())))
    }

    @Test("two threads report exactly what one thread reports on the toy models")
    func threadsAgreeOnToys() {
        #expect(Findings(check(CounterModel(), threads: 2)) == Findings(check(CounterModel())))
        #expect(Findings(check(DialsModel(symmetric: true), threads: 2, stopAtFirstViolation: false))
            == Findings(check(DialsModel(symmetric: true), stopAtFirstViolation: false)))
    }

    @Test("a state limit ends the check as incomplete", arguments: [1, 2])
    func stateLimit(threads: Int) {
        let report = check(DialsModel(), threads: threads, limits: CheckLimits(maxStates: 5), stopAtFirstViolation: false)
        #expect(report.verdict == .incomplete)
        #expect(report.stopReason == .stateLimit)
        #expect(report.distinctStates > 5)
        #expect(report.distinctStates < 16)
        #expect(report.property("notThreeAndOne")?.verdict != .holds)
    }

    @Test("a time limit of zero ends the check as incomplete", arguments: [1, 2])
    func timeLimit(threads: Int) {
        let report = check(DialsModel(), threads: threads, limits: CheckLimits(maxSeconds: 0), stopAtFirstViolation: false)
        #expect(report.verdict == .incomplete)
        #expect(report.stopReason == .timeLimit)
    }

    @Test("a memory limit below the visited set's size ends the check as incomplete", arguments: [1, 2])
    func memoryLimit(threads: Int) {
        let report = check(DialsModel(), threads: threads, limits: CheckLimits(maxMemoryBytes: 1000),
                           stopAtFirstViolation: false)
        #expect(report.verdict == .incomplete)
        #expect(report.stopReason == .memoryLimit)
        #expect(report.peakMemoryBytes > 1000)
    }

    @Test("a model's default successors are its step's choice vectors, canonicalized")
    func defaultSuccessors() {
        var successors: [DialsModel.State] = []
        DialsModel(symmetric: true).forEachSuccessor(of: DialsModel.State(a: 0, b: 3)) { successors.append($0); return true }
        // dial a +1, a +2, dial b +1 (wraps to 0), b +2 (wraps to 1); each sorted.
        #expect(successors.map { [$0.a, $0.b] } == [[1, 3], [2, 3], [0, 0], [0, 1]])
        var scripts: [[Int]] = []
        DialsModel().forEachStep(of: DialsModel.State(a: 0, b: 3)) { _, script in scripts.append(script); return true }
        #expect(scripts == [[0, 0], [0, 1], [1, 0], [1, 1]])
    }
}
