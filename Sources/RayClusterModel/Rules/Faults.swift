import SimulationKernel

/// Fault placement and injection: a fault is an event whose time is chosen on the grid within the
/// horizon, and "no more faults" is a choice too (docs/model.md, "Faults").
extension Transition {
    /// Chooses when the next fault happens, within what is left of the horizon, or that none will.
    mutating func planNextFault() {
        guard s.faultsLeft > 0 else { return }
        let plan = FaultHorizon.planNext(&s.agenda, fault: .fault, horizonEnds: .faultHorizonEnds,
                                         granularity: timing.granularity, choices: &choices)
        guard plan == .noMoreFaults else { return }
        s.faultsLeft = 0
        note(.faultsEnded)
    }

    /// The fault kinds of the budget that have a target right now, in a fixed order.
    func enabledFaults() -> [FaultKind] {
        definition.faults.kinds.filter { hasTarget($0.disruption) }
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
        let target = kind == .workerPodDelete ? 1 + choose(cluster.workers) : ClusterState.head
        note(.faultInjected(kind, node: target))
        apply(kind.disruption, node: target, byStep: false)
    }
}
