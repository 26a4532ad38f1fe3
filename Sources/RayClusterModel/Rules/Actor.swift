import SimulationKernel

/// The detached counter actor of the KubeRay GCS FT guide (reference §5, seed docs): it lives on a
/// worker (the head has `num-cpus: 0`), and its counter survives exactly when its process does.
extension Transition {
    /// The actor's process has its own GCS clients (its task-event reporter flushes every second),
    /// with its node's reconnect timeout: on this machine real Ray 2.60 actors died of it on their
    /// own, 0.15–0.25 s before their raylet, and once while the raylet survived (docs/conformance.md).
    mutating func armActorDeadline() {
        guard s.actor.status == .alive, s.actor.host != ClusterState.head, !s.agenda.contains(.actorGivesUp) else { return }
        let timeout = reconnectTimeout(s.actor.host)
        let phase = timing.connectionCheckInterval
        schedule(.actorGivesUp, in: DurationRange(timeout, timeout + phase))
    }

    mutating func actorGivesUp() {
        // A reconnect due at the deadline's own check sees the channel first: it happens now
        // instead (as for raylets; reconnecting is all the deadline's absence needs).
        if s.agenda.contains(.actorReconnects) { return s.agenda.cancel(.actorReconnects) }
        guard s.actor.status == .alive else { return }
        note(.actorProcessExited(node: s.actor.host))
        actorProcessDied(s.actor.host)
    }

    /// The actor's process died. With `withNode` its node died too and the GCS still holds that node
    /// as ALIVE: a restart waits until the GCS declares it dead (reference §4), not this step.
    mutating func actorProcessDied(_ n: Int, withNode: Bool = false) {
        s.agenda.cancel { $0 == .actorGivesUp || $0 == .actorReconnects }
        let restarts = cluster.actorMaxRestarts != 0 && !s.actor.forgotten
        s.actor.status = !restarts ? .dead : withNode ? .pendingNodeDeath : .pendingRestart
        let fate: ActorFate = !restarts ? (s.actor.forgotten ? .forgotten : .staysDead)
            : withNode ? .restartsAfterNodeDeath : .restarts
        note(.actorDied(node: n, value: s.actor.value, fate))
        restartActorAnywhere()
    }

    /// The GCS declared node `n` dead: an actor that died with it may now be restarted.
    mutating func actorNodeDeclaredDead(_ n: Int) {
        guard s.actor.status == .pendingNodeDeath, s.actor.host == n else { return }
        s.actor.status = .pendingRestart
        restartActorAnywhere()
    }

    /// Restarts a pending actor on the first worker whose raylet is connected, if any.
    mutating func restartActorAnywhere() {
        guard s.actor.status == .pendingRestart,
              let other = s.nodes.indices.first(where: { $0 != ClusterState.head && s.nodes[$0].raylet == .connected }) else { return }
        restartActorIfPending(on: other)
    }

    /// With `max_restarts=-1`, the GCS restarts a dead actor once it serves and a worker can host it.
    mutating func restartActorIfPending(on n: Int) {
        guard s.actor.status == .pendingRestart, !s.actor.forgotten, n != ClusterState.head, s.gcs == .serving,
              s.gcsNamespace == 0 else { return }
        s.actor = ActorState(status: .alive, host: n, value: 0)
        note(.actorRestarted(node: n))
    }

    /// A scripted client call: `ray.get_actor` needs the GCS to find the actor by name.
    mutating func clientCalls() {
        guard s.gcs == .serving else {
            return note(.counterCallFailed(gcsServing: false))
        }
        clientIncrements()
    }

    /// The client (`increment_counter.py`) calls the actor once the cluster has recovered.
    mutating func clientIncrements() {
        switch s.actor.status {
        case .alive:
            s.actor.value = min(s.actor.value + 1, ActorState.valueMax)
            note(.counterIncremented(value: s.actor.value))
        case .dead, .pendingRestart, .pendingNodeDeath:
            note(.counterCallFailed(gcsServing: true))
        }
    }
}
