import Foundation
import SimulateCLI
import Testing

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

/// What a subprocess did, its output read from files (no pipe can fill up and stall it).
struct SubprocessResult {
    let code: Int32
    let stdout: String
    let stderr: String
    let seconds: Double
    /// Whether it ended by a signal rather than by `exit`.
    let signalled: Bool
}

/// Runs the built executable in `directory`; with `interruptAfter`, sends it SIGINT that many
/// seconds after the start. Kills it after `timeout` seconds (then `code` is the signal's).
func runSubprocess(_ binary: URL, _ args: [String], in directory: URL = packageRoot, interruptAfter: Double? = nil,
                   timeout: Double = 60) throws -> SubprocessResult {
    let scratch = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.currentDirectoryURL = directory
    p.standardOutput = try FileHandle(forWritingTo: outURL)
    p.standardError = try FileHandle(forWritingTo: errURL)
    let start = Date()
    try p.run()
    var interrupted = interruptAfter == nil
    while p.isRunning {
        let elapsed = Date().timeIntervalSince(start)
        if !interrupted, let after = interruptAfter, elapsed >= after {
            p.interrupt()
            interrupted = true
        }
        // SIGKILL: a child of Foundation's Process may inherit a mask that blocks SIGTERM.
        if elapsed > timeout { kill(p.processIdentifier, SIGKILL); break }
        usleep(20_000)
    }
    p.waitUntilExit()
    return SubprocessResult(code: p.terminationStatus,
                            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                            seconds: Date().timeIntervalSince(start),
                            signalled: p.terminationReason == .uncaughtSignal)
}

/// A model file like `models/ft-equal-timeouts.json` (whose check finds counterexamples) with
/// `fields` replaced, written to `directory`.
func modelFile(in directory: URL, _ fields: [String: Any], file: String = "model.json") throws -> URL {
    let base = try Data(contentsOf: URL(fileURLWithPath: path("models/ft-equal-timeouts.json")))
    var object = try #require(try JSONSerialization.jsonObject(with: base) as? [String: Any])
    for (key, value) in fields { object[key] = value }
    let url = directory.appendingPathComponent(file)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
    return url
}
