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
/// Its deadline is drawn only when it can matter. The agent's deadline lies in the same window
/// as the head raylet's own, [T, T + one connection check] after the outage began, and an agent
/// exit only ends the head raylet, as the raylet's own deadline does. So while the GCS stays away,
/// every world an agent exit leads to is already reached by the raylet's own deadline falling at
/// the same grid point; only a GCS back before the agent's deadline (a GCS restarted near T)
/// makes the agent's draw tell worlds apart. The rules therefore keep, while the agent waits,
/// where in the window the raylet's deadline fell (``ClusterState/headAgentWaiting``), and draw
/// the agent's deadline when the GCS answers again, among the grid points of the window still
/// ahead; a deadline already behind is one of the raylet's own outcomes. The checker then never
/// enumerates a second phase in an outage the GCS does not come back from (docs/model.md, "The
/// head's dashboard agent").
extension Transition {
    /// The head raylet lost its GCS and its deadline fell `delay` from now: the agent's client
    /// lost it too, with the same timeout.
    mutating func armHeadAgentDeadline(headDeadline delay: SimDuration) {
        s.agenda.cancel { $0 == .headAgentGivesUp || $0 == .headAgentReconnects }
        let timeout = reconnectTimeout(ClusterState.head)
        guard !rules.eagerHeadAgent && !s.agenda.isSymbolic else {
            // The plain version the lazy draw is tested against: the agent's own draw, now.
            schedule(.headAgentGivesUp,
                     in: DurationRange(timeout, timeout + timing.connectionCheckInterval))
            return
        }
        s.headAgentWaiting = delay - timeout
    }

    /// The GCS answers again: the agent's deadline is drawn among the window's grid points still
    /// ahead, and the agent finds the GCS at one of its next connection checks, unless the
    /// deadline comes first. Runs before the head raylet schedules its own reconnect (which may
    /// take its deadline off the agenda).
    mutating func scheduleHeadAgentReconnect() {
        if rules.eagerHeadAgent || s.agenda.isSymbolic {
            guard s.agenda.contains(.headAgentGivesUp), !s.agenda.contains(.headAgentReconnects),
                  gcsReachable(from: ClusterState.head) else { return }
            return scheduleReconnect(deadline: .headAgentGivesUp, reconnect: .headAgentReconnects)
        }
        guard let offset = s.headAgentWaiting, gcsReachable(from: ClusterState.head) else { return }
        s.headAgentWaiting = nil
        let window = s.agenda.window(
            startingBefore: .rayletGivesUp(ClusterState.head), by: offset,
            length: timing.connectionCheckInterval, granularity: timing.granularity)
        guard let window else { return }
        schedule(.headAgentGivesUp, in: window)
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
        s.headAgentWaiting = nil
        s.agenda.cancel { $0 == .headAgentGivesUp || $0 == .headAgentReconnects }
    }
}
