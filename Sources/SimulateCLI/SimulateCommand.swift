/// The `simulate` command line: dispatches to a subcommand; no subcommand means one seeded run.
public enum SimulateCommand {
    static let subcommands = ["run", "check", "replay", "sweep", "bench"]

    /// Runs the command line `arguments` (without the program name) and returns what to print.
    public static func execute(_ arguments: [String]) -> CommandOutcome {
        if arguments.isEmpty {
            return CommandOutcome(exitCode: CommandOutcome.Code.badInput, stdout: Help.main, stderr: "error: no arguments; try `simulate --seed 1`\n")
        }
        switch arguments[0] {
        case "help", "--help", "-h": return CommandOutcome(stdout: Help.main)
        case "sweep": return SweepCommand.execute(Array(arguments.dropFirst()))
        case "run": return RunCommand.execute(Array(arguments.dropFirst()), scenarioCommand: true)
        case "check": return CheckCommand.execute(Array(arguments.dropFirst()))
        case "replay": return ReplayCommand.execute(Array(arguments.dropFirst()))
        case "bench": return BenchCommand.execute(Array(arguments.dropFirst()))
        default: return RunCommand.execute(arguments)
        }
    }
}
