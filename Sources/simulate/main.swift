import Foundation
import SimulateCLI

// The process's environment: Ctrl-C stops a check or sweep with the figures so far (exit 3), and
// progress goes to standard error when it is a terminal.
let outcome = SimulateCommand.execute(Array(CommandLine.arguments.dropFirst()), environment: .process)
FileHandle.standardOutput.write(Data(outcome.stdout.utf8))
FileHandle.standardError.write(Data(outcome.stderr.utf8))
exit(outcome.exitCode)
