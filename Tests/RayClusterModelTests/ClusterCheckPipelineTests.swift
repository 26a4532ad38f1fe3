import Testing
import SimulationKernel
@testable import RayClusterModel

/// `ClusterCheck` is the pipeline `simulate check` and `bench ray` call: what the command prints,
/// a user's test gets from the result.
@Suite("ClusterCheck: report, replayed counterexamples and the recovery monitor")
struct ClusterCheckPipelineTests {
    static var equalTimeouts: ModelDefinition {
        var d = EmbeddedModels.kuberaySample
        d.name = "equal-timeouts"
        d.spec.workerReconnectTimeoutSeconds = 60
        return d
    }

    @Test("the default model on a 10 s grid: worst-case recovery 75 s, least deadline margin 525 s")
    func recoveryFigures() {
        // The figures `simulate check --granularity 10s --json` prints (worstCaseRecoveryMs,
        // workerDeadlineMarginMs), pinned by the CLI tests against this result too.
        let result = ClusterCheck(EmbeddedModels.kuberaySample, granularity: .seconds(10)).run()
        #expect(result.holds)
        #expect(result.report.distinctStates == 5233)
        #expect(result.worstCaseRecovery == .seconds(75))
        #expect(result.workerDeadlineMargin == .seconds(525))
        #expect(result.counterexamples.isEmpty)
    }

    @Test("each violated property's counterexample is replayed once, in order, to its violation")
    func counterexamplesReplayed() throws {
        let result = ClusterCheck(Self.equalTimeouts, granularity: .seconds(10)).run()
        let violated = result.report.properties.filter { $0.verdict == .violated }
        #expect(result.counterexamples.map(\.property) == violated.map(\.id))
        for cx in result.counterexamples {
            let found = try #require(result.report.property(cx.property)?.counterexample)
            #expect(cx.steps == found.steps)
            #expect(cx.mismatch == nil && cx.violates)
            #expect(cx.finalFingerprint == found.violatingFingerprint)
            #expect(cx.run.steps == found.depth)
            #expect(result.counterexample(cx.property)?.digest == cx.run.digest)
        }
        #expect(result.counterexample("cluster-recovers") == nil)
    }

    @Test("a state limit leaves the monitor's figures partial, not absent")
    func incompleteKeepsFigures() {
        let options = CheckOptions(limits: CheckLimits(maxStates: 200))
        let result = ClusterCheck(
            EmbeddedModels.kuberaySample, granularity: .seconds(10), options: options
        ).run()
        #expect(result.report.verdict == .incomplete)
        #expect(result.counterexamples.isEmpty)
        #expect((result.worstCaseRecovery ?? .zero) <= .seconds(75))
    }
}

@Suite("Replaying recorded steps: one run, and a step that does not fit is named")
struct StepReplayTests {
    static func found() throws -> (ClusterModel, Counterexample) {
        var d = ClusterCheckPipelineTests.equalTimeouts
        d.timing.granularity = .seconds(10)
        let model = ClusterModel(d)
        let report = Explorer(model: model).check()
        let violated = report.properties.first { $0.counterexample != nil }
        return (model, try #require(violated?.counterexample))
    }

    @Test("a check's counterexample fits step for step, as the replay of its flattened script")
    func fits() throws {
        let (model, cx) = try Self.found()
        let replay = Simulator(model: model).replay(steps: cx.steps)
        #expect(replay.fits(cx.steps))
        let flat = Simulator(model: model, limits: RunLimits(maxSteps: cx.depth)).replay(cx.script)
        #expect(replay.run.digest == flat.digest)
        #expect(replay.run.choices == flat.choices)
    }

    @Test("a choice the step does not offer, negative or too large, is a mismatch, not a trap",
          arguments: [-1, 99])
    func notOffered(choice: Int) throws {
        let (model, cx) = try Self.found()
        var steps = cx.steps
        let i = try #require(steps.firstIndex { !$0.isEmpty })
        steps[i][0] = choice
        let replay = Simulator(model: model).replay(steps: steps)
        guard case .notOffered(let step, let position, let asked, _)? = replay.mismatch else {
            Issue.record("no mismatch: \(String(describing: replay.mismatch))")
            return
        }
        #expect(step == i && position == 0 && asked == choice)
        #expect(!replay.fits(steps))
    }

    @Test("a choice moved to the step before is seen in both steps' counts, the first reported")
    func shifted() throws {
        let (model, cx) = try Self.found()
        var steps = cx.steps
        let i = try #require(steps.indices.dropFirst().first { !steps[$0].isEmpty })
        steps[i - 1].append(steps[i].removeFirst())
        let replay = Simulator(model: model).replay(steps: steps)
        #expect(replay.mismatch?.step == i - 1)
    }
}
