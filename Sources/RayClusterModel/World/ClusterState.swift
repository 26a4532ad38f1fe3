import SimulationKernel

/// The whole simulated world: every component's state, the pending events, and the monitors the
/// properties read. A value: copying it forks the world.
///
/// Node 0 is the head (its pod runs the GCS and the head raylet under `ray start --block`); nodes
/// 1...N are the workers. There is no absolute time here: pending events carry delays relative to
/// now (see `Agenda`), so worlds that differ only in when they happen are the same world.
public struct ClusterState: Hashable, Codable, Sendable {
    public var nodes: [NodeState]
    public var gcs: GCSPhase
    public var redisUp: Bool
    /// The storage the GCS reloads from holds this cluster's id and tables: Redis under the storage
    /// namespace with FT on, the GCS process's own memory with FT off.
    public var storageHasCluster: Bool
    /// The storage namespace the GCS reads (the last one a GCS started on): 0 is the cluster's own,
    /// i > 0 the i-th other namespace a script step names (``RuleBook/otherNamespaces``). The
    /// storage flags (`storageHasCluster`, each node's `nodeStored` and `staleNode`) describe that
    /// namespace; Redis keeps data per namespace, so the cluster's own flags wait in
    /// `ownNamespaceHasCluster` and each node's `ownNamespaceStored`/`ownNamespaceStale`.
    public var gcsNamespace: Int = 0
    /// While the GCS reads another namespace: the cluster's own namespace still holds its id and tables.
    public var ownNamespaceHasCluster: Bool = false
    public var actor: ActorState
    public var faultsLeft: Int
    public var monitor: Monitor
    public var agenda: Agenda<Happening>

    /// Index of the head node.
    public static let head = 0
}

/// A Kubernetes pod running `ray start --block`, and the raylet inside it.
public struct NodeState: Hashable, Codable, Sendable {
    public var pod: PodPhase
    public var raylet: RayletPhase
    /// The GCS's storage holds this raylet's current node as ALIVE.
    public var nodeStored: Bool
    /// A previous node of this pod is still ALIVE in the GCS table although its raylet is gone.
    public var staleNode: Bool
    /// The kubelet's CrashLoopBackOff entry for the Ray container: 0 when it has none (the next
    /// crash is restarted at once), k > 0 when the next restart waits initial × 2^(k−1), capped.
    public var backoffLevel: Int
    /// Container restarts of the current pod (what `kubectl get pods` shows), saturating at
    /// ``restartsMax``.
    public var restarts: Int
    /// A new worker pod's init container still has to see the GCS answer before Ray starts (§6).
    public var initPending: Bool = false
    /// While the GCS reads another namespace: this node's `nodeStored` in the cluster's own one.
    public var ownNamespaceStored: Bool = false
    /// While the GCS reads another namespace: this node's `staleNode` in the cluster's own one.
    public var ownNamespaceStale: Bool = false
    /// The pod's Ready condition. Tracked only where it matters: before KubeRay v1.2 the head
    /// Service sends workers to the head pod only while it is Ready (reference §6).
    public var ready: Bool = true

    static let running = NodeState(pod: .running, raylet: .connected, nodeStored: true,
                                   staleNode: false, backoffLevel: 0, restarts: 0)

    /// Where ``restarts`` saturates. The count only shows in event text, so the bound only keeps
    /// the state space finite; 99 is as far as a person reading a timeline needs to tell apart.
    public static let restartsMax = 99
    /// Where ``backoffLevel`` can go at most, whatever the timing:
    /// ``Timing/crashLoopBackoffLevelMax`` (the first level whose wait is the cap) is at most this.
    public static let backoffLevelMax = Timing.crashLoopBackoffLevelLimit
}

/// Where a pod is in its life.
public enum PodPhase: UInt8, Hashable, Codable, Sendable {
    /// Being created or its container restarting: no Ray processes yet.
    case starting
    /// The Ray container runs.
    case running
    /// The container exited; the kubelet waits out CrashLoopBackOff before restarting it.
    case backingOff
    /// No Ray processes and nothing will start them: manual supervision, or a failed or evicted
    /// head pod that this KubeRay release does not replace (a person must act).
    case stopped
    /// Deleted: its processes get SIGTERM and the raylet drains the node (up to 30 s on Ray 2.60)
    /// before the pod is gone and KubeRay creates the next one (reference §6).
    case terminating
}

/// A raylet's relation to the GCS (reference §1, §3, §9).
public enum RayletPhase: UInt8, Hashable, Codable, Sendable {
    /// No raylet process.
    case down
    /// A new raylet waiting for a GCS to register with.
    case registering
    /// Registered and subscribed.
    case connected
    /// The GCS is unreachable; requests queue; the reconnect deadline runs.
    case reconnecting
    /// The GCS answers but does not know this node (new cluster id or lost data); the raylet stays
    /// up until its next liveness self-check, as real Ray 2.60 did (§9).
    case unregistered
}

/// The GCS server process.
public enum GCSPhase: UInt8, Hashable, Codable, Sendable {
    case down
    /// Retrying Redis (120 × 500 ms ≈ 60 s, then exit).
    case connectingRedis
    /// Loading tables and the cluster id; clients still see UNAVAILABLE.
    case loading
    case serving
}

/// The detached counter actor (reference §5): its value lives only in its worker process.
public struct ActorState: Hashable, Codable, Sendable {
    public var status: ActorStatus
    /// The node whose worker process hosts it.
    public var host: Int
    /// The counter as the last successful call returned it, saturating at ``valueMax``.
    public var value: Int
    /// The storage the GCS reloads from lost the actor table: a GCS never restarts this actor again,
    /// whatever `max_restarts` says (reference §3: detached actors are lost).
    public var forgotten: Bool = false

    /// Where ``value`` saturates. The counter only shows in event text (properties read
    /// `actorStateLost`, not the value), so the bound only keeps the state space finite.
    public static let valueMax = 99
}

public enum ActorStatus: UInt8, Hashable, Codable, Sendable {
    case alive
    /// Its process died and `max_restarts` is 0: calls fail for good.
    case dead
    /// Its process died, `max_restarts` is -1: restarted (state reset) once a worker and the GCS allow.
    case pendingRestart
    /// Its process died with its node, `max_restarts` is -1: the GCS restarts it only once it has
    /// declared that node (``ActorState/host``) dead (reference §4), then it is `pendingRestart`.
    case pendingNodeDeath
}

/// A pending event: what happens, and the node (or script step) it concerns. Node indices refer to
/// `ClusterState.nodes`.
///
/// A kind plus one small argument rather than an enum with payloads, so that which kinds carry a
/// node is said once (``Kind/argument``) and the hash, the symmetry key and the renaming of
/// workers all follow from it (``visitFields(_:)``). The static members keep the spelling of the
/// rules: `.podStarted(n)`, `.gcsLoaded`.
public struct Happening: Hashable, Codable, Sendable {
    public enum Kind: UInt8, Hashable, Codable, Sendable, CaseIterable {
        /// Decide when the next fault happens (or that none will).
        case faultPlanned = 1
        /// A fault is due; which kind is chosen when it fires.
        case fault
        /// No fault may be planned after this.
        case faultHorizonEnds
        /// A pod (new, or a restarted container) has its Ray processes up.
        case podStarted
        /// The kubelet's back-off is over; it restarts the container.
        case containerRestart
        /// The container has run long enough for the kubelet to reset its back-off.
        case backoffReset
        /// `ray start --block` noticed an abnormal child exit and ends the container.
        case containerExited
        /// The GCS gives up on connecting to Redis.
        case gcsRedisConnectGiveUp
        /// The GCS finished loading and opens its RPC server.
        case gcsLoaded
        /// Redis stayed away past the GCS's grace period.
        case gcsRedisGraceExpired
        /// A raylet's reconnect deadline, noticed at a connection check: it exits.
        case rayletGivesUp
        /// A connection check finds the GCS channel ready.
        case rayletReconnects
        /// A raylet's liveness self-check is answered "not alive" / auth error: it exits.
        case rayletSelfCheckFails
        /// The GCS health checker marks a node whose raylet is gone as DEAD.
        case staleNodeMarkedDead
        /// Redis is back after a restart.
        case redisBack
        /// The recovery bound after the last fault.
        case recoveryDeadline
        /// A script step of the scenario is due (the argument is its index).
        case scriptStep
        /// The scenario's `until`: the run ends.
        case scenarioEnds
        /// The actor's own process (its core worker's GCS client) reaches its reconnect deadline.
        case actorGivesUp
        /// The actor's process finds the GCS channel ready again.
        case actorReconnects
        /// Before v1.2: the head pod's next readiness probe that may pass (reference §6).
        case readinessProbe
        /// A liveness probe of the pod has failed for all but the last period of its threshold;
        /// the phase of the last probe is chosen when this fires.
        case livenessFailing
        /// The liveness probe of the pod reached its failure threshold: the kubelet restarts the
        /// container.
        case livenessKill
        /// A deleted pod's raylet finished draining: it shuts down gracefully and the pod is gone.
        case podGone
        /// The head's dashboard agent reaches its reconnect deadline (Rules/DashboardAgent.swift).
        case headAgentGivesUp
        /// The head's dashboard agent finds the GCS channel ready again.
        case headAgentReconnects

        /// What the happening's argument holds: the one place that says which kinds concern a node.
        public var argument: Argument {
            switch self {
            case .podStarted, .containerRestart, .backoffReset, .containerExited, .rayletGivesUp,
                 .rayletReconnects, .rayletSelfCheckFails, .staleNodeMarkedDead, .readinessProbe,
                 .livenessFailing, .livenessKill, .podGone:
                .node
            case .scriptStep:
                .scriptStep
            case .faultPlanned, .fault, .faultHorizonEnds, .gcsRedisConnectGiveUp, .gcsLoaded,
                 .gcsRedisGraceExpired, .redisBack, .recoveryDeadline, .scenarioEnds, .actorGivesUp,
                 .actorReconnects, .headAgentGivesUp, .headAgentReconnects:
                .none
            }
        }
    }

    /// What a kind's argument is.
    public enum Argument: Sendable {
        /// No argument (it is 0).
        case none
        /// A node index: renaming workers maps it.
        case node
        /// An index into the scenario's script: renaming leaves it alone.
        case scriptStep
    }

    public var kind: Kind
    /// The node or script step index (``Kind/argument``); 0 when the kind takes none.
    public var argument: UInt16

    init(_ kind: Kind, _ argument: Int = 0) {
        precondition(kind.argument != .none || argument == 0,
                     "\(kind) takes no argument, got \(argument)")
        self.kind = kind
        self.argument = UInt16(argument)
    }

    /// The node this event concerns, if any.
    public var node: Int? { kind.argument == .node ? Int(argument) : nil }

    public static let faultPlanned = Happening(.faultPlanned)
    public static let fault = Happening(.fault)
    public static let faultHorizonEnds = Happening(.faultHorizonEnds)
    public static func podStarted(_ n: Int) -> Happening { Happening(.podStarted, n) }
    public static func containerRestart(_ n: Int) -> Happening { Happening(.containerRestart, n) }
    public static func backoffReset(_ n: Int) -> Happening { Happening(.backoffReset, n) }
    public static func containerExited(_ n: Int) -> Happening { Happening(.containerExited, n) }
    public static let gcsRedisConnectGiveUp = Happening(.gcsRedisConnectGiveUp)
    public static let gcsLoaded = Happening(.gcsLoaded)
    public static let gcsRedisGraceExpired = Happening(.gcsRedisGraceExpired)
    public static func rayletGivesUp(_ n: Int) -> Happening { Happening(.rayletGivesUp, n) }
    public static func rayletReconnects(_ n: Int) -> Happening { Happening(.rayletReconnects, n) }
    public static func rayletSelfCheckFails(_ n: Int) -> Happening {
        Happening(.rayletSelfCheckFails, n)
    }
    public static func staleNodeMarkedDead(_ n: Int) -> Happening {
        Happening(.staleNodeMarkedDead, n)
    }
    public static let redisBack = Happening(.redisBack)
    public static let recoveryDeadline = Happening(.recoveryDeadline)
    public static func scriptStep(_ i: Int) -> Happening { Happening(.scriptStep, i) }
    public static let scenarioEnds = Happening(.scenarioEnds)
    public static let actorGivesUp = Happening(.actorGivesUp)
    public static let actorReconnects = Happening(.actorReconnects)
    public static func readinessProbe(_ n: Int) -> Happening { Happening(.readinessProbe, n) }
    public static func livenessFailing(_ n: Int) -> Happening { Happening(.livenessFailing, n) }
    public static func livenessKill(_ n: Int) -> Happening { Happening(.livenessKill, n) }
    public static func podGone(_ n: Int) -> Happening { Happening(.podGone, n) }
    public static let headAgentGivesUp = Happening(.headAgentGivesUp)
    public static let headAgentReconnects = Happening(.headAgentReconnects)

}

extension ClusterState: ZoneTimedState {}
