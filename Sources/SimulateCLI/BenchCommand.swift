import Foundation
import RayClusterModel
import SimulationKernel
import TwoPhaseCommit

/// `simulate bench`: the checker's benchmarks. `two-phase` is Lamport's TwoPhase commit (the
/// kernel's proof of genericity, compared against SPIN); `ray` shows how cost grows with workers.
enum BenchCommand {
    static func execute(_ arguments: [String]) -> CommandOutcome {
        guard let which = arguments.first, !which.hasPrefix("-") else {
            if arguments.contains("--help") || arguments.contains("-h") { return CommandOutcome(stdout: Help.bench) }
            return .usage(UsageError("bench needs a model: two-phase or ray"), command: "bench ")
        }
        let rest = Array(arguments.dropFirst())
        switch which {
        case "two-phase": return twoPhase(rest)
        case "ray": return ray(rest)
        default: return .usage(UsageError("unknown benchmark \"\(which)\"; use two-phase or ray"), command: "bench ")
        }
    }

    static func twoPhase(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do { args = try Arguments(arguments, valued: ["--rms", "--threads"], switches: ["--json", "--help"]) } catch { return .usage(error, command: "bench ") }
        if args.has("--help") { return CommandOutcome(stdout: Help.bench) }
        do {
            let rms = try CheckCommand.positive(args.value("--rms") ?? "5", flag: "--rms")
            guard rms <= TwoPhaseCommit.Model.maxResourceManagers else {
                throw InputError.flag("--rms", "\(rms) is more than \(TwoPhaseCommit.Model.maxResourceManagers)", "use 1 to \(TwoPhaseCommit.Model.maxResourceManagers)")
            }
            let threads = try CheckCommand.positive(args.value("--threads") ?? "1", flag: "--threads")
            let r = benchTwoPhase(rms: rms, threads: threads)
            var out = CommandOutcome(exitCode: r.verdict == .holds ? 0 : r.verdict == .violated ? 1 : 3)
            let bytesPerState = r.distinctStates > 0 ? Double(r.peakMemoryBytes) / Double(r.distinctStates) : 0
            if args.has("--json") {
                let bounds = JSONText.object([("faults", "[]"), ("maxFaults", "0"), ("granularityMs", "0"), ("horizonMs", "0")])
                let props = r.properties.map { p in
                    JSONText.object([("id", JSONText.quote(p.id)), ("verdict", JSONText.quote(p.verdict.rawValue)), ("trace", "null")])
                }
                out.stdout = CheckFormat.reportObject(r, extra: [
                    ("model", JSONText.quote("two-phase")), ("rms", String(rms)), ("symmetry", "false"), ("bounds", bounds),
                    ("worstCaseRecoveryMs", "null"), ("bytesPerState", String(format: "%.1f", bytesPerState)),
                    ("properties", "[" + props.joined(separator: ",") + "]"),
                ]) + "\n"
            } else {
                out.line("two-phase commit, \(rms) resource managers, symmetry off, \(threads) thread(s)")
                for p in r.properties { out.line("property \(p.id): \(p.verdict.rawValue)") }
                out.line(CheckFormat.statistics(r))
                out.line(String(format: "%.1f bytes of checker memory per distinct state", bytesPerState))
            }
            return out
        } catch let error as InputError {
            return .badInput(error)
        } catch {
            return .usage(UsageError("\(error)"), command: "bench ")
        }
    }

    static func ray(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do {
            args = try Arguments(arguments, valued: ["--workers", "--granularity", "--threads", "--max-faults", "--faults", "--horizon", "--max-states"],
                                 switches: ["--json", "--help", "--no-symmetry"])
        } catch { return .usage(error, command: "bench ") }
        if args.has("--help") { return CommandOutcome(stdout: Help.bench) }
        do {
            let maxWorkers = try CheckCommand.positive(args.value("--workers") ?? "3", flag: "--workers")
            guard maxWorkers <= 16 else { throw InputError.flag("--workers", "\(maxWorkers) is more than 16", "use 1 to 16") }
            var out = CommandOutcome()
            if !args.has("--json") {
                out.line("default model, bounds as `simulate check` (\(args.has("--no-symmetry") ? "symmetry off" : "symmetry on"))")
                out.line("workers  distinct states  transitions  seconds  verdict")
            }
            var rows: [String] = []
            for w in 1...maxWorkers {
                var passthrough = ["--threads", args.value("--threads") ?? "1"]
                for flag in ["--granularity", "--max-faults", "--faults", "--horizon", "--max-states"] {
                    if let v = args.value(flag) { passthrough += [flag, v] }
                }
                if args.has("--no-symmetry") { passthrough.append("--no-symmetry") }
                var settings = try CheckCommand.parse(try Arguments(passthrough, valued: CheckCommand.valued, switches: CheckCommand.switches))
                settings.model.spec.workers = w
                let r = Explorer(model: ClusterModel(settings.model, symmetry: settings.symmetry), options: settings.options).check()
                rows.append(JSONText.object([("workers", String(w)), ("distinctStates", String(r.distinctStates)),
                                             ("transitions", String(r.transitions)), ("seconds", String(format: "%.3f", r.seconds)),
                                             ("verdict", JSONText.quote(r.verdict.rawValue))]))
                if !args.has("--json") {
                    out.line(String(format: "%7d  %15d  %11d  %7.2f  %@", w, r.distinctStates, r.transitions, r.seconds, r.verdict.rawValue))
                }
            }
            if args.has("--json") { out.line("[" + rows.joined(separator: ",") + "]") }
            return out
        } catch let error as InputError {
            return .badInput(error)
        } catch {
            return .usage(error as? UsageError ?? UsageError("\(error)"), command: "bench ")
        }
    }
}
