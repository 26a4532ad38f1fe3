import SimulationKernel

/// The pod's `restartPolicy`: who brings a dead head container back (reference §6).
public enum RestartPolicy: String, Codable, Sendable, CaseIterable {
    /// The kubelet restarts the container in place, with CrashLoopBackOff.
    case always = "Always"
    /// The pod fails; KubeRay deletes it and creates a new one.
    case never = "Never"
}

/// How Redis keeps its data across a restart.
public enum RedisPersistence: String, Codable, Sendable, CaseIterable {
    /// Memory only: a restart comes back empty.
    case none
    /// `appendonly yes` (the KubeRay sample's redis.conf): a restart keeps the data.
    case appendOnly
}

/// A RayCluster as its author wrote it, before KubeRay fills in defaults. Unset is `nil`.
///
/// Keeping "unset" distinct from "set to the default" matters: KubeRay injects
/// `RAY_gcs_rpc_server_reconnect_timeout_s=600` into workers only when the user left it unset.
public struct ClusterSpec: Hashable, Codable, Sendable {
    /// `ray.io/ft-enabled: "true"` (or `spec.gcsFaultToleranceOptions`): GCS backed by external Redis.
    public var ftEnabled: Bool
    /// Worker pods (replicas of the worker group).
    public var workers: Int
    /// The head pod template's `restartPolicy` (Kubernetes default `Always`).
    public var headRestartPolicy: RestartPolicy
    /// `RAY_gcs_rpc_server_reconnect_timeout_s` in the head container's env, in seconds; nil if unset.
    public var headReconnectTimeoutSeconds: Int?
    /// `RAY_gcs_rpc_server_reconnect_timeout_s` in the worker containers' env, in seconds; nil if unset.
    public var workerReconnectTimeoutSeconds: Int?
    /// `gcsFaultToleranceOptions.externalStorageNamespace` or the `ray.io/external-storage-namespace`
    /// annotation; nil if neither is set.
    public var storageNamespace: String?
    /// `metadata.uid` of the RayCluster, KubeRay's fallback storage namespace.
    public var rayClusterUID: String
    /// Redis persistence.
    public var redisPersistence: RedisPersistence
    /// `max_restarts` of the detached counter actor: 0 (Ray's default) or -1 (restart forever).
    public var actorMaxRestarts: Int

    public init(ftEnabled: Bool = true, workers: Int = 1, headRestartPolicy: RestartPolicy = .always,
                headReconnectTimeoutSeconds: Int? = nil, workerReconnectTimeoutSeconds: Int? = nil,
                storageNamespace: String? = nil, rayClusterUID: String = "raycluster-uid",
                redisPersistence: RedisPersistence = .appendOnly, actorMaxRestarts: Int = 0) {
        self.ftEnabled = ftEnabled
        self.workers = workers
        self.headRestartPolicy = headRestartPolicy
        self.headReconnectTimeoutSeconds = headReconnectTimeoutSeconds
        self.workerReconnectTimeoutSeconds = workerReconnectTimeoutSeconds
        self.storageNamespace = storageNamespace
        self.rayClusterUID = rayClusterUID
        self.redisPersistence = redisPersistence
        self.actorMaxRestarts = actorMaxRestarts
    }
}

/// The cluster as it runs, after KubeRay's defaulting, with a note for every value it decided.
public struct EffectiveCluster: Hashable, Codable, Sendable {
    public var ftEnabled: Bool
    public var workers: Int
    public var headRestartPolicy: RestartPolicy
    public var headReconnectTimeout: SimDuration
    public var workerReconnectTimeout: SimDuration
    public var storageNamespace: String
    public var redisPersistence: RedisPersistence
    public var actorMaxRestarts: Int
    /// How each defaulted value was decided, in a fixed order.
    public var notes: [DefaultingNote]
}

/// Evidence for one value KubeRay or Ray decided: which rule, and where it lives upstream.
public struct DefaultingNote: Hashable, Codable, Sendable {
    public var field: String
    public var value: String
    public var rule: String
}

/// KubeRay's defaulting of the settings this model reads (reference §6, ray-operator/controllers/ray/).
public enum KubeRayDefaulting {
    /// Ray's own default for `gcs_rpc_server_reconnect_timeout_s` (src/ray/common/ray_config_def.h).
    public static let rayReconnectTimeoutSeconds = 60
    /// What KubeRay injects into workers of a FT cluster when the user left it unset (since v0.6.0).
    public static let kubeRayWorkerReconnectTimeoutSeconds = 600

    public static func apply(_ spec: ClusterSpec) -> EffectiveCluster {
        var notes: [DefaultingNote] = []
        let head = spec.headReconnectTimeoutSeconds ?? rayReconnectTimeoutSeconds
        notes.append(DefaultingNote(
            field: "head RAY_gcs_rpc_server_reconnect_timeout_s", value: "\(head)s",
            rule: spec.headReconnectTimeoutSeconds == nil
                ? "unset; KubeRay does not inject it into the head, so Ray's default 60 s applies"
                : "set by the user"))
        let worker: Int
        if let set = spec.workerReconnectTimeoutSeconds {
            worker = set
            notes.append(DefaultingNote(field: "worker RAY_gcs_rpc_server_reconnect_timeout_s", value: "\(set)s", rule: "set by the user; KubeRay keeps it"))
        } else if spec.ftEnabled {
            worker = kubeRayWorkerReconnectTimeoutSeconds
            notes.append(DefaultingNote(field: "worker RAY_gcs_rpc_server_reconnect_timeout_s", value: "600s",
                                        rule: "unset and ray.io/ft-enabled is true, so KubeRay injects 600"))
        } else {
            worker = rayReconnectTimeoutSeconds
            notes.append(DefaultingNote(field: "worker RAY_gcs_rpc_server_reconnect_timeout_s", value: "60s",
                                        rule: "unset and FT is off: KubeRay injects nothing, Ray's default 60 s applies"))
        }
        let namespace = spec.storageNamespace ?? spec.rayClusterUID
        if spec.ftEnabled {
            notes.append(DefaultingNote(field: "RAY_external_storage_namespace", value: namespace,
                                        rule: spec.storageNamespace == nil ? "unset, so KubeRay uses the RayCluster UID" : "set by the user"))
        }
        return EffectiveCluster(ftEnabled: spec.ftEnabled, workers: spec.workers, headRestartPolicy: spec.headRestartPolicy,
                                headReconnectTimeout: .seconds(Int64(head)), workerReconnectTimeout: .seconds(Int64(worker)),
                                storageNamespace: namespace, redisPersistence: spec.redisPersistence,
                                actorMaxRestarts: spec.actorMaxRestarts, notes: notes)
    }
}
