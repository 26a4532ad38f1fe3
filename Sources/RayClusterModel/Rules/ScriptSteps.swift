import SimulationKernel

/// Scripted steps (scenario files): the same rules as faults, at fixed times.
extension Transition {
    mutating func perform(_ step: ScriptStep) {
        let head = ClusterState.head
        let action = step.action
        switch action {
        case .gcsProcessKill:
            guard s.gcs != .down else { return note(.stepSkipped(action)) }
            note(.stepPerformed(action))
            gcsDied(.killedByStep)
        case .gcsProcessSigkill:
            guard s.gcs != .down else { return note(.stepSkipped(action)) }
            note(.stepPerformed(action))
            gcsExitsAbnormally(.sigkill)
        case .gcsStart(let namespace):
            guard s.gcs == .down, s.nodes[head].pod == .running else { return note(.stepSkipped(action)) }
            note(.stepPerformed(action))
            gcsStarts(namespace: namespace)
        case .redisFlush:
            note(.stepPerformed(action))
            storageLost(.flushed, everyNamespace: true)
        case .redisRestart:
            guard cluster.gcsStorage == .redis, s.redisUp else { return note(.stepSkipped(action)) }
            note(.stepPerformed(action))
            redisGoesDown()
        case .headPodDelete:
            note(.stepPerformed(action))
            podDeleted(head)
        case .headContainerCrash:
            // As the fault: only a running container can crash (a second crash of a container that
            // is backing off would start it twice).
            guard s.nodes[head].pod == .running else { return note(.stepSkipped(action)) }
            note(.stepPerformed(action))
            containerExited(head, reason: .crashed)
        case .headPodEvict:
            guard s.nodes[head].pod != .terminating && s.nodes[head].pod != .stopped else {
                return note(.stepSkipped(action))
            }
            note(.stepPerformed(action))
            podEvicted(head)
        case .workerPodDelete(let w):
            note(.stepPerformed(action))
            podDeleted(w)
        case .actorCall:
            clientCalls()
        }
    }
}
