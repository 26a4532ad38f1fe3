import SimulationKernel

/// Raylets and the GCS client inside them: the reconnect deadline, resubscribing, registering,
/// the liveness self-check (reference §1, §3, §9).
extension Transition {
    /// `RAY_gcs_rpc_server_reconnect_timeout_s` of node `n`: the head's, or its worker group's.
    func reconnectTimeout(_ n: Int) -> SimDuration { rules.reconnectTimeouts[n] }

    /// The outage starts for raylet `n`: its deadline is now + timeout, noticed at the first
    /// connection check at or after it. The check's phase is a choice (real Ray: T to T+1.05 s, §9).
    @discardableResult
    mutating func armReconnectDeadline(_ n: Int) -> SimDuration {
        let timeout = reconnectTimeout(n)
        let phase = timing.connectionCheckInterval
        return schedule(.rayletGivesUp(n), in: DurationRange(timeout, timeout + phase))
    }

    /// The GCS serves again: raylet `n` finds the channel ready at one of its next connection checks
    /// (the gRPC back-off may hide the first ones). A check later than the deadline is too late: the
    /// raylet exits at the deadline; a check at the deadline itself sees the channel first.
    mutating func scheduleReconnect(_ n: Int) {
        scheduleReconnect(deadline: .rayletGivesUp(n), reconnect: .rayletReconnects(n))
    }

    /// The same for any GCS client with a pending `deadline` event (raylets, the actor's process).
    mutating func scheduleReconnect(deadline deadlineEvent: Happening, reconnect: Happening) {
        guard s.agenda.contains(deadlineEvent) else {
            return s.agenda.schedule(reconnect, after: .zero)
        }
        let interval = timing.connectionCheckInterval
        let (backoff, step) = (timing.grpcReconnectBackoffMax.milliseconds, interval.milliseconds)
        let laterChecks = Int((backoff + step - 1) / step)
        s.agenda.scheduleAtCheck(reconnect, checks: laterChecks + 1, every: interval,
                                 before: deadlineEvent, choices: &choices)
    }

    /// A connection check found the GCS: resubscribe if it knows this node, register if this raylet
    /// is new, otherwise stay up unregistered until the self-check (§9).
    mutating func rayletReconnects(_ n: Int) {
        s.agenda.cancel(.rayletGivesUp(n))
        switch s.nodes[n].raylet {
        case .registering:
            registerRaylet(n)
        case .reconnecting where s.storageHasCluster && s.nodes[n].nodeStored:
            s.nodes[n].raylet = .connected
            note(.rayletResubscribed(node: n))
            restartActorIfPending(on: n)
        case .reconnecting:
            s.nodes[n].raylet = .unregistered
            let cycle = DurationRange(.zero, timing.rayletSelfCheckInterval)
            let check = schedule(.rayletSelfCheckFails(n), in: cycle)
            note(.rayletUnregistered(node: n, selfCheckIn: check))
        case .down, .connected, .unregistered:
            preconditionFailure("rayletReconnects for node \(n) in phase \(s.nodes[n].raylet)")
        }
    }

    /// A new raylet registers with the serving GCS as a new node.
    mutating func registerRaylet(_ n: Int) {
        s.agenda.cancel(.rayletGivesUp(n))
        s.nodes[n].raylet = .connected
        s.nodes[n].nodeStored = true
        if n == ClusterState.head && s.nodes[n].staleNode {
            s.nodes[n].staleNode = false
            s.agenda.cancel(.staleNodeMarkedDead(n))
            note(.nodeMarkedDead(node: n, .replacedHead))
            actorNodeDeclaredDead(n)
        }
        note(.rayletRegistered(node: n))
        restartActorIfPending(on: n)
    }

    /// The deadline's check came. A reconnect due at this same check (a tick at the deadline
    /// itself, the only one still pending then) sees the channel first: it happens now instead.
    mutating func rayletGivesUp(_ n: Int) {
        if s.agenda.contains(.rayletReconnects(n)) {
            s.agenda.cancel(.rayletReconnects(n))
            return rayletReconnects(n)
        }
        rayletExits(n, cause: .reconnectTimeout, containerFollows: true)
    }

    mutating func rayletSelfCheckFails(_ n: Int) {
        rayletExits(n, cause: .selfCheckFailed, containerFollows: true)
    }

    /// Raylet `n` is gone: its node goes stale in the GCS table, the actor it hosts dies, and unless
    /// the container is already gone `ray start --block` ends it within a poll.
    mutating func rayletExits(_ n: Int, cause: RayletExitCause, containerFollows: Bool) {
        s.nodes[n].raylet = .down
        note(.rayletExited(node: n, cause))
        if n == ClusterState.head { headAgentStops() }
        s.agenda.cancel { $0 == .rayletGivesUp(n) || $0 == .rayletReconnects(n) || $0 == .rayletSelfCheckFails(n) }
        // A graceful shutdown unregisters the node: the GCS marks it DEAD at once (§4).
        let unregistered = cause == .drained && s.nodes[n].nodeStored && gcsReachable(from: n)
        let nodeStaysAlive = s.nodes[n].nodeStored && !unregistered
        if unregistered {
            s.nodes[n].nodeStored = false
            note(.nodeMarkedDead(node: n, .unregisteredGracefully))
        } else if s.nodes[n].nodeStored {
            s.nodes[n].nodeStored = false
            s.nodes[n].staleNode = true
            if s.gcs == .serving && n != ClusterState.head {
                schedule(.staleNodeMarkedDead(n), in: timing.deadNodeDetectionServing)
            }
        }
        // The cluster's own namespace, set aside while the GCS reads another, keeps this node as
        // ALIVE: a GCS back on it finds the node stale.
        if s.nodes[n].ownNamespaceStored {
            s.nodes[n].ownNamespaceStored = false
            s.nodes[n].ownNamespaceStale = true
        }
        if s.actor.host == n && s.actor.status == .alive { actorProcessDied(n, withNode: nodeStaysAlive) }
        // An actor process that died during the outage was never reported by this raylet: the GCS
        // learns of it only by declaring the node dead.
        if s.actor.host == n && s.actor.status == .pendingRestart && nodeStaysAlive && !gcsReachable(from: n) {
            s.actor.status = .pendingNodeDeath
        }
        if containerFollows && kubernetes {
            schedule(.containerExited(n), in: DurationRange(.zero, timing.blockPollInterval))
        }
    }

    mutating func staleNodeMarkedDead(_ n: Int) {
        s.nodes[n].staleNode = false
        note(.nodeMarkedDead(node: n, .healthCheck))
        actorNodeDeclaredDead(n)
    }
}
