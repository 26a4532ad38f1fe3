import SimulationKernel

/// Scripted steps (scenario files): the same rules as faults, at fixed times.
extension Transition {
    mutating func perform(_ step: ScriptStep) {
        let head = ClusterState.head
        if step.action.isDisruptive { startRecoveryWindow() }
        switch step.action {
        case .gcsProcessKill:
            guard s.gcs != .down else { return emit("script", "stepSkipped", "gcs-process-kill: no GCS process is running") }
            emit("script", "stepPerformed", "gcs-process-kill: the GCS process is killed", [("step", step.action.id)])
            gcsDied("killed")
        case .gcsProcessSigkill:
            guard s.gcs != .down else { return emit("script", "stepSkipped", "gcs-process-sigkill: no GCS process is running") }
            emit("script", "stepPerformed", "gcs-process-sigkill: the GCS process is killed with SIGKILL", [("step", step.action.id)])
            gcsExitsAbnormally("killed with SIGKILL (exit code -9)")
        case .gcsStart(let namespace):
            guard s.gcs == .down, s.nodes[head].pod == .running else {
                return emit("script", "stepSkipped", "gcs-start: a GCS is already running or the head is gone")
            }
            emit("script", "stepPerformed", "gcs-start: a GCS process is started on the head"
                 + (namespace.map { " with storage namespace \($0)" } ?? ""), [("step", step.action.id)])
            gcsStarts(namespace: namespace)
        case .redisFlush:
            emit("script", "stepPerformed", "redis-flush: FLUSHALL", [("step", step.action.id)])
            storageLost(why: "Redis was flushed", everyNamespace: true)
        case .redisRestart:
            guard cluster.gcsStorage == .redis, s.redisUp else { return emit("script", "stepSkipped", "redis-restart: Redis is not up") }
            emit("script", "stepPerformed", "redis-restart: Redis goes down", [("step", step.action.id)])
            redisGoesDown()
        case .headPodDelete:
            emit("script", "stepPerformed", "head-pod-delete: every head process dies", [("step", step.action.id)])
            podDeleted(head)
        case .headContainerCrash:
            // As the fault: only a running container can crash (a second crash of a container that
            // is backing off would start it twice).
            guard s.nodes[head].pod == .running else {
                return emit("script", "stepSkipped", "head-container-crash: the head's Ray container is not running")
            }
            emit("script", "stepPerformed", "head-container-crash: the head's Ray processes die", [("step", step.action.id)])
            containerExited(head, reason: "the container crashed")
        case .headPodEvict:
            guard s.nodes[head].pod != .terminating && s.nodes[head].pod != .stopped else {
                return emit("script", "stepSkipped", "head-pod-evict: the head pod is already gone or being deleted")
            }
            emit("script", "stepPerformed", "head-pod-evict: the kubelet evicts the head pod", [("step", step.action.id)])
            podEvicted(head)
        case .workerPodDelete(let w):
            emit("script", "stepPerformed", "worker-pod-delete: \(nodeName(w)) dies", [("step", step.action.id)])
            podDeleted(w)
        case .actorCall:
            clientCalls()
        }
    }
}
