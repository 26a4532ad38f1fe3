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
            let check = reproduces(trace)
            guard check.ok else {
                return .badInput(InputError(field: "TRACE", problem: "\(args.positional[0]) no longer reproduces: \(check.why); "
                                            + "the model's rules changed since the trace was written",
                                            fix: "run `simulate check` again to find the current counterexample"))
            }
            var out = CommandOutcome(exitCode: CommandOutcome.Code.violated)
            if args.has("--json") {
                out.stdout = jsonLines(trace)
            } else {
                out.stdout = timeline(model: trace.model, steps: trace.steps, highlight: trace.property)
            }
            return out
        } catch {
            return .badInput(error)
        }
    }

    /// The counterexample's run, stopped at its last step as the human replay is, as JSON Lines,
    /// then one `counterexample` record naming the violated property and where it failed.
    static func jsonLines(_ trace: TraceFile) -> String {
        let r = run(model: trace.model, steps: trace.steps)
        let v = r.verdict(trace.property)
        let last = JSONText.object([
            ("type", JSONText.quote("counterexample")),
            ("property", JSONText.quote(trace.property)),
            ("steps", String(trace.steps.count)),
            ("violatedAtStep", v?.violatedAtStep.map(String.init) ?? "null"),
            ("violatedAtMs", v?.violatedAt.map { String($0.milliseconds) } ?? "null"),
        ])
        return TimelineFormat.jsonLines(r, model: trace.model) + last + "\n"
    }

    /// The run of a counterexample's steps, cut at its last step.
    static func run(model: ModelDefinition, steps: [[Int]]) -> RunResult<ClusterModel> {
        Simulator(model: ClusterModel(model), limits: RunLimits(maxSteps: max(steps.count, 1))).replay(steps.flatMap { $0 })
    }

    /// Whether the trace still leads, in exactly its number of steps, to its violating state.
    ///
    /// `TraceFile.read` has already rejected an edited trace (model, digest, property, choices out
    /// of range), so a failure here means the model's rules changed. A trace built in code is
    /// checked the same way first, so this never traps on a choice the model does not offer.
    static func reproduces(_ trace: TraceFile) -> (ok: Bool, why: String) {
        do { try trace.model.validate(names: .encoded(under: "model")) } catch {
            return (false, "\(error.field): \(error.problem)")
        }
        if let problem = TraceFile.stepProblem(trace) { return (false, "\(problem.field): \(problem.problem)") }
        let model = ClusterModel(trace.model, symmetry: trace.symmetry)
        let script = trace.steps.flatMap { $0 }
        let cut = Simulator(model: model, limits: RunLimits(maxSteps: max(trace.steps.count, 1))).replay(script)
        guard cut.steps == trace.steps.count else { return (false, "the run ended after \(cut.steps) of \(trace.steps.count) steps") }
        var final = cut.finalState
        model.canonicalize(&final)
        guard hex16(final.fingerprint) == trace.violatingFingerprint else {
            return (false, "after \(trace.steps.count) steps the world differs from the recorded one")
        }
        guard cut.verdict(trace.property)?.held == false else { return (false, "property \(trace.property) holds on the replayed path") }
        return (true, "")
    }

    /// The counterexample's timeline, ending at the violation, and the violated property: from a
    /// trace file (`simulate replay`) or straight from a check's report (`simulate check`).
    static func timeline(model: ModelDefinition, steps: [[Int]], highlight property: String) -> String {
        let r = run(model: model, steps: steps)
        var out = CommandOutcome()
        out.line("counterexample for \(property) in model \(model.name) (\(steps.count) steps)")
        out.line(TimelineFormat.pad("0.000s", 10, right: true) + "  " + TimelineFormat.pad("cluster", 16) + "  " + TimelineFormat.initialLine(model))
        for e in r.timeline {
            out.line(e.timelineLine)
        }
        if let v = r.verdict(property), !v.held {
            out.line("property \(property): VIOLATED at \(v.violatedAt!.secondsText) (step \(v.violatedAtStep!)): \(v.summary)")
        }
        return TerminalText.escaped(out.stdout)
    }
}
