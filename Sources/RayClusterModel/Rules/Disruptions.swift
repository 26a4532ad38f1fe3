import SimulationKernel

/// What each disruption does, once, for faults and scripted steps alike (``Disruption``): whether
/// it has a target now, and its effect. A fault without a target is not chosen; a step without one
/// is skipped (`stepSkipped`). Adding a disruption that reuses rules touches ``Disruption`` and
/// this file.
extension Transition {
    /// Whether `d` has something to act on right now.
    func hasTarget(_ d: Disruption) -> Bool {
        let head = s.nodes[ClusterState.head].pod
        return switch d {
        case .gcsProcessKill, .gcsProcessSigkill: s.gcs != .down
        case .gcsStart: s.gcs == .down && head == .running
        case .headPodDelete: head != .terminating
        case .headContainerCrash: head == .running
        case .headPodEvict: head != .terminating && head != .stopped
        case .redisRestart: cluster.gcsStorage == .redis && s.redisUp
        case .redisDataLoss:
            cluster.gcsStorage == .redis && s.redisUp
                && (s.gcsNamespace == 0 ? s.storageHasCluster : s.ownNamespaceHasCluster)
        case .redisFlush, .actorCall: true
        case .workerPodDelete: cluster.workers > 0
        }
    }

    /// The effect of `d` on `node` (the head, or the worker a pod deletion targets); `byStep` when
    /// a scripted step does it (the GCS's death reads differently); `namespace` for `gcs-start`.
    mutating func apply(_ d: Disruption, node n: Int = ClusterState.head, byStep: Bool,
                        namespace: String? = nil) {
        switch d {
        case .gcsProcessKill: gcsDied(byStep ? .killedByStep : .sigterm)
        case .gcsProcessSigkill: gcsExitsAbnormally(.sigkill)
        case .gcsStart: gcsStarts(namespace: namespace)
        case .headPodDelete, .workerPodDelete: podDeleted(n)
        case .headContainerCrash: containerExited(n, reason: .crashed)
        case .headPodEvict: podEvicted(n)
        case .redisRestart: redisGoesDown()
        case .redisDataLoss: ownNamespaceLost(.keysLost)
        case .redisFlush: storageLost(.flushed, everyNamespace: true)
        case .actorCall: clientCalls()
        }
    }
}
