/// Every way the model can disturb the world, listed once. A random fault (``FaultKind``) and a
/// scripted step (``ScriptAction``) are each one of these; ids, `--help` lists and error messages
/// come from here, and one rule says when each has a target and what it does
/// (`Rules/Disruptions.swift`).
public enum Disruption: String, CaseIterable, Hashable, Sendable {
    // In this order: the faults among them keep ``FaultKind``'s order, which is the order of the
    // choice among enabled faults (so seeds keep their runs).
    case gcsProcessKill = "gcs-process-kill"
    case gcsProcessSigkill = "gcs-process-sigkill"
    case gcsStart = "gcs-start"
    case headPodDelete = "head-pod-delete"
    case headContainerCrash = "head-container-crash"
    case headPodEvict = "head-pod-evict"
    case redisRestart = "redis-restart"
    case redisDataLoss = "redis-data-loss"
    case redisFlush = "redis-flush"
    case workerPodDelete = "worker-pod-delete"
    case actorCall = "actor-call"

    /// The stable id, as model files, scenario files and the command line spell it.
    public var id: String { rawValue }

    /// May be injected at random (a fault of a model's budget).
    public var asFault: Bool {
        switch self {
        case .gcsStart, .redisFlush, .actorCall: false
        default: true
        }
    }

    /// May be a step of a scenario's script.
    public var asStep: Bool { self != .redisDataLoss }

    /// Breaks something: it opens a recovery window (starting a GCS or calling the actor does not).
    public var isDisruptive: Bool { self != .gcsStart && self != .actorCall }

    /// The ids of every disruption that may be a fault, in declaration order.
    public static var faultIDs: [String] { allCases.filter(\.asFault).map(\.id) }
    /// The ids of every disruption that may be a step, in declaration order.
    public static var stepIDs: [String] { allCases.filter(\.asStep).map(\.id) }
}

extension FaultKind {
    /// The disruption this fault is.
    public var disruption: Disruption { Disruption(rawValue: rawValue)! }
}

extension ScriptAction {
    /// The disruption this step is.
    public var disruption: Disruption {
        switch self {
        case .gcsProcessKill: .gcsProcessKill
        case .gcsProcessSigkill: .gcsProcessSigkill
        case .gcsStart: .gcsStart
        case .redisFlush: .redisFlush
        case .redisRestart: .redisRestart
        case .headPodDelete: .headPodDelete
        case .headContainerCrash: .headContainerCrash
        case .headPodEvict: .headPodEvict
        case .workerPodDelete: .workerPodDelete
        case .actorCall: .actorCall
        }
    }
}
