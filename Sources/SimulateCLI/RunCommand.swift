import RayClusterModel
import SimulationKernel

/// `simulate --seed N`: one simulated life of the cluster, as a timeline and a verdict per property.
enum RunCommand {
    static let switches = ["--json", "--help"]
    static let valued = ModelOptions.valued + ["--seed", "--max-steps"]

    /// `simulate --seed N [--model FILE]`, or with `scenario` set, `simulate run SCENARIO [--seed N]`.
    static func execute(_ arguments: [String], scenarioCommand: Bool = false) -> CommandOutcome {
        let args: Arguments
        let command = scenarioCommand ? "run " : ""
        do { args = try Arguments(arguments, valued: valued, switches: switches) } catch { return .usage(error, command: command) }
        if args.has("--help") { return CommandOutcome(stdout: scenarioCommand ? Help.run : Help.main) }
        if scenarioCommand && args.positional.count != 1 {
            return .usage(UsageError("run takes exactly one scenario or model file"), command: command)
        }
        if !scenarioCommand, let extra = args.positional.first {
            return .usage(UsageError("unexpected argument \"\(extra)\"; subcommands are: \(SimulateCommand.subcommands.joined(separator: ", "))"), command: "")
        }
        guard let seedText = args.value("--seed") ?? (scenarioCommand ? "0" : nil) else {
            return .usage(UsageError("--seed is required, e.g. `simulate --seed 42`"), command: "")
        }
        do {
            let seed = try parseSeed(seedText)
            let scenario = try ModelOptions.loadScenario(args, modelPath: args.positional.first)
            let model = scenario.definition
            var maxSteps = 100_000
            if let text = args.value("--max-steps") {
                guard let n = Int(text), n > 0 else { throw InputError.flag("--max-steps", "\"\(text)\" is not a positive whole number", "e.g. --max-steps 10000") }
                maxSteps = n
            }
            let simulator = Simulator(model: ClusterModel(model), limits: RunLimits(maxSteps: maxSteps))
            let result = simulator.run(seed: seed)
            let expectations = scenario.expectations.map { e in
                ExpectationResult(property: e.property, expected: e.verdict, actual: result.verdict(e.property)!.held ? "held" : "violated")
            }
            let text = args.has("--json")
                ? TimelineFormat.jsonLines(result, model: model, expectations: expectations)
                : TimelineFormat.human(result, model: model, expectations: expectations)
            let ok = expectations.isEmpty ? result.allHeld : expectations.allSatisfy(\.met)
            let truncated = result.end == .stepLimit && ok
            return CommandOutcome(exitCode: truncated ? CommandOutcome.Code.incomplete : ok ? CommandOutcome.Code.held : CommandOutcome.Code.violated,
                                  stdout: text)
        } catch let error as InputError {
            return .badInput(error)
        } catch {
            return CommandOutcome(exitCode: CommandOutcome.Code.badInput, stderr: "error: \(error)\n")
        }
    }

    static func parseSeed(_ text: String) throws(InputError) -> UInt64 {
        guard let seed = UInt64(text) else {
            throw .flag("--seed", "\"\(text)\" is not a whole number from 0 to \(UInt64.max)", "e.g. --seed 42")
        }
        return seed
    }
}
