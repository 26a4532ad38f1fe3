import Foundation
import RayClusterModel
import SimulationKernel
import TwoPhaseCommit

/// `simulate bench`: the checker's benchmarks. `two-phase` is Lamport's TwoPhase commit (the
/// kernel's proof of genericity, compared against SPIN); `ray` shows how cost grows with workers.
enum BenchCommand {
    static let workersRange = 1...16

    static let twoPhaseOptions: [Option] = [
        .valued("--rms", "N", "resource managers (1 to \(TwoPhaseCommit.Model.maxResourceManagers); default 5)"),
        .valued("--threads", "T", "search threads (1 to 64; default 1)"),
        .quiet,
        .toggle("--json", "one JSON object with \"schemaVersion\": 1 and the fields of `simulate check`"),
        .help,
    ]

    static let rayOptions: [Option] = [
        .valued("--workers", "N", "check the default model with 1, 2, ... N workers (1 to 16; default 3)"),
        .valued("--granularity", "D", "as for `simulate check`"),
        .valued("--faults", "LIST", "as for `simulate check`"),
        .valued("--max-faults", "K", "as for `simulate check`"),
        .valued("--horizon", "D", "as for `simulate check`"),
        .valued("--max-states", "N", "as for `simulate check`, for each size"),
        .valued("--threads", "T", "search threads (1 to 64; default 1)"),
        .toggle("--no-symmetry", "do not merge states that differ only by renaming workers"),
        .quiet,
        .toggle("--json", "one JSON object: {\"schemaVersion\": 1, \"benchmark\": \"ray\", \"rows\": [...]}"),
        .help,
    ]

    static func execute(_ arguments: [String], environment: CommandEnvironment = .none) -> CommandOutcome {
        guard let which = arguments.first, !which.hasPrefix("-") else {
            if arguments.contains("--help") || arguments.contains("-h") { return CommandOutcome(stdout: Help.bench) }
            return .usage(UsageError("bench needs a benchmark: two-phase, ray or zones"), command: "bench")
        }
        let rest = Array(arguments.dropFirst())
        switch which {
        case "two-phase": return twoPhase(rest, environment: environment)
        case "ray": return ray(rest, environment: environment)
        case "zones": return BenchZones.execute(rest, environment: environment)
        default: return .usage(UsageError("unknown benchmark \"\(which)\"; use two-phase, ray or zones"), command: "bench")
        }
    }

    static func twoPhase(_ arguments: [String], environment: CommandEnvironment) -> CommandOutcome {
        let args: Arguments
        do throws(UsageError) {
            args = try Arguments(arguments, options: twoPhaseOptions)
            if let extra = args.positional.first { throw UsageError("unexpected argument \"\(extra)\"") }
        } catch { return .usage(error, command: "bench") }
        if args.has("--help") { return CommandOutcome(stdout: Help.bench) }
        do throws(InputError) {
            let rms = try FlagValue.integer(args.value("--rms") ?? "5", flag: "--rms", in: 1...TwoPhaseCommit.Model.maxResourceManagers)
            let threads = try FlagValue.integer(args.value("--threads") ?? "1", flag: "--threads", in: CheckCommand.threadsRange)
            let options = CheckOptions(threads: threads, control: environment.control)
            let r = environment.longTask(quiet: args.has("--quiet")) {
                Explorer(model: TwoPhaseCommit.Model(resourceManagers: rms), options: options).check()
            }
            var out = CommandOutcome(exitCode: r.verdict.exitCode)
            let bytesPerState = r.distinctStates > 0 ? Double(r.peakMemoryBytes) / Double(r.distinctStates) : 0
            if args.has("--json") {
                let bounds = JSONText.object([("faults", "[]"), ("maxFaults", "0"), ("granularityMs", "0"), ("horizonMs", "0")])
                let props = r.properties.map { p in
                    JSONText.object([("id", JSONText.quote(p.id)),
                                     ("verdict", JSONText.quote(p.verdict.jsonValue)),
                                     ("trace", "null")])
                }
                out.stdout = CheckFormat.reportObject(r, extra: [
                    ("benchmark", JSONText.quote("two-phase")),
                    ("model", JSONText.quote("two-phase")), ("rms", String(rms)), ("symmetry", "false"), ("bounds", bounds),
                    ("worstCaseRecoveryMs", "null"), ("bytesPerState", String(format: "%.1f", bytesPerState)),
                    ("properties", "[" + props.joined(separator: ",") + "]"),
                ]) + "\n"
            } else {
                out.line("two-phase commit, \(rms) resource managers, symmetry off, \(threads) thread(s)")
                for p in r.properties { out.line("property \(p.id): \(p.verdict.jsonValue)") }
                out.line(CheckFormat.statistics(r))
                out.line(String(format: "%.1f bytes of the checker's own structures per distinct state", bytesPerState))
            }
            return out
        } catch {
            return .badInput(error)
        }
    }

    static func ray(_ arguments: [String], environment: CommandEnvironment) -> CommandOutcome {
        let args: Arguments
        do throws(UsageError) {
            args = try Arguments(arguments, options: rayOptions)
            if let extra = args.positional.first {
                throw UsageError("unexpected argument \"\(extra)\"; bench ray checks the default model")
            }
        } catch { return .usage(error, command: "bench") }
        if args.has("--help") { return CommandOutcome(stdout: Help.bench) }
        do throws(InputError) {
            let maxWorkers = try FlagValue.integer(args.value("--workers") ?? "3", flag: "--workers", in: workersRange)
            // The flags `simulate check` reads, read by the same functions from this command's own.
            var model = try ModelOptions.overrides(args, EmbeddedModels.kuberaySample)
            let granularity = try CheckCommand.granularity(args) ?? model.checkGranularity
            var options = try CheckCommand.checkOptions(args)
            options.control = environment.control
            let symmetry = !args.has("--no-symmetry")
            var out = CommandOutcome()
            let json = args.has("--json")
            if !json {
                let shown = symmetry ? "symmetry on" : "symmetry off"
                out.line("default model, bounds as `simulate check` (\(shown))")
                out.line("workers  distinct states  transitions  seconds  verdict")
            }
            var rows: [String] = []
            var interrupted = false
            for w in 1...maxWorkers where !interrupted {
                model.spec.workers = w
                let check = ClusterCheck(
                    model, granularity: granularity, symmetry: symmetry, options: options)
                let r = environment.longTask(quiet: args.has("--quiet")) { check.run() }.report
                interrupted = r.stopReason == .interrupted
                rows.append(JSONText.object([("workers", String(w)), ("distinctStates", String(r.distinctStates)),
                                             ("transitions", String(r.transitions)), ("seconds", String(format: "%.3f", r.seconds)),
                                             ("stopReason", JSONText.quote(r.stopReason.rawValue)),
                                             ("verdict", JSONText.quote(r.verdict.jsonValue))]))
                if !json {
                    out.line(String(format: "%7d  %15d  %11d  %7.2f  %@", w, r.distinctStates, r.transitions, r.seconds,
                                    r.verdict.jsonValue + (interrupted ? " (interrupted)" : "")))
                }
            }
            if json {
                out.line(JSONText.object([("schemaVersion", String(TimelineFormat.schemaVersion)), ("benchmark", JSONText.quote("ray")),
                                          ("interrupted", interrupted ? "true" : "false"),
                                          ("rows", "[" + rows.joined(separator: ",") + "]")]))
            }
            if interrupted { out.exitCode = CommandOutcome.Code.incomplete }
            return out
        } catch {
            return .badInput(error)
        }
    }
}
