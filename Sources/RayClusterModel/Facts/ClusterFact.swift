import SimulationKernel

/// What happened in a step, as a typed past-tense fact. Rules state facts (`Transition.note`);
/// the properties judge them (``Judge``); the timeline's text is rendered from them in one place
/// (`ClusterFact+Text.swift`). Node payloads are indices into ``ClusterState/nodes`` (0 is the
/// head); a namespace payload is an index as ``ClusterState/gcsNamespace`` holds it.
public enum ClusterFact: Hashable, Sendable {
    // Faults and scripted steps.
    /// A fault of `kind` was injected; `node` is its target (the head, or the deleted worker).
    case faultInjected(FaultKind, node: Int)
    case faultsEnded
    case faultSkipped
    case stepPerformed(ScriptAction)
    /// A scripted step found nothing to act on.
    case stepSkipped(ScriptAction)
    case scenarioEnded

    // The GCS and its storage.
    case gcsStartedInMemory
    /// Started on a namespace holding `@`: it aborts at construction (reference §2).
    case gcsStartedAborting(namespace: Int)
    case gcsStartedLoading(namespace: Int)
    case gcsStartedWaitingForRedis
    case gcsConnectedToRedis
    /// Tables loaded; `keptCluster` when the storage held the cluster's id.
    case gcsServing(keptCluster: Bool, namespace: Int)
    case gcsDied(GCSExit)
    /// The storage lost the cluster; `fromOwnNamespace` when the namespace the GCS reads is
    /// another.
    case clusterDataLost(StorageLoss, fromOwnNamespace: Bool)
    case redisUp(empty: Bool)

    // Pods and containers.
    case initWaiting(node: Int)
    case containerStarted(node: Int, restarts: Int)
    /// Manual supervision: the processes ended and nothing restarts them.
    case processesStopped(node: Int, ContainerEnd)
    case containerExitedWhileDeleting(node: Int, ContainerEnd)
    /// restartPolicy Never: the pod failed; `replaced` when KubeRay deletes and replaces it.
    case podFailed(node: Int, ContainerEnd, replaced: Bool)
    /// The kubelet restarts the container after `wait` (zero: a first crash).
    case containerExited(node: Int, ContainerEnd, wait: SimDuration)
    case containerRestarting(node: Int, restarts: Int)
    case podAlreadyDeleting(node: Int)
    case podTerminating(node: Int, PodDrain)
    case evictedPodKept(node: Int)
    case evictedPodDeleted(node: Int)
    case podCreated(node: Int)
    case podReady(node: Int)
    case livenessProbeFailed(node: Int)

    // Raylets and the GCS's node table.
    case rayletRegistered(node: Int)
    case rayletResubscribed(node: Int)
    /// The GCS answered but does not know the node; its self-check comes after `selfCheckIn`.
    case rayletUnregistered(node: Int, selfCheckIn: SimDuration)
    case rayletExited(node: Int, RayletExitCause)
    case nodeMarkedDead(node: Int, NodeDeath)

    // The detached actor and its client.
    /// The head's dashboard agent reached its reconnect deadline and exited.
    case headAgentExited
    /// The actor's process on `node` reached its reconnect deadline and exited.
    case actorProcessExited(node: Int)
    /// The actor's process died on `node` with its counter at `value`.
    case actorDied(node: Int, value: Int, ActorFate)
    case actorRestarted(node: Int)
    case counterIncremented(value: Int)
    case counterCallFailed(gcsServing: Bool)

    // Judgement (stated by the ``Judge``, not by rules).
    case clusterUnaffected
    /// Recovered `after` the last disruption; nil when later than the bound.
    case clusterRecovered(after: SimDuration?)
    case recoveryOverdue
}

/// Why the GCS process ended.
public enum GCSExit: Hashable, Sendable {
    /// `pkill gcs_server` as a fault: SIGTERM, a clean exit for `ray start --block`.
    case sigterm
    /// A script step killed it.
    case killedByStep
    /// It exited with an error code, so `ray start --block` ends the head container.
    case error(GCSError)
    case containerEnded
    case podDeleted
    case podEvicted
}

/// Why the GCS exited with an error.
public enum GCSError: Hashable, Sendable {
    case sigkill
    case redisConnectTimeout
    case redisGraceExpired
    case namespaceHoldsKeySeparator
}

/// Why the storage the GCS reloads from lost the cluster.
public enum StorageLoss: Hashable, Sendable {
    /// The GCS died and kept its tables in memory.
    case gcsInMemory
    case flushed
    case redisRestartedEmpty
    /// Redis lost the cluster's keys while running.
    case keysLost
}

/// Why a Ray container ended.
public enum ContainerEnd: Hashable, Sendable {
    /// `ray start --block` saw a Ray process exit abnormally.
    case rayProcessFailed
    case crashed
    case livenessProbe
}

/// How a deleted pod's raylet drains (reference §6).
public enum PodDrain: Hashable, Sendable {
    /// The detached actor holds a worker: it drains for the drain timeout.
    case drains
    /// It would drain, but the GCS is unreachable.
    case cannotDrain
    case idle
}

/// How the GCS learned that a node is dead.
public enum NodeDeath: Hashable, Sendable {
    /// A new head raylet registered.
    case replacedHead
    case unregisteredGracefully
    case healthCheck
}

/// What becomes of the detached actor after its process died.
public enum ActorFate: Hashable, Sendable {
    case staysDead
    /// The GCS lost its actor table.
    case forgotten
    /// `max_restarts=-1`, once the GCS declares the node dead.
    case restartsAfterNodeDeath
    case restarts
}

/// Why a raylet process ended.
public enum RayletExitCause: Hashable, Sendable {
    /// Reconnect deadline reached (reference §1).
    case reconnectTimeout
    /// Liveness self-check answered "not alive" / auth error (§1, §9).
    case selfCheckFailed
    /// Its container ended (a sibling process failed, or the container crashed).
    case containerEnded
    /// Its pod was deleted or evicted and it died at once.
    case podDeleted
    /// Its pod was deleted and it finished draining: a graceful shutdown (§6).
    case drained
    /// The kubelet killed its container after the liveness probe failed; the probes that fail in
    /// this model fail because of the GCS (unreachable, or answering "not alive").
    case livenessProbe
    /// The head's dashboard agent reached its own reconnect deadline and exited; the head raylet
    /// fate-shares with it (reference §9). Only the head raylet exits this way.
    case agentFateShared

    /// Causes that are the GCS outage's doing, which `workers-survive-head-restart` forbids.
    public var isOutageCaused: Bool {
        self == .reconnectTimeout || self == .selfCheckFailed || self == .livenessProbe
            || self == .agentFateShared
    }
}

extension ClusterFact {
    /// For `gcsServing`: whether the GCS reloaded the cluster's id (nil for other facts).
    public var keptCluster: Bool? {
        if case .gcsServing(let kept, _) = self { kept } else { nil }
    }

    /// For `rayletExited`: why the raylet ended (nil for other facts).
    public var rayletExitCause: RayletExitCause? {
        if case .rayletExited(_, let cause) = self { cause } else { nil }
    }

    /// The fault or disruptive step that opens a recovery window, if this fact is one.
    var isDisruption: Bool {
        switch self {
        case .faultInjected: true
        case .stepPerformed(let a), .stepSkipped(let a): a.isDisruptive
        default: false
        }
    }
}
