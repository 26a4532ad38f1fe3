import Foundation
import Testing
@testable import SimulateCLI

/// Trace files are written only where `--trace-out` asks, under names made of sanitised ids.
@Suite("Trace files: only where asked")
struct TraceOutTests {
    static let bounds = ["--granularity", "10s"]

    @Test("check writes nothing unless --trace-out is given, and still shows the counterexample")
    func nothingUnasked() throws {
        let binary = try #require(simulateBinary())
        let cwd = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cwd) }
        let r = try runSubprocess(binary, ["check", path("models/ft-equal-timeouts.json")] + Self.bounds, in: cwd)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path).isEmpty, "check wrote into the working directory")
        #expect(r.stdout.contains("not written (to keep it: --trace-out DIR)"))
        #expect(r.stdout.contains("counterexample for workers-survive-head-restart in model ft-equal-timeouts"))
        #expect(r.stdout.contains("property workers-survive-head-restart: VIOLATED at 60.000s (step 3)"))
    }

    /// Model names a user might write, on purpose or not.
    static let hostileNames = ["../escaped", "/tmp/absolute-\(UUID().uuidString)", "a/b", String(repeating: "x", count: 256),
                               ".hidden", "\u{1B}[31mred\r", ".."]

    @Test("a model's name never decides where a trace goes: refused at load, or files land in the given directory, named from sanitised ids",
          arguments: hostileNames.indices)
    func hostileName(index: Int) throws {
        let name = Self.hostileNames[index]
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try modelFile(in: dir, ["name": name])
        let traces = dir.appendingPathComponent("traces")
        let out = SimulateCommand.execute(["check", model.path, "--trace-out", traces.path + "/"] + Self.bounds)
        // The model reader refuses names with "/", control characters or over 128 characters.
        if out.exitCode == 2 {
            #expect(out.stderr.hasPrefix("error: name: "), "\(out.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.json"])
            #expect(!out.stderr.contains("\u{1B}"))
            return
        }
        #expect(out.exitCode == 1, "\(out.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: traces.path).sorted()
        let safe = TracePlacement.safeName(name)
        #expect(written == ["\(safe).detached-actor-survives.trace.json", "\(safe).workers-survive-head-restart.trace.json"])
        for file in written {
            #expect(!file.hasPrefix(".") && file.count <= 64 + ".workers-survive-head-restart.trace.json".count)
            #expect(file.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-").contains($0) })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["model.json", "traces"])
        #expect(!FileManager.default.fileExists(atPath: dir.deletingLastPathComponent().appendingPathComponent("escaped.workers-survive-head-restart.trace.json").path))
        #expect(!out.stdout.contains("\u{1B}"))
    }

    @Test("sanitised names keep [A-Za-z0-9._-], drop leading dots and are capped at 64 characters")
    func safeNames() {
        #expect(TracePlacement.safeName("ft-equal-timeouts") == "ft-equal-timeouts")
        #expect(TracePlacement.safeName("../escaped") == "-escaped")
        #expect(TracePlacement.safeName("a/b") == "a-b")
        #expect(TracePlacement.safeName("..") == "model")
        #expect(TracePlacement.safeName("") == "model")
        #expect(TracePlacement.safeName("grüße v1.2") == "gr--e-v1.2")
        #expect(TracePlacement.safeName(String(repeating: "x", count: 256)).count == 64)
    }

    @Test("--trace-out FILE: that file for one property, FILE's stem plus the property for several")
    func filePaths() {
        #expect(TracePlacement.file("/t/cx.json").paths(model: "../m", properties: ["p"]) == ["p": "/t/cx.json"])
        #expect(TracePlacement.file("/t/cx.json").paths(model: "m", properties: ["p", "q"]) == ["p": "/t/cx.p.json", "q": "/t/cx.q.json"])
        #expect(TracePlacement.file("rel/cx").paths(model: "m", properties: ["p", "q"]) == ["p": "rel/cx.p", "q": "rel/cx.q"])
        #expect(TracePlacement.none.paths(model: "m", properties: ["p"]).isEmpty)
        #expect(TracePlacement.directory("/t").paths(model: "a/b", properties: ["p"]) == ["p": "/t/a-b.p.trace.json"])
    }

    @Test("--trace-out DIR (an existing directory, no slash) writes into it, not next to it")
    func existingDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["check", path("models/ft-equal-timeouts.json"), "--trace-out", dir.path] + Self.bounds)
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == ["ft-equal-timeouts.detached-actor-survives.trace.json", "ft-equal-timeouts.workers-survive-head-restart.trace.json"])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(dir.lastPathComponent + ".") })
    }

    @Test("--trace-out into a directory that does not exist fails before the check, exit 2")
    func missingDirectory() {
        let out = SimulateCommand.execute(["check", path("models/ft-equal-timeouts.json"), "--trace-out", "/no/such/dir/cx.json"])
        #expect(out.exitCode == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("--trace-out: the directory /no/such/dir of /no/such/dir/cx.json does not exist"), "\(out.stderr)")
    }

    @Test("a scenario whose expectations are all met writes nothing, even with --trace-out")
    func scenarioMetWritesNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["check", path("models/scenarios/issue-example-flush-other-namespace.json"),
                                           "--trace-out", dir.path + "/"])
        #expect(out.exitCode == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("VIOLATED"), "the scenario expects violations")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("the counterexample check prints is the replay of the trace it wrote, and the same without a file")
    func printedEqualsReplay() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cx.json").path
        let written = SimulateCommand.execute(["check", path("models/no-ft.json"), "--trace-out", file] + Self.bounds)
        let unwritten = SimulateCommand.execute(["check", path("models/no-ft.json")] + Self.bounds)
        let timeline = { (s: String) in s.components(separatedBy: "Shortest counterexample (").last!.split(separator: "\n", maxSplits: 1).last.map(String.init)! }
        let replayed = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().last)
        let replay = SimulateCommand.execute(["replay", dir.appendingPathComponent(replayed).path])
        #expect(replay.exitCode == 1)
        #expect(timeline(written.stdout) == replay.stdout)
        #expect(timeline(unwritten.stdout) == replay.stdout)
    }

    @Test("a trace that cannot be written keeps the check's result on stdout, with the error and exit 2")
    func unwritableKeepsResult() throws {
        guard getuid() != 0 else { return }  // root writes anywhere
        let dir = try temporaryDirectory()
        defer {
            chmod(dir.path, 0o755)
            try? FileManager.default.removeItem(at: dir)
        }
        chmod(dir.path, 0o555)
        let out = SimulateCommand.execute(["check", path("models/ft-equal-timeouts.json"), "--trace-out", dir.path + "/"] + Self.bounds)
        #expect(out.exitCode == 2)
        #expect(out.stdout.contains("VIOLATED"))
        #expect(out.stderr.contains("--trace-out: cannot write"))
    }
}

@Suite("The replay hint names the trace of the timeline shown")
struct ReplayHintTests {
    @Test("with two properties violated, the hint names the trace of the first, whose timeline is printed")
    func hintMatchesTimeline() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["check", path("models/ft-equal-timeouts.json"), "--granularity", "10s",
                                           "--trace-out", dir.path + "/"])
        let trace = dir.appendingPathComponent("ft-equal-timeouts.workers-survive-head-restart.trace.json").path
        #expect(out.stdout.contains("replay it with `simulate replay \(trace)`"), "\(out.stdout)")
        #expect(out.stdout.contains("counterexample for workers-survive-head-restart"))
        #expect(out.stdout.contains("written to \(dir.appendingPathComponent("ft-equal-timeouts.detached-actor-survives.trace.json").path)"))
    }
}

/// Every `--trace-out` file of every command replays: `check` and `review`, in both time modes,
/// through the one trace writer (`TraceFile.write(counterexamplesOf:to:)`).
@Suite("Every written trace replays, whichever command wrote it")
struct EveryTraceReplaysTests {
    static func expectReplays(_ dir: URL, _ what: String) throws {
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }
        #expect(!written.isEmpty, "\(what): no trace written")
        for name in written {
            let replay = simulate("replay", dir.appendingPathComponent(name).path)
            #expect(replay.exitCode == 1, "\(what) \(name): \(replay.stderr)")
            #expect(replay.stdout.contains("VIOLATED"), "\(what) \(name)")
        }
    }

    @Test("review's traces replay (zones, as reviews check by default)")
    func reviewTraces() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("m.yaml")
        try VerdictTests.v11WorkersAt75.write(to: file, atomically: true, encoding: .utf8)
        let traces = dir.appendingPathComponent("traces")
        try FileManager.default.createDirectory(at: traces, withIntermediateDirectories: true)
        let out = SimulateCommand.execute(
            ["review", file.path, "--kuberay-version", "1.1", "--faults", "gcs-process-kill",
             "--trace-out", traces.path + "/"])
        #expect(out.exitCode == 1, "\(out.stdout)\(out.stderr)")
        try Self.expectReplays(traces, "review")
    }

    @Test("check's traces replay on two workers, with zones and on the grid",
          arguments: [[], ["--time", "grid", "--granularity", "10s"]])
    func checkTraces(time: [String]) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("two.json")
        try #"{"name": "two-workers", "cluster": {"ftEnabled": true, "workers": 2, "#
            .appending(#""workerReconnectTimeoutSeconds": 60}}"#)
            .write(to: model, atomically: true, encoding: .utf8)
        let traces = dir.appendingPathComponent("traces")
        try FileManager.default.createDirectory(at: traces, withIntermediateDirectories: true)
        let out = SimulateCommand.execute(
            ["check", model.path, "--faults", "gcs-process-kill", "--trace-out", traces.path + "/"]
            + time)
        #expect(out.exitCode == 1, "\(out.stdout)\(out.stderr)")
        try Self.expectReplays(traces, "check \(time)")
    }
}
