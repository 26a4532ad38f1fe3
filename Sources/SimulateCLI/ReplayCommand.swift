import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate replay TRACE`: re-executes a counterexample through the simulator, step for step.
enum ReplayCommand {
    static let options: [Option] = [
        .toggle("--json", "JSON Lines (docs/trace-format.md) up to the violation, \"schemaVersion\": 1 in\nthe first line, and a last `counterexample` line naming the property"),
        .help,
    ]

    static func execute(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do throws(UsageError) {
            args = try Arguments(arguments, options: options)
            if args.has("--help") { return CommandOutcome(stdout: Help.replay) }
            guard args.positional.count == 1 else { throw UsageError("replay takes exactly one trace file") }
        } catch { return .usage(error, command: "replay") }
        do throws(InputError) {
            let trace = try TraceFile.read(args.positional[0])
            // The one run of the simulator: it checks that the trace still fits, and it is what is
            // printed.
            let replay = ClusterReplay(
                property: trace.property, steps: trace.steps,
                in: trace.clusterModel)
            if let problem = trace.problem(replay, path: args.positional[0]) { throw problem }
            var out = CommandOutcome(exitCode: CommandOutcome.Code.violated)
            out.stdout =
                args.has("--json")
                ? jsonLines(replay, model: trace.model) : timeline(replay, model: trace.model)
            return out
        } catch {
            return .badInput(error)
        }
    }

    /// The counterexample's run, stopped at its last step as the human replay is, as JSON Lines,
    /// then one `counterexample` record naming the violated property and where it failed.
    static func jsonLines(_ replay: ClusterReplay, model: ModelDefinition) -> String {
        let v = replay.run.verdict(replay.property)
        let last = JSONText.object([
            ("type", JSONText.quote("counterexample")),
            ("property", JSONText.quote(replay.property)),
            ("steps", String(replay.steps.count)),
            ("violatedAtStep", v?.violatedAtStep.map(String.init) ?? "null"),
            ("violatedAtMs", v?.violatedAt.map { String($0.milliseconds) } ?? "null"),
        ])
        return TimelineFormat.jsonLines(replay.run, model: model) + last + "\n"
    }

    /// The counterexample's timeline, ending at the violation, and the violated property: of a
    /// trace file (`simulate replay`) or of a check's own replay (`simulate check`).
    static func timeline(_ replay: ClusterReplay, model: ModelDefinition) -> String {
        let property = replay.property
        var out = CommandOutcome()
        let steps = "\(replay.steps.count) steps"
        out.line("counterexample for \(property) in model \(model.name) (\(steps))")
        out.line(TimelineFormat.pad("0.000s", 10, right: true) + "  " + TimelineFormat.pad("cluster", 16) + "  " + TimelineFormat.initialLine(model))
        for e in replay.run.timeline {
            out.line(e.timelineLine)
        }
        if let v = replay.run.verdict(property), !v.held {
            out.line("property \(property): VIOLATED at \(v.violatedAt!.secondsText) (step \(v.violatedAtStep!)): \(v.summary)")
        }
        return TerminalText.escaped(out.stdout)
    }
}
