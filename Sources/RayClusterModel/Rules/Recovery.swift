import SimulationKernel

/// The `cluster-recovers` monitor: after each fault a deadline of `recoveryBound`; the cluster
/// recovers when the GCS serves and every raylet is connected (docs/model.md, "Properties").
extension Transition {
    mutating func startRecoveryWindow() {
        s.agenda.cancel(.recoveryDeadline)
        s.agenda.schedule(.recoveryDeadline, after: definition.recoveryBound)
        s.monitor.awaitingRecovery = true
    }

    var isRecovered: Bool {
        s.gcs == .serving && s.nodes.allSatisfy { $0.raylet == .connected && $0.pod == .running }
    }

    /// Called after every step: closes the recovery window when the cluster is whole again.
    mutating func noteRecovery() {
        guard s.monitor.awaitingRecovery, isRecovered else { return }
        s.monitor.awaitingRecovery = false
        let bound = definition.recoveryBound
        if let left = s.agenda.remaining(.recoveryDeadline) {
            s.agenda.cancel(.recoveryDeadline)
            let took = bound - left
            s.monitor.recoveredAfter = took
            if took == .zero {
                emit("cluster", "clusterUnaffected", "the fault left the GCS serving and every raylet connected")
                return
            }
            emit("cluster", "clusterRecovered", "recovered \(took.secondsText) after the last fault (bound \(bound))",
                 [("recoveryMs", String(took.milliseconds))])
        } else {
            emit("cluster", "clusterRecovered", "recovered, later than the bound \(bound)")
        }
        // Plain models check the counter after each recovery; scenarios call it where their script says.
        if definition.script.isEmpty { clientIncrements() }
    }

    mutating func recoveryDeadlinePassed() {
        guard !isRecovered else { return }
        s.monitor.recoveryOverdue = true
        emit("cluster", "recoveryOverdue", "not recovered \(definition.recoveryBound) after the last fault")
    }
}
