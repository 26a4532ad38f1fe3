import SimulationKernel

/// The GCS server: start-up from Redis, serving, dying (reference §2 and §3).
extension Transition {
    /// `ray start --head` launched a GCS: with FT it first needs Redis, then loads its tables.
    mutating func gcsStarts() {
        if !cluster.ftEnabled {
            s.gcs = .loading
            s.agenda.schedule(.gcsLoaded, after: draw(timing.gcsTableLoad))
            emit("gcs", "gcsStarted", "GCS started with in-memory storage (FT off)")
        } else if s.redisUp {
            s.gcs = .loading
            s.agenda.schedule(.gcsLoaded, after: draw(timing.gcsTableLoad))
            emit("gcs", "gcsStarted", "GCS started and connected to Redis; loading tables of namespace \(cluster.storageNamespace)")
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
            emit("gcs", "gcsServing", "GCS serving; reloaded the cluster id and tables of namespace \(cluster.storageNamespace)",
                 [("clusterId", "kept")])
        } else {
            s.storageHasCluster = true
            let why = cluster.ftEnabled ? "Redis holds nothing for namespace \(cluster.storageNamespace)" : "FT is off, storage is in memory"
            emit("gcs", "gcsServing", "GCS serving with a NEW cluster id and empty tables (\(why))", [("clusterId", "new")])
        }
        for n in s.nodes.indices {
            if s.nodes[n].initPending && s.nodes[n].pod == .starting && !s.agenda.contains(.podStarted(n)) {
                s.agenda.schedule(.podStarted(n), after: draw(DurationRange(.zero, timing.workerInitPollInterval)))
            }
            if s.nodes[n].staleNode {
                s.agenda.schedule(.staleNodeMarkedDead(n), after: timing.deadNodeDetection)
            }
            if s.nodes[n].raylet == .reconnecting || s.nodes[n].raylet == .registering {
                scheduleReconnect(n)
            }
        }
        if s.agenda.contains(.actorGivesUp) { scheduleReconnect(deadline: .actorGivesUp, reconnect: .actorReconnects) }
    }

    /// The GCS process is gone. Every raylet still running starts its reconnect deadline.
    mutating func gcsDied(_ why: String) {
        s.gcs = .down
        // A GCS that dies long after a fault (e.g. Redis away past the grace period) is a new disruption.
        if !s.monitor.awaitingRecovery { startRecoveryWindow() }
        s.agenda.cancel { h in
            switch h {
            case .gcsLoaded, .gcsRedisConnectGiveUp, .gcsRedisGraceExpired, .staleNodeMarkedDead, .rayletReconnects, .rayletSelfCheckFails,
                 .actorReconnects: true
            default: false
            }
        }
        emit("gcs", "gcsDied", "GCS process died: \(why)")
        if !cluster.ftEnabled { storageLost(why: "the GCS kept its tables in memory (FT off)") }
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

    /// The stored cluster id and node table are gone: the next GCS to start makes a new cluster id.
    mutating func storageLost(why: String) {
        guard s.storageHasCluster else { return }
        s.storageHasCluster = false
        for n in s.nodes.indices {
            s.nodes[n].nodeStored = false
            s.nodes[n].staleNode = false
        }
        emit("storage", "clusterDataLost", "cluster metadata lost: \(why)")
    }
}
