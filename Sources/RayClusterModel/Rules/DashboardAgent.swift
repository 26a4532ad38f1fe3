import SimulationKernel

/// The head's dashboard agent (reference §9): a process of the head container with its own GCS
/// client, under the head's `RAY_gcs_rpc_server_reconnect_timeout_s`. When that client reaches
/// its deadline the agent exits, and the head raylet fate-shares with it: on real Ray 2.60 near
/// the deadline the head raylet died this way, once even though the GCS was already back (its
/// reconnect came at a check after the agent's deadline). Worker agents did not do this, so only
/// the head's is modelled.
///
/// The component is this file: its events (``Happening/headAgentGivesUp``,
/// ``Happening/headAgentReconnects``), its fact (``ClusterFact/headAgentExited``) and two hooks,
/// where a GCS outage starts for the head raylet and where the GCS is reachable again. Its state
/// is its pending deadline: the agent lives exactly as long as the head container's processes.
///
/// Its deadline is drawn when the outage starts, on every engine: like the head raylet's own, in
/// [T, T + one connection check] after the head lost the GCS, and the agent finds a GCS that is
/// back at one of its next connection checks, which takes the deadline off the agenda. Each outage
/// draws afresh, so a GCS that returns and leaves again one second later starts a new deadline
/// (docs/model.md, "The head's dashboard agent"). An earlier version drew the agent's deadline
/// lazily, when the GCS answered again; it never rescheduled the agent's reconnect after a second
/// outage, so it was removed (one rule on every engine is what the zone checker's concrete replays
/// and the grid must agree on).
extension Transition {
    /// The head raylet lost its GCS: the agent's client lost it too, with the same timeout, and
    /// its deadline is drawn now.
    mutating func armHeadAgentDeadline() {
        s.agenda.cancel { $0 == .headAgentGivesUp || $0 == .headAgentReconnects }
        let timeout = reconnectTimeout(ClusterState.head)
        schedule(.headAgentGivesUp,
                 in: DurationRange(timeout, timeout + timing.connectionCheckInterval))
    }

    /// The GCS answers again: the agent finds it at one of its next connection checks, unless its
    /// deadline comes first. Runs before the head raylet schedules its own reconnect (which may
    /// take its deadline off the agenda).
    mutating func scheduleHeadAgentReconnect() {
        guard s.agenda.contains(.headAgentGivesUp), !s.agenda.contains(.headAgentReconnects),
              gcsReachable(from: ClusterState.head) else { return }
        scheduleReconnect(deadline: .headAgentGivesUp, reconnect: .headAgentReconnects)
    }

    /// The agent reached its deadline and exits; the head raylet fate-shares with it.
    mutating func headAgentGivesUp() {
        // A reconnect due at the deadline's own check sees the channel first: it happens now
        // instead (as for raylets).
        if s.agenda.contains(.headAgentReconnects) { return headAgentStops() }
        let head = ClusterState.head
        note(.headAgentExited)
        headAgentStops()
        guard s.nodes[head].raylet != .down else { return }
        rayletExits(head, cause: .agentFateShared, containerFollows: true)
    }

    /// The head container's processes are gone, or the agent reconnected: nothing of it is
    /// pending.
    mutating func headAgentStops() {
        s.agenda.cancel { $0 == .headAgentGivesUp || $0 == .headAgentReconnects }
    }
}
