import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate check`: explores every interleaving of the model within its bounds and either proves
/// the properties or shows the shortest counterexample (written as a trace file only on request).
enum CheckCommand {
    static let maxStatesRange = 1...1_000_000_000_000
    static let maxMemoryRange = (1 << 20)...(1 << 40)
    static let maxSecondsLimit = 604_800.0
    static let threadsRange = 1...64

    static let options: [Option] = ModelOptions.options + [
        .valued("--time", "MODE", "how time is explored: zones (every real-valued time at once;\ncounterexamples made concrete on a 1 ms grid and replayed; the default) or\ngrid (every time and duration on the --granularity grid; the default when\n--granularity, --threads, --exact or --no-symmetry is given); docs/checking.md"),
        .valued("--granularity", "D", "the grid for fault times and durations (default: the model's check\ngranularity, 1s); coarser is faster, finer covers more; --time grid only"),
        .valued("--max-states", "N", "stop with verdict incomplete at the end of the search level in which\nmore than N distinct states are stored (1 to 10^12; default 10^9)"),
        .valued("--max-memory", "BYTES", "stop with verdict incomplete past this memory, with a K, M, G or T\nsuffix (1M to 1T; default half of RAM), e.g. 4G"),
        .valued("--max-seconds", "S", "stop with verdict incomplete after S seconds (more than 0, at most\n604800, a week; default 3600)"),
        .valued("--threads", "N", "search threads (1 to 64; default 1); the result is the same for any N"),
        .toggle("--no-symmetry", "do not merge states that differ only by renaming workers"),
        .toggle("--exact", "keep whole states instead of 64-bit fingerprints (small models only;\none thread, so not with --threads)"),
        .valued("--property", "ID[,ID...]", Help.wrapped(
            "check only these properties, comma-separated: "
                + ClusterProperties.ids.joined(separator: ", ")
                + "; default: every one (a scenario's expectations about the others are "
                + "not checked)")),
        .toggle("--stop-at-first", "stop at the end of the first search level where a property is\n"
                + "violated (the others stay not decided); default: go on until every\n"
                + "property has its verdict or a limit stops it (a scenario with `expect`\n"
                + "always goes on)"),
        .valued("--trace-out", "PATH|DIR", "write each violated property's shortest counterexample there (see\nTRACE FILES); default: write nothing"),
        .quiet,
        .toggle("--json", "one JSON object with \"schemaVersion\": 1, verdict, stopReason, counts,\npeakResidentBytes, bounds, properties (docs/checking.md)"),
        .help,
    ]

    struct Settings {
        var model: ModelDefinition
        var expectations: [Scenario.Expectation] = []
        var symmetry: Bool
        var options: CheckOptions
        var traces: TracePlacement
        var json: Bool
        var quiet: Bool
        var time: ClusterCheck.TimeEngine = .grid
    }

    static func execute(_ arguments: [String], environment: CommandEnvironment = .none) -> CommandOutcome {
        let args: Arguments
        let modelPath: String?
        do throws(UsageError) {
            args = try Arguments(arguments, options: options)
            if args.has("--help") { return CommandOutcome(stdout: Help.check) }
            modelPath = try args.modelPath()
        } catch { return .usage(error, command: "check") }
        do throws(InputError) {
            var settings = try parse(args, modelPath: modelPath)
            try settings.traces.prepare()
            settings.options.control = environment.control
            return run(settings, environment: environment)
        } catch {
            return .badInput(error)
        }
    }

    static func parse(_ args: Arguments, modelPath: String?) throws(InputError) -> Settings {
        let scenario = try ModelOptions.loadScenario(args, modelPath: modelPath)
        var model = scenario.definition
        model.timing.granularity = try granularity(args) ?? model.checkGranularity
        let checked = try properties(args)
        model.checkedProperties = checked
        // Every property gets its verdict unless --stop-at-first asks for the old behaviour; a
        // scenario's expectations need their verdicts, so its search never stops at the first.
        let stop = args.has("--stop-at-first") && scenario.expectations.isEmpty
        let options = try checkOptions(args, stopAtFirstViolation: stop)
        let time = try timeEngine(args)
        if time == .zones {
            if args.value("--granularity") != nil {
                throw .flag("--granularity", "the grid is not used with --time zones",
                            "drop --granularity, or use --time grid")
            }
            if options.threads > 1 || options.visited == .exactStates {
                throw .flag("--time", "zones search on one thread with fingerprints",
                            "drop --threads and --exact, or use --time grid")
            }
        }
        // Expectations about a property --property leaves out are not checked.
        let expectations = scenario.expectations.filter { checked?.contains($0.property) ?? true }
        return Settings(
            model: model, expectations: expectations,
            symmetry: !args.has("--no-symmetry") && time == .grid,
            options: options, traces: TracePlacement(args.value("--trace-out")),
            json: args.has("--json"), quiet: args.has("--quiet"), time: time)
    }

    /// `--property ID[,ID...]`: the ids to check, in the model's order; nil when not given.
    static func properties(_ args: Arguments) throws(InputError) -> [String]? {
        guard let text = args.value("--property") else { return nil }
        let valid = ClusterProperties.ids
        let fix = "use one or more of " + valid.joined(separator: ", ")
            + ", separated by commas"
        var ids: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let id = item.trimmingCharacters(in: .whitespaces)
            guard valid.contains(id) else {
                let shown = id.isEmpty ? "an empty id" : InputText.quoted(id)
                throw .flag("--property", "\(shown) is not a property", fix)
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return valid.filter(ids.contains)
    }

    /// `--time`: zones by default, grid when a grid-only flag (`--granularity`, `--threads`,
    /// `--exact`, `--no-symmetry`) asks for it.
    static func timeEngine(_ args: Arguments) throws(InputError) -> ClusterCheck.TimeEngine {
        guard let text = args.value("--time") else {
            let gridOnly = ["--granularity", "--threads", "--exact", "--no-symmetry"]
            return gridOnly.contains { args.has($0) || args.value($0) != nil } ? .grid : .zones
        }
        guard let time = ClusterCheck.TimeEngine(rawValue: text) else {
            throw .flag("--time", "\"\(text)\" is not a way to explore time",
                        "use --time grid or --time zones")
        }
        return time
    }

    /// `--granularity`, or nil when not given; `bench ray` reads it the same way.
    static func granularity(_ args: Arguments) throws(InputError) -> SimDuration? {
        guard let text = args.value("--granularity") else { return nil }
        guard let g = try? SimDuration(parsing: text), g > .zero else {
            throw .flag("--granularity", "\"\(text)\" is not a positive duration",
                        "e.g. --granularity 1s (coarser grids check faster)")
        }
        return g
    }

    /// The search's limits, threads and store from the flags; `bench ray` declares a subset of
    /// them, and a flag it does not declare reads as not given.
    static func checkOptions(
        _ args: Arguments, stopAtFirstViolation: Bool = true
    ) throws(InputError) -> CheckOptions {
        var limits = CheckLimits()
        if let text = args.value("--max-states") { limits.maxStates = try FlagValue.integer(text, flag: "--max-states", in: maxStatesRange) }
        if let text = args.value("--max-memory") { limits.maxMemoryBytes = try FlagValue.bytes(text, flag: "--max-memory", in: maxMemoryRange) }
        if let text = args.value("--max-seconds") {
            limits.maxSeconds = try FlagValue.seconds(text, flag: "--max-seconds", max: maxSecondsLimit)
        }
        let threads = try args.value("--threads").map { text throws(InputError) in
            try FlagValue.integer(text, flag: "--threads", in: threadsRange)
        } ?? 1
        if args.has("--exact"), threads > 1 {
            throw .flag("--threads", "--exact searches on one thread, so --threads \(threads) would be ignored", "drop --threads or --exact")
        }
        return CheckOptions(
            limits: limits, threads: threads,
            visited: args.has("--exact") ? .exactStates : .fingerprints,
            stopAtFirstViolation: stopAtFirstViolation)
    }

    static func run(_ s: Settings, environment: CommandEnvironment = .none) -> CommandOutcome {
        let check = ClusterCheck(
            s.model, granularity: s.model.timing.granularity, symmetry: s.symmetry,
            options: s.options, time: s.time)
        let result = environment.longTask(quiet: s.quiet) { check.run() }
        let report = result.report
        // With zones a check takes milliseconds, so a broken timeout rule comes with the least
        // value that makes it hold, found by checking (scenarios state their own expectations).
        let survive = report.property(ClusterProperties.workersSurvive.id)?.verdict
        let fixes = s.time == .zones && survive == .violated && s.expectations.isEmpty
            ? environment.longTask(quiet: s.quiet) { check.leastSafeWorkerTimeouts() } : []
        var out = CommandOutcome()
        out.exitCode = report.verdict.exitCode
        let expectations = s.expectations.compactMap { e -> ExpectationResult? in
            guard let verdict = report.property(e.property)?.verdict else { return nil }
            return ExpectationResult(property: e.property, expected: e.verdict,
                                     actual: verdict.expectationWord, decided: verdict.isDecided)
        }
        if !expectations.isEmpty { out.exitCode = ExpectationResult.exitCode(expectations) }
        // A scenario that behaved as expected has nothing to keep.
        let allMet = !expectations.isEmpty && expectations.allSatisfy(\.met)
        let wanted = allMet ? [] : result.counterexamples
        let paths = s.traces.paths(model: s.model.name, properties: wanted.map(\.property))
        let (traces, writeError) = TraceFile.write(counterexamplesOf: result, to: paths)
        if let writeError {
            // The check's result is kept: printed, with the error and exit 2.
            out.stderr += CommandOutcome.badInput(writeError).stderr
            out.exitCode = CommandOutcome.Code.badInput
        }
        out.stdout =
            s.json
            ? CheckFormat.json(result, s, traces, expectations, fixes: fixes)
            : CheckFormat.human(result, s, traces, expectations, fixes: fixes)
        return out
    }
}
