import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate sweep`: many seeds, one line per property, and the simulator's speed. This is the
/// benchmark of the simulator (build with `-c release`): it prints simulated events per second.
/// With `--vary` it sweeps settings with the checker instead (``SweepVaryCommand``).
enum SweepCommand {
    static let seedsRange = 1...100_000_000

    static let options: [Option] = ModelOptions.options + [
        .valued("--seeds", "COUNT", "how many seeds (1 to 100000000; default 1000)"),
        .valued("--from", "N", "first seed (0 to 18446744073709551615; default 0); the last seed,\nN + COUNT - 1, must not pass 18446744073709551615"),
        .repeated("--vary", "PARAM=FROM..TO/STEP",
                  "instead of seeds: check the model at every value FROM, FROM+STEP, ..., TO\n"
                  + "(whole seconds, 1 to 86400) of a setting (SETTINGS below); twice for a\n"
                  + "2-D grid, at most \(SweepGrid.maxPoints) points in all"),
        .valued("--granularity", "D", "with --vary: the checks' grid (default: the model's check\n"
                + "granularity, 1s); coarser is faster"),
        .valued("--out", "DIR",
                "with --vary: also write sweep.md, sweep.csv and sweep.svg (a heatmap)\n"
                + "into DIR, created if missing; default: write nothing"),
        .quiet,
        .toggle("--json", "one JSON object: schemaVersion, model, seeds, events, seconds,\n"
                + "eventsPerSecond, properties; with --vary: schemaVersion, model, vary,\n"
                + "points, boundary (docs/checking.md)"),
        .help,
    ]

    static func execute(_ arguments: [String], environment: CommandEnvironment = .none) -> CommandOutcome {
        let args: Arguments
        let modelPath: String?
        do throws(UsageError) {
            args = try Arguments(arguments, options: options)
            if args.has("--help") { return CommandOutcome(stdout: Help.sweep) }
            modelPath = try args.modelPath()
        } catch { return .usage(error, command: "sweep") }
        if !args.values("--vary").isEmpty {
            return SweepVaryCommand.execute(args, modelPath: modelPath, environment: environment)
        }
        do throws(InputError) {
            for flag in SweepVaryCommand.varyFlags where args.value(flag) != nil {
                throw .flag(flag, "belongs to a settings sweep, which needs --vary",
                            "add --vary PARAM=FROM..TO/STEP, or drop \(flag)")
            }
            let count = try FlagValue.integer(args.value("--seeds") ?? "1000", flag: "--seeds", in: seedsRange)
            let from = try FlagValue.seed(args.value("--from") ?? "0", flag: "--from")
            guard UInt64.max - from >= UInt64(count - 1) else {
                throw InputError.flag("--from", "seeds \(from) + \(count) run past \(UInt64.max)", "start lower or sweep fewer seeds")
            }
            let model = try ModelOptions.load(args, modelPath: modelPath)
            return run(model: model, from: from, count: count, json: args.has("--json"), quiet: args.has("--quiet"),
                       environment: environment)
        } catch {
            return .badInput(error)
        }
    }

    static func run(model: ModelDefinition, from: UInt64, count: Int, json: Bool, quiet: Bool,
                    environment: CommandEnvironment) -> CommandOutcome {
        let simulator = Simulator(model: ClusterModel(model))
        var firstViolation: [String: UInt64] = [:]
        var violations: [String: Int] = [:]
        var steps = 0
        var done = 0
        let start = DispatchTime.now().uptimeNanoseconds
        environment.longTask(quiet: quiet) {
            while done < count, !environment.isStopRequested {
                let seed = from + UInt64(done)
                let r = simulator.runQuietly(seed: seed)
                steps += r.steps
                for v in r.verdicts where !v.held {
                    violations[v.id, default: 0] += 1
                    if firstViolation[v.id] == nil { firstViolation[v.id] = seed }
                }
                done += 1
                environment.progress?.sweep(done: done, of: count)
            }
        }
        let interrupted = done < count
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(steps) / max(seconds, 1e-9)
        var out = CommandOutcome()
        let ids = ClusterProperties.ids
        if json {
            let props = ids.map { id in
                JSONText.object([("id", JSONText.quote(id)), ("violatedSeeds", String(violations[id] ?? 0)),
                                 ("firstViolatingSeed", firstViolation[id].map(String.init) ?? "null")])
            }
            out.line(JSONText.object([
                ("schemaVersion", String(TimelineFormat.schemaVersion)),
                ("model", JSONText.quote(model.name)),
                ("cluster", JSONText.object(model.clusterJSONFields)),
                ("seeds", String(done)), ("fromSeed", String(from)),
                ("interrupted", interrupted ? "true" : "false"),
                ("events", String(steps)), ("seconds", String(format: "%.3f", seconds)),
                ("eventsPerSecond", String(Int(rate))), ("properties", "[" + props.joined(separator: ",") + "]"),
            ]))
        } else {
            for line in model.headerLines { out.line(line) }
            out.line("seeds \(from)..<\(from &+ UInt64(done))" + (interrupted ? " (INCOMPLETE: interrupted after \(done) of \(count) seeds)" : ""))
            for id in ids {
                if let n = violations[id] {
                    out.line("property \(id): VIOLATED in \(n) of \(done) seeds (first: --seed \(firstViolation[id]!))")
                } else {
                    out.line("property \(id): held for all \(done) seeds")
                }
            }
            out.line(String(format: "simulated %d events (agenda events fired, one per step) in %.3f s: %.0f events/s (one core)", steps, seconds, rate))
            out.stdout = TerminalText.escaped(out.stdout)
        }
        out.exitCode = !violations.isEmpty ? CommandOutcome.Code.violated : interrupted ? CommandOutcome.Code.incomplete : CommandOutcome.Code.held
        return out
    }
}
