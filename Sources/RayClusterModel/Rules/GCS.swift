import SimulationKernel

/// The GCS server: start-up from Redis, serving, dying (reference §2 and §3).
extension Transition {
    /// `ray start --head` launched a GCS: with FT it first needs Redis, then loads its tables.
    /// `namespace` is the storage namespace it reads (nil: the cluster's own, as every GCS the
    /// head pod starts does); Redis keeps each namespace's data apart (§2).
    mutating func gcsStarts(namespace: String? = nil) {
        guard cluster.gcsStorage == .redis else {
            s.gcs = .loading
            s.agenda.schedule(.gcsLoaded, after: draw(timing.gcsTableLoad))
            return emit("gcs", "gcsStarted", "GCS started with in-memory storage (no RAY_REDIS_ADDRESS)")
        }
        switchNamespace(to: namespace ?? cluster.storageNamespace)
        if gcsNamespaceName.contains("@") {
            // Ray 2.60's RedisStoreClient refuses a namespace holding its key separator (§2).
            s.gcs = .loading
            emit("gcs", "gcsStarted", "GCS started with storage namespace \(gcsNamespaceName)")
            return gcsExitsAbnormally("the storage namespace contains \"@\", the Redis key separator: the GCS aborts at construction")
        }
        if s.redisUp {
            s.gcs = .loading
            s.agenda.schedule(.gcsLoaded, after: draw(timing.gcsTableLoad))
            emit("gcs", "gcsStarted", "GCS started and connected to Redis; loading tables of namespace \(gcsNamespaceName)")
        } else {
            s.gcs = .connectingRedis
            s.agenda.schedule(.gcsRedisConnectGiveUp, after: timing.gcsRedisConnectTimeout)
            emit("gcs", "gcsStarted", "GCS started; Redis is unreachable, retrying for up to \(timing.gcsRedisConnectTimeout)")
        }
    }

    /// Tables loaded: the GCS keeps the stored cluster id or makes a new one, then opens its RPC server.
    mutating func gcsLoaded() {
        s.gcs = .serving
        if s.storageHasCluster {
            emit("gcs", "gcsServing", "GCS serving; reloaded the cluster id and tables of namespace \(gcsNamespaceName)",
                 [("clusterId", "kept")])
        } else {
            s.storageHasCluster = true
            let why = cluster.gcsStorage == .redis ? "Redis holds nothing for namespace \(gcsNamespaceName)" : "its storage is in memory"
            emit("gcs", "gcsServing", "GCS serving with a NEW cluster id and empty tables (\(why))", [("clusterId", "new")])
        }
        for n in s.nodes.indices where s.nodes[n].staleNode {
            s.agenda.schedule(.staleNodeMarkedDead(n), after: timing.deadNodeDetection)
        }
        gcsBecameReachable(workersOnly: false)
    }

    /// The GCS process is gone. Every raylet still running starts its reconnect deadline.
    mutating func gcsDied(_ why: String) {
        s.gcs = .down
        // A GCS that dies long after a fault (e.g. Redis away past the grace period) is a new disruption.
        if !s.monitor.awaitingRecovery { startRecoveryWindow() }
        s.agenda.cancel { h in
            switch h.kind {
            case .gcsLoaded, .gcsRedisConnectGiveUp, .gcsRedisGraceExpired, .staleNodeMarkedDead, .rayletReconnects, .rayletSelfCheckFails,
                 .actorReconnects: true
            default: false
            }
        }
        emit("gcs", "gcsDied", "GCS process died: \(why)")
        if cluster.gcsStorage == .memory { storageLost(why: "the GCS kept its tables in memory") }
        armActorDeadline()
        for n in s.nodes.indices {
            switch s.nodes[n].raylet {
            case .connected, .unregistered:
                s.nodes[n].raylet = .reconnecting
                armReconnectDeadline(n)
            case .registering:
                if !s.agenda.contains(.rayletGivesUp(n)) { armReconnectDeadline(n) }
            case .down, .reconnecting:
                break
            }
        }
    }

    /// The GCS exits with an error code: `ray start --block` ends the head container within a poll.
    mutating func gcsExitsAbnormally(_ why: String) {
        gcsDied("it exited with an error: \(why)")
        guard kubernetes else { return }
        s.agenda.schedule(.containerExited(ClusterState.head), after: draw(DurationRange(.zero, timing.blockPollInterval)))
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
    mutating func storageLost(why: String, everyNamespace: Bool = false) {
        if everyNamespace && s.gcsNamespace != 0 { ownNamespaceLost(why: why) }
        guard s.storageHasCluster else { return }
        s.storageHasCluster = false
        if s.gcsNamespace == 0 { s.actor.forgotten = true }
        for n in s.nodes.indices {
            s.nodes[n].nodeStored = false
            s.nodes[n].staleNode = false
        }
        emit("storage", "clusterDataLost", "cluster metadata lost: \(why)")
    }

    /// The cluster's own namespace lost its keys (wherever the GCS reads now).
    mutating func ownNamespaceLost(why: String) {
        guard s.gcsNamespace != 0 else { return storageLost(why: why) }
        guard s.ownNamespaceHasCluster else { return }
        s.ownNamespaceHasCluster = false
        s.actor.forgotten = true
        for n in s.nodes.indices { (s.nodes[n].ownNamespaceStored, s.nodes[n].ownNamespaceStale) = (false, false) }
        emit("storage", "clusterDataLost", "cluster metadata lost from namespace \(cluster.storageNamespace): \(why)")
    }
}
