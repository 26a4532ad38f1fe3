import Foundation
import SimulationKernel

/// A scripted scenario (docs/scenarios.md): a cluster, who supervises it, steps at fixed times,
/// and the verdicts the upstream test expects. A plain model file loads as a scenario without
/// steps or expectations, so every command accepts either.
public struct Scenario: Sendable {
    public var definition: ModelDefinition
    public var expectations: [Expectation]
    /// True when the file had steps (a scenario file), false for a plain model file.
    public var isScripted: Bool

    public init(
        definition: ModelDefinition, expectations: [Expectation] = [], isScripted: Bool = false
    ) {
        self.definition = definition
        self.expectations = expectations
        self.isScripted = isScripted
    }

    /// One expected verdict.
    public struct Expectation: Hashable, Sendable {
        public var property: String
        /// `held` or `violated`.
        public var verdict: String
    }

    /// Loads a scenario file or a plain model file (told apart by a top-level `steps` key). Any
    /// readable path works, pipes and `/dev/fd/N` included; the file is read once.
    public static func load(path: String) throws(InputError) -> Scenario {
        let data = try InputFile.read(path: path, what: "model or scenario file")
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(data, name: name, baseDirectory: base)
    }

    /// Parses the text of a scenario or model file; `name` is the default scenario name and
    /// `baseDirectory` resolves a relative `cluster` path.
    public static func parse(
        _ data: Data, name: String, baseDirectory: String
    ) throws(InputError) -> Scenario {
        let json = try JSONValue.parse(data, what: "model or scenario file")
        guard json["steps"] != nil else {
            return Scenario(
                definition: try ModelDefinition.read(json), expectations: [], isScripted: false)
        }
        return try parse(json, name: name, baseDirectory: baseDirectory)
    }

    /// Reads a parsed scenario file. The sections it shares with model files (`cluster`, `timing`,
    /// `check`) go through the model file's section readers
    /// (``ModelDefinition/readSections(_:of:)``), and the result through the same
    /// ``ModelDefinition/validate(names:)``.
    static func parse(
        _ json: JSONValue, name: String, baseDirectory: String
    ) throws(InputError) -> Scenario {
        var top = try FieldReader(json, path: "")
        var d = try cluster(&top, baseDirectory: baseDirectory)
        d.name = try top.string("name") ?? name
        if let summary = try top.string("summary") { d.summary = summary }
        if let source = try top.string("source") { d.source = source }
        try d.validateText(.modelFile)
        d.faults = FaultBudget(kinds: [], maxFaults: 0, horizon: .zero)
        if let text = try top.string("supervisor") {
            guard let supervisor = Supervisor(rawValue: text) else {
                throw InputError(
                    field: "supervisor", problem: "unknown supervisor \(InputText.quoted(text))",
                    fix: "use \"kubernetes\" or \"manual\"")
            }
            d.supervisor = supervisor
        }
        try d.readSections([.timing, .check], of: &top)
        d.script = try steps(top.value("steps"))
        try d.validateScript(.modelFile)
        d.until =
            try top.duration("until")
            ?? min((d.script.last?.at ?? .zero) + .minutes(10), InputLimits.durationMax)
        let expectations = try expect(top.value("expect"))
        try top.rejectUnknown()
        try d.validate()
        return Scenario(definition: d, expectations: expectations, isScripted: true)
    }

    /// `cluster`: a path to a model file (relative to the scenario), or overrides on the default
    /// model read by the model file's own `cluster` section reader.
    static func cluster(
        _ top: inout FieldReader, baseDirectory: String
    ) throws(InputError) -> ModelDefinition {
        var d = EmbeddedModels.kuberaySample
        guard case .string(let path)? = top.value("cluster") else {
            try d.readSections([.cluster], of: &top)
            return d
        }
        let resolved = path.hasPrefix("/") ? path : baseDirectory + "/" + path
        let file = FileManager.default.fileExists(atPath: resolved) ? resolved : path
        do { d = try ModelDefinition.load(path: file) } catch {
            throw error.nested(in: "cluster", context: "model file \(InputText.path(path))")
        }
        return d
    }

    static func steps(_ value: JSONValue?) throws(InputError) -> [ScriptStep] {
        guard case .array(let items)? = value else {
            throw InputError(
                field: "steps",
                problem: "expected an array of steps, got \(value?.shown ?? "null")",
                fix: "e.g. [{\"at\": \"0s\", \"do\": \"gcs-process-kill\"}]")
        }
        guard items.count <= InputLimits.scriptStepsMax else {
            throw InputError(
                field: "steps",
                problem: "\(items.count) steps is more than \(InputLimits.scriptStepsMax)",
                fix: "split the scenario into smaller ones")
        }
        var steps: [ScriptStep] = []
        for (i, item) in items.enumerated() {
            var r = try FieldReader(item, path: "steps[\(i)]")
            guard let at = try r.duration("at") else {
                throw InputError(
                    field: "steps[\(i)].at", problem: "missing",
                    fix: "give the step's time, e.g. \"at\": \"10s\"")
            }
            guard let id = try r.string("do") else {
                throw InputError(
                    field: "steps[\(i)].do", problem: "missing",
                    fix: "use one of: \(ScriptAction.ids.joined(separator: ", "))")
            }
            let action = try action(id, reader: &r, index: i)
            try r.rejectUnknown()
            steps.append(ScriptStep(at: at, action))
        }
        return steps
    }

    static func action(
        _ id: String, reader r: inout FieldReader, index i: Int
    ) throws(InputError) -> ScriptAction {
        switch id {
        case "gcs-process-kill": return .gcsProcessKill
        case "gcs-process-sigkill": return .gcsProcessSigkill
        case "gcs-start": return .gcsStart(storageNamespace: try r.string("storageNamespace"))
        case "redis-flush": return .redisFlush
        case "redis-restart": return .redisRestart
        case "head-pod-delete": return .headPodDelete
        case "head-container-crash": return .headContainerCrash
        case "head-pod-evict": return .headPodEvict
        case "worker-pod-delete":
            let w = try r.integer("worker", fix: "name a worker by its number, from 1") ?? 1
            return .workerPodDelete(worker: w)
        case "actor-call": return .actorCall
        default:
            throw InputError(
                field: "steps[\(i)].do", problem: "unknown step \(InputText.quoted(id))",
                fix: "use one of: \(ScriptAction.ids.joined(separator: ", "))")
        }
    }

    static func expect(_ value: JSONValue?) throws(InputError) -> [Expectation] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            throw InputError(
                field: "expect", problem: "expected an array, got \(value.shown)",
                fix:
                    "e.g. [{\"property\": \"workers-survive-head-restart\", \"verdict\": \"held\"}]"
            )
        }
        var out: [Expectation] = []
        for (i, item) in items.enumerated() {
            var r = try FieldReader(item, path: "expect[\(i)]")
            guard let property = try r.string("property"), ClusterProperties.ids.contains(property)
            else {
                throw InputError(
                    field: "expect[\(i)].property", problem: "missing or unknown property",
                    fix: "use one of: \(ClusterProperties.ids.joined(separator: ", "))")
            }
            guard let verdict = try r.string("verdict"), ["held", "violated"].contains(verdict)
            else {
                throw InputError(
                    field: "expect[\(i)].verdict", problem: "missing or not held/violated",
                    fix: "use \"held\" or \"violated\"")
            }
            try r.rejectUnknown()
            out.append(Expectation(property: property, verdict: verdict))
        }
        return out
    }
}
