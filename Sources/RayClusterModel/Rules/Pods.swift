import SimulationKernel

/// Pods and containers: `ray start --block` fate-sharing, the kubelet's CrashLoopBackOff, KubeRay
/// recreating deleted or failed pods (reference §1 and §6).
extension Transition {
    /// The Ray processes of pod `n` are up: the head starts its GCS; every raylet starts registering.
    mutating func podStarted(_ n: Int) {
        if s.nodes[n].initPending {
            guard s.gcs == .serving else {
                emit("\(nodeName(n))/pod", "initWaiting", "init container waits for the GCS (`ray health-check` every \(timing.workerInitPollInterval))")
                return
            }
            s.nodes[n].initPending = false
        }
        s.nodes[n].pod = .running
        if s.nodes[n].backoffLevel > 0 {
            s.agenda.schedule(.backoffReset(n), after: timing.crashLoopBackoffReset)
        }
        emit("\(nodeName(n))/pod", "containerStarted", "Ray container running (`ray start --block`)",
             [("restarts", String(s.nodes[n].restarts))])
        if n == ClusterState.head { gcsStarts() }
        s.nodes[n].raylet = .registering
        if s.gcs == .serving {
            registerRaylet(n)
        } else {
            armReconnectDeadline(n)
        }
    }

    /// Every Ray process of pod `n` is gone and the container has exited.
    mutating func containerExited(_ n: Int, reason: String) {
        s.agenda.cancel(.containerExited(n))
        s.agenda.cancel(.backoffReset(n))
        if n == ClusterState.head && s.gcs != .down { gcsDied("its container ended") }
        if s.nodes[n].raylet != .down { rayletExits(n, cause: .containerEnded, containerFollows: false) }
        guard kubernetes else {
            s.nodes[n].pod = .stopped
            emit("\(nodeName(n))/node", "processesStopped", "\(reason); nothing restarts them (manual supervision)")
            return
        }
        let neverRestart = n == ClusterState.head && cluster.headRestartPolicy == .never
        if neverRestart {
            emit("\(nodeName(n))/pod", "podFailed", "\(reason); restartPolicy Never, so the pod failed and KubeRay deletes it")
            recreatePod(n)
            return
        }
        let wait = timing.crashLoopBackoff(level: s.nodes[n].backoffLevel)
        s.nodes[n].backoffLevel = min(s.nodes[n].backoffLevel + 1, 8)
        s.nodes[n].pod = .backingOff
        s.agenda.schedule(.containerRestart(n), after: wait)
        emit("\(nodeName(n))/pod", "containerExited", "\(reason); kubelet restarts it in \(wait) (CrashLoopBackOff)")
    }

    /// The kubelet restarts the container in place, in the same pod.
    mutating func containerRestarts(_ n: Int) {
        s.nodes[n].pod = .starting
        s.nodes[n].restarts = min(s.nodes[n].restarts + 1, 99)
        s.agenda.schedule(.podStarted(n), after: draw(timing.containerRestartStartup))
        emit("\(nodeName(n))/pod", "containerRestarting", "kubelet restarted the container (restart count \(s.nodes[n].restarts))")
    }

    /// `kubectl delete pod`: every process of the pod dies at once; KubeRay creates a replacement.
    mutating func podDeleted(_ n: Int) {
        if n == ClusterState.head && s.gcs != .down { gcsDied("its pod was deleted") }
        if s.nodes[n].raylet != .down { rayletExits(n, cause: .podDeleted, containerFollows: false) }
        recreatePod(n)
    }

    /// KubeRay's reconcile (triggered at once by the pod event) creates a new pod for slot `n`.
    mutating func recreatePod(_ n: Int) {
        s.agenda.cancel { $0.node == n && $0 != .staleNodeMarkedDead(n) }
        guard kubernetes else {
            s.nodes[n].pod = .stopped
            return
        }
        s.nodes[n].pod = .starting
        s.nodes[n].backoffLevel = 0
        s.nodes[n].restarts = 0
        s.nodes[n].initPending = n != ClusterState.head
        let startup = n == ClusterState.head ? timing.headPodStartup : timing.workerPodStartup
        s.agenda.schedule(.podStarted(n), after: draw(startup))
        emit("kuberay", "podCreated", "KubeRay created a new \(nodeName(n)) pod")
    }
}
