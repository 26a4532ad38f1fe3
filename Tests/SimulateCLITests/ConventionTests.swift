import Foundation
import Testing
@testable import SimulateCLI
import RayClusterModel

/// One convention for every subcommand: the model is given the same way, flags a command does not
/// read are errors, every help text is held to the parser and carries the same exit-code table.
@Suite("One command-line convention")
struct ConventionTests {
    /// Each command's arguments prefix, its help text and the options its parser accepts.
    static let commands: [(name: String, prefix: [String], help: String, options: [Option])] = [
        ("default run", [], Help.main, RunCommand.options(seedRequired: true)),
        ("run", ["run"], Help.run, RunCommand.options(seedRequired: false)),
        ("check", ["check"], Help.check, CheckCommand.options),
        ("replay", ["replay"], Help.replay, ReplayCommand.options),
        ("sweep", ["sweep"], Help.sweep, SweepCommand.options),
        ("bench two-phase", ["bench", "two-phase"], Help.bench, BenchCommand.twoPhaseOptions),
        ("bench ray", ["bench", "ray"], Help.bench, BenchCommand.rayOptions),
    ]

    /// The `--flags` of the OPTIONS section that follows `heading` in `help`.
    static func optionsSection(_ help: String, heading: String) -> Set<String> {
        guard let start = help.range(of: heading + "OPTIONS\n") else { return [] }
        let rest = help[start.upperBound...]
        let section = rest[..<(rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex)]
        return flags(in: String(section))
    }

    static func flags(in text: String) -> Set<String> {
        var found: Set<String> = []
        var scanner = text[...]
        while let r = scanner.range(of: "--") {
            let tail = scanner[r.upperBound...]
            let name = tail.prefix { $0.isLetter || $0 == "-" }
            if let first = name.first, first.isLetter { found.insert("--" + name) }
            scanner = tail
        }
        return found
    }

    static func heading(_ name: String) -> String { name.hasPrefix("bench ") ? name + " " : "" }

    @Test("every help text's OPTIONS section lists exactly the flags its parser accepts", arguments: commands.map(\.name))
    func helpMatchesParser(name: String) {
        let c = Self.commands.first { $0.name == name }!
        let listed = Self.optionsSection(c.help, heading: Self.heading(name))
        #expect(listed == Set(c.options.map(\.flag)), "\(name): listed \(listed.sorted()), accepted \(c.options.map(\.flag).sorted())")
    }

    @Test("every flag a help text mentions for its command is accepted by that command", arguments: commands.map(\.name))
    func helpFlagsAccepted(name: String) {
        let c = Self.commands.first { $0.name == name }!
        var mentioned = Self.optionsSection(c.help, heading: Self.heading(name))
        // The main help's USAGE shows every command, the bench help's both benchmarks: their
        // OPTIONS sections are held to the parser above.
        if !name.hasPrefix("default"), !name.hasPrefix("bench"), let usage = c.help.range(of: "USAGE\n"),
           let end = c.help[usage.upperBound...].range(of: "\n\n") {
            mentioned.formUnion(Self.flags(in: String(c.help[usage.upperBound..<end.lowerBound])))
        }
        for flag in mentioned.subtracting(["--help"]) {
            // With --help nothing runs. A flag shown with a placeholder (`--seed N`) takes a value.
            let valued = c.help.range(of: flag + " [A-Z]", options: .regularExpression) != nil
            let out = SimulateCommand.execute(c.prefix + [valued ? flag + "=1" : flag, "--help"])
            #expect(out.exitCode == 0 && out.stdout == c.help, "\(name) does not accept \(flag): \(out.stderr)")
        }
    }

    @Test("`simulate help COMMAND` prints that command's help, the same as COMMAND --help", arguments: ["run", "check", "replay", "sweep", "bench"])
    func helpCommand(command: String) {
        let help = SimulateCommand.execute(["help", command])
        #expect(help.exitCode == 0)
        #expect(help.stdout == SimulateCommand.execute([command, "--help"]).stdout)
        #expect(help.stdout.hasPrefix("simulate \(command):"), "\(help.stdout.prefix(80))")
        #expect(help.stdout != Help.main)
        let unknown = SimulateCommand.execute(["help", "frobnicate"])
        #expect(unknown.exitCode == 2 && unknown.stderr.contains("no help for \"frobnicate\""))
    }

    @Test("`simulate --version` and `simulate version` print the one version line")
    func version() {
        for args in [["--version"], ["version"]] {
            let out = SimulateCommand.execute(args)
            #expect(out.exitCode == 0)
            #expect(out.stdout == "simulate 0.6.0 (ray-gcs-ft-lab)\n")
            #expect(out.stdout == SimulateCommand.version + "\n")
        }
        #expect(SimulateCommand.execute(["--version", "--seed", "1"]).exitCode == 2)
    }

    @Test("every help text ends with the same exit-code table, and the README has it too")
    func exitCodeTable() throws {
        for text in [Help.main, Help.run, Help.check, Help.replay, Help.sweep, Help.bench] {
            #expect(text.contains(Help.exitCodes), "\(text.prefix(40))")
        }
        let readme = try String(contentsOfFile: path("README.md"), encoding: .utf8)
        for row in ["| 0 | every property held", "| 1 | a property was violated", "| 2 | bad input or usage", "| 3 | incomplete"] {
            #expect(readme.contains(row), "README lacks \(row)")
        }
    }

    /// Each pair gives the model the two ways; the outputs are the same.
    static let modelTwoWays: [(positional: [String], flag: [String])] = [
        (["models/no-ft.json", "--seed", "3"], ["--model", "models/no-ft.json", "--seed", "3"]),
        (["run", "models/no-ft.json", "--seed", "3"], ["run", "--model", "models/no-ft.json", "--seed", "3"]),
        (["check", "models/no-ft.json", "--granularity", "10s"], ["check", "--model", "models/no-ft.json", "--granularity", "10s"]),
    ]

    @Test("the model is given the same way to every command: MODEL or --model FILE", arguments: 0..<3)
    func modelTwoWays(index: Int) {
        let (a, b) = Self.modelTwoWays[index]
        let one = SimulateCommand.execute(a.map { $0.hasPrefix("models/") ? path($0) : $0 })
        let two = SimulateCommand.execute(b.map { $0.hasPrefix("models/") ? path($0) : $0 })
        #expect(one.exitCode == 1, "\(one.stderr)")
        // A check's timing figures differ from run to run; everything before them is the same.
        let stable = { (s: String) in s.components(separatedBy: " distinct states,").first! }
        #expect(stable(one.stdout) == stable(two.stdout))
        #expect(one.stdout.contains("model no-fault-tolerance:"))
    }

    @Test("sweep takes the model both ways too")
    func sweepModelTwoWays() {
        let one = SimulateCommand.execute(["sweep", path("models/no-ft.json"), "--seeds", "20"])
        let two = SimulateCommand.execute(["sweep", "--model", path("models/no-ft.json"), "--seeds", "20"])
        let properties = { (s: String) in s.split(separator: "\n").filter { $0.hasPrefix("property ") } }
        #expect(one.exitCode == 1 && two.exitCode == 1)
        #expect(properties(one.stdout) == properties(two.stdout) && !properties(one.stdout).isEmpty)
    }

    static let usageErrors: [(args: [String], message: String, help: String)] = [
        (["models/no-ft.json", "--model", "models/no-ft.json", "--seed", "1"], "the model is given twice", "simulate help"),
        (["run", "models/no-ft.json", "--model", "models/no-ft.json"], "the model is given twice", "simulate help run"),
        (["check", "models/no-ft.json", "--model", "models/no-ft.json"], "the model is given twice", "simulate help check"),
        (["sweep", "models/no-ft.json", "models/no-ft.json"], "more than one model", "simulate help sweep"),
        (["check", "--model", "a.json", "--model", "b.json"], "--model is given twice", "simulate help check"),
        (["--seed", "1", "--seed", "2"], "--seed is given twice", "simulate help"),
        (["check", "--json", "--json"], "--json is given twice", "simulate help check"),
        (["--seed", "1", "--json=yes"], "--json takes no value", "simulate help"),
        (["check", "-q"], "unknown option -q", "simulate help check"),
        (["check", "--seed", "1"], "unknown option --seed", "simulate help check"),
        (["sweep", "--max-steps", "5"], "unknown option --max-steps", "simulate help sweep"),
        (["replay", "--model", "x.json", "t.json"], "unknown option --model", "simulate help replay"),
        (["bench", "ray", "models/no-ft.json"], "bench ray checks the default model", "simulate help bench"),
        (["bench", "two-phase", "--workers", "2"], "unknown option --workers", "simulate help bench"),
        (["replay"], "exactly one trace", "simulate help replay"),
    ]

    @Test("usage errors exit 2, name the problem and point to `simulate help COMMAND`", arguments: 0..<15)
    func usageError(index: Int) {
        let c = Self.usageErrors[index]
        let out = SimulateCommand.execute(c.args.map { $0.hasPrefix("models/") ? path($0) : $0 })
        #expect(out.exitCode == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains(c.message), "\(out.stderr)")
        #expect(out.stderr.hasSuffix("Run `\(c.help)` for usage.\n"), "\(out.stderr)")
    }

    @Test("a flag whose effect another flag cancels is an error, not silently ignored: --exact with --threads")
    func exactWithThreads() {
        let out = SimulateCommand.execute(["check", "--exact", "--threads", "2"])
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("--exact searches on one thread"), "\(out.stderr)")
    }

    /// Every numeric flag has a documented range; a value outside it is one clear message.
    static let outOfRange: [(args: [String], message: String)] = [
        (["check", "--max-memory", "99999999999G"], "--max-memory: \"99999999999G\" is not a size from 1M to 1T"),
        (["check", "--max-memory", "9223372036854775807K"], "from 1M to 1T"),
        (["check", "--max-memory", "512K"], "from 1M to 1T"),
        (["check", "--max-memory", "2T"], "from 1M to 1T"),
        (["check", "--max-seconds", "nan"], "--max-seconds: \"nan\" is not a number of seconds"),
        (["check", "--max-seconds", "inf"], "--max-seconds: \"inf\""),
        (["check", "--max-seconds", "0"], "--max-seconds"),
        (["check", "--max-seconds", "1e9"], "at most 604800"),
        (["check", "--max-states", "0"], "--max-states: \"0\" is not a whole number from 1 to 1000000000000"),
        (["check", "--max-states", "99999999999999999999"], "--max-states"),
        (["check", "--threads", "65"], "--threads: \"65\" is not a whole number from 1 to 64"),
        (["--seed", "18446744073709551616"], "--seed: \"18446744073709551616\" is not a whole number from 0 to 18446744073709551615"),
        (["--seed", "1", "--max-steps", "0"], "--max-steps: \"0\" is not a whole number from 1 to 100000000"),
        (["sweep", "--seeds", "0"], "--seeds: \"0\" is not a whole number from 1 to 100000000"),
        (["sweep", "--from", "-1"], "--from: \"-1\" is not a whole number from 0"),
        (["sweep", "--from", "18446744073709551615", "--seeds", "2"], "run past 18446744073709551615"),
        (["bench", "two-phase", "--rms", "0"], "--rms: \"0\" is not a whole number from 1 to"),
        (["bench", "two-phase", "--threads", "0"], "--threads"),
        (["bench", "ray", "--workers", "17"], "--workers: \"17\" is not a whole number from 1 to 16"),
    ]

    @Test("numeric flags outside their documented range exit 2 with one message and one Fix", arguments: 0..<19)
    func numericRange(index: Int) {
        let c = Self.outOfRange[index]
        let out = SimulateCommand.execute(c.args)
        #expect(out.exitCode == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains(c.message), "\(out.stderr)")
        #expect(out.stderr.components(separatedBy: "Fix:").count == 2, "\(out.stderr)")
    }

    @Test("sizes with a suffix are accepted up to the documented 1T")
    func sizes() throws {
        #expect(try FlagValue.bytes("1T", flag: "--max-memory", in: CheckCommand.maxMemoryRange) == 1 << 40)
        #expect(try FlagValue.bytes("1m", flag: "--max-memory", in: CheckCommand.maxMemoryRange) == 1 << 20)
        #expect(try FlagValue.bytes("4G", flag: "--max-memory", in: CheckCommand.maxMemoryRange) == 4 << 30)
        #expect(throws: InputError.self) { try FlagValue.bytes("1025G", flag: "--max-memory", in: CheckCommand.maxMemoryRange) }
    }

    @Test("an error nested inside another names its Fix once (a scenario whose cluster file is missing)")
    func fixOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.json")
        try Data(#"{"cluster": "missing-model.json", "steps": []}"#.utf8).write(to: file)
        for command in [["run", file.path], ["check", file.path], ["sweep", file.path, "--seeds", "1"], ["--seed", "1", file.path]] {
            let out = SimulateCommand.execute(command)
            #expect(out.exitCode == 2)
            #expect(out.stderr.components(separatedBy: "Fix:").count == 2, "\(command[0]): \(out.stderr)")
        }
    }
}
