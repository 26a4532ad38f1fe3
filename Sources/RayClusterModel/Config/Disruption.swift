/// Every way the model can disturb the world, listed once. A random fault (``FaultKind``) and a
/// scripted step (``ScriptAction``) are each one of these; ids, `--help` lists and error messages
/// come from here, and one rule says when each has a target and what it does
/// (`Rules/Disruptions.swift`).
public enum Disruption: String, CaseIterable, Hashable, Sendable {
    // In this order: the faults among them keep ``FaultKind``'s order, which is the order of the
    // choice among enabled faults (so seeds keep their runs).
    /// `pkill gcs_server`: the GCS process dies; the head container lives on (SIGTERM is a clean
    /// exit for `ray start --block`, reference §1) until the head raylet gives up.
    case gcsProcessKill = "gcs-process-kill"
    /// `kill -9` on the GCS, or the OOM killer: it exits with -9, which `ray start --block` does
    /// not take for a clean exit, so the head container ends within a poll (reference §1).
    case gcsProcessSigkill = "gcs-process-sigkill"
    /// A step starts a GCS process on the head (manual supervision, as Ray's own tests do).
    case gcsStart = "gcs-start"
    /// `kubectl delete pod <head>`: every head process dies; KubeRay creates a new head pod (§6).
    case headPodDelete = "head-pod-delete"
    /// The Ray container of the head pod exits abnormally (e.g. OOM); the kubelet restarts it.
    case headContainerCrash = "head-container-crash"
    /// The kubelet evicts the head pod (node pressure): phase Failed, reason Evicted; every head
    /// process dies and whether KubeRay replaces the pod depends on its release (§6).
    case headPodEvict = "head-pod-evict"
    /// Redis goes down and comes back after a while; without persistence it comes back empty (§3).
    case redisRestart = "redis-restart"
    /// Redis loses this cluster's keys (eviction under `allkeys-lru`) while it keeps running.
    case redisDataLoss = "redis-data-loss"
    /// `FLUSHALL`: Redis loses every key, every namespace's.
    case redisFlush = "redis-flush"
    /// `kubectl delete pod <worker>`: one worker pod dies; KubeRay creates a replacement.
    case workerPodDelete = "worker-pod-delete"
    /// The client calls the detached counter actor once (a step only).
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

// The timeline's sentences for each disruption (rendered through `Facts/ClusterFact+Text.swift`).
extension Disruption {
    /// What a fault of this kind did, on `target` (`head`, `worker-2`); `namespace` is the
    /// cluster's storage namespace.
    public func faultText(target: String, namespace: String) -> String {
        switch self {
        case .gcsProcessKill: "gcs-process-kill: `pkill gcs_server` in the head container"
        case .gcsProcessSigkill: "gcs-process-sigkill: `kill -9` on gcs_server (or the OOM killer)"
        case .headContainerCrash: "head-container-crash: the head's Ray container exited abnormally"
        case .headPodDelete: "head-pod-delete: `kubectl delete pod` on the head pod"
        case .headPodEvict:
            "head-pod-evict: the kubelet evicted the head pod (phase Failed, reason Evicted)"
        case .redisRestart: "redis-restart: Redis went down"
        case .redisDataLoss: "redis-data-loss: Redis lost the keys of namespace \(namespace)"
        case .workerPodDelete: "worker-pod-delete: `kubectl delete pod` on \(target)"
        case .gcsStart, .redisFlush, .actorCall: id  // steps only: FaultBudget refuses them
        }
    }

    /// What a scripted step of this kind did, on `target`; `namespace` is a `gcs-start` step's.
    public func stepText(target: String, namespace: String?) -> String {
        switch self {
        case .gcsProcessKill: "gcs-process-kill: the GCS process is killed"
        case .gcsProcessSigkill: "gcs-process-sigkill: the GCS process is killed with SIGKILL"
        case .gcsStart:
            "gcs-start: a GCS process is started on the head"
                + (namespace.map { " with storage namespace \($0)" } ?? "")
        case .redisFlush: "redis-flush: FLUSHALL"
        case .redisRestart: "redis-restart: Redis goes down"
        case .headPodDelete: "head-pod-delete: every head process dies"
        case .headContainerCrash: "head-container-crash: the head's Ray processes die"
        case .headPodEvict: "head-pod-evict: the kubelet evicts the head pod"
        case .workerPodDelete: "worker-pod-delete: \(target) dies"
        case .actorCall: "actor-call: the client calls the actor"
        case .redisDataLoss: id  // a fault only
        }
    }

    /// Why a step of this kind found nothing to act on.
    public var skipText: String {
        switch self {
        case .gcsProcessKill, .gcsProcessSigkill: "\(id): no GCS process is running"
        case .gcsStart: "gcs-start: a GCS is already running or the head is gone"
        case .redisRestart: "redis-restart: Redis is not up"
        case .headContainerCrash: "head-container-crash: the head's Ray container is not running"
        case .headPodEvict: "head-pod-evict: the head pod is already gone or being deleted"
        case .headPodDelete: "head-pod-delete: the head pod is already being deleted"
        case .workerPodDelete: "worker-pod-delete: the cluster has no workers"
        case .redisDataLoss: "redis-data-loss: Redis does not hold the cluster"
        case .redisFlush, .actorCall: "\(id): skipped"
        }
    }
}

extension Disruption {
    /// The disruption itself (a ``FaultKind`` is one).
    public var disruption: Disruption { self }
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
