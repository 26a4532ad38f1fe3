import Foundation
import Testing
import SimulateCLI

/// Golden traces: a seed's output matches a committed file byte for byte. To regenerate on
/// purpose: `swift run simulate <args> > traces/<file>` and review the diff.
@Suite("Golden traces")
struct GoldenTraceTests {
    static let goldens: [(file: String, args: [String], exit: Int32)] = [
        ("seed-42-kuberay-sample.txt", ["--seed", "42"], 0),
        ("seed-42-kuberay-sample.jsonl", ["--seed", "42", "--json"], 0),
        ("seed-0-ft-equal-timeouts.txt", ["--seed", "0", "--model", "models/ft-equal-timeouts.json"], 1),
        ("seed-1-no-ft.txt", ["--seed", "1", "--model", "models/no-ft.json"], 1),
        ("seed-0-redis-no-persistence.txt", ["--seed", "0", "--model", "models/redis-no-persistence.json"], 1),
        ("seed-2-redis-restart-during-outage.txt", ["--seed", "2", "--faults", "redis-restart,gcs-process-kill", "--max-faults", "2"], 1),
    ]

    @Test("each golden trace is reproduced byte for byte", arguments: goldens.map(\.file))
    func golden(file: String) throws {
        let g = Self.goldens.first { $0.file == file }!
        let expected = try String(contentsOfFile: path("traces/" + file), encoding: .utf8)
        let out = SimulateCommand.execute(g.args.map { $0.hasPrefix("models/") ? path($0) : $0 })
        #expect(out.exitCode == g.exit)
        #expect(out.stdout == expected, "regenerate with: swift run simulate \(g.args.joined(separator: " ")) > traces/\(file)")
    }
}

@Suite("Determinism across processes")
struct CrossProcessDeterminismTests {
    @Test("two processes print the same bytes for the same seed", arguments: ["7", "42", "1000003"])
    func sameBytes(seed: String) throws {
        let binary = try #require(simulateBinary(), "the simulate executable was not built next to the tests")
        let a = try runProcess(binary, ["--seed", seed, "--json", "--model", "models/ft-equal-timeouts.json"])
        let b = try runProcess(binary, ["--seed", seed, "--json", "--model", "models/ft-equal-timeouts.json"])
        #expect(a.stdout == b.stdout)
        #expect(!a.stdout.isEmpty)
        #expect(a.code == b.code)
        let inProcess = SimulateCommand.execute(["--seed", seed, "--json", "--model", path("models/ft-equal-timeouts.json")])
        #expect(String(decoding: a.stdout, as: UTF8.self) == inProcess.stdout)
    }

    @Test("the executable's exit codes: 0 held, 1 violated, 2 bad input")
    func exitCodes() throws {
        let binary = try #require(simulateBinary())
        #expect(try runProcess(binary, ["--seed", "42"]).code == 0)
        #expect(try runProcess(binary, ["--seed", "0", "--model", "models/no-ft.json"]).code == 1)
        let bad = try runProcess(binary, ["--seed", "1", "--faults", "meteor-strike"])
        #expect(bad.code == 2)
        #expect(bad.stdout.isEmpty)
        #expect(String(decoding: bad.stderr, as: UTF8.self).contains("meteor-strike"))
    }
}
