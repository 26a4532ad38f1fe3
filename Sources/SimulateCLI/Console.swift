import RayClusterModel

/// What a command printed and how it ended; `main` writes it out. Keeping output as values makes
/// every command testable in-process, byte for byte.
public struct CommandOutcome: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32 = 0, stdout: String = "", stderr: String = "") {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    mutating func line(_ text: String = "") { stdout += text + "\n" }

    /// Exit codes shared by every subcommand.
    public enum Code {
        public static let held: Int32 = 0
        public static let violated: Int32 = 1
        public static let badInput: Int32 = 2
        public static let incomplete: Int32 = 3
    }

    static func badInput(_ error: InputError) -> CommandOutcome {
        CommandOutcome(exitCode: Code.badInput, stderr: "error: \(error.description)\n")
    }

    static func usage(_ error: UsageError, command: String) -> CommandOutcome {
        CommandOutcome(exitCode: Code.badInput, stderr: "error: \(error.message)\nRun `simulate \(command)--help` for usage.\n")
    }
}
