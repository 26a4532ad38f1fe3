import Foundation
import SimulationKernel

extension ModelDefinition {
    /// Reads and validates a model file (format: docs/model-files.md).
    public static func load(path: String) throws(InputError) -> ModelDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(field: "(file)", problem: exists ? "cannot read \(path)" : "no such file: \(path)",
                             fix: "pass the path of a JSON model file, e.g. models/kuberay-sample.json")
        }
        return try parse(data)
    }

    /// Parses and validates the JSON text of a model file.
    public static func parse(_ data: Data) throws(InputError) -> ModelDefinition {
        var top = try FieldReader(JSONValue.parse(data, what: "model file"), path: "")
        guard let name = try top.string("name"), !name.isEmpty else {
            throw InputError(field: "name", problem: "missing", fix: "give the model a short name, e.g. \"my-cluster\"")
        }
        var model = ModelDefinition(name: name, summary: try top.string("summary") ?? "", source: try top.string("source") ?? "")
        if var c = try top.object("cluster") { model.spec = try readCluster(&c) }
        if var t = try top.object("timing") { model.timing = try readTiming(&t) }
        if var f = try top.object("faults") { model.faults = try readFaults(&f, default: model.faults) }
        if var p = try top.object("properties") {
            if let bound = try p.duration("recoveryBound") {
                guard bound > .zero else {
                    throw InputError(field: "properties.recoveryBound", problem: "must be positive", fix: "e.g. \"5m\"")
                }
                model.recoveryBound = bound
            }
            try p.rejectUnknown()
        }
        if var k = try top.object("check") {
            if let g = try k.duration("granularity") {
                guard g > .zero else { throw InputError(field: "check.granularity", problem: "must be positive", fix: "e.g. \"1s\"") }
                model.checkGranularity = g
            }
            try k.rejectUnknown()
        }
        try top.rejectUnknown()
        return model
    }

    static func readCluster(_ c: inout FieldReader, base: ClusterSpec = ClusterSpec()) throws(InputError) -> ClusterSpec {
        var spec = base
        if let ft = try c.bool("ftEnabled") { spec.ftEnabled = ft }
        if let w = try c.integer("workers", in: 1...64, fix: "use 1 to 64 workers (the detached actor needs a worker: the head has num-cpus 0)") {
            spec.workers = w
        }
        if let p = try c.string("headRestartPolicy") {
            guard let policy = RestartPolicy(rawValue: p) else {
                throw InputError(field: "cluster.headRestartPolicy", problem: "unknown policy \"\(p)\"", fix: "use \"Always\" or \"Never\"")
            }
            spec.headRestartPolicy = policy
        }
        let timeoutFix = "use a whole number of seconds ≥ 1, or leave it out to get the default (head: Ray's 60; workers: 600 with FT, else 60)"
        spec.headReconnectTimeoutSeconds = try c.integer("headReconnectTimeoutSeconds", in: 1...86_400, fix: timeoutFix)
        spec.workerReconnectTimeoutSeconds = try c.integer("workerReconnectTimeoutSeconds", in: 1...86_400, fix: timeoutFix)
        spec.storageNamespace = try c.string("storageNamespace")
        if let uid = try c.string("rayClusterUID") { spec.rayClusterUID = uid }
        if let p = try c.string("redisPersistence") {
            guard let persistence = RedisPersistence(rawValue: p) else {
                throw InputError(field: "cluster.redisPersistence", problem: "unknown persistence \"\(p)\"", fix: "use \"none\" or \"appendOnly\"")
            }
            spec.redisPersistence = persistence
        }
        if let r = try c.integer("actorMaxRestarts", in: -1...0, fix: "use 0 (Ray's default: the actor stays dead) or -1 (restart forever)") {
            spec.actorMaxRestarts = r
        }
        try c.rejectUnknown()
        return spec
    }

    static var durationFields: [(String, WritableKeyPath<Timing, SimDuration>)] { Timing.durations.map { ($0.0.rawValue, $0.1) } }
    static var rangeFields: [(String, WritableKeyPath<Timing, DurationRange>)] { Timing.ranges.map { ($0.0.rawValue, $0.1) } }

    static func readTiming(_ t: inout FieldReader, base: Timing = Timing()) throws(InputError) -> Timing {
        var timing = base
        for (key, path) in durationFields { if let d = try t.duration(key) { timing[keyPath: path] = d } }
        for (key, path) in rangeFields { if let r = try t.range(key) { timing[keyPath: path] = r } }
        try t.rejectUnknown()
        for key in ["connectionCheckInterval", "rayletSelfCheckInterval", "granularity", "crashLoopBackoffInitial"] {
            let path = durationFields.first { $0.0 == key }!.1
            guard timing[keyPath: path] > .zero else {
                throw InputError(field: "timing.\(key)", problem: "must be positive", fix: "give a duration greater than 0, e.g. \"1s\"")
            }
        }
        guard timing.crashLoopBackoffInitial <= timing.crashLoopBackoffMax else {
            throw InputError(field: "timing.crashLoopBackoffInitial",
                             problem: "\(timing.crashLoopBackoffInitial) exceeds timing.crashLoopBackoffMax \(timing.crashLoopBackoffMax)",
                             fix: "make the initial back-off at most the cap (kubelet: 10s and 5m)")
        }
        return timing
    }

    private static func readFaults(_ f: inout FieldReader, default budget: FaultBudget) throws(InputError) -> FaultBudget {
        var kinds = budget.kinds
        if let v = f.value("kinds") {
            kinds = try FaultKind.parseList(v, field: "faults.kinds")
        }
        let maxFaults = try f.integer("maxFaults", in: 0...10, fix: "use 0 to 10 faults per run") ?? budget.maxFaults
        let horizon = try f.duration("horizon") ?? budget.horizon
        try f.rejectUnknown()
        return FaultBudget(kinds: kinds, maxFaults: maxFaults, horizon: horizon)
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
            throw InputError(field: field, problem: "expected an array of fault ids, got \(value.kindName)", fix: "e.g. [\"gcs-process-kill\"]")
        }
        var ids: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw InputError(field: field, problem: "expected fault ids as strings, got \(item.kindName)", fix: "known ids: \(idList)")
            }
            ids.append(s)
        }
        return try parseIDs(ids, field: field)
    }

    private static func parseIDs(_ ids: [String], field: String) throws(InputError) -> [FaultKind] {
        var kinds: [FaultKind] = []
        for id in ids {
            guard let kind = FaultKind(rawValue: id) else {
                throw InputError(field: field, problem: "unknown fault \"\(id)\"", fix: "use one of: \(idList)")
            }
            kinds.append(kind)
        }
        guard !kinds.isEmpty else { throw InputError(field: field, problem: "no fault ids given", fix: "known ids: \(idList)") }
        return kinds
    }
}
