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

/// Where Ray's GCS keeps its tables: whether `RAY_REDIS_ADDRESS` reaches the head (reference §2, §6).
public enum GCSStorage: String, Codable, Sendable, CaseIterable {
    /// External Redis: a restarted GCS reloads the cluster id and tables.
    case redis
    /// The GCS process's own memory: every GCS restart starts a new cluster (§3).
    case memory
}

/// A RayCluster as its author wrote it, before KubeRay fills in defaults. Unset is `nil`.
///
/// Keeping "unset" distinct from "set to the default" matters: KubeRay injects
/// `RAY_gcs_rpc_server_reconnect_timeout_s=600` into workers only when the user left it unset.
public struct ClusterSpec: Hashable, Sendable {
    /// `ray.io/ft-enabled: "true"` (or `spec.gcsFaultToleranceOptions`): what KubeRay injects for
    /// GCS FT (the workers' 600 s, the storage namespace, probes). Whether Ray really uses Redis is
    /// `gcsStorage`.
    public var ftEnabled: Bool
    /// Whether `RAY_REDIS_ADDRESS` reaches the head; nil: Redis when `ftEnabled`, memory otherwise.
    public var gcsStorage: GCSStorage?
    /// The KubeRay operator release that reconciles the cluster.
    public var kuberayVersion: KubeRayVersion
    /// The worker groups (`workerGroupSpecs`), in manifest order: workers 1…N are the first
    /// group's replicas, then the second's, and so on (``EffectiveCluster/group(of:)``).
    public var workerGroups: [WorkerGroupSpec]
    /// The head pod template's `restartPolicy` (Kubernetes default `Always`).
    public var headRestartPolicy: RestartPolicy
    /// The worker pod templates' `restartPolicy` (Kubernetes default `Always`): every group's that
    /// sets none of its own (``WorkerGroupSpec/restartPolicy``).
    public var workerRestartPolicy: RestartPolicy
    /// `enableInTreeAutoscaling` with `autoscalerOptions.version: v2`.
    public var autoscalerV2: Bool
    /// Readiness and liveness probes as the pod templates set them: the head's, and the workers'
    /// of every group that sets no pair of its own (``WorkerGroupSpec/probes``).
    public var probes: ProbeSettings
    /// `RAY_gcs_rpc_server_reconnect_timeout_s` in the head container's env, in seconds; nil if unset.
    public var headReconnectTimeoutSeconds: Int?
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
                redisPersistence: RedisPersistence = .appendOnly, actorMaxRestarts: Int = 0,
                gcsStorage: GCSStorage? = nil, kuberayVersion: KubeRayVersion = .newest,
                workerRestartPolicy: RestartPolicy = .always, autoscalerV2: Bool = false,
                probes: ProbeSettings = ProbeSettings()) {
        self.ftEnabled = ftEnabled
        self.gcsStorage = gcsStorage
        self.kuberayVersion = kuberayVersion
        self.workerGroups = [WorkerGroupSpec(
            replicas: workers, reconnectTimeoutSeconds: workerReconnectTimeoutSeconds)]
        self.headRestartPolicy = headRestartPolicy
        self.workerRestartPolicy = workerRestartPolicy
        self.autoscalerV2 = autoscalerV2
        self.probes = probes
        self.headReconnectTimeoutSeconds = headReconnectTimeoutSeconds
        self.storageNamespace = storageNamespace
        self.rayClusterUID = rayClusterUID
        self.redisPersistence = redisPersistence
        self.actorMaxRestarts = actorMaxRestarts
    }
}

/// One worker group of the RayCluster (`spec.workerGroupSpecs[i]`): its name, how many pods it
/// runs, what its containers' env sets, and its pod template's restart policy and probes.
///
/// The policy and the probes are optional: nil is the cluster's worker setting
/// (``ClusterSpec/workerRestartPolicy``, ``ClusterSpec/probes``), so a model that never sets them
/// per group behaves as before groups had them.
public struct WorkerGroupSpec: Hashable, Codable, Sendable {
    /// `groupName`: findings and properties name the group by it.
    public var name: String
    /// `replicas`: the group's worker pods.
    public var replicas: Int
    /// `RAY_gcs_rpc_server_reconnect_timeout_s` in this group's containers, in seconds; nil if
    /// unset.
    public var reconnectTimeoutSeconds: Int?
    /// The group's pod template `restartPolicy`; nil: the cluster's
    /// ``ClusterSpec/workerRestartPolicy``.
    public var restartPolicy: RestartPolicy?
    /// The Ray container's readiness and liveness probes of this group's pod template; nil: the
    /// cluster's worker probes (``ProbeSettings/workerReadiness``,
    /// ``ProbeSettings/workerLiveness``).
    public var probes: PodProbeSettings?

    /// The name of the one group a model file's `workers` shorthand describes.
    public static let defaultName = "workers"

    public init(name: String = WorkerGroupSpec.defaultName, replicas: Int = 1,
                reconnectTimeoutSeconds: Int? = nil, restartPolicy: RestartPolicy? = nil,
                probes: PodProbeSettings? = nil) {
        self.name = name
        self.replicas = replicas
        self.reconnectTimeoutSeconds = reconnectTimeoutSeconds
        self.restartPolicy = restartPolicy
        self.probes = probes
    }

    /// Whether the group sets a policy or probes of its own (the `workers` shorthand cannot).
    public var hasOwnPodSettings: Bool { restartPolicy != nil || probes != nil }
}

extension ClusterSpec {
    /// Worker pods in all groups. Setting it is the one-group shorthand: it needs a cluster of
    /// at most one group and sets that group's replicas.
    public var workers: Int {
        get { workerGroups.reduce(0) { $0 + $1.replicas } }
        set {
            precondition(workerGroups.count <= 1, "workers is the one-group shorthand; "
                         + "set workerGroups[i].replicas of a cluster with several groups")
            if workerGroups.isEmpty { workerGroups = [WorkerGroupSpec(replicas: newValue)] }
            workerGroups[0].replicas = newValue
        }
    }

    /// The workers' `RAY_gcs_rpc_server_reconnect_timeout_s`, as the one-group shorthand: reads
    /// the first group's, sets every group's.
    public var workerReconnectTimeoutSeconds: Int? {
        get { workerGroups.first?.reconnectTimeoutSeconds }
        set { for g in workerGroups.indices { workerGroups[g].reconnectTimeoutSeconds = newValue } }
    }

    /// One group under the default name, with no policy or probes of its own: what the `workers`
    /// shorthand of a model file describes, and what files and messages keep spelling that way.
    public var isOneDefaultGroup: Bool {
        workerGroups.count == 1 && workerGroups[0].name == WorkerGroupSpec.defaultName
            && !workerGroups[0].hasOwnPodSettings
    }
}

extension ClusterSpec: Codable {
    enum CodingKeys: String, CodingKey {
        case ftEnabled, gcsStorage, kuberayVersion, workers, headRestartPolicy, workerRestartPolicy, autoscalerV2, probes
        case headReconnectTimeoutSeconds, workerReconnectTimeoutSeconds, storageNamespace, rayClusterUID
        case redisPersistence, actorMaxRestarts, workerGroups
    }

    /// One default group is written as `workers` and `workerReconnectTimeoutSeconds`, as before
    /// worker groups, so trace files of such models keep their bytes; other clusters write
    /// `workerGroups`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ftEnabled, forKey: .ftEnabled)
        try c.encodeIfPresent(gcsStorage, forKey: .gcsStorage)
        try c.encode(kuberayVersion, forKey: .kuberayVersion)
        if isOneDefaultGroup {
            try c.encode(workers, forKey: .workers)
            try c.encodeIfPresent(
                workerReconnectTimeoutSeconds, forKey: .workerReconnectTimeoutSeconds)
        } else {
            try c.encode(workerGroups, forKey: .workerGroups)
        }
        try c.encode(headRestartPolicy, forKey: .headRestartPolicy)
        try c.encode(workerRestartPolicy, forKey: .workerRestartPolicy)
        try c.encode(autoscalerV2, forKey: .autoscalerV2)
        try c.encode(probes, forKey: .probes)
        try c.encodeIfPresent(headReconnectTimeoutSeconds, forKey: .headReconnectTimeoutSeconds)
        try c.encodeIfPresent(storageNamespace, forKey: .storageNamespace)
        try c.encode(rayClusterUID, forKey: .rayClusterUID)
        try c.encode(redisPersistence, forKey: .redisPersistence)
        try c.encode(actorMaxRestarts, forKey: .actorMaxRestarts)
    }

    /// Keys added later (storage, version, worker policy, autoscaler, probes) keep their defaults
    /// when missing, so older trace files still load; replay decides whether they still reproduce.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            ftEnabled: try c.decode(Bool.self, forKey: .ftEnabled),
            workers: try c.decodeIfPresent(Int.self, forKey: .workers) ?? 0,
            headRestartPolicy: try c.decode(RestartPolicy.self, forKey: .headRestartPolicy),
            headReconnectTimeoutSeconds: try c.decodeIfPresent(Int.self, forKey: .headReconnectTimeoutSeconds),
            workerReconnectTimeoutSeconds: try c.decodeIfPresent(Int.self, forKey: .workerReconnectTimeoutSeconds),
            storageNamespace: try c.decodeIfPresent(String.self, forKey: .storageNamespace),
            rayClusterUID: try c.decode(String.self, forKey: .rayClusterUID),
            redisPersistence: try c.decode(RedisPersistence.self, forKey: .redisPersistence),
            actorMaxRestarts: try c.decode(Int.self, forKey: .actorMaxRestarts),
            gcsStorage: try c.decodeIfPresent(GCSStorage.self, forKey: .gcsStorage),
            kuberayVersion: try c.decodeIfPresent(KubeRayVersion.self, forKey: .kuberayVersion) ?? .newest,
            workerRestartPolicy: try c.decodeIfPresent(RestartPolicy.self, forKey: .workerRestartPolicy) ?? .always,
            autoscalerV2: try c.decodeIfPresent(Bool.self, forKey: .autoscalerV2) ?? false,
            probes: try c.decodeIfPresent(ProbeSettings.self, forKey: .probes) ?? ProbeSettings())
        if let groups = try c.decodeIfPresent([WorkerGroupSpec].self, forKey: .workerGroups) {
            workerGroups = groups
        }
    }
}

/// The cluster as it runs, after KubeRay's defaulting, with a note for every value it decided.
public struct EffectiveCluster: Hashable, Codable, Sendable {
    public var ftEnabled: Bool
    public var gcsStorage: GCSStorage
    public var kuberayVersion: KubeRayVersion
    /// The worker groups in manifest order, each with its replicas and its own timeout.
    public var workerGroups: [EffectiveWorkerGroup]
    public var headRestartPolicy: RestartPolicy
    /// The workers' policy of every group that sets none of its own (each group's in force is
    /// ``EffectiveWorkerGroup/restartPolicy``).
    public var workerRestartPolicy: RestartPolicy
    public var headReconnectTimeout: SimDuration
    /// The namespace the GCS keys its Redis data by (`RAY_external_storage_namespace`).
    public var storageNamespace: String
    public var redisPersistence: RedisPersistence
    public var actorMaxRestarts: Int
    public var headProbes: PodProbes
    /// The workers' probes of every group that sets none of its own (each group's in force is
    /// ``EffectiveWorkerGroup/probes``).
    public var workerProbes: PodProbes
    /// Before v1.2 the head Service is a ClusterIP Service whose endpoints hold only Ready pods:
    /// workers reach the GCS only while the head pod is Ready.
    public var headServiceNeedsReadiness: Bool
    /// A head pod in phase Failed (restartPolicy Never and its container ended) is deleted and
    /// recreated: from v1.0; v0.5–v0.6 handled only evicted pods.
    public var recreatesFailedHead: Bool
    /// An evicted head pod is deleted and recreated: v0.5–v0.6 yes, v1.0–v1.1 only when its
    /// restartPolicy is Never, v1.2+ yes.
    public var recreatesEvictedHead: Bool
    /// Ray 2.60's GCS aborts at construction when the storage namespace holds `@` (§2).
    public var namespaceAbortsGCS: Bool
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
    /// Ray's default `RAY_external_storage_namespace` when KubeRay sets none (FT off, §2).
    public static let rayDefaultNamespace = "default"

    public static func apply(_ spec: ClusterSpec) -> EffectiveCluster {
        var notes: [DefaultingNote] = []
        let v = spec.kuberayVersion
        notes.append(DefaultingNote(field: "KubeRay version", value: v.description,
                                    rule: v == .newest ? "the newest release the model knows (the default)" : "set by the user"))
        let storage = spec.gcsStorage ?? (spec.ftEnabled ? .redis : .memory)
        notes.append(DefaultingNote(
            field: "GCS storage", value: storage.rawValue,
            rule: spec.gcsStorage != nil ? "set by the user (whether RAY_REDIS_ADDRESS reaches the head)"
                : spec.ftEnabled ? "FT is on and gives the head RAY_REDIS_ADDRESS" : "FT is off and nothing gives the head RAY_REDIS_ADDRESS"))
        let head = spec.headReconnectTimeoutSeconds ?? rayReconnectTimeoutSeconds
        notes.append(DefaultingNote(
            field: "head RAY_gcs_rpc_server_reconnect_timeout_s", value: "\(head)s",
            rule: spec.headReconnectTimeoutSeconds == nil
                ? "unset; KubeRay does not inject it into the head, so Ray's default 60 s applies"
                : "set by the user"))
        let forcedNever = spec.autoscalerV2 && v.atLeast(1, 4)
        var groups: [EffectiveWorkerGroup] = []
        for group in spec.workerGroups {
            let (seconds, source, rule) = workerTimeout(group.reconnectTimeoutSeconds, spec)
            let field = spec.isOneDefaultGroup ? "worker RAY_gcs_rpc_server_reconnect_timeout_s"
                : "worker group \(group.name) RAY_gcs_rpc_server_reconnect_timeout_s"
            notes.append(DefaultingNote(field: field, value: "\(seconds)s", rule: rule))
            let own = group.probes ?? PodProbeSettings(
                readiness: spec.probes.workerReadiness, liveness: spec.probes.workerLiveness)
            groups.append(EffectiveWorkerGroup(
                name: group.name, replicas: group.replicas,
                firstNode: 1 + (groups.last.map { $0.firstNode - 1 + $0.replicas } ?? 0),
                reconnectTimeout: .seconds(Int64(seconds)), reconnectTimeoutSource: source,
                restartPolicy: forcedNever ? .never
                    : group.restartPolicy ?? spec.workerRestartPolicy,
                probes: Self.workerProbes(own, spec)))
        }
        let namespace = spec.ftEnabled ? spec.storageNamespace ?? spec.rayClusterUID : rayDefaultNamespace
        if spec.ftEnabled {
            notes.append(DefaultingNote(field: "RAY_external_storage_namespace", value: namespace,
                                        rule: spec.storageNamespace == nil ? "unset, so KubeRay uses the RayCluster UID" : "set by the user"))
        } else if storage == .redis {
            notes.append(DefaultingNote(field: "RAY_external_storage_namespace", value: namespace,
                                        rule: "FT is off, so KubeRay sets no namespace and Ray's default applies"))
        }
        var headPolicy = spec.headRestartPolicy
        var workerPolicy = spec.workerRestartPolicy
        if forcedNever {
            headPolicy = .never
            workerPolicy = .never
            notes.append(DefaultingNote(field: "restartPolicy", value: "Never",
                                        rule: "KubeRay 1.4+ with autoscaler v2 forces restartPolicy Never on head and workers"))
        }
        let probes = spec.probes
        let headProbes = PodProbes(
            readiness: probe(probes.headReadiness, liveness: false, head: true, version: v, ftEnabled: spec.ftEnabled),
            liveness: probe(probes.headLiveness, liveness: true, head: true, version: v, ftEnabled: spec.ftEnabled))
        let workerProbes = Self.workerProbes(
            PodProbeSettings(readiness: probes.workerReadiness, liveness: probes.workerLiveness),
            spec)
        let needsReadiness = !v.atLeast(1, 2)
        notes.append(DefaultingNote(
            field: "head Service", value: needsReadiness ? "ClusterIP" : "headless",
            rule: needsReadiness ? "before v1.2 its endpoints hold only Ready pods: workers reach the GCS only while the head pod is Ready"
                : "from v1.2 headless and publishing not-ready addresses: workers reach the GCS as soon as it serves"))
        let evicted = !v.atLeast(1, 0) || v.atLeast(1, 2) || headPolicy == .never
        return EffectiveCluster(
            ftEnabled: spec.ftEnabled, gcsStorage: storage, kuberayVersion: v, workerGroups: groups,
            headRestartPolicy: headPolicy, workerRestartPolicy: workerPolicy,
            headReconnectTimeout: .seconds(Int64(head)),
            storageNamespace: namespace, redisPersistence: spec.redisPersistence,
            actorMaxRestarts: spec.actorMaxRestarts, headProbes: headProbes, workerProbes: workerProbes,
            headServiceNeedsReadiness: needsReadiness, recreatesFailedHead: v.atLeast(1, 0), recreatesEvictedHead: evicted,
            namespaceAbortsGCS: storage == .redis && namespace.contains("@"), notes: notes)
    }

    /// The probes in force on a worker pod whose template sets `probes`.
    static func workerProbes(_ probes: PodProbeSettings, _ spec: ClusterSpec) -> PodProbes {
        let (v, ft) = (spec.kuberayVersion, spec.ftEnabled)
        return PodProbes(
            readiness: probe(probes.readiness, liveness: false, head: false, version: v,
                             ftEnabled: ft),
            liveness: probe(probes.liveness, liveness: true, head: false, version: v,
                            ftEnabled: ft))
    }

    /// A worker group's reconnect timeout in seconds, where it came from, and the rule.
    static func workerTimeout(
        _ set: Int?, _ spec: ClusterSpec
    ) -> (Int, SettingSource, String) {
        if let set { return (set, .user, "set by the user; KubeRay keeps it") }
        if spec.ftEnabled {
            return (kubeRayWorkerReconnectTimeoutSeconds, .kuberayDefault,
                    "unset and ray.io/ft-enabled is true, so KubeRay injects 600")
        }
        return (rayReconnectTimeoutSeconds, .rayDefault,
                "unset and FT is off: KubeRay injects nothing, Ray's default 60 s applies")
    }
}

/// Who decided a value in force: the manifest's author, KubeRay's defaulting, or Ray's default.
public enum SettingSource: String, Hashable, Codable, Sendable {
    case user
    case kuberayDefault = "kuberay-default"
    case rayDefault = "ray-default"
}

/// A worker group as it runs: its replicas are the workers `nodes` of the world.
public struct EffectiveWorkerGroup: Hashable, Codable, Sendable {
    public var name: String
    public var replicas: Int
    /// The node index of its first replica (workers are numbered from 1, group after group).
    public var firstNode: Int
    public var reconnectTimeout: SimDuration
    public var reconnectTimeoutSource: SettingSource
    /// Its pods' `restartPolicy`: its own, else the cluster's worker policy; Never when autoscaler
    /// v2 forces it (KubeRay 1.4+).
    public var restartPolicy: RestartPolicy
    /// Its pods' probes after KubeRay's defaulting: its own pair, else the cluster's worker pair.
    public var probes: PodProbes

    /// The node indices of its replicas.
    public var nodes: Range<Int> { firstNode..<(firstNode + replicas) }
}

extension EffectiveCluster {
    /// Worker pods in all groups.
    public var workers: Int { workerGroups.reduce(0) { $0 + $1.replicas } }

    /// The group worker `node` belongs to; nil for the head.
    public func group(of node: Int) -> EffectiveWorkerGroup? {
        workerGroups.first { $0.nodes.contains(node) }
    }

    /// `RAY_gcs_rpc_server_reconnect_timeout_s` of `node`'s GCS clients: the head's or its
    /// group's.
    public func reconnectTimeout(of node: Int) -> SimDuration {
        group(of: node)?.reconnectTimeout ?? headReconnectTimeout
    }

    /// The `restartPolicy` of `node`'s pod: the head's or its group's.
    public func restartPolicy(of node: Int) -> RestartPolicy {
        group(of: node)?.restartPolicy ?? headRestartPolicy
    }

    /// The probes in force on `node`'s pod: the head's or its group's.
    public func probes(of node: Int) -> PodProbes {
        group(of: node)?.probes ?? headProbes
    }

    /// The workers' reconnect timeout, as the one-group shorthand: the first group's (a cluster
    /// with several groups has one per group: ``workerGroups``, ``reconnectTimeout(of:)``).
    public var workerReconnectTimeout: SimDuration {
        workerGroups.first?.reconnectTimeout ?? headReconnectTimeout
    }

    /// The least reconnect timeout over the worker groups that have replicas.
    public var shortestWorkerReconnectTimeout: SimDuration? {
        workerGroups.filter { $0.replicas > 0 }.map(\.reconnectTimeout).min()
    }
}
