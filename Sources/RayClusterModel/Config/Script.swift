import SimulationKernel

/// Who brings dead processes back.
public enum Supervisor: String, Codable, Sendable, CaseIterable {
    /// The kubelet restarts containers, KubeRay recreates pods, `ray start --block` ends a container
    /// when a Ray process fails (reference §1, §6).
    case kubernetes
    /// Nothing restarts a process unless a script step says so, as in Ray's own tests with its test
    /// cluster utility: no container, no `ray start --block`, no kubelet, no KubeRay.
    case manual
}

/// One step of a scripted scenario: at a fixed virtual time, do one thing.
public struct ScriptStep: Hashable, Codable, Sendable {
    public var at: SimDuration
    public var action: ScriptAction

    public init(at: SimDuration, _ action: ScriptAction) {
        self.at = at
        self.action = action
    }
}

/// What a script step does. Stable ids (`id`) are the scenario files' `do` values.
public enum ScriptAction: Hashable, Codable, Sendable {
    case gcsProcessKill
    case gcsProcessSigkill
    /// Starts a GCS process on the head; a namespace other than the cluster's finds no data there.
    case gcsStart(storageNamespace: String?)
    /// `FLUSHALL`: Redis loses every key.
    case redisFlush
    case redisRestart
    case headPodDelete
    case headContainerCrash
    case headPodEvict
    /// Deletes worker `worker` (1-based).
    case workerPodDelete(worker: Int)
    /// The client calls the detached counter actor once.
    case actorCall

    /// Every step id, for messages.
    public static var ids: [String] { Disruption.stepIDs }

    public var id: String { disruption.id }

    /// The worker this step names, if any: it tells that worker apart from the others, so the
    /// checker's symmetry must not move it.
    public var namedWorker: Int? {
        if case .workerPodDelete(let w) = self { return w }
        return nil
    }

    /// Steps that break something: they open a recovery window like a fault does.
    public var isDisruptive: Bool { disruption.isDisruptive }
}
