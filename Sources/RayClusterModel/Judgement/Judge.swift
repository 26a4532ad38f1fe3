import SimulationKernel

/// The properties' side of a step, apart from the rules (as TigerBeetle's state checker stands
/// apart from its replicas): rules state facts and change the world; the judge reads the facts
/// and the world and keeps the ``Monitor`` the properties read. No rule touches the monitor.
extension Transition {
    /// States `fact`: the judge sees it at once (so a recovery window opens exactly where the
    /// disruption happens), and the timeline gets its text if anyone keeps events.
    mutating func note(_ fact: ClusterFact) {
        judge(fact)
        record(fact)
    }

    /// Puts `fact` on the timeline without judging it (the judge's own findings).
    func record(_ fact: ClusterFact) {
        guard let log else { return }
        log.events.append(fact.event(rules))
    }

    /// What each fact means for the properties.
    mutating func judge(_ fact: ClusterFact) {
        if fact.isDisruption { openRecoveryWindow() }
        switch fact {
        case .rayletExited(let n, let cause) where cause.isOutageCaused && n != ClusterState.head:
            s.monitor.workerLostToOutage = true
        case .actorDied:
            s.monitor.actorStateLost = true
        case .gcsDied where !s.monitor.awaitingRecovery:
            // A GCS that dies long after a fault (e.g. Redis away past the grace period) is a new
            // disruption.
            openRecoveryWindow()
        default:
            break
        }
    }

    // MARK: cluster-recovers: after each disruption a deadline of the model's `recoveryBound`;
    // the cluster recovers when the GCS serves and every raylet is connected (docs/model.md).

    mutating func openRecoveryWindow() {
        s.agenda.cancel(.recoveryDeadline)
        s.agenda.schedule(.recoveryDeadline, after: definition.recoveryBound)
        s.monitor.awaitingRecovery = true
    }

    var isRecovered: Bool {
        s.gcs == .serving && s.nodes.allSatisfy { $0.raylet == .connected && $0.pod == .running }
    }

    /// After every step: closes the recovery window when the cluster is whole again. True when
    /// the cluster recovered from a disruption that had hit it (not when it was unaffected).
    mutating func judgeRecovery() -> Bool {
        guard s.monitor.awaitingRecovery, isRecovered else { return false }
        s.monitor.awaitingRecovery = false
        if s.agenda.isSymbolic { return judgeSymbolicRecovery() }
        guard let left = s.agenda.remaining(.recoveryDeadline) else {
            record(.clusterRecovered(after: nil))
            return true
        }
        s.agenda.cancel(.recoveryDeadline)
        let took = definition.recoveryBound - left
        s.monitor.recoveredAfter = took
        if took == .zero {
            record(.clusterUnaffected)
            return false
        }
        record(.clusterRecovered(after: took))
        return true
    }

    /// ``judgeRecovery()`` in zone mode: whether any time passed since the window opened is a
    /// choice between the sides the zone allows, and the time recovery took is the supremum of
    /// the window's clock over the zone (exact, not a sample).
    mutating func judgeSymbolicRecovery() -> Bool {
        guard let took = s.agenda.armedFor(.recoveryDeadline)?.most else {
            record(.clusterRecovered(after: nil))
            return true
        }
        let unaffected = s.agenda.armedThisInstant(.recoveryDeadline, choices: &choices) ?? false
        s.agenda.cancel(.recoveryDeadline)
        if unaffected {
            s.monitor.recoveredAfter = .zero
            record(.clusterUnaffected)
            return false
        }
        let bound = definition.recoveryBound.milliseconds
        let most = SimDuration.ms(took.isInfinity ? bound : took.value)
        s.monitor.recoveredAfter = most
        record(.clusterRecovered(after: most))
        return true
    }

    /// The recovery deadline fired.
    mutating func recoveryDeadlinePassed() {
        guard !isRecovered else { return }
        s.monitor.recoveryOverdue = true
        record(.recoveryOverdue)
    }
}
