import SimulationKernel

/// Everything that defines one model: the cluster as written, the timing, the fault budget and
/// the recovery bound. Loaded from a model file (docs/model-files.md) or built in code.
public struct ModelDefinition: Hashable, Sendable {
    /// Short identifier, e.g. `kuberay-external-redis`.
    public var name: String
    /// One sentence on what this model represents.
    public var summary: String
    /// Where its settings come from (a sample manifest, a seed document).
    public var source: String
    public var spec: ClusterSpec
    public var timing: Timing
    public var faults: FaultBudget
    /// `cluster-recovers`: after the last fault, the GCS serves and every raylet is connected within this.
    public var recoveryBound: SimDuration
    /// The grid the exhaustive checker uses unless told otherwise (coarser than simulation's).
    public var checkGranularity: SimDuration
    /// Who restarts dead processes: Kubernetes (the default) or nobody (scripted scenarios).
    public var supervisor: Supervisor = .kubernetes
    /// Scripted steps at fixed times (scenario files); empty for plain models.
    public var script: [ScriptStep] = []
    /// A run stops at this virtual time; nil runs until nothing can happen.
    public var until: SimDuration?
    /// The ids of the properties a check looks at (`simulate check --property`), in any order;
    /// nil: every property of ``ClusterProperties/all``. Not part of the model file: a trace
    /// written from a filtered check holds the whole model, and its replay judges every property.
    public var checkedProperties: [String]? = nil

    public init(name: String, summary: String, source: String = "", spec: ClusterSpec = ClusterSpec(),
                timing: Timing = Timing(), faults: FaultBudget = .oneHeadSideFault,
                recoveryBound: SimDuration = .minutes(5), checkGranularity: SimDuration = .seconds(1)) {
        self.name = name
        self.summary = summary
        self.source = source
        self.spec = spec
        self.timing = timing
        self.faults = faults
        self.recoveryBound = recoveryBound
        self.checkGranularity = checkGranularity
    }

    /// The cluster after KubeRay's defaulting.
    public var cluster: EffectiveCluster { KubeRayDefaulting.apply(spec) }
}

extension ModelDefinition: Codable {
    enum CodingKeys: String, CodingKey {
        case name, summary, source, spec, timing, faults, recoveryBound, checkGranularity, supervisor, script, until
    }

    /// Keys added after the first release (supervisor, script, until) are optional.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), summary: try c.decode(String.self, forKey: .summary),
                  source: try c.decode(String.self, forKey: .source), spec: try c.decode(ClusterSpec.self, forKey: .spec),
                  timing: try c.decode(Timing.self, forKey: .timing), faults: try c.decode(FaultBudget.self, forKey: .faults),
                  recoveryBound: try c.decode(SimDuration.self, forKey: .recoveryBound),
                  checkGranularity: try c.decode(SimDuration.self, forKey: .checkGranularity))
        supervisor = try c.decodeIfPresent(Supervisor.self, forKey: .supervisor) ?? .kubernetes
        script = try c.decodeIfPresent([ScriptStep].self, forKey: .script) ?? []
        until = try c.decodeIfPresent(SimDuration.self, forKey: .until)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(summary, forKey: .summary)
        try c.encode(source, forKey: .source)
        try c.encode(spec, forKey: .spec)
        try c.encode(timing, forKey: .timing)
        try c.encode(faults, forKey: .faults)
        try c.encode(recoveryBound, forKey: .recoveryBound)
        try c.encode(checkGranularity, forKey: .checkGranularity)
        try c.encode(supervisor, forKey: .supervisor)
        try c.encode(script, forKey: .script)
        try c.encodeIfPresent(until, forKey: .until)
    }
}
