import SimulationKernel

/// Every limit on user input, in one place, each with its reason (documented in
/// docs/model-files.md, "Limits"). "Put a limit on everything": a value inside these ranges can
/// never make a sum of the model overflow `Int64` milliseconds, a loader never reads unbounded
/// input, and a message never has to guess what was meant.
public enum InputLimits {
    /// The longest duration any field may hold (30 days). Runs add at most a few such values per
    /// step; 30 days is 2.6e9 ms, 3.5e9 times below `Int64.max`. ``SimDuration/parsingMax``.
    public static let durationMax = SimDuration.parsingMax
    /// `cluster.workers`: the detached actor needs a worker (the head has `num-cpus: 0`); 64 keeps
    /// the checker's state vector small.
    public static let workers = 1...64
    /// `cluster.headReconnectTimeoutSeconds`, `cluster.workerReconnectTimeoutSeconds`: one day.
    public static let reconnectTimeoutSeconds = 1...86_400
    /// `cluster.actorMaxRestarts`: Ray's 0 (stays dead) or -1 (restart forever).
    public static let actorMaxRestarts = -1...0
    /// A probe's `initialDelaySeconds`: Kubernetes' minimum is 0; an hour is far past any real
    /// start-up, and keeps every probe sum far below the duration limit.
    public static let probeInitialDelaySeconds = 0...3_600
    /// A probe's `periodSeconds` and `timeoutSeconds`: Kubernetes' minimum is 1; at most an hour.
    public static let probeSeconds = 1...3_600
    /// A probe's `failureThreshold`: Kubernetes' minimum is 1; 1,000 periods of at most an hour
    /// is 42 days of failures, the most a probe can wait before it acts.
    public static let probeFailureThreshold = 1...1_000
    /// `faults.maxFaults` (and `--max-faults`).
    public static let maxFaults = 0...10
    /// Steps of one scenario script.
    public static let scriptStepsMax = 1_000
    /// `name`: it becomes part of trace file names.
    public static let nameLengthMax = 128
    /// `summary`, `source`.
    public static let textLengthMax = 4_096
    /// `cluster.rayClusterUID`, `cluster.storageNamespace`, a step's `storageNamespace`: a
    /// Kubernetes name is at most 253 characters.
    public static let identifierLengthMax = 253
    /// Bytes of one model, scenario or trace file (16 MiB; the shipped ones are a few KiB).
    public static let fileBytesMax = 16 << 20
    /// Nesting of objects and arrays in one JSON document (model files need 4).
    public static let jsonDepthMax = 64
    /// Choices of one trace step.
    public static let traceChoicesPerStepMax = 10_000
    /// The largest choice index a trace may hold: one more than every grid point of the longest
    /// duration a model accepts at the finest grid (the 1 ms grid of the zone checker's concrete
    /// traces gives a 30 s drain 30 001 alternatives). Whether the model offers the choice is
    /// the replay's to see; this only keeps absurd numbers out.
    public static let traceChoiceIndexMax = Int(Int32.max)
}
