/// The `simulate` command line: dispatches to a subcommand; no subcommand means one seeded run.
public enum SimulateCommand {
    static let subcommands = ["run", "check", "replay", "sweep", "bench", "review", "help",
                              "version"]

    /// The version line `simulate --version` prints.
    public static let version = Help.version

    /// Runs the command line `arguments` (without the program name) and returns what to print.
    /// `environment` provides Ctrl-C handling and progress for long tasks (`main` passes
    /// ``CommandEnvironment/process``; the default, ``CommandEnvironment/none``, provides neither).
    public static func execute(_ arguments: [String], environment: CommandEnvironment = .none) -> CommandOutcome {
        guard let first = arguments.first else {
            return CommandOutcome(exitCode: CommandOutcome.Code.badInput, stdout: Help.main,
                                  stderr: "error: no arguments; try `simulate --seed 1`\n")
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "help", "--help", "-h": return help(rest)
        case "version", "--version":
            guard rest.isEmpty else { return .usage(UsageError("\(first) takes no arguments"), command: "") }
            return CommandOutcome(stdout: version + "\n")
        case "sweep": return SweepCommand.execute(rest, environment: environment)
        case "run": return RunCommand.execute(rest, scenarioCommand: true)
        case "check": return CheckCommand.execute(rest, environment: environment)
        case "replay": return ReplayCommand.execute(rest)
        case "bench": return BenchCommand.execute(rest, environment: environment)
        case "review": return ReviewCommand.execute(rest, environment: environment)
        default: return RunCommand.execute(arguments)
        }
    }

    /// `simulate help [COMMAND]`.
    static func help(_ arguments: [String]) -> CommandOutcome {
        guard let command = arguments.first else { return CommandOutcome(stdout: Help.main) }
        guard arguments.count == 1, let text = Help.text(for: command) else {
            return .usage(UsageError("no help for \"\(arguments.joined(separator: " "))\"; commands are: \(subcommands.joined(separator: ", "))"),
                          command: "")
        }
        return CommandOutcome(stdout: text)
    }
}
