import SimulationKernel

/// Reads every distinct state the checker visits: the worst recovery time after the last fault,
/// and the least time any raylet had left on its reconnect deadline when it reconnected.
struct RecoveryMonitor {
    /// Per node (0 = head): the least slack between a scheduled reconnect and the deadline.
    private(set) var tightestSlack: [SimDuration?]
    private(set) var worstRecovery: SimDuration?

    init(workers: Int) {
        tightestSlack = Array(repeating: nil, count: workers + 1)
    }

    mutating func observe(_ state: ClusterState) {
        if let took = state.monitor.recoveredAfter, took > (worstRecovery ?? .ms(-1)) {
            worstRecovery = took
        }
        guard !state.agenda.isSymbolic else { return observeZone(state) }
        for n in state.nodes.indices where state.nodes[n].raylet == .reconnecting {
            guard let reconnect = state.agenda.remaining(.rayletReconnects(n)) else { continue }
            let slack = (state.agenda.remaining(.rayletGivesUp(n)) ?? reconnect) - reconnect
            if slack < (tightestSlack[n] ?? .ms(Int64.max)) { tightestSlack[n] = slack }
        }
    }

    /// In zone mode: where a raylet's reconnect may fire next with its deadline pending, the
    /// least time left on the deadline is its window's start minus the supremum of its clock over
    /// the zone in which the reconnect fires (never below 0). A lower bound on the real margin:
    /// a zone does not know that the check comes on the deadline's own 1 s ticks, so the real
    /// least margin may be up to one check interval larger (docs/checking.md, "Zones").
    mutating func observeZone(_ state: ClusterState) {
        for n in state.nodes.indices where state.nodes[n].raylet == .reconnecting {
            guard let fires = state.agenda.symbolicFiringZone(of: .rayletReconnects(n)),
                  let deadline = state.agenda.clock(of: .rayletGivesUp(n)) else { continue }
            let most = fires.upperBound(of: deadline.clock)
            let left = most.isInfinity ? .zero
                : Swift.max(.zero, deadline.window.earliest - .ms(most.value))
            if left < (tightestSlack[n] ?? .ms(Int64.max)) { tightestSlack[n] = left }
        }
    }

    /// The least slack over all workers (nil when no worker ever reconnected after an outage).
    var workerMargin: SimDuration? { tightestSlack.dropFirst().compactMap { $0 }.min() }

    /// The least slack over each group's workers, in group order (nil for a group none of whose
    /// workers reconnected). Symmetry permutes workers only within a group, so this is exact.
    func groupMargins(_ cluster: EffectiveCluster) -> [WorkerGroupMargin] {
        cluster.workerGroups.map { group in
            WorkerGroupMargin(
                group: group.name, reconnectTimeout: group.reconnectTimeout,
                margin: group.nodes.compactMap { tightestSlack[$0] }.min())
        }
    }
}

/// The least time a worker group's raylets had left on their reconnect deadline when they
/// reconnected.
public struct WorkerGroupMargin: Hashable, Sendable {
    public let group: String
    public let reconnectTimeout: SimDuration
    /// Nil when no worker of the group reconnected after an outage.
    public let margin: SimDuration?
}
