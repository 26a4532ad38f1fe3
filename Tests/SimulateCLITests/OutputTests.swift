import Foundation
import Synchronization
import Testing
@testable import SimulateCLI

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text.prefix(200))")
}

/// Every `--json` output carries `"schemaVersion": 1` and one shape per command.
@Suite("JSON outputs: schemaVersion and one shape per command")
struct JSONOutputTests {
    @Test("check, sweep and both benchmarks print one object with schemaVersion 1")
    func objects() throws {
        let outputs = [
            SimulateCommand.execute(["check", "--json", "--granularity", "10s"]),
            SimulateCommand.execute(["sweep", "--json", "--seeds", "3"]),
            SimulateCommand.execute(["bench", "two-phase", "--rms", "3", "--json"]),
            SimulateCommand.execute(["bench", "ray", "--workers", "1", "--granularity", "10s", "--json"]),
        ]
        for out in outputs {
            let object = try jsonObject(out.stdout)
            #expect(object["schemaVersion"] as? Int == 1, "\(out.stdout.prefix(120))")
        }
    }

    @Test("bench ray --json is an object like bench two-phase's, its rows inside")
    func benchRayObject() throws {
        let out = SimulateCommand.execute(["bench", "ray", "--workers", "2", "--granularity", "10s", "--json"])
        #expect(out.exitCode == 0)
        let object = try jsonObject(out.stdout)
        #expect(object["benchmark"] as? String == "ray")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { $0["workers"] as? Int } == [1, 2])
        #expect(rows.allSatisfy { $0["verdict"] as? String == "holds" && ($0["distinctStates"] as? Int ?? 0) > 0 })
        let twoPhase = try jsonObject(SimulateCommand.execute(["bench", "two-phase", "--rms", "3", "--json"]).stdout)
        #expect(twoPhase["benchmark"] as? String == "two-phase")
    }

    @Test("run and replay JSON Lines carry schemaVersion 1 in their first line")
    func jsonLinesHeader() throws {
        let run = SimulateCommand.execute(["--seed", "1", "--json"])
        let replay = SimulateCommand.execute(["replay", path("traces/counterexamples/no-ft.workers-survive-head-restart.json"), "--json"])
        for out in [run, replay] {
            let line = try #require(out.stdout.split(separator: "\n").first, "no output")
            let first = try jsonObject(String(line))
            #expect(first["schemaVersion"] as? Int == 1 && first["type"] as? String == "run")
        }
    }

    @Test("replay --json stops where the human replay stops and names the violated property last",
          arguments: ["no-ft", "ft-equal-timeouts", "redis-no-persistence"])
    func replayJSONStops(model: String) throws {
        let file = path("traces/counterexamples/\(model).workers-survive-head-restart.json")
        let trace = try jsonObject(String(contentsOfFile: file, encoding: .utf8))
        let steps = try #require(trace["steps"] as? [[Int]]).count
        let json = SimulateCommand.execute(["replay", file, "--json"])
        let human = SimulateCommand.execute(["replay", file])
        #expect(json.exitCode == 1 && human.exitCode == 1)
        let records = try json.stdout.split(separator: "\n").map { try jsonObject(String($0)) }
        let events = records.filter { $0["type"] as? String == "event" }
        #expect(events.allSatisfy { ($0["step"] as? Int ?? .max) <= steps }, "events past the counterexample's \(steps) steps")
        // The human timeline: a header line, the initial line, one line per event, the property line.
        #expect(events.count == human.stdout.split(separator: "\n").count - 3)
        let last = try #require(records.last)
        #expect(last["type"] as? String == "counterexample")
        #expect(last["property"] as? String == "workers-survive-head-restart")
        #expect(last["steps"] as? Int == steps)
        let step = try #require(last["violatedAtStep"] as? Int)
        #expect(human.stdout.contains("(step \(step))"))
    }

    @Test("check reports the process's peak resident memory, the checker's own structures second")
    func peakMemory() throws {
        let human = SimulateCommand.execute(["check", "--granularity", "10s"])
        #expect(human.stdout.contains("peak memory (resident) "))
        #expect(human.stdout.contains("(the checker's own structures: "))
        let object = try jsonObject(SimulateCommand.execute(["check", "--granularity", "10s", "--json"]).stdout)
        let resident = try #require(object["peakResidentBytes"] as? Int)
        let own = try #require(object["peakMemoryBytes"] as? Int)
        #expect(resident > 1_000_000 && resident > own)
    }
}

/// Model strings are user input: they reach the terminal escaped.
@Suite("Control characters in human output")
struct TerminalEscapeTests {
    @Test("the escape helper writes ESC as \\e, CR as \\r and other controls as \\u{..}, keeping newlines and text")
    func helper() {
        #expect(TerminalText.escaped("a\u{1B}[2Jb\rc\td\u{7}e\u{9B}f\n≈ü") == "a\\e[2Jb\\rc\\td\\u{7}e\\u{9b}f\n≈ü")
        #expect(TerminalText.escaped("plain text\n") == "plain text\n")
    }

    @Test("a model's name or a flag with control characters never reaches the terminal raw")
    func modelStrings() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let evil = "evil\u{1B}]0;owned\u{7}\u{1B}[2J\r"
        let model = try modelFile(in: dir, ["name": evil, "summary": evil])
        let outputs = [
            SimulateCommand.execute(["--seed", "1", model.path]),
            SimulateCommand.execute(["check", model.path, "--granularity", "10s"]),
            SimulateCommand.execute(["sweep", model.path, "--seeds", "2"]),
            SimulateCommand.execute(["--seed", "1", "--faults", "gcs\u{1B}[2J"]),
        ]
        for out in outputs {
            let text = out.stdout + out.stderr
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(text.prefix(300))")
        }
        // The model reader refuses a name with control characters, quoting it escaped; a flag's
        // value is escaped by the terminal helper.
        #expect(outputs[0].exitCode == 2 && outputs[0].stderr.hasPrefix("error: name: "), "\(outputs[0].stderr)")
        #expect(outputs[3].stderr.contains("gcs\\e[2J") || outputs[3].stderr.contains(#"gcs\u001B[2J"#), "\(outputs[3].stderr)")
    }
}

/// Collects what a progress line writes (a stand-in for a terminal).
final class ProgressCollector: Sendable {
    let writes = Mutex<[String]>([])
    func append(_ text: String) { writes.withLock { $0.append(text) } }
    var all: [String] { writes.withLock { $0 } }
}

/// Ctrl-C ends a check or sweep as incomplete with the figures so far; progress shows on a terminal.
@Suite("Interrupts and progress")
struct InterruptProgressTests {
    @Test("SIGINT ends a long check as INCOMPLETE (interrupted) with the figures so far, exit 3, within seconds")
    func sigintCheck() throws {
        let binary = try #require(simulateBinary())
        let r = try runSubprocess(binary, ["check", "--granularity", "10ms"], interruptAfter: 1.5, timeout: 30)
        #expect(!r.signalled, "killed by the signal instead of handling it")
        #expect(r.code == 3, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("INCOMPLETE: the search stopped (interrupted)"), "\(r.stdout)")
        #expect(r.stdout.contains("property workers-survive-head-restart: not decided (search stopped: interrupted)"))
        #expect(r.stdout.contains(" distinct states, "))
        #expect(r.seconds < 10, "took \(r.seconds) s")
        #expect(r.stderr.isEmpty, "no progress on a pipe: \(r.stderr)")
    }

    @Test("SIGINT ends a check --json with stopReason interrupted, and a sweep as incomplete, exit 3")
    func sigintJSONAndSweep() throws {
        let binary = try #require(simulateBinary())
        let check = try runSubprocess(binary, ["check", "--granularity", "10ms", "--json"], interruptAfter: 1, timeout: 30)
        #expect(check.code == 3)
        let object = try jsonObject(check.stdout)
        #expect(object["stopReason"] as? String == "interrupted" && object["verdict"] as? String == "incomplete")
        let sweep = try runSubprocess(binary, ["sweep", "--seeds", "100000000"], interruptAfter: 1, timeout: 30)
        #expect(sweep.code == 3, "\(sweep.stdout)\(sweep.stderr)")
        #expect(sweep.stdout.contains("(INCOMPLETE: interrupted after "))
    }

    @Test("a check reports progress every interval while it runs and clears the line at the end; --quiet silences it")
    func progressLine() throws {
        let collector = ProgressCollector()
        let environment = CommandEnvironment(progressIntervalSeconds: 0.02) { collector.append($0) }
        let out = SimulateCommand.execute(["check", "--granularity", "2s"], environment: environment)
        #expect(out.exitCode == 0)
        let writes = collector.all
        let lines = writes.filter { $0.contains("checking:") }
        #expect(!lines.isEmpty, "no progress written")
        #expect(lines.allSatisfy { $0.hasPrefix("\r") && $0.contains(" states, depth ") && $0.contains(" s") })
        #expect(lines.contains { $0.contains("MB resident") })
        let last = try #require(writes.last)
        #expect(last.hasPrefix("\r") && last.hasSuffix("\r") && last.dropFirst().dropLast().allSatisfy { $0 == " " }, "not cleared")

        let quiet = ProgressCollector()
        let silent = CommandEnvironment(progressIntervalSeconds: 0.02) { quiet.append($0) }
        #expect(SimulateCommand.execute(["check", "--granularity", "2s", "--quiet"], environment: silent).exitCode == 0)
        #expect(quiet.all.isEmpty)
    }

    @Test("requestStop() ends an in-process check as interrupted, exit 3")
    func requestStop() {
        let environment = CommandEnvironment(progressIntervalSeconds: 1) { _ in }
        environment.requestStop()
        let out = SimulateCommand.execute(["check", "--quiet"], environment: environment)
        #expect(out.exitCode == 3)
        #expect(out.stdout.contains("INCOMPLETE: the search stopped (interrupted)"))
    }

    @Test("on a terminal, a check longer than 2 s shows a progress line on stderr; --quiet hides it")
    func progressOnTerminal() throws {
        let binary = try #require(simulateBinary())
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        func onTerminal(_ extra: String) throws -> String {
            // script(1) gives the command a terminal; its output is what that terminal showed.
            let command = "\(binary.path) check --granularity 10ms --max-seconds 3 \(extra)"
            return try runSubprocess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], timeout: 30).stdout
        }
        let shown = try onTerminal("")
        #expect(shown.contains("\rchecking: "), "\(shown.suffix(400))")
        #expect(shown.contains("INCOMPLETE"))
        #expect(!(try onTerminal("--quiet")).contains("checking: "))
    }
}
