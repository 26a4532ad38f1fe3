import Foundation
import Testing
import SimulateCLI

/// One bad input, one message: exit 2, `error: <field>: …`, one "Fix:", nothing on stdout.
func expectOneClearMessage(_ out: CommandOutcome, field: String? = nil, contains text: String? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(out.exitCode == 2, "exit \(out.exitCode): \(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stdout.isEmpty, "stdout: \(out.stdout.prefix(200))", sourceLocation: sourceLocation)
    #expect(out.stderr.hasPrefix("error: "), "\(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stderr.hasSuffix("\n") && out.stderr.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 1,
            "not one line: \(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stderr.components(separatedBy: "Fix:").count == 2, "\(out.stderr)", sourceLocation: sourceLocation)
    // A field comes first: `error: <field>: <problem>. Fix: …`.
    let head = out.stderr.dropFirst("error: ".count).components(separatedBy: ". Fix:").first ?? ""
    #expect(head.contains(": ") && !head.hasPrefix(":"), "no field named: \(out.stderr)", sourceLocation: sourceLocation)
    for leak in ["Dictionary<", "CodingKeys", "DecodingError", "Swift.", "Optional("] {
        #expect(!out.stderr.contains(leak), "\(out.stderr)", sourceLocation: sourceLocation)
    }
    if let field { #expect(out.stderr.hasPrefix("error: \(field): "), "\(out.stderr)", sourceLocation: sourceLocation) }
    if let text { #expect(out.stderr.contains(text), "\(out.stderr)", sourceLocation: sourceLocation) }
}

@Suite("Bad input through the command line: exit 2 with one clear message")
struct InputHardeningCLITests {
    @Test("`simulate check` of a scenario with check.granularity 0s exits 2 (it used to trap, exit 132)")
    func scenarioGranularityZero() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("zero-grid.json")
        try Data(#"{"steps": [{"at": "1s", "do": "gcs-process-kill"}], "check": {"granularity": "0s"}}"#.utf8).write(to: file)
        for command in [["check", file.path], ["run", file.path]] {
            expectOneClearMessage(SimulateCommand.execute(command), field: "check.granularity", contains: "must be positive")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["zero-grid.json"])
    }

    @Test("--model reads a pipe through /dev/fd, as process substitution passes it")
    func modelFromPipe() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(try Data(contentsOf: URL(fileURLWithPath: path("models/no-ft.json"))))
        try pipe.fileHandleForWriting.close()
        let out = simulate("--seed", "1", "--model", "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(out.stdout.contains("model no-fault-tolerance"))
    }

    @Test("the built command reads `--model <(cat file)` in a real shell")
    func processSubstitution() throws {
        guard let binary = simulateBinary(), FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        let script = "\"\(binary.path)\" --seed 1 --model <(cat models/no-ft.json)"
        let r = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        #expect(r.code == 1, "\(String(decoding: r.stderr, as: UTF8.self))")
        #expect(String(decoding: r.stdout, as: UTF8.self).contains("model no-fault-tolerance"))
    }

    @Test("a directory given as the model names the problem")
    func directory() {
        expectOneClearMessage(simulate("--seed", "1", "--model", path("models")), field: "(file)", contains: "is a directory")
    }

    @Test("syntax errors on the command line carry line and column")
    func syntax() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = [("{\n  \"name\": \"x\",\n  \"name\": \"y\"\n}", "key \"name\" appears twice, at line 2 and line 3"),
                     ("{\"name\": \"x\",}", "line 1, column 14: a trailing comma before '}'"), ("  ", "is empty")]
        for (i, (text, message)) in cases.enumerated() {
            let file = dir.appendingPathComponent("m\(i).json")
            try Data(text.utf8).write(to: file)
            expectOneClearMessage(simulate("--seed", "1", "--model", file.path), field: "(file)", contains: message)
        }
    }
}

@Suite("Replay of edited traces: the part that no longer matches is named")
struct TamperedTraceTests {
    static let committed = "traces/counterexamples/ft-equal-timeouts.workers-survive-head-restart.json"

    static let edits: [(name: String, from: String, to: String, field: String, message: String)] = [
        ("negative choice", "\"steps\" : [\n    [\n      0", "\"steps\" : [\n    [\n      -1", "steps[0][0]", "choice -1 is negative"),
        ("out-of-range choice", "[\n      3,\n      0\n    ]", "[\n      7,\n      0\n    ]", "steps[2][0]",
         "choice 7, but step 3 offers only 4 alternatives there (0 to 3)"),
        ("huge choice", "[\n      3,\n      0\n    ]", "[\n      99999999999,\n      0\n    ]", "steps[2][0]", "out of range"),
        ("extra choice", "[\n      3,\n      0\n    ]", "[\n      3,\n      0,\n      1\n    ]", "steps[2]",
         "3 choices recorded, but step 3 makes 2"),
        ("fractional choice", "[\n      3,\n      0\n    ]", "[\n      3.5,\n      0\n    ]", "steps[2][0]", "expected a whole number, got 3.5"),
        ("negative workers", "\"workers\" : 1", "\"workers\" : -1", "model.spec.workers", "-1 is negative"),
        ("zero grid", "\"granularity\" : \"1s\"", "\"granularity\" : \"0s\"", "model.timing.granularity", "must be positive"),
        ("zero check interval", "\"connectionCheckInterval\" : \"1s\"", "\"connectionCheckInterval\" : \"0s\"",
         "model.timing.connectionCheckInterval", "must be positive"),
        ("zero check grid", #""checkGranularity" : "1s""#, #""checkGranularity" : "0s""#,
         "model.checkGranularity", "must be positive"),
        ("zero recovery bound", #""recoveryBound" : "5m""#, #""recoveryBound" : "0s""#,
         "model.recoveryBound", "must be positive"),
        ("script step on a worker the model lacks", "\"script\" : [\n\n    ]",
         #""script" : [{"action": {"workerPodDelete": {"worker": 5}}, "at": "1s"}]"#,
         "model.script[0].worker", "5 is out of range 1...1"),
        ("edited digest", "\"modelDigest\" : \"43d5c26c796b2a1c\"", "\"modelDigest\" : \"43d5c26c796b2a1d\"", "modelDigest",
         "the trace was edited: its model no longer matches its digest"),
        ("edited model", "\"deadNodeDetection\" : \"17s\"", "\"deadNodeDetection\" : \"18s\"", "modelDigest",
         "the trace was edited: its model no longer matches its digest"),
        ("workers as a string", "\"workers\" : 1", "\"workers\" : \"1\"", "model.spec.workers", "expected a whole number, got the string \"1\""),
        ("unknown property", "\"property\" : \"workers-survive-head-restart\"", "\"property\" : \"fast\"", "property", "unknown property"),
        ("duplicate key", "\"symmetry\" : true,", "\"symmetry\" : true,\n  \"symmetry\" : false,", "TRACE", "appears twice"),
        ("future version", "\"version\" : 1", "\"version\" : 2", "TRACE", "unsupported trace format"),
    ]

    @Test("an edited trace exits 2 naming what was edited, and never traps", arguments: edits.map(\.name))
    func tampered(name: String) throws {
        let edit = Self.edits.first { $0.name == name }!
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOfFile: path(Self.committed), encoding: .utf8)
        #expect(text.contains(edit.from), "the committed trace changed; update this edit")
        let file = dir.appendingPathComponent("edited.json")
        try Data(text.replacingOccurrences(of: edit.from, with: edit.to).utf8).write(to: file)
        for command in [["replay", file.path], ["replay", file.path, "--json"]] {
            expectOneClearMessage(SimulateCommand.execute(command), field: edit.field, contains: edit.message)
        }
    }

    @Test("a trace whose model and steps fit but whose world differs says the rules changed, not that it was edited")
    func rulesChanged() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = try String(contentsOfFile: path(Self.committed), encoding: .utf8)
        text = text.replacingOccurrences(of: #""violatingFingerprint" : ""#, with: #""violatingFingerprint" : "f"#)
        let file = dir.appendingPathComponent("stale.json")
        try Data(text.utf8).write(to: file)
        let out = SimulateCommand.execute(["replay", file.path])
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("no longer reproduces") && out.stderr.contains("rules changed"))
        #expect(!out.stderr.contains("edited"))
    }

    @Test("a trace from an older release, whose model lacks a field added since, still replays")
    func olderRelease() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOfFile: path(Self.committed), encoding: .utf8)
        let older = text.replacingOccurrences(of: "      \"workerInitPollInterval\" : \"5s\",\n", with: "")
        #expect(older != text)
        let file = dir.appendingPathComponent("older.json")
        try Data(older.utf8).write(to: file)
        let out = SimulateCommand.execute(["replay", file.path])
        #expect(out.exitCode == 1, "\(out.stderr)")
    }

    @Test("a model file passed as a trace is named as not a trace")
    func notATrace() {
        expectOneClearMessage(SimulateCommand.execute(["replay", path("models/no-ft.json")]), field: "TRACE",
                              contains: "is not a counterexample trace")
    }
}
