import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate replay TRACE`: re-executes a counterexample through the simulator, step for step.
enum ReplayCommand {
    static func execute(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do { args = try Arguments(arguments, valued: [], switches: ["--help", "--json"]) } catch { return .usage(error, command: "replay ") }
        if args.has("--help") { return CommandOutcome(stdout: Help.replay) }
        guard args.positional.count == 1 else {
            return .usage(UsageError("replay takes exactly one trace file"), command: "replay ")
        }
        do {
            let trace = try TraceFile.read(args.positional[0])
            let check = reproduces(trace)
            guard check.ok else {
                return CommandOutcome(exitCode: CommandOutcome.Code.badInput, stderr: """
                    error: \(args.positional[0]) no longer reproduces: \(check.why). The model's rules changed since \
                    the trace was written. Fix: run `simulate check` again to find the current counterexample.\n
                    """)
            }
            var out = CommandOutcome(exitCode: CommandOutcome.Code.violated)
            if args.has("--json") {
                let r = Simulator(model: ClusterModel(trace.model)).replay(trace.steps.flatMap { $0 })
                out.stdout = TimelineFormat.jsonLines(r, model: trace.model)
            } else {
                out.stdout = timeline(trace, highlight: trace.property)
            }
            return out
        } catch {
            return .badInput(error)
        }
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

    /// The counterexample's timeline, ending at the violation, and the violated property.
    static func timeline(_ trace: TraceFile, highlight property: String) -> String {
        let model = ClusterModel(trace.model)
        let r = Simulator(model: model, limits: RunLimits(maxSteps: max(trace.steps.count, 1))).replay(trace.steps.flatMap { $0 })
        var out = CommandOutcome()
        out.line("counterexample for \(property) in model \(trace.model.name) (\(trace.steps.count) steps)")
        out.line(TimelineFormat.pad("0.000s", 10, right: true) + "  " + TimelineFormat.pad("cluster", 16) + "  " + TimelineFormat.initialLine(trace.model))
        for e in r.timeline {
            out.line(e.timelineLine)
        }
        if let v = r.verdict(property), !v.held {
            out.line("property \(property): VIOLATED at \(v.violatedAt!.secondsText) (step \(v.violatedAtStep!)): \(v.summary)")
        }
        return out.stdout
    }
}
