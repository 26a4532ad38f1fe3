import SimulationKernel

extension ClusterState: StableHashable {
    public func stableHash(into h: inout StableHasher) {
        h.combine(nodes.count)
        for n in nodes { n.stableHash(into: &h) }
        h.combine(UInt64(gcs.rawValue))
        h.combine(redisUp)
        h.combine(storageHasCluster)
        h.combine(gcsNamespace)
        h.combine(ownNamespaceHasCluster)
        h.combine(UInt64(actor.status.rawValue))
        h.combine(actor.host)
        h.combine(actor.value)
        h.combine(actor.forgotten)
        h.combine(faultsLeft)
        h.combine(monitor.workerLostToOutage)
        h.combine(monitor.actorStateLost)
        h.combine(monitor.recoveryOverdue)
        h.combine(monitor.awaitingRecovery)
        h.combine(monitor.recoveredAfter ?? .ms(-1))
        agenda.stableHash(into: &h)
    }
}

extension NodeState: StableHashable {
    public func stableHash(into h: inout StableHasher) {
        let flags: UInt64 = (nodeStored ? 1 << 16 : 0) | (staleNode ? 1 << 17 : 0) | (initPending ? 1 << 18 : 0)
        let own: UInt64 = (ownNamespaceStored ? 1 << 19 : 0) | (ownNamespaceStale ? 1 << 20 : 0) | (ready ? 1 << 21 : 0)
        h.combine(UInt64(pod.rawValue) | UInt64(raylet.rawValue) << 8 | flags | own)
        h.combine(backoffLevel)
        h.combine(restarts)
    }
}

extension Happening: StableHashable {
    /// A tag per case and the node index, if any, in one word.
    public func stableHash(into h: inout StableHasher) {
        let (tag, node) = tagAndNode
        h.combine(tag << 32 | UInt64(node))
    }

    /// A stable number per case, and the node index (0 when the case has none).
    var tagAndNode: (UInt64, Int) {
        switch self {
        case .faultPlanned: (1, 0)
        case .fault: (2, 0)
        case .faultHorizonEnds: (3, 0)
        case .podStarted(let n): (4, n)
        case .containerRestart(let n): (5, n)
        case .backoffReset(let n): (6, n)
        case .containerExited(let n): (7, n)
        case .gcsRedisConnectGiveUp: (8, 0)
        case .gcsLoaded: (9, 0)
        case .gcsRedisGraceExpired: (10, 0)
        case .rayletGivesUp(let n): (11, n)
        case .rayletReconnects(let n): (12, n)
        case .rayletSelfCheckFails(let n): (13, n)
        case .staleNodeMarkedDead(let n): (14, n)
        case .redisBack: (15, 0)
        case .recoveryDeadline: (16, 0)
        case .scriptStep(let i): (17, i)
        case .scenarioEnds: (18, 0)
        case .actorGivesUp: (19, 0)
        case .actorReconnects: (20, 0)
        case .readinessProbe(let n): (21, n)
        case .livenessFailing(let n): (22, n)
        case .livenessKill(let n): (23, n)
        case .podGone(let n): (24, n)
        }
    }

    /// The node this event concerns, if any.
    public var node: Int? {
        switch self {
        case .podStarted(let n), .containerRestart(let n), .backoffReset(let n), .containerExited(let n),
             .rayletGivesUp(let n), .rayletReconnects(let n), .rayletSelfCheckFails(let n), .staleNodeMarkedDead(let n),
             .readinessProbe(let n), .livenessFailing(let n), .livenessKill(let n), .podGone(let n):
            return n
        default:
            return nil
        }
    }
}
