import Foundation
import SimulationKernel

/// A section of a model file (docs/model-files.md), in the order a model file's are read. Scenario
/// files share `cluster`, `timing` and `check`; trace files carry the same values in the model's
/// `Codable` form and go through the same ``ModelDefinition/validate(names:)`` as every section.
enum ModelSection: String, CaseIterable {
    case cluster, timing, faults, properties, check
}

extension ModelDefinition {
    /// Reads and validates a model file (format: docs/model-files.md). Any readable path works,
    /// pipes and `/dev/fd/N` included.
    public static func load(path: String) throws(InputError) -> ModelDefinition {
        try parse(InputFile.read(path: path, what: "model file"))
    }

    /// Parses and validates the JSON text of a model file.
    public static func parse(_ data: Data) throws(InputError) -> ModelDefinition {
        try read(JSONValue.parse(data, what: "model file"))
    }

    /// Reads a parsed model file. Each section is read and then validated before the next, so the
    /// first error in document section order is the one reported.
    static func read(_ json: JSONValue) throws(InputError) -> ModelDefinition {
        var top = try FieldReader(json, path: "")
        guard let name = try top.string("name"), !name.isEmpty else {
            throw InputError(
                field: "name", problem: "missing",
                fix: "give the model a short name, e.g. \"my-cluster\"")
        }
        var model = ModelDefinition(
            name: name, summary: try top.string("summary") ?? "",
            source: try top.string("source") ?? "")
        try model.validateText(.modelFile)
        try model.readSections(ModelSection.allCases, of: &top)
        try top.rejectUnknown()
        try model.validate()
        return model
    }

    /// Reads each of `sections` that `top` has, in the order given, over this model's current
    /// values, and validates each before the next. Model files read them all; scenario files
    /// (``Scenario``) read the ones they share: one reader per section, so a value is refused with
    /// the same field and message whichever file carries it.
    mutating func readSections(
        _ sections: [ModelSection], of top: inout FieldReader
    ) throws(InputError) {
        for section in sections {
            guard var r = try top.object(section.rawValue) else { continue }
            switch section {
            case .cluster: spec = try Self.readCluster(&r, base: spec)
            case .timing: timing = try Self.readTiming(&r, base: timing)
            case .faults: faults = try Self.readFaults(&r, default: faults)
            case .properties: try Self.readProperties(&r, into: &self)
            case .check: try Self.readCheck(&r, into: &self)
            }
        }
    }

    /// The `cluster` section, over `base`; validated.
    static func readCluster(
        _ c: inout FieldReader, base: ClusterSpec = ClusterSpec()
    ) throws(InputError) -> ClusterSpec {
        var spec = base
        if let ft = try c.bool("ftEnabled") { spec.ftEnabled = ft }
        let policyFix = ClusterSpec.restartPolicyFix
        spec.kuberayVersion =
            try c.named(
                "kuberayVersion", "KubeRay version", fix: ClusterSpec.kuberayVersionFix,
                KubeRayVersion.init(parsing:)) ?? spec.kuberayVersion
        spec.gcsStorage =
            try c.named(
                "gcsStorage", "storage",
                fix: "use \"redis\" (RAY_REDIS_ADDRESS reaches the head) or \"memory\", "
                    + "or leave it out (redis with ftEnabled, else memory)",
                GCSStorage.init(rawValue:)) ?? spec.gcsStorage
        try readWorkerGroups(&c, into: &spec)
        spec.headRestartPolicy =
            try c.named("headRestartPolicy", "policy", fix: policyFix, RestartPolicy.init(rawValue:))
            ?? spec.headRestartPolicy
        spec.workerRestartPolicy =
            try c.named(
                "workerRestartPolicy", "policy", fix: policyFix, RestartPolicy.init(rawValue:))
            ?? spec.workerRestartPolicy
        if let a = try c.bool("autoscalerV2") { spec.autoscalerV2 = a }
        if var p = try c.object("probes") { spec.probes = try readProbes(&p, base: spec.probes) }
        let timeoutFix = ClusterSpec.reconnectTimeoutFix
        if let t = try c.integer("headReconnectTimeoutSeconds", fix: timeoutFix) {
            spec.headReconnectTimeoutSeconds = t
        }
        if let t = try c.integer("workerReconnectTimeoutSeconds", fix: timeoutFix) {
            guard spec.workerGroups.count <= 1 else {
                throw InputError(
                    field: c.name("workerReconnectTimeoutSeconds"),
                    problem: "the one-group shorthand, but the cluster has "
                        + "\(spec.workerGroups.count) worker groups",
                    fix: "set reconnectTimeoutSeconds in each of cluster.workerGroups")
            }
            spec.workerReconnectTimeoutSeconds = t
        }
        if let ns = try c.string("storageNamespace") { spec.storageNamespace = ns }
        if let uid = try c.string("rayClusterUID") { spec.rayClusterUID = uid }
        spec.redisPersistence =
            try c.named(
                "redisPersistence", "persistence", fix: "use \"none\" or \"appendOnly\"",
                RedisPersistence.init(rawValue:)) ?? spec.redisPersistence
        if let r = try c.integer(
            "actorMaxRestarts",
            fix: "use 0 (Ray's default: the actor stays dead) or -1 (restart forever)")
        {
            spec.actorMaxRestarts = r
        }
        try c.rejectUnknown()
        try spec.validate(field: c.path)
        return spec
    }

    /// `workers` (one group, the shorthand) or `workerGroups` (each with its name, replicas,
    /// reconnect timeout, and optionally its own `restartPolicy` and `probes`), never both.
    static func readWorkerGroups(
        _ c: inout FieldReader, into spec: inout ClusterSpec
    ) throws(InputError) {
        if c.has("workers") && c.has("workerGroups") {
            throw InputError(
                field: c.name("workers"), problem: "given together with workerGroups",
                fix: "use workers for one group, or list every group's replicas in workerGroups")
        }
        if let w = try c.integer("workers", fix: ClusterSpec.workersFix) {
            if spec.workerGroups.count == 1 {
                spec.workerGroups[0].replicas = w
            } else {
                spec.workerGroups = [WorkerGroupSpec(replicas: w)]
            }
        }
        let fix = "write [{\"name\": \"gpu-group\", \"replicas\": 2, "
            + "\"reconnectTimeoutSeconds\": 600}, …]"
        guard let readers = try c.objects("workerGroups", fix: fix) else { return }
        var groups: [WorkerGroupSpec] = []
        for var r in readers {
            guard let name = try r.string("name") else {
                throw InputError(field: r.name("name"), problem: "missing",
                                 fix: "give the group its groupName, e.g. \"gpu-group\"")
            }
            guard let replicas = try r.integer("replicas", fix: ClusterSpec.replicasFix) else {
                throw InputError(field: r.name("replicas"), problem: "missing",
                                 fix: ClusterSpec.replicasFix)
            }
            let timeout = try r.integer(
                "reconnectTimeoutSeconds", fix: ClusterSpec.reconnectTimeoutFix)
            let policy = try r.named(
                "restartPolicy", "policy", fix: ClusterSpec.restartPolicyFix,
                RestartPolicy.init(rawValue:))
            var probes: PodProbeSettings?
            if var p = try r.object("probes") { probes = try readPodProbes(&p) }
            try r.rejectUnknown()
            groups.append(WorkerGroupSpec(
                name: name, replicas: replicas, reconnectTimeoutSeconds: timeout,
                restartPolicy: policy, probes: probes))
        }
        spec.workerGroups = groups
    }

    /// `cluster.probes`, over `base`: types, keys and `checks`; the numbers' ranges are checked
    /// by ``ClusterSpec/validate(field:)``.
    static func readProbes(
        _ r: inout FieldReader, base: ProbeSettings
    ) throws(InputError) -> ProbeSettings {
        var probes = base
        for pod in ProbeSettings.pods {
            guard var o = try r.object(pod) else { continue }
            for (kind, path) in ProbeSettings.fields(of: pod) {
                if let setting = try readProbe(&o, kind) { probes[keyPath: path] = setting }
            }
            try o.rejectUnknown()
        }
        try r.rejectUnknown()
        return probes
    }

    /// A worker group's own `probes`: `readiness` and `liveness`, each left out for KubeRay's
    /// default; the numbers' ranges are checked by ``ClusterSpec/validate(field:)``.
    static func readPodProbes(_ r: inout FieldReader) throws(InputError) -> PodProbeSettings {
        var probes = PodProbeSettings()
        for (kind, path) in PodProbeSettings.fields {
            if let setting = try readProbe(&r, kind) { probes[keyPath: path] = setting }
        }
        try r.rejectUnknown()
        return probes
    }

    /// One probe: `"none"` or an object with all five keys; nil when left out (KubeRay's default).
    static func readProbe(
        _ o: inout FieldReader, _ key: String
    ) throws(InputError) -> ProbeSetting? {
        let shape =
            "write \"none\", or an object with \(ProbeSpec.keys.joined(separator: ", ")), "
            + "or leave it out for KubeRay's default"
        guard let v = o.value(key) else { return nil }
        switch v {
        case .string("none"): return ProbeSetting.none
        case .string(let s):
            throw InputError(
                field: o.name(key), problem: "unknown probe \(InputText.quoted(s))", fix: shape)
        case .object: break
        default:
            throw InputError(
                field: o.name(key), problem: "expected \"none\" or a probe object, got \(v.shown)",
                fix: shape)
        }
        var p = try FieldReader(v, path: o.name(key))
        var numbers: [Int?] = []
        for field in ProbeSpec.numberFields {
            numbers.append(try p.integer(field.key, fix: field.fix))
        }
        let check = try p.named(
            ProbeSpec.checkKey, "check", fix: ProbeSpec.checkFix, ProbeCheck.init(rawValue:))
        try p.rejectUnknown()
        var spec = ProbeSpec.blank
        for (field, number) in zip(ProbeSpec.numberFields, numbers) {
            guard let number else { throw missingProbeKey(p.name(field.key)) }
            spec[keyPath: field.path] = number
        }
        guard let check else { throw missingProbeKey(p.name(ProbeSpec.checkKey)) }
        spec.check = check
        return .custom(spec)
    }

    static func missingProbeKey(_ field: String) -> InputError {
        InputError(
            field: field, problem: "missing",
            fix: "a probe object needs all of \(ProbeSpec.keys.joined(separator: ", "))")
    }

    static var durationFields: [(String, WritableKeyPath<Timing, SimDuration>)] {
        Timing.durations.map { ($0.0.rawValue, $0.1) }
    }
    static var rangeFields: [(String, WritableKeyPath<Timing, DurationRange>)] {
        Timing.ranges.map { ($0.0.rawValue, $0.1) }
    }

    /// The `timing` section, over `base`; validated.
    static func readTiming(
        _ t: inout FieldReader, base: Timing = Timing()
    ) throws(InputError) -> Timing {
        var timing = base
        for (key, path) in durationFields {
            if let d = try t.duration(key) { timing[keyPath: path] = d }
        }
        for (key, path) in rangeFields { if let r = try t.range(key) { timing[keyPath: path] = r } }
        try t.rejectUnknown()
        try timing.validate(field: t.path)
        return timing
    }

    /// The `faults` section, over `budget`; validated.
    static func readFaults(
        _ f: inout FieldReader, default budget: FaultBudget
    ) throws(InputError) -> FaultBudget {
        var kinds = budget.kinds
        if let v = f.value("kinds") {
            kinds = try FaultKind.parseList(v, field: f.name("kinds"))
        }
        let maxFaults =
            try f.integer("maxFaults", fix: "use 0 to 10 faults per run") ?? budget.maxFaults
        let horizon = try f.duration("horizon") ?? budget.horizon
        try f.rejectUnknown()
        let faults = FaultBudget(kinds: kinds, maxFaults: maxFaults, horizon: horizon)
        try faults.validate(field: f.path)
        return faults
    }

    /// The `properties` section; validated.
    static func readProperties(
        _ p: inout FieldReader, into model: inout ModelDefinition
    ) throws(InputError) {
        if let bound = try p.duration("recoveryBound") { model.recoveryBound = bound }
        try p.rejectUnknown()
        try Validation.positive(
            model.recoveryBound, field: p.name("recoveryBound"), fix: "e.g. \"5m\"")
    }

    /// The `check` section; validated. Model and scenario files share it.
    static func readCheck(
        _ k: inout FieldReader, into model: inout ModelDefinition
    ) throws(InputError) {
        if let g = try k.duration("granularity") { model.checkGranularity = g }
        try k.rejectUnknown()
        try Validation.positive(
            model.checkGranularity, field: k.name("granularity"), fix: "e.g. \"1s\"")
    }
}

extension FaultKind {
    /// Parses a comma-separated list of fault ids, e.g. `gcs-process-kill,head-pod-delete`.
    public static func parseList(_ text: String, field: String) throws(InputError) -> [FaultKind] {
        let ids = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try parseIDs(ids, field: field)
    }

    static func parseList(_ value: JSONValue, field: String) throws(InputError) -> [FaultKind] {
        guard case .array(let items) = value else {
            throw InputError(
                field: field, problem: "expected an array of fault ids, got \(value.shown)",
                fix: "e.g. [\"gcs-process-kill\"]")
        }
        var ids: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw InputError(
                    field: field, problem: "expected fault ids as strings, got \(item.shown)",
                    fix: "known ids: \(idList)")
            }
            ids.append(s)
        }
        return try parseIDs(ids, field: field)
    }

    private static func parseIDs(_ ids: [String], field: String) throws(InputError) -> [FaultKind] {
        var kinds: [FaultKind] = []
        for id in ids {
            guard let kind = FaultKind(rawValue: id), kind.asFault else {
                let step = FaultKind(rawValue: id) != nil ? " (a scenario step, not a fault)" : ""
                throw InputError(
                    field: field, problem: "unknown fault \(InputText.quoted(id))\(step)",
                    fix: "use one of: \(idList)")
            }
            kinds.append(kind)
        }
        guard !kinds.isEmpty else {
            throw InputError(
                field: field, problem: "no fault ids given", fix: "known ids: \(idList)")
        }
        return kinds
    }
}
