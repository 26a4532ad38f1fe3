import Foundation
import SimulateCLI

/// The package root, found from this file's location.
let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

/// Runs the command line in-process.
func simulate(_ args: String...) -> CommandOutcome { SimulateCommand.execute(args) }

/// The built `simulate` executable, next to the test bundle (the test target depends on it).
func simulateBinary() -> URL? {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("simulate"),
        Bundle.main.bundleURL.appendingPathComponent("simulate"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("simulate"),
        packageRoot.appendingPathComponent(".build/debug/simulate"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs the built executable in a separate process and returns its exit code and output.
func runProcess(_ binary: URL, _ args: [String]) throws -> (code: Int32, stdout: Data, stderr: Data) {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.currentDirectoryURL = packageRoot
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, o, e)
}
