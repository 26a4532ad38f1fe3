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

    /// Exit codes shared by every subcommand (the table is `Help.exitCodes`).
    public enum Code {
        public static let held: Int32 = 0
        public static let violated: Int32 = 1
        public static let badInput: Int32 = 2
        public static let incomplete: Int32 = 3
    }

    static func badInput(_ error: InputError) -> CommandOutcome {
        CommandOutcome(exitCode: Code.badInput, stderr: TerminalText.escaped("error: \(errorLine(error))\n"))
    }

    /// `field: problem. Fix: fix`, with "Fix:" once even when a reader nested another error's
    /// whole description (its own "Fix:" included) into the problem.
    static func errorLine(_ error: InputError) -> String {
        error.problem.contains(" Fix: ") ? "\(error.field): \(error.problem)" : error.description
    }

    /// `command` is the subcommand's name ("" for the default run), for the pointer to its help.
    static func usage(_ error: UsageError, command: String) -> CommandOutcome {
        let help = command.isEmpty ? "simulate help" : "simulate help \(command)"
        return CommandOutcome(exitCode: Code.badInput,
                              stderr: TerminalText.escaped("error: \(error.message)\nRun `\(help)` for usage.\n"))
    }
}

/// Text for a terminal: model files are user input, so their strings (names, summaries,
/// namespaces) must not reach the terminal as control characters that move the cursor, clear the
/// screen or rewrite a line.
enum TerminalText {
    /// `text` with every control character but the line feed written as an escape: ESC as `\e`,
    /// carriage return as `\r`, tab as `\t`, the others (C0, DEL, C1) as `\u{hex}`.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out.unicodeScalars.append(scalar)
            case "\u{1B}": out += "\\e"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s != "\n" && (s.value < 0x20 || (0x7F...0x9F).contains(s.value))
    }
}
