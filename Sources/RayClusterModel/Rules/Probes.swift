import SimulationKernel

/// Readiness and liveness probes, the head Service, and who can reach the GCS (reference §6,
/// "Default probes"; docs/model.md, "Probes").
extension Transition {
    /// Whether pod `n` can reach a serving GCS. The head's raylet talks to its own GCS; workers go
    /// through the head Service, which before KubeRay v1.2 routes only to a Ready head pod.
    func gcsReachable(from n: Int) -> Bool {
        s.gcs == .serving && (n == ClusterState.head || !rules.headServiceGates || s.nodes[ClusterState.head].ready)
    }

    /// The head container started: before v1.2 the pod is not Ready until its readiness probe passes,
    /// at the first probe tick at or after the probe's initial delay (the tick's phase is a choice).
    mutating func startHeadReadiness() {
        guard rules.headServiceGates else { return }
        let head = ClusterState.head
        guard let probe = cluster.headProbes.readiness else {
            s.nodes[head].ready = true
            return
        }
        s.nodes[head].ready = false
        let period = SimDuration.seconds(Int64(probe.periodSeconds))
        let delay = SimDuration.seconds(Int64(probe.initialDelaySeconds))
        schedule(.readinessProbe(head), phaseOf: period, after: delay)
    }

    /// A readiness probe of the head: Ready if it passes, otherwise the next one a period later.
    mutating func readinessProbe(_ n: Int) {
        guard let probe = cluster.headProbes.readiness, s.nodes[n].pod == .running else { return }
        let passes: Bool = switch probe.check {
        case .gcs: s.gcs == .serving
        case .nodeAlive: !(s.gcs == .serving && s.nodes[n].raylet == .unregistered)
        case .raylet: s.nodes[n].raylet != .down
        }
        guard passes else {
            s.agenda.schedule(.readinessProbe(n), after: .seconds(Int64(probe.periodSeconds)))
            return
        }
        s.nodes[n].ready = true
        note(.podReady(node: n))
        if s.gcs == .serving { gcsBecameReachable(workersOnly: true) }
    }

    /// The liveness probe in force on pod `n` (the head's, or its worker group's), if it can fail
    /// in this model.
    func livenessProbe(_ n: Int) -> ProbeSpec? { rules.livenessProbes[n] }

    /// Whether a probe with `check` fails on pod `n` right now (its container runs).
    func probeFails(_ check: ProbeCheck, on n: Int) -> Bool {
        switch check {
        case .gcs: !gcsReachable(from: n)
        case .nodeAlive: gcsReachable(from: n) && s.nodes[n].raylet == .unregistered
        case .raylet: false
        }
    }

    /// After every step: a pod whose liveness probe starts failing starts its failure streak; one
    /// whose probe passes again ends it (a success resets the kubelet's count).
    mutating func noteLiveness() {
        guard kubernetes, rules.hasFailingLiveness else { return }
        for n in s.nodes.indices {
            guard let probe = livenessProbe(n) else { continue }
            let failing = s.nodes[n].pod == .running && probeFails(probe.check, on: n)
            let streak = s.agenda.contains(.livenessFailing(n)) || s.agenda.contains(.livenessKill(n))
            if failing && !streak {
                // The first failing probe is at the next tick (after the initial delay for a container
                // that just started); the threshold's other probes follow a period apart.
                var wait = SimDuration.seconds(Int64(probe.periodSeconds * (probe.failureThreshold - 1)))
                if startedNode == n { wait = wait + .seconds(Int64(probe.initialDelaySeconds)) }
                s.agenda.schedule(.livenessFailing(n), after: wait)
            } else if !failing && streak {
                s.agenda.cancel { $0 == .livenessFailing(n) || $0 == .livenessKill(n) }
            }
        }
    }

    /// All but the last period of the streak have passed: when the threshold is reached depends on
    /// the tick's phase and on how long the last probe takes to fail (up to its timeout).
    mutating func livenessFailing(_ n: Int) {
        guard let probe = livenessProbe(n) else { return }
        let last = DurationRange(.zero, .seconds(Int64(probe.periodSeconds + probe.timeoutSeconds)))
        schedule(.livenessKill(n), in: last)
    }

    /// The liveness probe reached its failure threshold: the kubelet kills the container and restarts
    /// it by the pod's restart policy.
    mutating func livenessKill(_ n: Int) {
        guard livenessProbe(n) != nil else { return }
        note(.livenessProbeFailed(node: n))
        containerExited(n, reason: .livenessProbe, cause: .livenessProbe)
    }

    /// The GCS serves and can be reached from pods that could not reach it before: their init
    /// containers, waiting raylets and the actor's process find it at their next checks.
    mutating func gcsBecameReachable(workersOnly: Bool) {
        if !workersOnly { scheduleHeadAgentReconnect() }
        for n in s.nodes.indices where (!workersOnly || n != ClusterState.head) && gcsReachable(from: n) {
            if s.nodes[n].initPending && s.nodes[n].pod == .starting && !s.agenda.contains(.podStarted(n)) {
                schedule(.podStarted(n), in: DurationRange(.zero, timing.workerInitPollInterval))
            }
            let raylet = s.nodes[n].raylet
            if (raylet == .reconnecting || raylet == .registering) && !s.agenda.contains(.rayletReconnects(n)) {
                scheduleReconnect(n)
            }
        }
        if s.agenda.contains(.actorGivesUp) && !s.agenda.contains(.actorReconnects) && gcsReachable(from: s.actor.host) {
            scheduleReconnect(deadline: .actorGivesUp, reconnect: .actorReconnects)
        }
    }
}

extension Happening {
    /// A probe event of pod `n`.
    func isProbe(of n: Int) -> Bool {
        self == .readinessProbe(n) || self == .livenessFailing(n) || self == .livenessKill(n)
    }
}
