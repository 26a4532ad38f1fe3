import SimulationKernel

/// Pods and containers: `ray start --block` fate-sharing, the kubelet's CrashLoopBackOff, pod
/// deletion with the raylet's drain, eviction, and KubeRay replacing pods by its release's rules
/// (reference §1 and §6).
extension Transition {
    /// The Ray processes of pod `n` are up: the head starts its GCS; every raylet starts registering.
    mutating func podStarted(_ n: Int) {
        if s.nodes[n].initPending {
            guard gcsReachable(from: n) else {
                return note(.initWaiting(node: n))
            }
            s.nodes[n].initPending = false
        }
        s.nodes[n].pod = .running
        startedNode = n
        note(.containerStarted(node: n, restarts: s.nodes[n].restarts))
        if n == ClusterState.head {
            startHeadReadiness()
            gcsStarts()
        }
        s.nodes[n].raylet = .registering
        if gcsReachable(from: n) {
            registerRaylet(n)
        } else {
            armReconnectDeadline(n)
        }
    }

    /// Every Ray process of pod `n` is gone and the container has exited; `cause` is why its
    /// raylet, if still up, ended.
    mutating func containerExited(_ n: Int, reason: ContainerEnd,
                                  cause: RayletExitCause = .containerEnded) {
        s.agenda.cancel { $0 == .containerExited(n) || $0.isProbe(of: n) }
        if n == ClusterState.head && s.gcs != .down { gcsDied(.containerEnded) }
        if s.nodes[n].raylet != .down { rayletExits(n, cause: cause, containerFollows: false) }
        if n == ClusterState.head && rules.headServiceGates { s.nodes[n].ready = false }
        guard kubernetes else {
            s.nodes[n].pod = .stopped
            return note(.processesStopped(node: n, reason))
        }
        if s.nodes[n].pod == .terminating {
            note(.containerExitedWhileDeleting(node: n, reason))
            return podGone(n)
        }
        if rules.restartPolicies[n] == .never {  // the head's, or its worker group's
            guard n != ClusterState.head || cluster.recreatesFailedHead else {
                s.nodes[n].pod = .stopped
                return note(.podFailed(node: n, reason, replaced: false))
            }
            note(.podFailed(node: n, reason, replaced: true))
            recreatePod(n)
            return
        }
        let level = s.nodes[n].backoffLevel
        let wait = timing.crashLoopBackoff(level: level)
        s.nodes[n].backoffLevel = min(level + 1, timing.crashLoopBackoffLevelMax)
        s.nodes[n].pod = .backingOff
        s.agenda.schedule(.containerRestart(n), after: wait)
        note(.containerExited(node: n, reason, wait: wait))
    }

    /// The kubelet restarts the container in place, in the same pod; its back-off entry expires
    /// `crashLoopBackoffReset` after this restart unless another crash comes first.
    mutating func containerRestarts(_ n: Int) {
        s.nodes[n].pod = .starting
        s.nodes[n].restarts = min(s.nodes[n].restarts + 1, NodeState.restartsMax)
        s.agenda.cancel(.backoffReset(n))
        s.agenda.schedule(.backoffReset(n), after: timing.crashLoopBackoffReset)
        schedule(.podStarted(n), in: timing.containerRestartStartup)
        note(.containerRestarting(node: n, restarts: s.nodes[n].restarts))
    }

    /// `kubectl delete pod`: SIGTERM to its processes. With Kubernetes the raylet first drains the
    /// node, for the drain timeout when a worker is leased there (the detached actor) and not at all
    /// when the node is idle, then shuts down gracefully and the pod is gone (§6). Without
    /// Kubernetes every process dies at once.
    mutating func podDeleted(_ n: Int) {
        guard s.nodes[n].pod != .terminating else {
            return note(.podAlreadyDeleting(node: n))
        }
        guard kubernetes else {
            if n == ClusterState.head && s.gcs != .down { gcsDied(.podDeleted) }
            if s.nodes[n].raylet != .down { rayletExits(n, cause: .podDeleted, containerFollows: false) }
            return recreatePod(n)
        }
        guard s.nodes[n].pod == .running else { return podGone(n) }
        s.nodes[n].pod = .terminating
        s.agenda.cancel { $0.isProbe(of: n) || $0 == .backoffReset(n) }
        // The drain is a request to the GCS: with the GCS unreachable it cannot start (docs/model.md).
        let leased = s.actor.status == .alive && s.actor.host == n && s.nodes[n].raylet != .down
        let drains = leased && gcsReachable(from: n)
        let drain = drains ? timing.podDeletionDrainTimeout : .zero
        note(.podTerminating(node: n, drains ? .drains : leased ? .cannotDrain : .idle))
        s.agenda.schedule(.podGone(n), after: drain)
    }

    /// A deleted pod is gone: a raylet still up shuts down gracefully (its node is DEAD at once), the
    /// head's GCS dies with it, and KubeRay creates the next pod.
    mutating func podGone(_ n: Int) {
        s.agenda.cancel(.podGone(n))
        if s.nodes[n].raylet != .down { rayletExits(n, cause: .drained, containerFollows: false) }
        if n == ClusterState.head && s.gcs != .down { gcsDied(.podDeleted) }
        recreatePod(n)
    }

    /// The kubelet evicts pod `n` (phase Failed, reason Evicted): its processes die at once. KubeRay
    /// replaces it or not by release (§6, `shouldDeletePod`): v0.5–v0.6 handle evicted heads, v1.0–v1.1
    /// keep an evicted pod whose restartPolicy is Always, v1.2+ delete it.
    mutating func podEvicted(_ n: Int) {
        s.agenda.cancel { $0.node == n && $0 != .staleNodeMarkedDead(n) }
        if n == ClusterState.head && s.gcs != .down { gcsDied(.podEvicted) }
        if s.nodes[n].raylet != .down { rayletExits(n, cause: .podDeleted, containerFollows: false) }
        if rules.headServiceGates { s.nodes[n].ready = false }
        guard kubernetes, n != ClusterState.head || cluster.recreatesEvictedHead else {
            s.nodes[n].pod = .stopped
            return note(.evictedPodKept(node: n))
        }
        note(.evictedPodDeleted(node: n))
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
        if n == ClusterState.head && rules.headServiceGates { s.nodes[n].ready = false }
        let startup = n == ClusterState.head ? timing.headPodStartup : timing.workerPodStartup
        schedule(.podStarted(n), in: startup)
        note(.podCreated(node: n))
    }
}
