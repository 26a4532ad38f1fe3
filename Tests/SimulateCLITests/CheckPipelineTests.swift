import Foundation
import Testing
import RayClusterModel
import SimulationKernel
import SimulateCLI

/// `simulate check`, `bench ray` and `replay` are the library's `ClusterCheck` and `ClusterReplay`
/// with a printer: what they print is what a user's test gets.
@Suite("One pipeline: the commands print what ClusterCheck returns")
struct CheckPipelineTests {
    @Test("check --json prints ClusterCheck's state count, worst-case recovery and deadline margin")
    func checkPrintsTheLibraryFigures() throws {
        let object = try jsonObject(simulate("check", "--granularity", "10s", "--json").stdout)
        let result = ClusterCheck(EmbeddedModels.kuberaySample, granularity: .seconds(10)).run()
        #expect(object["distinctStates"] as? Int == result.report.distinctStates)
        let ms = { (d: SimDuration?) in d.map { Int($0.milliseconds) } }
        #expect(object["worstCaseRecoveryMs"] as? Int == ms(result.worstCaseRecovery))
        #expect(object["workerDeadlineMarginMs"] as? Int == ms(result.workerDeadlineMargin))
        #expect(object["worstCaseRecoveryMs"] as? Int == 75_000)
    }

    @Test("bench ray's row for N workers is ClusterCheck of the default model with N workers")
    func benchRowsAreClusterChecks() throws {
        let bench = simulate("bench", "ray", "--workers", "2", "--granularity", "10s", "--json")
        let object = try jsonObject(bench.stdout)
        let rows = try #require(object["rows"] as? [[String: Any]])
        for row in rows {
            var d = EmbeddedModels.kuberaySample
            d.spec.workers = try #require(row["workers"] as? Int)
            let report = ClusterCheck(d, granularity: .seconds(10)).run().report
            #expect(row["distinctStates"] as? Int == report.distinctStates)
            #expect(row["transitions"] as? Int == report.transitions)
            #expect(row["verdict"] as? String == report.verdict.rawValue)
        }
    }

    @Test("bench ray reads check's flags itself: a bad one names the flag, exit 2")
    func benchFlags() {
        let zero = simulate("bench", "ray", "--granularity", "0s")
        expectOneClearMessage(zero, field: "--granularity")
        expectOneClearMessage(simulate("bench", "ray", "--max-states", "0"), field: "--max-states")
        expectOneClearMessage(simulate("bench", "ray", "--faults", "nope"), field: "--faults")
    }

    @Test("check prints the counterexample from its own replay, as replay prints it from the file")
    func checkTimelineIsTheReplay() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let check = simulate("check", path("models/ft-equal-timeouts.json"), "--max-faults", "1",
                             "--trace-out", dir.path)
        #expect(check.exitCode == 1)
        let name = "ft-equal-timeouts.workers-survive-head-restart.trace.json"
        let file = dir.appendingPathComponent(name).path
        let replay = simulate("replay", file)
        #expect(replay.exitCode == 1, "\(replay.stderr)")
        #expect(check.stdout.hasSuffix(replay.stdout))
        // Without a file the timeline is the same: it never came from one.
        let model = path("models/ft-equal-timeouts.json")
        let unwritten = simulate("check", model, "--max-faults", "1")
        #expect(unwritten.stdout.hasSuffix(replay.stdout))
    }
}
