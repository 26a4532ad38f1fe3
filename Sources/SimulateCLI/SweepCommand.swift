import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate sweep`: many seeds, one line per property, and the simulator's speed. This is the
/// benchmark of the simulator (build with `-c release`): it prints simulated events per second.
enum SweepCommand {
    static let valued = ModelOptions.valued + ["--seeds", "--from"]
    static let switches = ["--json", "--help"]

    static func execute(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do { args = try Arguments(arguments, valued: valued, switches: switches) } catch { return .usage(error, command: "sweep ") }
        if args.has("--help") { return CommandOutcome(stdout: Help.sweep) }
        do {
            let model = try ModelOptions.load(args, modelPath: args.positional.first)
            let count = try positive(args.value("--seeds") ?? "1000", flag: "--seeds")
            let from = try RunCommand.parseSeed(args.value("--from") ?? "0")
            let simulator = Simulator(model: ClusterModel(model))
            var firstViolation: [String: UInt64] = [:]
            var violations: [String: Int] = [:]
            var steps = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<UInt64(count) {
                let seed = from &+ i
                let r = simulator.runQuietly(seed: seed)
                steps += r.steps
                for v in r.verdicts where !v.held {
                    violations[v.id, default: 0] += 1
                    if firstViolation[v.id] == nil { firstViolation[v.id] = seed }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(steps) / max(seconds, 1e-9)
            var out = CommandOutcome()
            let ids = ClusterProperties.ids
            if args.has("--json") {
                let props = ids.map { id in
                    JSONText.object([("id", JSONText.quote(id)), ("violatedSeeds", String(violations[id] ?? 0)),
                                     ("firstViolatingSeed", firstViolation[id].map(String.init) ?? "null")])
                }
                out.line(JSONText.object([
                    ("model", JSONText.quote(model.name)), ("seeds", String(count)), ("fromSeed", String(from)),
                    ("events", String(steps)), ("seconds", String(format: "%.3f", seconds)),
                    ("eventsPerSecond", String(Int(rate))), ("properties", "[" + props.joined(separator: ",") + "]"),
                ]))
            } else {
                for line in model.headerLines { out.line(line) }
                out.line("seeds \(from)..<\(from &+ UInt64(count))")
                for id in ids {
                    if let n = violations[id] {
                        out.line("property \(id): VIOLATED in \(n) of \(count) seeds (first: --seed \(firstViolation[id]!))")
                    } else {
                        out.line("property \(id): held for all \(count) seeds")
                    }
                }
                out.line(String(format: "simulated %d events (agenda events fired, one per step) in %.3f s: %.0f events/s (one core)", steps, seconds, rate))
            }
            out.exitCode = violations.isEmpty ? CommandOutcome.Code.held : CommandOutcome.Code.violated
            return out
        } catch {
            return .badInput(error)
        }
    }

    static func positive(_ text: String, flag: String) throws(InputError) -> Int {
        guard let n = Int(text), n > 0 else { throw .flag(flag, "\"\(text)\" is not a positive whole number", "e.g. \(flag) 1000") }
        return n
    }
}
