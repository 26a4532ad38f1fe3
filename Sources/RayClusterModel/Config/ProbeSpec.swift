/// What a probe's command asks, as far as the model can tell the answers apart (reference §6,
/// "Default probes").
public enum ProbeCheck: String, Hashable, Codable, Sendable, CaseIterable {
    /// Fails whenever the pod cannot reach a serving GCS: KubeRay's head probe from v1.1 (raylet
    /// and GCS health endpoint), or a user probe such as `ray health-check` against the head.
    case gcs
    /// KubeRay's worker probe from v1.1: the local agent asks the GCS whether this node is alive.
    /// A GCS that is unreachable counts as healthy; a GCS that answers "not alive" fails it.
    case nodeAlive = "node-alive"
    /// Only the pod's own Ray processes (KubeRay's probes up to v1.0): in this model it never fails
    /// while the container runs, because a dead raylet ends the container within a poll.
    case raylet
}

/// One readiness or liveness probe, in the units of the pod spec.
public struct ProbeSpec: Hashable, Codable, Sendable {
    public var initialDelaySeconds: Int
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var failureThreshold: Int
    public var check: ProbeCheck

    public init(initialDelaySeconds: Int, periodSeconds: Int, timeoutSeconds: Int, failureThreshold: Int, check: ProbeCheck) {
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.failureThreshold = failureThreshold
        self.check = check
    }

    /// `period 5s, timeout 1s, 120 failures (checks gcs)`: for headers and notes.
    public var summary: String {
        "delay \(initialDelaySeconds)s, period \(periodSeconds)s, timeout \(timeoutSeconds)s, "
            + "\(failureThreshold) failures, checks \(check.rawValue)"
    }
}

/// A probe as the user's pod template leaves it: unset (KubeRay injects its default, if the
/// release injects one), explicitly none, or set (KubeRay keeps a probe the user set). Its
/// `Codable` form, and `ProbeSettings'`, is the model file's (ProbeSettings+Encoding.swift).
public enum ProbeSetting: Hashable, Codable, Sendable {
    case kubeRayDefault
    case none
    case custom(ProbeSpec)
}

/// The four probes of a cluster as the user wrote them.
public struct ProbeSettings: Hashable, Codable, Sendable {
    public var headReadiness: ProbeSetting = .kubeRayDefault
    public var headLiveness: ProbeSetting = .kubeRayDefault
    public var workerReadiness: ProbeSetting = .kubeRayDefault
    public var workerLiveness: ProbeSetting = .kubeRayDefault

    public init() {}
}

/// The readiness and liveness probe of one pod template as the user wrote them: a worker group's
/// own pair (``WorkerGroupSpec/probes``). A probe left unset is KubeRay's default.
/// Its `Codable` form is the model file's (ProbeSettings+Encoding.swift).
public struct PodProbeSettings: Hashable, Codable, Sendable {
    public var readiness: ProbeSetting
    public var liveness: ProbeSetting

    public init(
        readiness: ProbeSetting = .kubeRayDefault, liveness: ProbeSetting = .kubeRayDefault
    ) {
        self.readiness = readiness
        self.liveness = liveness
    }
}

/// The probes in force on one kind of pod, after KubeRay's defaulting; nil is no probe.
public struct PodProbes: Hashable, Codable, Sendable {
    public var readiness: ProbeSpec?
    public var liveness: ProbeSpec?
}

extension KubeRayDefaulting {
    /// The probe KubeRay injects into a Ray container that has none (reference §6, "Default probes";
    /// ray-operator/controllers/ray/common/pod.go, utils/constant.go). Nil where the release injects
    /// nothing: before v1.1 probes were injected only into GCS FT clusters.
    public static func defaultProbe(liveness: Bool, head: Bool, version v: KubeRayVersion, ftEnabled: Bool) -> ProbeSpec? {
        if v.atLeast(1, 1) {
            // v1.1 timeout 1 s; v1.2 2 s; from v1.3 the head's is 5 s.
            let timeout = !v.atLeast(1, 2) ? 1 : (head && v.atLeast(1, 3) ? 5 : 2)
            return ProbeSpec(initialDelaySeconds: liveness ? 30 : 10, periodSeconds: 5, timeoutSeconds: timeout,
                             failureThreshold: liveness ? 120 : 10, check: head ? .gcs : .nodeAlive)
        }
        guard ftEnabled else { return nil }
        // Up to v1.0 the probes asked only the pod's own Ray processes, never the GCS.
        if v.atLeast(1, 0) {
            return ProbeSpec(initialDelaySeconds: liveness ? 30 : 10, periodSeconds: 5, timeoutSeconds: 1,
                             failureThreshold: liveness ? 120 : 10, check: .raylet)
        }
        return ProbeSpec(initialDelaySeconds: liveness ? 30 : 10, periodSeconds: 3, timeoutSeconds: 1,
                         failureThreshold: liveness ? 40 : 20, check: .raylet)
    }

    /// The probe in force: the user's, none, or KubeRay's default for the release.
    static func probe(_ setting: ProbeSetting, liveness: Bool, head: Bool, version: KubeRayVersion, ftEnabled: Bool) -> ProbeSpec? {
        switch setting {
        case .kubeRayDefault: defaultProbe(liveness: liveness, head: head, version: version, ftEnabled: ftEnabled)
        case .none: nil
        case .custom(let p): p
        }
    }
}
