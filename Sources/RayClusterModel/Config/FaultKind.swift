/// A fault the model can inject, with the stable id used on the command line and in model files.
public enum FaultKind: String, CaseIterable, Codable, Sendable, Comparable {
    /// `pkill gcs_server`: the GCS process dies; the head container lives on (SIGTERM is a clean exit
    /// for `ray start --block`, reference §1) until the head raylet gives up.
    case gcsProcessKill = "gcs-process-kill"
    /// `kill -9` on the GCS, or the OOM killer: it exits with -9, which `ray start --block` does not
    /// take for a clean exit, so the head container ends within a poll (reference §1).
    case gcsProcessSigkill = "gcs-process-sigkill"
    /// `kubectl delete pod <head>`: every head process dies; KubeRay creates a new head pod (§6).
    case headPodDelete = "head-pod-delete"
    /// The Ray container of the head pod exits abnormally (e.g. OOM); the kubelet restarts it in place.
    case headContainerCrash = "head-container-crash"
    /// The kubelet evicts the head pod (node pressure): phase Failed, reason Evicted; every head
    /// process dies and whether KubeRay replaces the pod depends on its release (§6).
    case headPodEvict = "head-pod-evict"
    /// Redis goes down and comes back after a while; without persistence it comes back empty (§3).
    case redisRestart = "redis-restart"
    /// Redis loses this cluster's keys (FLUSHALL, eviction under `allkeys-lru`) while it keeps running.
    case redisDataLoss = "redis-data-loss"
    /// `kubectl delete pod <worker>`: one worker pod dies; KubeRay creates a replacement.
    case workerPodDelete = "worker-pod-delete"

    /// Faults on the head pod: the ones GCS fault tolerance exists to ride out.
    public static let headSide: [FaultKind] = [.gcsProcessKill, .gcsProcessSigkill, .headPodDelete, .headContainerCrash, .headPodEvict]

    public static func < (a: FaultKind, b: FaultKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Every stable id, for error messages and `--help`.
    public static var idList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How many faults of which kinds may happen, and within what window from the start.
public struct FaultBudget: Hashable, Codable, Sendable {
    /// The kinds that may be injected, sorted, without duplicates (the order of the choice among them).
    public private(set) var kinds: [FaultKind]
    /// At most this many faults in one run.
    public var maxFaults: Int
    /// Faults happen at virtual times in `0...horizon`.
    public var horizon: SimDuration

    public init(kinds: [FaultKind], maxFaults: Int, horizon: SimDuration) {
        self.kinds = Array(Set(kinds)).sorted()
        self.maxFaults = maxFaults
        self.horizon = horizon
    }

    /// One head-side fault within five minutes: the budget of the product's promise.
    public static let oneHeadSideFault = FaultBudget(kinds: FaultKind.headSide, maxFaults: 1, horizon: .minutes(5))
}

import SimulationKernel
