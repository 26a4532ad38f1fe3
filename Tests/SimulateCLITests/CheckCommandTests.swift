import Foundation
import Testing
import SimulateCLI

/// A fresh temporary directory for files a test writes.
func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Every FT rule is necessary: breaking it yields a counterexample (committed under
/// traces/counterexamples/), and the model that keeps it holds under the same bounds.
@Suite("FT rules are necessary: committed counterexamples")
struct FTRuleCounterexampleTests {
    static let rules: [(rule: String, broken: String, fixed: [String], bounds: [String])] = [
        ("GCS fault tolerance must be on", "no-ft", ["models/kuberay-sample.json"], ["--max-faults", "1"]),
        ("workers' reconnect timeout must exceed the head's restart", "ft-equal-timeouts", ["models/kuberay-sample.json"], ["--max-faults", "1"]),
        ("Redis must persist its data", "redis-no-persistence", ["models/redis-persistent-volume.json"], ["--granularity", "10s", "--horizon", "1m"]),
    ]

    @Test("checking the broken model writes exactly the committed counterexample", arguments: rules.map(\.broken))
    func brokenModelCounterexample(broken: String) throws {
        let r = Self.rules.first { $0.broken == broken }!
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["check", path("models/\(broken).json"), "--time", "grid", "--stop-at-first"] + r.bounds + ["--trace-out", dir.appendingPathComponent("cx.json").path])
        #expect(out.exitCode == 1, "\(r.rule): \(out.stdout)")
        let written = try Data(contentsOf: dir.appendingPathComponent("cx.workers-survive-head-restart.json"))
        let committed = try Data(contentsOf: URL(fileURLWithPath: path("traces/counterexamples/\(broken).workers-survive-head-restart.json")))
        #expect(written == committed, "regenerate on purpose: simulate check models/\(broken).json --time grid --stop-at-first \(r.bounds.joined(separator: " ")) --trace-out ...")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "trace files are written atomically")
    }

    @Test("the committed counterexample replays to the violation, exit 1", arguments: rules.map(\.broken))
    func replays(broken: String) {
        let out = SimulateCommand.execute(["replay", path("traces/counterexamples/\(broken).workers-survive-head-restart.json")])
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(out.stdout.contains("property workers-survive-head-restart: VIOLATED"))
    }

    @Test("the model that keeps the rule holds under the same bounds", arguments: rules.map(\.broken))
    func fixedModelHolds(broken: String) {
        let r = Self.rules.first { $0.broken == broken }!
        let fixed = r.fixed.map { $0.hasPrefix("models/") ? path($0) : $0 }
        let out = SimulateCommand.execute(["check"] + fixed + r.bounds)
        #expect(out.exitCode == 0, "\(r.rule): \(out.stdout)")
        #expect(out.stdout.contains("HOLDS: every property held"))
    }
}

@Suite("simulate check and replay")
struct CheckCommandTests {
    @Test("the grid check proves the default model and prints every bound it used")
    func defaultHolds() {
        let out = SimulateCommand.execute(["check", "--time", "grid"])
        #expect(out.exitCode == 0)
        #expect(out.stdout.contains("up to 1 fault(s) of [gcs-process-kill, gcs-process-sigkill, head-pod-delete, head-container-crash, head-pod-evict] at any time on a 1s grid within 5m"))
        #expect(out.stdout.contains("worst-case recovery after the last fault:"))
        #expect(out.stdout.contains("HOLDS"))
    }

    @Test("--json has the stable fields (grid)")
    func jsonFields() throws {
        let out = SimulateCommand.execute(["check", "--time", "grid", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        for key in ["verdict", "distinctStates", "transitions", "maxDepth", "seconds", "statesPerSecond", "peakMemoryBytes",
                    "bounds", "worstCaseRecoveryMs", "properties"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["verdict"] as? String == "holds")
        let bounds = try #require(object["bounds"] as? [String: Any])
        #expect(bounds["granularityMs"] as? Int == 1000 && bounds["horizonMs"] as? Int == 300_000 && bounds["maxFaults"] as? Int == 1)
        let properties = try #require(object["properties"] as? [[String: Any]])
        #expect(properties.map { $0["id"] as? String } == ["workers-survive-head-restart", "detached-actor-survives", "cluster-recovers"])
        #expect(properties.allSatisfy { $0["trace"] is NSNull })
    }

    @Test("the pinned state count of the default model at a 1 s grid")
    func pinnedCount() throws {
        let out = SimulateCommand.execute(["check", "--time", "grid", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["distinctStates"] as? Int == 30701)
        #expect(object["transitions"] as? Int == 213951)
        #expect(object["maxDepth"] as? Int == 10)
    }

    @Test("one thread and two threads give the same counts and verdict")
    func threadsAgree() throws {
        func run(_ threads: String) throws -> [String: Any] {
            let out = SimulateCommand.execute(["check", "--json", "--threads", threads, "--granularity", "5s"])
            return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        }
        let one = try run("1"), two = try run("2")
        for key in ["distinctStates", "transitions", "maxDepth", "verdict"] {
            #expect("\(one[key]!)" == "\(two[key]!)", "\(key)")
        }
    }

    @Test("a trace file is replaced atomically when the check runs again")
    func traceOverwrite() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cx.json").path
        for _ in 0..<2 {
            let r = SimulateCommand.execute(["check", path("models/ft-equal-timeouts.json"), "--trace-out", out])
            #expect(r.exitCode == 1, "\(r.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["cx.detached-actor-survives.json", "cx.workers-survive-head-restart.json"])
    }

    @Test("a state limit ends the check as incomplete, exit 3")
    func incomplete() {
        let out = SimulateCommand.execute(["check", "--time", "grid", "--max-states", "100"])
        #expect(out.exitCode == 3)
        #expect(out.stdout.contains("INCOMPLETE"))
        let json = SimulateCommand.execute(["check", "--time", "grid", "--max-states", "100", "--json"])
        #expect(json.stdout.contains("\"verdict\":\"incomplete\""))
    }

    @Test("a replay of a trace whose model no longer reproduces says so, exit 2")
    func staleTrace() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = try String(contentsOfFile: path("traces/counterexamples/ft-equal-timeouts.workers-survive-head-restart.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: #""violatingFingerprint" : ""#, with: #""violatingFingerprint" : "f"#)
        let file = dir.appendingPathComponent("stale.json")
        try Data(text.utf8).write(to: file)
        let out = SimulateCommand.execute(["replay", file.path])
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("no longer reproduces"))
    }

    static let bad: [([String], String)] = [
        (["check", "--granularity", "0s"], "--granularity"),
        (["check", "--threads", "0"], "--threads"),
        (["check", "--max-memory", "lots"], "--max-memory"),
        (["check", "--faults", "asteroid"], "unknown fault"),
        (["check", "a.json", "b.json"], "more than one model"),
        (["replay"], "exactly one trace"),
        (["replay", "/no/such/trace.json"], "no such file"),
        (["bench", "four-phase"], "unknown benchmark"),
        (["bench", "two-phase", "--rms", "0"], "--rms"),
    ]

    @Test("bad check, replay and bench input exits 2 naming the problem", arguments: bad)
    func badInput(args: [String], message: String) {
        let out = SimulateCommand.execute(args)
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    @Test("bench two-phase reproduces the published counts: 288 states for 3 RMs, 8,832 for 5")
    func twoPhaseCounts() {
        let three = SimulateCommand.execute(["bench", "two-phase", "--rms", "3", "--json"])
        #expect(three.stdout.contains("\"distinctStates\":288"))
        let five = SimulateCommand.execute(["bench", "two-phase", "--rms", "5", "--json"])
        #expect(five.stdout.contains("\"distinctStates\":8832"))
        #expect(five.exitCode == 0)
    }
}
