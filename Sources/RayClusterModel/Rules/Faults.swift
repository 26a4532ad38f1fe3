import SimulationKernel

/// Fault placement and injection: a fault is an event whose time is chosen on the grid within the
/// horizon, and "no more faults" is a choice too (docs/model.md, "Faults").
extension Transition {
    /// Chooses when the next fault happens, within what is left of the horizon, or that none will.
    mutating func planNextFault() {
        guard s.faultsLeft > 0, let left = s.agenda.remaining(.faultHorizonEnds) else { return }
        let window = DurationRange(.zero, left)
        let points = window.gridCount(granularity: timing.granularity)
        let pick = choose(points + 1)
        if pick == points {
            s.faultsLeft = 0
            s.agenda.cancel(.faultHorizonEnds)
            emit("faults", "faultsEnded", "no further faults in this run")
            return
        }
        s.agenda.schedule(.fault, after: window.gridPoint(pick, granularity: timing.granularity))
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
            emit("faults", "faultSkipped", "a fault was due but none of its kinds had a target")
        } else {
            let kind = kinds[choose(kinds.count)]
            startRecoveryWindow()
            inject(kind)
        }
        planNextFault()
    }

    mutating func inject(_ kind: FaultKind) {
        let head = ClusterState.head
        switch kind {
        case .gcsProcessKill:
            emit("faults", "faultInjected", "gcs-process-kill: `pkill gcs_server` in the head container", [("fault", kind.rawValue)])
            gcsDied("killed with SIGTERM; `ray start --block` treats that as a clean exit, so the head container keeps running")
        case .gcsProcessSigkill:
            emit("faults", "faultInjected", "gcs-process-sigkill: `kill -9` on gcs_server (or the OOM killer)", [("fault", kind.rawValue)])
            gcsExitsAbnormally("killed with SIGKILL (exit code -9)")
        case .headContainerCrash:
            emit("faults", "faultInjected", "head-container-crash: the head's Ray container exited abnormally", [("fault", kind.rawValue)])
            containerExited(head, reason: "the container crashed")
        case .headPodDelete:
            emit("faults", "faultInjected", "head-pod-delete: `kubectl delete pod` on the head pod", [("fault", kind.rawValue)])
            podDeleted(head)
        case .headPodEvict:
            emit("faults", "faultInjected", "head-pod-evict: the kubelet evicted the head pod (phase Failed, reason Evicted)", [("fault", kind.rawValue)])
            podEvicted(head)
        case .redisRestart:
            emit("faults", "faultInjected", "redis-restart: Redis went down", [("fault", kind.rawValue)])
            redisGoesDown()
        case .redisDataLoss:
            emit("faults", "faultInjected", "redis-data-loss: Redis lost the keys of namespace \(cluster.storageNamespace)", [("fault", kind.rawValue)])
            ownNamespaceLost(why: "Redis lost the keys of namespace \(cluster.storageNamespace)")
        case .workerPodDelete:
            let w = 1 + choose(cluster.workers)
            emit("faults", "faultInjected", "worker-pod-delete: `kubectl delete pod` on \(nodeName(w))", [("fault", kind.rawValue), ("node", nodeName(w))])
            podDeleted(w)
        }
    }
}
