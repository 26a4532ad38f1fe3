import SimulationKernel

/// The field names a validation error uses: those of a model file, or those of a model as the
/// trace files encode it (`model.spec.workers` for the model file's `cluster.workers`).
public struct ModelFieldNames: Sendable {
    public var name: String
    public var summary: String
    public var source: String
    public var cluster: String
    public var timing: String
    public var faults: String
    public var recoveryBound: String
    public var checkGranularity: String
    public var steps: String
    public var until: String

    /// The keys of model and scenario files (docs/model-files.md, docs/scenarios.md).
    public static let modelFile = ModelFieldNames(
        name: "name", summary: "summary", source: "source", cluster: "cluster", timing: "timing",
        faults: "faults",
        recoveryBound: "properties.recoveryBound", checkGranularity: "check.granularity",
        steps: "steps", until: "until")

    /// The keys of `ModelDefinition`'s `Codable` form under `prefix` (trace files: `model`).
    public static func encoded(under prefix: String) -> ModelFieldNames {
        let p = prefix.isEmpty ? "" : prefix + "."
        return ModelFieldNames(
            name: p + "name", summary: p + "summary", source: p + "source", cluster: p + "spec",
            timing: p + "timing",
            faults: p + "faults", recoveryBound: p + "recoveryBound",
            checkGranularity: p + "checkGranularity",
            steps: p + "script", until: p + "until")
    }
}

extension ModelDefinition {
    /// Checks every value against its documented range (``InputLimits``) and every relationship the
    /// model relies on. Model files, scenario files and the models embedded in trace files all go
    /// through it, and a model built in code can call it before use: a model that passes can be
    /// simulated and checked without a trap or an overflow.
    public func validate(names: ModelFieldNames = .modelFile) throws(InputError) {
        try validateText(names)
        try spec.validate(field: names.cluster)
        try timing.validate(field: names.timing)
        try faults.validate(field: names.faults)
        try validateBounds(names)
        try validateScript(names)
    }

    func validateText(_ names: ModelFieldNames) throws(InputError) {
        guard !name.isEmpty else {
            throw InputError(
                field: names.name, problem: "missing",
                fix: "give the model a short name, e.g. \"my-cluster\"")
        }
        let nameFix =
            "use at most \(InputLimits.nameLengthMax) characters without \"/\" or control characters, e.g. \"my-cluster\""
        guard name.count <= InputLimits.nameLengthMax else {
            throw InputError(
                field: names.name, problem: "\(name.count) characters is too long", fix: nameFix)
        }
        guard !name.contains("/"), !name.unicodeScalars.contains(where: Self.isControl) else {
            let what =
                name.contains("/")
                ? "\"/\" (the name becomes part of trace file names)" : "a control character"
            throw InputError(
                field: names.name, problem: "\(InputText.quoted(name)) contains \(what)",
                fix: nameFix)
        }
        for (text, field) in [(summary, names.summary), (source, names.source)]
        where text.count > InputLimits.textLengthMax {
            throw InputError(
                field: field, problem: "\(text.count) characters is too long",
                fix: "shorten it to at most \(InputLimits.textLengthMax) characters")
        }
    }

    func validateBounds(_ names: ModelFieldNames) throws(InputError) {
        try Validation.positive(recoveryBound, field: names.recoveryBound, fix: "e.g. \"5m\"")
        try Validation.positive(checkGranularity, field: names.checkGranularity, fix: "e.g. \"1s\"")
    }

    func validateScript(_ names: ModelFieldNames) throws(InputError) {
        guard script.count <= InputLimits.scriptStepsMax else {
            throw InputError(
                field: names.steps,
                problem: "\(script.count) steps is more than \(InputLimits.scriptStepsMax)",
                fix: "split the scenario into smaller ones")
        }
        for (i, step) in script.enumerated() {
            let field = "\(names.steps)[\(i)]"
            try Validation.duration(step.at, field: field + ".at")
            if i > 0, step.at < script[i - 1].at {
                throw InputError(
                    field: field + ".at",
                    problem:
                        "\(step.at) comes before \(names.steps)[\(i - 1)].at \(script[i - 1].at)",
                    fix: "list steps in time order")
            }
            switch step.action {
            case .workerPodDelete(let worker):
                try Validation.integer(
                    worker, in: 1...max(spec.workers, 1), field: field + ".worker",
                    fix: "name a worker from 1 to \(spec.workers)")
            case .gcsStart(let namespace?):
                try Validation.identifier(namespace, field: field + ".storageNamespace")
            default:
                break
            }
        }
        if let until {
            try Validation.duration(until, field: names.until)
            if let last = script.last, last.at > until {
                throw InputError(
                    field: names.until, problem: "\(until) is before the last step at \(last.at)",
                    fix: "make until later than every step")
            }
        }
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }
}

extension ClusterSpec {
    /// The fix for every `restartPolicy` key (head, workers, a worker group's).
    static let restartPolicyFix = "use \"Always\" or \"Never\""

    /// The fix for both reconnect timeouts.
    static let reconnectTimeoutFix =
        "use a whole number of seconds from 1 to 86400, or leave it out to get the default "
        + "(head: Ray's 60; workers: 600 with FT, else 60)"

    /// Checks the cluster section; `field` is its path (`cluster`).
    public func validate(field: String) throws(InputError) {
        try validateWorkerGroups(field: field)
        if let value = headReconnectTimeoutSeconds {
            try Validation.integer(
                value, in: InputLimits.reconnectTimeoutSeconds,
                field: "\(field).headReconnectTimeoutSeconds", fix: Self.reconnectTimeoutFix)
        }
        if let storageNamespace {
            try Validation.identifier(storageNamespace, field: field + ".storageNamespace")
        }
        try Validation.identifier(rayClusterUID, field: field + ".rayClusterUID")
        try Validation.integer(
            actorMaxRestarts, in: InputLimits.actorMaxRestarts, field: field + ".actorMaxRestarts",
            fix: "use 0 (Ray's default: the actor stays dead) or -1 (restart forever)")
        try validateVersion(field: field)
        try validateProbes(field: field + ".probes")
        try validateStorage(field: field)
    }

    static let workersFix =
        "use 1 to 64 workers (the detached actor needs a worker: the head has num-cpus 0)"
    static let replicasFix = "use 0 to 64 replicas; the groups together need 1 to 64 workers"

    /// The workers in all groups, each group's name, replicas and timeout. One default group is
    /// named by the shorthand's fields (`cluster.workers`), others by `cluster.workerGroups[i]`.
    func validateWorkerGroups(field: String) throws(InputError) {
        let shorthand = isOneDefaultGroup
        for (i, group) in workerGroups.enumerated() {
            let at = "\(field).workerGroups[\(i)]"
            if !shorthand {
                try Validation.identifier(group.name, field: at + ".name")
                if let first = workerGroups.firstIndex(where: { $0.name == group.name }),
                   first < i {
                    throw InputError(
                        field: at + ".name",
                        problem:
                            "\(InputText.quoted(group.name)) is also the name of group \(first)",
                        fix: "give every worker group its own name, as KubeRay requires")
                }
                try Validation.integer(
                    group.replicas, in: 0...InputLimits.workers.upperBound,
                    field: at + ".replicas", fix: Self.replicasFix)
            }
            if let value = group.reconnectTimeoutSeconds {
                try Validation.integer(
                    value, in: InputLimits.reconnectTimeoutSeconds,
                    field: shorthand ? "\(field).workerReconnectTimeoutSeconds"
                        : at + ".reconnectTimeoutSeconds",
                    fix: Self.reconnectTimeoutFix)
            }
            for (kind, path) in PodProbeSettings.fields {
                guard let setting = group.probes?[keyPath: path] else { continue }
                try Self.validateProbe(setting, field: "\(at).probes.\(kind)")
            }
        }
        try Validation.integer(
            workers, in: InputLimits.workers,
            field: field + (shorthand ? ".workers" : ".workerGroups"),
            fix: shorthand ? Self.workersFix : Self.replicasFix)
    }

    /// The fix for an unknown KubeRay version.
    static var kuberayVersionFix: String {
        "use one of \(KubeRayVersion.knownList) (any patch), e.g. \"1.1.0\", or leave it out for "
            + "\(KubeRayVersion.newest.major).\(KubeRayVersion.newest.minor)"
    }

    /// A version built in code must be a release the model knows; a file's was parsed as one.
    func validateVersion(field: String) throws(InputError) {
        let v = kuberayVersion
        let known = KubeRayVersion.known.contains { $0.major == v.major && $0.minor == v.minor }
        guard known, (0...9_999).contains(v.patch)
        else {
            throw InputError(
                field: field + ".kuberayVersion", problem: "unknown KubeRay version \"\(v)\"",
                fix: Self.kuberayVersionFix)
        }
    }

    /// Every number of every custom probe within its Kubernetes-based range.
    func validateProbes(field: String) throws(InputError) {
        for (pod, kind, path) in ProbeSettings.fields {
            try Self.validateProbe(probes[keyPath: path], field: "\(field).\(pod).\(kind)")
        }
    }

    /// The numbers of one custom probe, each within its range; `field` is the probe's path.
    static func validateProbe(_ setting: ProbeSetting, field: String) throws(InputError) {
        guard case .custom(let probe) = setting else { return }
        for number in ProbeSpec.numberFields {
            try Validation.integer(
                probe[keyPath: number.path], in: number.limits,
                field: "\(field).\(number.key)", fix: number.fix)
        }
    }

    /// KubeRay's own rule from v1.3 (`ValidateRayClusterSpec`,
    /// ray-operator/controllers/ray/utils/validation.go): a head given `RAY_REDIS_ADDRESS` without
    /// GCS FT is rejected, "RAY_REDIS_ADDRESS is set which implicitly enables GCS fault tolerance,
    /// but GcsFaultToleranceOptions is not set". Before v1.3 the operator accepted it, and Ray
    /// used Redis all the same.
    func validateStorage(field: String) throws(InputError) {
        guard gcsStorage == .redis, !ftEnabled, kuberayVersion.atLeast(1, 3) else { return }
        throw InputError(
            field: field + ".gcsStorage",
            problem: "\"redis\" with \(field).ftEnabled false is rejected by KubeRay "
                + "\(kuberayVersion) (from 1.3, ValidateRayClusterSpec: RAY_REDIS_ADDRESS is set "
                + "which implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is "
                + "not set)",
            fix: "set \(field).ftEnabled to true, or choose a kuberayVersion before 1.3 "
                + "(e.g. \"1.2.2\")")
    }
}

extension Timing {
    /// The durations that must be positive: each divides time into checks or draws a grid.
    static let positiveKeys: [CodingKeys] = [
        .connectionCheckInterval, .rayletSelfCheckInterval, .granularity,
        .crashLoopBackoffInitial,
    ]

    /// Checks every timing value; `field` is the section's path (`timing`).
    public func validate(field: String) throws(InputError) {
        for (key, path) in Self.durations {
            try Validation.duration(self[keyPath: path], field: "\(field).\(key.rawValue)")
        }
        for (key, path) in Self.ranges {
            let range = self[keyPath: path]
            let name = "\(field).\(key.rawValue)"
            try Validation.duration(range.min, field: name + ".min")
            try Validation.duration(range.max, field: name + ".max")
            guard range.min <= range.max else {
                throw InputError(
                    field: name, problem: "min \(range.min) is greater than max \(range.max)",
                    fix: "swap them, or make min ≤ max")
            }
        }
        for key in Self.positiveKeys {
            let path = Self.durations.first { $0.0 == key }!.1
            try Validation.positive(
                self[keyPath: path], field: "\(field).\(key.rawValue)",
                fix: "give a duration greater than 0, e.g. \"1s\"")
        }
        guard crashLoopBackoffInitial <= crashLoopBackoffMax else {
            throw InputError(
                field: "\(field).crashLoopBackoffInitial",
                problem:
                    "\(crashLoopBackoffInitial) exceeds \(field).crashLoopBackoffMax \(crashLoopBackoffMax)",
                fix: "make the initial back-off at most the cap (kubelet: 10s and 5m)")
        }
    }
}

extension FaultBudget {
    /// Checks the fault budget; `field` is the section's path (`faults`).
    public func validate(field: String) throws(InputError) {
        try Validation.integer(
            maxFaults, in: InputLimits.maxFaults, field: field + ".maxFaults",
            fix: "use 0 to 10 faults per run")
        try Validation.duration(horizon, field: field + ".horizon")
    }
}

/// The range checks every section uses, so one kind of mistake always reads the same.
enum Validation {
    static func integer(
        _ value: Int, in range: ClosedRange<Int>, field: String, fix: String
    ) throws(InputError) {
        guard !range.contains(value) else { return }
        let what =
            value < 0 && range.lowerBound >= 0
            ? "\(value) is negative"
            : "\(value) is out of range \(range.lowerBound)...\(range.upperBound)"
        throw InputError(field: field, problem: what, fix: fix)
    }

    /// Zero or more, at most ``InputLimits/durationMax``.
    static func duration(_ d: SimDuration, field: String) throws(InputError) {
        guard d >= .zero else {
            throw InputError(
                field: field, problem: "\(d) is negative",
                fix: "timeouts and delays must be zero or more")
        }
        guard d <= InputLimits.durationMax else {
            throw InputError(
                field: field, problem: "\(d) is longer than \(InputLimits.durationMax) (30 days)",
                fix: "use at most \(InputLimits.durationMax)")
        }
    }

    static func positive(_ d: SimDuration, field: String, fix: String) throws(InputError) {
        try duration(d, field: field)
        guard d > .zero else {
            throw InputError(field: field, problem: "must be positive", fix: fix)
        }
    }

    /// A Kubernetes-style identifier: non-empty, at most 253 characters, no control characters.
    static func identifier(_ s: String, field: String) throws(InputError) {
        let fix =
            "use 1 to \(InputLimits.identifierLengthMax) characters without control characters, e.g. \"raycluster-uid\""
        guard !s.isEmpty else { throw InputError(field: field, problem: "is empty", fix: fix) }
        guard s.count <= InputLimits.identifierLengthMax else {
            throw InputError(field: field, problem: "\(s.count) characters is too long", fix: fix)
        }
        guard !s.unicodeScalars.contains(where: ModelDefinition.isControl) else {
            throw InputError(
                field: field, problem: "\(InputText.quoted(s)) contains a control character",
                fix: fix)
        }
    }
}
