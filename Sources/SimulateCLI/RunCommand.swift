import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate [MODEL] --seed N`: one simulated life of the cluster, as a timeline and a verdict per
/// property; `simulate run [MODEL]` is the same with the seed optional (a script leaves little open).
enum RunCommand {
    static let maxStepsRange = 1...100_000_000

    static func options(seedRequired: Bool) -> [Option] {
        [.valued("--seed", "N", "the run's seed (0 to 18446744073709551615)" + (seedRequired ? "; required" : "; default 0"))]
            + ModelOptions.options
            + [.valued("--max-steps", "N", "stop after N steps (1 to 100000000; default 100000): incomplete, exit 3"),
               .toggle("--json", "JSON Lines (docs/trace-format.md), \"schemaVersion\": 1 in the first line"), .help]
    }

    /// `simulate [MODEL] --seed N`, or with `scenarioCommand` set, `simulate run [MODEL] [--seed N]`.
    static func execute(_ arguments: [String], scenarioCommand: Bool = false) -> CommandOutcome {
        let command = scenarioCommand ? "run" : ""
        let args: Arguments
        let modelPath: String?
        do throws(UsageError) {
            args = try Arguments(arguments, options: options(seedRequired: !scenarioCommand))
            if args.has("--help") { return CommandOutcome(stdout: scenarioCommand ? Help.run : Help.main) }
            modelPath = try args.modelPath()
            if !scenarioCommand, let path = modelPath, args.value("--model") == nil, !looksLikeFile(path) {
                throw UsageError("unexpected argument \"\(path)\": not a command (\(SimulateCommand.subcommands.joined(separator: ", "))) "
                                 + "and no such model file")
            }
            if !scenarioCommand && args.value("--seed") == nil {
                throw UsageError("--seed is required, e.g. `simulate --seed 42`")
            }
        } catch { return .usage(error, command: command) }
        do throws(InputError) {
            let seed = try FlagValue.seed(args.value("--seed") ?? "0")
            let maxSteps = try args.value("--max-steps").map { t throws(InputError) in
                try FlagValue.integer(t, flag: "--max-steps", in: maxStepsRange)
            } ?? 100_000
            let scenario = try ModelOptions.loadScenario(args, modelPath: modelPath)
            let model = scenario.definition
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
        } catch {
            return .badInput(error)
        }
    }

    /// A positional argument of the default run is a model file if it names one or looks like a
    /// path; otherwise it is most likely a mistyped command.
    static func looksLikeFile(_ text: String) -> Bool {
        text.contains("/") || text.contains(".") || FileManager.default.fileExists(atPath: text)
    }
}
