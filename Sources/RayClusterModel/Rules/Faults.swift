import SimulationKernel

/// Fault placement and injection: a fault is an event whose time is chosen on the grid within the
/// horizon, and "no more faults" is a choice too (docs/model.md, "Faults").
extension Transition {
    /// Chooses when the next fault happens, within what is left of the horizon, or that none will.
    mutating func planNextFault() {
        guard s.faultsLeft > 0 else { return }
        let plan = FaultHorizon.planNext(&s.agenda, fault: .fault, horizonEnds: .faultHorizonEnds,
                                         granularity: timing.granularity, choose: choose)
        guard plan == .noMoreFaults else { return }
        s.faultsLeft = 0
        note(.faultsEnded)
    }

    /// The fault kinds of the budget that have a target right now, in a fixed order.
    func enabledFaults() -> [FaultKind] {
        definition.faults.kinds.filter { kind in
            switch kind {
            case .gcsProcessKill, .gcsProcessSigkill: s.gcs != .down
            case .headPodDelete: s.nodes[ClusterState.head].pod != .terminating
            case .headContainerCrash: s.nodes[ClusterState.head].pod == .running
            case .headPodEvict: s.nodes[ClusterState.head].pod != .terminating && s.nodes[ClusterState.head].pod != .stopped
            case .redisRestart: cluster.gcsStorage == .redis && s.redisUp
            case .redisDataLoss: cluster.gcsStorage == .redis && s.redisUp && (s.gcsNamespace == 0 ? s.storageHasCluster : s.ownNamespaceHasCluster)
            case .workerPodDelete: cluster.workers > 0
            }
        }
    }

    mutating func injectFault() {
        s.faultsLeft -= 1
        // With no fault left to place, the horizon no longer matters: dropping it lets worlds that
        // differ only in when the fault happened merge (docs/checking.md).
        if s.faultsLeft == 0 { s.agenda.cancel(.faultHorizonEnds) }
        let kinds = enabledFaults()
        if kinds.isEmpty {
            note(.faultSkipped)
        } else {
            inject(kinds[choose(kinds.count)])
        }
        planNextFault()
    }

    mutating func inject(_ kind: FaultKind) {
        let head = ClusterState.head
        switch kind {
        case .gcsProcessKill:
            note(.faultInjected(kind, node: head))
            gcsDied(.sigterm)
        case .gcsProcessSigkill:
            note(.faultInjected(kind, node: head))
            gcsExitsAbnormally(.sigkill)
        case .headContainerCrash:
            note(.faultInjected(kind, node: head))
            containerExited(head, reason: .crashed)
        case .headPodDelete:
            note(.faultInjected(kind, node: head))
            podDeleted(head)
        case .headPodEvict:
            note(.faultInjected(kind, node: head))
            podEvicted(head)
        case .redisRestart:
            note(.faultInjected(kind, node: head))
            redisGoesDown()
        case .redisDataLoss:
            note(.faultInjected(kind, node: head))
            ownNamespaceLost(.keysLost)
        case .workerPodDelete:
            let w = 1 + choose(cluster.workers)
            note(.faultInjected(kind, node: w))
            podDeleted(w)
        }
    }
}
