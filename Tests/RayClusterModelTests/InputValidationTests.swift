import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// A fresh temporary directory for files a test writes.
func inputTestDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("input-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func inputError(_ body: () throws -> Void) -> InputError? {
    do { try body(); return nil } catch let error as InputError { return error } catch {
        Issue.record("not an InputError: \(error)")
        return nil
    }
}

@Suite("Input limits: every value checked at load time, one validation for every reader")
struct InputValidationTests {
    @Test("durations longer than 30 days are rejected by name, however many digits", arguments: [
        #"{"name": "x", "faults": {"horizon": "999999999999h"}}"#,
        #"{"name": "x", "faults": {"horizon": "99999999999999999999999h"}}"#,
        #"{"name": "x", "properties": {"recoveryBound": "721h"}}"#,
        #"{"name": "x", "timing": {"headPodStartup": {"min": "1s", "max": "43201m"}}}"#,
        #"{"name": "x", "timing": {"granularity": "2592000001ms"}}"#,
    ])
    func hugeDurations(text: String) throws {
        let e = try #require(inputError { _ = try ModelDefinition.parse(Data(text.utf8)) })
        #expect(e.problem.contains("longer than 720h"), "\(e.problem)")
        #expect(e.fix.contains("720h"))
    }

    @Test("30 days exactly is accepted")
    func thirtyDays() throws {
        let m = try ModelDefinition.parse(Data(#"{"name": "x", "faults": {"horizon": "720h"}}"#.utf8))
        #expect(m.faults.horizon == InputLimits.durationMax)
    }

    @Test("a scenario's check.granularity of 0s is rejected like a model file's (it used to trap the checker)")
    func scenarioGranularityZero() throws {
        let text = #"{"steps": [{"at": "1s", "do": "gcs-process-kill"}], "check": {"granularity": "0s"}}"#
        let e = try #require(inputError { _ = try Scenario.parse(Data(text.utf8), name: "s", baseDirectory: "/") })
        #expect(e.field == "check.granularity")
        #expect(e.problem == "must be positive")
    }

    @Test("scenario and model files report the same error for the same section", arguments: [
        (#""timing": {"granularity": "0s"}"#, "timing.granularity"),
        (#""timing": {"crashLoopBackoffInitial": "10m"}"#, "timing.crashLoopBackoffInitial"),
        (#""check": {"granularity": "0ms"}"#, "check.granularity"),
        (#""cluster": {"workers": 65}"#, "cluster.workers"),
        (#""cluster": {"rayClusterUID": ""}"#, "cluster.rayClusterUID"),
    ])
    func sameSectionSameError(section: String, field: String) throws {
        let model = try #require(inputError { _ = try ModelDefinition.parse(Data("{\"name\": \"x\", \(section)}".utf8)) })
        let scenario = try #require(inputError {
            _ = try Scenario.parse(Data("{\"steps\": [], \(section)}".utf8), name: "s", baseDirectory: "/")
        })
        #expect(model == scenario)
        #expect(model.field == field)
    }

    static let codeBuiltChanges: [(String, String)] = [
        ("workers -1", "cluster.workers"), ("granularity 0", "timing.granularity"),
        ("table load min above max", "timing.gcsTableLoad"), ("11 faults", "faults.maxFaults"),
        ("horizon Int64.max", "faults.horizon"), ("check granularity -1ms", "check.granularity"),
        ("recovery bound 0", "properties.recoveryBound"), ("name with a slash", "name"),
        ("step on worker 2 of 1", "steps[0].worker"),
    ]

    static func change(_ what: String, _ d: inout ModelDefinition) {
        switch what {
        case "workers -1": d.spec.workers = -1
        case "granularity 0": d.timing.granularity = .zero
        case "table load min above max": d.timing.gcsTableLoad.min = .seconds(9)
        case "11 faults": d.faults.maxFaults = 11
        case "horizon Int64.max": d.faults.horizon = .ms(Int64.max)
        case "check granularity -1ms": d.checkGranularity = .ms(-1)
        case "recovery bound 0": d.recoveryBound = .zero
        case "name with a slash": d.name = "../x"
        default: d.script = [ScriptStep(at: .zero, .workerPodDelete(worker: 2))]
        }
    }

    @Test("a model built in code is validated by the same function", arguments: codeBuiltChanges)
    func codeBuilt(what: String, field: String) throws {
        var d = EmbeddedModels.kuberaySample
        Self.change(what, &d)
        let e = try #require(inputError { try d.validate() })
        #expect(e.field == field, "\(e)")
        let trace = try #require(inputError { try d.validate(names: .encoded(under: "model")) })
        #expect(trace.field.hasPrefix("model."), "\(trace)")
    }

    @Test("every shipped model and scenario passes validation")
    func shippedValidate() throws {
        let root = ModelFiles.directory
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: root + "/scenarios").filter { $0.hasSuffix(".json") }
        let models = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".json") }
        for file in models.map({ root + "/" + $0 }) + scenarios.map({ root + "/scenarios/" + $0 }) {
            let s = try Scenario.load(path: file)
            #expect(throws: Never.self) { try s.definition.validate() }
        }
    }
}

@Suite("Input files: any readable path, one message per way a read fails")
struct InputFileTests {
    @Test("a model is read from a pipe through /dev/fd, as `--model <(jq …)` passes it")
    func pipe() throws {
        let pipe = Pipe()
        let text = try Data(contentsOf: URL(fileURLWithPath: ModelFiles.directory + "/no-ft.json"))
        pipe.fileHandleForWriting.write(text)
        try pipe.fileHandleForWriting.close()
        let path = "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        let m = try ModelDefinition.load(path: path)
        #expect(m.name == "no-fault-tolerance")
    }

    @Test("a pipe larger than one read buffer is read whole")
    func largePipe() throws {
        let pipe = Pipe()
        let padding = String(repeating: " ", count: 50_000)
        let text = Data("{\(padding)\"name\": \"x\",\(padding) \"summary\": \"s\"}".utf8)
        let writer = Thread { pipe.fileHandleForWriting.write(text); try? pipe.fileHandleForWriting.close() }
        writer.start()
        let data = try InputFile.read(path: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)", what: "model file")
        #expect(data == text)
    }

    @Test("missing, directory, empty, too large and non-UTF-8 files each get their own message")
    func failures() throws {
        let dir = try inputTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ data: Data) throws -> String {
            let url = dir.appendingPathComponent(name)
            try data.write(to: url)
            return url.path
        }
        let cases: [(String, String)] = [
            (dir.appendingPathComponent("nope.json").path, "no such file"),
            (dir.appendingPathComponent("nope/x.json").path, "no such file"),
            (dir.path, "is a directory"),
            (try write("empty.json", Data()), "is empty"),
            (try write("big.json", Data(repeating: 0x20, count: InputLimits.fileBytesMax + 1)), "is too large: more than 16 MiB"),
            (try write("latin1.json", Data([0x7B, 0x22, 0x6E, 0xE9, 0x22, 0x7D])), "is not UTF-8 text: invalid byte 0xE9 at line 1, column 4"),
            (try write("utf16.json", Data([0xFF, 0xFE, 0x7B, 0x00])), "UTF-16"),
        ]
        for (path, problem) in cases {
            let e = try #require(inputError { _ = try InputFile.read(path: path, what: "model file") })
            #expect(e.problem.contains(problem), "\(e.problem)")
            #expect(e.field == "(file)")
        }
    }

    @Test("an unreadable file says permission denied", .enabled(if: getuid() != 0, "root reads every file"))
    func permission() throws {
        let dir = try inputTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("secret.json")
        try Data(#"{"name": "x"}"#.utf8).write(to: url)
        chmod(url.path, 0)
        let e = try #require(inputError { _ = try InputFile.read(path: url.path, what: "model file") })
        #expect(e.problem.contains("permission denied"))
    }
}
