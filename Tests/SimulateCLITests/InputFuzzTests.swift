import Foundation
import Testing
import SimulateCLI
import SimulationKernel
@testable import RayClusterModel

/// Mutates input files the way a careless edit, a bad copy or a hostile user would: truncation,
/// flipped bytes, deep nesting, huge numbers and durations, odd Unicode, duplicate keys, hostile
/// names, values of the wrong type. Driven by our own frozen PRNG, so a failing case is
/// reproduced by its seed.
struct InputMutator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { rng.next(below: n) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    static let numbers = ["99999999999999999999", "9223372036854775807", "-9223372036854775809", "1e400", "-1", "0", "2.5",
                          "1e3", "-0", "65", "86401", "007", "1.", "0x10", "NaN"]
    static let durations = ["\"999999999999h\"", "\"720h\"", "\"721h\"", "\"0s\"", "\"-1s\"", "\"1.0001ms\"", "\"0.5ms\"",
                            "\"1e3s\"", "\"10\"", "\"\"", "\"  5s  \"", "\"5 s\"", "\"99999999999999999999999ms\"",
                            "\"2592000000ms\"", "\"1.0000000000000s\""]
    static let hostileNames = ["\"\"", "\"../../etc/passwd\"", "\"a\\nb\"", "\"\\u0000\"", "\"\\u202Eevil\"", "\"with spaces\"",
                               "\"😀\"", "\"\\ud83d\\ude00\"", "\"" + String(repeating: "x", count: 5000) + "\"", "\"a/b\"",
                               "\"\\ud800\"", "\"\u{7F}\""]
    static let unicode: [[UInt8]] = [Array("é".utf8), Array("\u{202E}".utf8), [0], Array("😀".utf8), Array("\u{FEFF}".utf8),
                                     Array("\\ud800".utf8), Array("\\u0000".utf8), [0xC0, 0x80], [0xFF], [0xED, 0xA0, 0x80],
                                     [0xE2, 0x82]]
    static let wrongValues = ["[]", "{}", "null", "true", "\"x\"", "-1", "[[[]]]", "{\"min\": \"1s\"}", "1.5", "\"10s\""]

    /// One to three mutations of `bytes`.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0...below(3) { out = mutateOnce(out) }
        return out
    }

    mutating func mutateOnce(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        guard !b.isEmpty else { return Array("{".utf8) }
        switch below(11) {
        case 0:
            return Array(b.prefix(below(b.count)))
        case 1:
            let i = below(b.count)
            b[i] ^= UInt8(1 << below(8))
            return b
        case 2:
            let n = pick([10, 63, 64, 65, 200, 5000])
            let open = below(2) == 0 ? Array(repeating: UInt8(ascii: "["), count: n)
                : Array(Array("{\"a\":".utf8).repeated(n))
            b.insert(contentsOf: open + (below(2) == 0 ? Array(repeating: UInt8(ascii: "]"), count: n) : []), at: below(b.count))
            return b
        case 3:
            return replaceMatch(b, pattern: #"-?[0-9][0-9.eE+-]*"#, with: pick(Self.numbers))
        case 4:
            return replaceMatch(b, pattern: #""[0-9.]+(ms|s|m|h)""#, with: pick(Self.durations))
        case 5:
            b.insert(contentsOf: pick(Self.unicode), at: below(b.count + 1))
            return b
        case 6:
            return duplicateLine(b)
        case 7:
            let name = pick(Self.hostileNames)
            let replaced = replaceMatch(b, pattern: #""name"\s*:\s*"[^"]*""#, with: "\"name\": \(name)")
            if replaced != b { return replaced }
            guard let brace = b.firstIndex(of: UInt8(ascii: "{")) else { return b }
            b.insert(contentsOf: Array("\"name\": \(name),".utf8), at: brace + 1)
            return b
        case 8:
            return replaceMatch(b, pattern: #":\s*(true|false|"[^"]*"|-?[0-9.]+)"#, with: ": " + pick(Self.wrongValues))
        case 9:
            let start = below(b.count)
            b.removeSubrange(start..<min(b.count, start + 1 + below(20)))
            return b
        default:
            let keys = ["\"steps\": [],", "\"extra\": 1,", "\"check\": {\"granularity\": \"0s\"},", "\"until\": \"0s\",",
                        "\"cluster\": \"/dev/null\",", "\"cluster\": \"/\",", "\"cluster\": \"models\","]
            guard let brace = b.firstIndex(of: UInt8(ascii: "{")) else { return b }
            b.insert(contentsOf: Array(pick(keys).utf8), at: brace + 1)
            return b
        }
    }

    mutating func replaceMatch(_ bytes: [UInt8], pattern: String, with replacement: String) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return bytes }
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty, let range = Range(matches[below(matches.count)].range, in: text) else { return bytes }
        return Array(text.replacingCharacters(in: range, with: replacement).utf8)
    }

    mutating func duplicateLine(_ bytes: [UInt8]) -> [UInt8] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let keyed = lines.indices.filter { lines[$0].contains(UInt8(ascii: ":")) }
        guard !keyed.isEmpty else { return bytes }
        let i = pick(keyed)
        var copy = Array(lines[i])
        if copy.last != UInt8(ascii: ",") { copy.append(UInt8(ascii: ",")) }
        lines.insert(ArraySlice(copy), at: i)
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}

extension Array {
    fileprivate func repeated(_ n: Int) -> [Element] { (0..<n).flatMap { _ in self } }
}

/// The files the fuzzers start from: every shipped model and scenario, and a committed trace.
enum FuzzCorpus {
    static var models: [String] {
        let dir = path("models")
        let top = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return top.map { dir + "/" + $0 } + scenarioFiles.map { dir + "/scenarios/" + $0 }
    }

    static let trace = path("traces/counterexamples/ft-equal-timeouts.workers-survive-head-restart.json")
}

/// The rule for a rejected input: one field, one problem, one fix; no Swift internals.
func expectCleanError(_ e: InputError, _ context: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
    let d = e.description
    #expect(!e.field.isEmpty && !e.problem.isEmpty && !e.fix.isEmpty, "\(context()): \(d)", sourceLocation: sourceLocation)
    #expect(!d.contains("\n") && d.components(separatedBy: "Fix:").count == 2, "\(context()): \(d)", sourceLocation: sourceLocation)
    for leak in ["Dictionary<", "CodingKeys", "DecodingError", "Swift.", "Optional("] {
        #expect(!d.contains(leak), "\(context()): \(d)", sourceLocation: sourceLocation)
    }
    #expect(d.count < 2_000, "\(context()): message of \(d.count) characters", sourceLocation: sourceLocation)
}

enum InputFuzz {
    /// Mutates every corpus file `perFile` times: each mutant loads (and then validates and runs a
    /// few hundred steps without trapping) or is rejected with a clean `InputError`.
    @discardableResult
    static func library(seed: UInt64, perFile: Int) throws -> (loaded: Int, rejected: Int) {
        var mutator = InputMutator(seed: seed)
        var loaded = 0, rejected = 0
        let base = path("models/scenarios")
        for file in FuzzCorpus.models {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            for i in 0..<perFile {
                let mutant = mutator.mutate(original)
                let context = "seed \(seed), \(URL(fileURLWithPath: file).lastPathComponent) mutant \(i)"
                do {
                    let scenario = try Scenario.parse(Data(mutant), name: "fuzz", baseDirectory: base)
                    try scenario.definition.validate()
                    let run = Simulator(model: ClusterModel(scenario.definition), limits: RunLimits(maxSteps: 300)).runQuietly(seed: 1)
                    #expect(run.steps <= 300, "\(context)")
                    loaded += 1
                } catch {
                    expectCleanError(error, context)
                    rejected += 1
                }
            }
        }
        return (loaded, rejected)
    }

    /// Mutants through the command line, in a temporary directory: exit 2 with one clean message
    /// on stderr, nothing on stdout and no file written; or a normal exit.
    static func commandLine(seed: UInt64, perFile: Int) throws {
        var mutator = InputMutator(seed: seed)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let traceOut = dir.appendingPathComponent("cx.json").path
        for file in FuzzCorpus.models + [FuzzCorpus.trace] {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            let isTrace = file == FuzzCorpus.trace
            for i in 0..<perFile {
                let mutant = dir.appendingPathComponent("input.json")
                try Data(mutator.mutate(original)).write(to: mutant)
                let command = isTrace ? ["replay", mutant.path]
                    // A small state limit: the loader is what is fuzzed here, and a limit reached
                    // after a violation must still end as a report (`stateLimitAfterViolation`).
                    : i % 4 == 0 ? ["check", mutant.path, "--max-states", "300", "--trace-out", traceOut]
                    : ["--seed", "1", "--model", mutant.path, "--max-steps", "300"]
                let out = SimulateCommand.execute(command)
                let context = "seed \(seed), \(URL(fileURLWithPath: file).lastPathComponent) mutant \(i): \(command[0])"
                if out.exitCode == 2 {
                    expectOneClearMessage(out)
                    let written = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "input.json" }
                    #expect(written.isEmpty, "\(context): wrote \(written)")
                } else {
                    #expect([0, 1, 3].contains(out.exitCode), "\(context): exit \(out.exitCode)")
                }
                for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                    try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
                }
            }
        }
    }
}

@Suite("Input fuzz: mutated model, scenario and trace files never crash")
struct InputFuzzTests {
    @Test("mutants of every shipped file load or are rejected with one clean InputError", arguments: [1, 2] as [UInt64])
    func library(seed: UInt64) throws {
        let (loaded, rejected) = try InputFuzz.library(seed: seed, perFile: 60)
        // Both sides are exercised: some mutants still load (and run), most are rejected.
        #expect(loaded > 50 && rejected > 600, "loaded \(loaded), rejected \(rejected)")
    }

    @Test("mutants through the command line exit 2 with one message and write nothing, or run normally")
    func commandLine() throws { try InputFuzz.commandLine(seed: 7, perFile: 12) }
}

@Suite("Checker limits found by the input fuzz")
struct CheckerLimitFindings {
    /// Found by `InputFuzz.commandLine`: before 5faee07 ("partial levels keep their links"),
    /// `simulate check models/no-ft.json --max-states 1000` (also ft-equal-timeouts.json at 1000,
    /// scenarios/real-ray-restart-after-deadline.json at 10) trapped with "Index out of range" in
    /// `LevelLinks.ordinalPath`: the search stopped inside a level whose links were never kept.
    @Test("a state limit reached inside the violating level ends the check as a report, not a trap",
          arguments: [("models/no-ft.json", "1000"), ("models/ft-equal-timeouts.json", "1000"),
                      ("models/scenarios/real-ray-restart-after-deadline.json", "10")])
    func stateLimitAfterViolation(file: String, states: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["check", path(file), "--max-states", states,
                                           "--trace-out", dir.appendingPathComponent("cx.json").path])
        #expect([0, 1, 3].contains(out.exitCode), "\(out.stderr)")
    }
}

/// Many more mutants; CI skips them (`--skip LongSweeps`), run with `swift test --filter LongSweeps`.
@Suite("Long input fuzz")
struct InputFuzzLongSweeps {
    @Test("many more mutants of every shipped file", arguments: 100..<108 as Range<UInt64>)
    func library(seed: UInt64) throws { try InputFuzz.library(seed: seed, perFile: 400) }

    @Test("many more mutants through the command line", arguments: 200..<204 as Range<UInt64>)
    func commandLine(seed: UInt64) throws { try InputFuzz.commandLine(seed: seed, perFile: 100) }
}
