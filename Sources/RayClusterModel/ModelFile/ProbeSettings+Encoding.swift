/// The probes as model files and trace files spell them, described once: the reader
/// (`ModelDefinition+JSON.swift`), the validation and the `Codable` form below all walk these
/// tables, so both file formats name a probe's fields alike
/// (`cluster.probes.head.liveness.periodSeconds`, `model.spec.probes.head.liveness.periodSeconds`).
///
/// ```json
/// "probes": {"head": {"readiness": "none"},
///            "worker": {"liveness": {"initialDelaySeconds": 30, "periodSeconds": 5,
///                                    "timeoutSeconds": 2, "failureThreshold": 120,
///                                    "checks": "node-alive"}}}
/// ```
///
/// A probe left out is KubeRay's default; `"none"` is no probe; an object is the user's probe,
/// all five keys required (Kubernetes' names, plus `checks`: what the probe's command asks).
extension ProbeSettings {
    typealias Path = WritableKeyPath<ProbeSettings, ProbeSetting> & Sendable

    /// The four probes: pod key, probe key, and where the setting lives.
    static let fields: [(pod: String, kind: String, path: Path)] = [
        ("head", "readiness", \.headReadiness), ("head", "liveness", \.headLiveness),
        ("worker", "readiness", \.workerReadiness), ("worker", "liveness", \.workerLiveness),
    ]
    /// The pod keys, in file order.
    static let pods = ["head", "worker"]

    /// The probes of `pod`.
    static func fields(of pod: String) -> [(kind: String, path: Path)] {
        fields.filter { $0.pod == pod }.map { ($0.kind, $0.path) }
    }
}

/// A worker group's own pair (`cluster.workerGroups[i].probes`, docs/model-files.md) is spelt as
/// one pod of ``ProbeSettings``: `{"liveness": {…}}`, a probe left out is KubeRay's default.
extension PodProbeSettings {
    typealias Path = WritableKeyPath<PodProbeSettings, ProbeSetting> & Sendable

    /// The two probes: key and where the setting lives, in file order.
    static let fields: [(kind: String, path: Path)] = [
        ("readiness", \.readiness), ("liveness", \.liveness),
    ]

    /// A missing probe is KubeRay's default; unknown keys are ignored, as in ``ProbeSettings``.
    public init(from decoder: Decoder) throws {
        self.init()
        let probes = try decoder.container(keyedBy: ProbeSettings.Key.self)
        for (kind, path) in Self.fields {
            let setting = try probes.decodeIfPresent(ProbeSetting.self, forKey: .init(kind))
            if let setting { self[keyPath: path] = setting }
        }
    }

    /// Writes only the probes that are not KubeRay's default.
    public func encode(to encoder: Encoder) throws {
        var probes = encoder.container(keyedBy: ProbeSettings.Key.self)
        for (kind, path) in Self.fields where self[keyPath: path] != .kubeRayDefault {
            try probes.encode(self[keyPath: path], forKey: .init(kind))
        }
    }
}

extension ProbeSpec {
    typealias Field = (
        key: String, path: WritableKeyPath<ProbeSpec, Int> & Sendable, limits: ClosedRange<Int>,
        fix: String
    )

    /// The whole-number fields: key, where it lives, its range (``InputLimits``) and the fix.
    static let numberFields: [Field] = [
        ("initialDelaySeconds", \.initialDelaySeconds, InputLimits.probeInitialDelaySeconds,
         "use 0 to 3600 seconds (Kubernetes' minimum is 0)"),
        ("periodSeconds", \.periodSeconds, InputLimits.probeSeconds,
         "use 1 to 3600 seconds (Kubernetes' minimum is 1)"),
        ("timeoutSeconds", \.timeoutSeconds, InputLimits.probeSeconds,
         "use 1 to 3600 seconds (Kubernetes' minimum is 1)"),
        ("failureThreshold", \.failureThreshold, InputLimits.probeFailureThreshold,
         "use 1 to 1000 consecutive failures (Kubernetes' minimum is 1)"),
    ]
    /// The key of ``check``.
    static let checkKey = "checks"
    /// Every key of a custom probe, in file order.
    static var keys: [String] { numberFields.map(\.key) + [checkKey] }
    /// The fix for an unknown `checks`.
    static var checkFix: String {
        let ids = ProbeCheck.allCases.map { "\"\($0.rawValue)\"" }
        return "use " + ids.dropLast().joined(separator: ", ") + " or " + ids.last!
            + " (what the probe's command asks; see docs/model-files.md)"
    }
    /// A probe whose fields are all about to be set.
    static let blank = ProbeSpec(
        initialDelaySeconds: 0, periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0,
        check: .gcs)
}

extension ProbeSettings {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue s: String) { stringValue = s }
        init?(intValue: Int) { nil }
    }

    /// A missing pod or probe is KubeRay's default; unknown keys are ignored, as `Codable` does
    /// everywhere in trace files (the model digest catches edits).
    public init(from decoder: Decoder) throws {
        self.init()
        let top = try decoder.container(keyedBy: Key.self)
        for pod in Self.pods where top.contains(Key(pod)) {
            let probes = try top.nestedContainer(keyedBy: Key.self, forKey: Key(pod))
            for (kind, path) in Self.fields(of: pod) {
                let setting = try probes.decodeIfPresent(ProbeSetting.self, forKey: Key(kind))
                if let setting { self[keyPath: path] = setting }
            }
        }
    }

    /// Writes only the probes that are not KubeRay's default.
    public func encode(to encoder: Encoder) throws {
        var top = encoder.container(keyedBy: Key.self)
        for pod in Self.pods {
            let set = Self.fields(of: pod).filter { self[keyPath: $0.path] != .kubeRayDefault }
            guard !set.isEmpty else { continue }
            var probes = top.nestedContainer(keyedBy: Key.self, forKey: Key(pod))
            for (kind, path) in set { try probes.encode(self[keyPath: path], forKey: Key(kind)) }
        }
    }
}

extension ProbeSetting {
    /// `"none"`, `"default"` (only where a setting stands alone: ``ProbeSettings`` leaves
    /// defaults out), or an object with the probe's five keys.
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(),
            let text = try? single.decode(String.self)
        {
            switch text {
            case "none": self = .none
            case "default": self = .kubeRayDefault
            default:
                throw DecodingError.dataCorruptedError(
                    in: single, debugDescription: "unknown probe \"\(text)\"")
            }
            return
        }
        let c = try decoder.container(keyedBy: ProbeSettings.Key.self)
        var spec = ProbeSpec.blank
        for field in ProbeSpec.numberFields {
            spec[keyPath: field.path] = try c.decode(Int.self, forKey: .init(field.key))
        }
        spec.check = try c.decode(ProbeCheck.self, forKey: .init(ProbeSpec.checkKey))
        self = .custom(spec)
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .kubeRayDefault:
            var c = encoder.singleValueContainer()
            try c.encode("default")
        case .none:
            var c = encoder.singleValueContainer()
            try c.encode("none")
        case .custom(let spec):
            var c = encoder.container(keyedBy: ProbeSettings.Key.self)
            for field in ProbeSpec.numberFields {
                try c.encode(spec[keyPath: field.path], forKey: .init(field.key))
            }
            try c.encode(spec.check, forKey: .init(ProbeSpec.checkKey))
        }
    }
}
