import RayClusterModel
import SimulationKernel

/// `simulate --seed N`: one simulated life of the cluster, as a timeline and a verdict per property.
enum RunCommand {
    static let switches = ["--json", "--help"]
    static let valued = ModelOptions.valued + ["--seed", "--max-steps"]

    static func execute(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do { args = try Arguments(arguments, valued: valued, switches: switches) } catch { return .usage(error, command: "") }
        if args.has("--help") { return CommandOutcome(stdout: Help.main) }
        if let extra = args.positional.first {
            return .usage(UsageError("unexpected argument \"\(extra)\"; subcommands are: \(SimulateCommand.subcommands.joined(separator: ", "))"), command: "")
        }
        guard let seedText = args.value("--seed") else {
            return .usage(UsageError("--seed is required, e.g. `simulate --seed 42`"), command: "")
        }
        do {
            let seed = try parseSeed(seedText)
            let model = try ModelOptions.load(args)
            var maxSteps = 100_000
            if let text = args.value("--max-steps") {
                guard let n = Int(text), n > 0 else { throw InputError.flag("--max-steps", "\"\(text)\" is not a positive whole number", "e.g. --max-steps 10000") }
                maxSteps = n
            }
            let simulator = Simulator(model: ClusterModel(model), limits: RunLimits(maxSteps: maxSteps))
            let result = simulator.run(seed: seed)
            let text = args.has("--json") ? TimelineFormat.jsonLines(result, model: model) : TimelineFormat.human(result, model: model)
            return CommandOutcome(exitCode: result.allHeld ? CommandOutcome.Code.held : CommandOutcome.Code.violated, stdout: text)
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
