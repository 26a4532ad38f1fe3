import SimulationKernel

/// The GCS server: start-up from Redis, serving, dying (reference §2 and §3).
extension Transition {
    /// `ray start --head` launched a GCS: with FT it first needs Redis, then loads its tables.
    /// `namespace` is the storage namespace it reads (nil: the cluster's own, as every GCS the
    /// head pod starts does); Redis keeps each namespace's data apart (§2).
    mutating func gcsStarts(namespace: String? = nil) {
        guard cluster.gcsStorage == .redis else {
            s.gcs = .loading
            schedule(.gcsLoaded, in: timing.gcsTableLoad)
            return note(.gcsStartedInMemory)
        }
        switchNamespace(to: namespace ?? cluster.storageNamespace)
        if gcsNamespaceName.contains("@") {
            // Ray 2.60's RedisStoreClient refuses a namespace holding its key separator (§2).
            s.gcs = .loading
            note(.gcsStartedAborting(namespace: s.gcsNamespace))
            return gcsExitsAbnormally(.namespaceHoldsKeySeparator)
        }
        if s.redisUp {
            s.gcs = .loading
            schedule(.gcsLoaded, in: timing.gcsTableLoad)
            note(.gcsStartedLoading(namespace: s.gcsNamespace))
        } else {
            s.gcs = .connectingRedis
            s.agenda.schedule(.gcsRedisConnectGiveUp, after: timing.gcsRedisConnectTimeout)
            note(.gcsStartedWaitingForRedis)
        }
    }

    /// Tables loaded: the GCS keeps the stored cluster id or makes a new one, then opens its RPC server.
    mutating func gcsLoaded() {
        s.gcs = .serving
        note(.gcsServing(keptCluster: s.storageHasCluster, namespace: s.gcsNamespace))
        s.storageHasCluster = true
        for n in s.nodes.indices where s.nodes[n].staleNode {
            s.agenda.schedule(.staleNodeMarkedDead(n), after: timing.deadNodeDetection)
        }
        gcsBecameReachable(workersOnly: false)
    }

    /// The GCS process is gone. Every raylet still running starts its reconnect deadline.
    mutating func gcsDied(_ exit: GCSExit) {
        s.gcs = .down
        s.agenda.cancel { h in
            switch h.kind {
            case .gcsLoaded, .gcsRedisConnectGiveUp, .gcsRedisGraceExpired, .staleNodeMarkedDead, .rayletReconnects, .rayletSelfCheckFails,
                 .actorReconnects, .headAgentReconnects: true
            default: false
            }
        }
        note(.gcsDied(exit))
        if cluster.gcsStorage == .memory { storageLost(.gcsInMemory) }
        armActorDeadline()
        for n in s.nodes.indices {
            switch s.nodes[n].raylet {
            case .connected, .unregistered:
                s.nodes[n].raylet = .reconnecting
                armReconnectDeadline(n)
                if n == ClusterState.head { armHeadAgentDeadline() }
            case .registering:
                if !s.agenda.contains(.rayletGivesUp(n)) { armReconnectDeadline(n) }
            case .down, .reconnecting:
                break
            }
        }
    }

    /// The GCS exits with an error code: `ray start --block` ends the head container within a poll.
    mutating func gcsExitsAbnormally(_ error: GCSError) {
        gcsDied(.error(error))
        guard kubernetes else { return }
        let poll = DurationRange(.zero, timing.blockPollInterval)
        schedule(.containerExited(ClusterState.head), in: poll)
    }

    /// The name of the namespace the GCS reads.
    var gcsNamespaceName: String {
        s.gcsNamespace == 0 ? cluster.storageNamespace : rules.otherNamespaces[s.gcsNamespace - 1]
    }

    /// Points the storage flags at `namespace` before a GCS starts on it. Leaving the cluster's own
    /// namespace sets its flags aside; coming back restores them. Another namespace is read as
    /// Redis holds it for this cluster: empty (docs/model.md, "Storage namespaces").
    mutating func switchNamespace(to namespace: String) {
        let target = namespace == cluster.storageNamespace ? 0 : 1 + rules.otherNamespaces.firstIndex(of: namespace)!
        guard target != s.gcsNamespace else { return }
        if s.gcsNamespace == 0 {
            s.ownNamespaceHasCluster = s.storageHasCluster
            for n in s.nodes.indices {
                (s.nodes[n].ownNamespaceStored, s.nodes[n].ownNamespaceStale) = (s.nodes[n].nodeStored, s.nodes[n].staleNode)
            }
        }
        s.gcsNamespace = target
        if target == 0 {
            s.storageHasCluster = s.ownNamespaceHasCluster
            s.ownNamespaceHasCluster = false
            for n in s.nodes.indices {
                (s.nodes[n].nodeStored, s.nodes[n].staleNode) = (s.nodes[n].ownNamespaceStored, s.nodes[n].ownNamespaceStale)
                (s.nodes[n].ownNamespaceStored, s.nodes[n].ownNamespaceStale) = (false, false)
            }
        } else {
            s.storageHasCluster = false
            for n in s.nodes.indices { (s.nodes[n].nodeStored, s.nodes[n].staleNode) = (false, false) }
        }
    }

    /// The stored cluster id and node table are gone from the namespace the GCS reads (with
    /// `everyNamespace`, from the cluster's own too: FLUSHALL, Redis back empty): the next GCS to
    /// start on it makes a new cluster id.
    mutating func storageLost(_ loss: StorageLoss, everyNamespace: Bool = false) {
        if everyNamespace && s.gcsNamespace != 0 { ownNamespaceLost(loss) }
        guard s.storageHasCluster else { return }
        s.storageHasCluster = false
        if s.gcsNamespace == 0 { s.actor.forgotten = true }
        for n in s.nodes.indices {
            s.nodes[n].nodeStored = false
            s.nodes[n].staleNode = false
        }
        note(.clusterDataLost(loss, fromOwnNamespace: false))
    }

    /// The cluster's own namespace lost its keys (wherever the GCS reads now).
    mutating func ownNamespaceLost(_ loss: StorageLoss) {
        guard s.gcsNamespace != 0 else { return storageLost(loss) }
        guard s.ownNamespaceHasCluster else { return }
        s.ownNamespaceHasCluster = false
        s.actor.forgotten = true
        for n in s.nodes.indices { (s.nodes[n].ownNamespaceStored, s.nodes[n].ownNamespaceStale) = (false, false) }
        note(.clusterDataLost(loss, fromOwnNamespace: true))
    }
}
