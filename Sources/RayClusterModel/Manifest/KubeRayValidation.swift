/// A manifest KubeRay itself refuses: one rule of its validation that the manifest breaks.
///
/// KubeRay's controller runs its validation before it reconciles an object; a refused RayCluster
/// gets an `InvalidRayClusterSpec` warning event with the message and no pods at all (a RayService,
/// `InvalidRayServiceSpec`), so there is no cluster to check. The review reports it as a finding
/// (`kuberay-rejects`, an error at the manifest line) and checks nothing else for that cluster.
public struct KubeRayRejection: Hashable, Sendable {
    /// The rule's name (``KubeRayRule/name``).
    public let rule: String
    /// KubeRay's own message, as its event says it.
    public let message: String
    /// What to change in the manifest.
    public let fix: String
    /// The manifest line that breaks the rule.
    public let line: Int?
    /// The first release that applies the rule.
    public let since: KubeRayVersion
    /// The upstream function and file that check it.
    public let source: String
}

/// One check of KubeRay's validation that refuses an FT-related RayCluster or RayService, with
/// the releases that apply it (from ``since`` to the newest release the model knows; read at
/// every tag from v1.3.0 to v1.7.0, and absent from every earlier release: before v1.3.0 the
/// controller validates no RayCluster spec, and the optional webhook of v1.1 and v1.2 checks only
/// the name and unique group names).
public struct KubeRayRule: Sendable {
    /// A short, stable name (docs/review.md lists them).
    public let name: String
    public let since: KubeRayVersion
    /// The upstream function and file.
    public let source: String
    /// What to change.
    public let fix: String
    /// Each breach in a cluster: the manifest line and KubeRay's message; empty when it is kept.
    let breaches: @Sendable (ManifestCluster) -> [(line: Int?, message: String)]

    /// The rejections of `cluster` by this rule under KubeRay `version`.
    func rejections(_ cluster: ManifestCluster, _ version: KubeRayVersion)
        -> [KubeRayRejection]
    {
        guard version >= since else { return [] }
        return breaches(cluster).map {
            KubeRayRejection(rule: name, message: $0.message, fix: fix, line: $0.line,
                             since: since, source: source)
        }
    }
}

/// KubeRay's validation of FT-related settings (`ray-operator/controllers/ray/utils/
/// validation.go`, read at tags v1.3.0 to v1.7.0), in the order KubeRay checks them. KubeRay
/// stops at the first broken rule; the review lists every one, so one pass fixes them all.
///
/// Not checked here, though KubeRay checks them: names (a DNS-1035 label, from v1.4.0),
/// `RAY_enable_autoscaler_v2` in the head's env (v1.4.0, v1.5.0), suspended worker groups, and
/// the embedded RocksDB backend of v1.7.0 (behind the `GCSFaultToleranceEmbeddedStorage`
/// feature gate, off by default): the model has no such backend.
public enum KubeRayValidation {
    static let clusterSpec = "ValidateRayClusterSpec, ray-operator/controllers/ray/utils/"
        + "validation.go"
    static let serviceSpec = "ValidateRayServiceSpec, ray-operator/controllers/ray/utils/"
        + "validation.go"
    static let v1_3 = KubeRayVersion(1, 3)

    /// The `ray.io/ft-enabled` annotation, with any non-empty value, next to
    /// `spec.gcsFaultToleranceOptions`: `ValidateRayClusterSpec`, utils/validation.go, v1.3.0
    /// to v1.7.0.
    public static let annotationAndOptions = KubeRayRule(
        name: "ft-annotation-and-options", since: v1_3, source: clusterSpec,
        fix: "remove the ray.io/ft-enabled annotation: gcsFaultToleranceOptions turns FT on"
    ) { c in
        guard let ft = c.validation.ftAnnotation, !ft.text.isEmpty,
              let options = c.validation.ftOptionsLine else { return [] }
        return [(ft.line, "ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both "
                 + "set (line \(options)). Please use only GcsFaultToleranceOptions to "
                 + "configure GCS fault tolerance")]
    }

    /// `RAY_REDIS_ADDRESS` in the head's Ray container while GCS FT is off (no
    /// `ray.io/ft-enabled: "true"`, no `gcsFaultToleranceOptions`): `ValidateRayClusterSpec`,
    /// utils/validation.go, v1.3.0 to v1.7.0. Before v1.3 KubeRay ran it, and Ray used Redis.
    public static let redisAddressWithoutFT = KubeRayRule(
        name: "redis-address-without-ft", since: v1_3, source: clusterSpec,
        fix: "turn GCS FT on (spec.gcsFaultToleranceOptions with redisAddress, in place of the "
            + "env var) or remove RAY_REDIS_ADDRESS from the head's env"
    ) { c in
        guard !c.spec.ftEnabled, let line = c.validation.headRedisAddressEnvLine else { return [] }
        return [(line, "RAY_REDIS_ADDRESS is set which implicitly enables GCS fault tolerance, "
                 + "but GcsFaultToleranceOptions is not set. Please set GcsFaultToleranceOptions "
                 + "to enable GCS fault tolerance")]
    }

    /// With `gcsFaultToleranceOptions`, the head may not carry its own Redis settings:
    /// `rayStartParams` `redis-password`, the `REDIS_PASSWORD` or `RAY_REDIS_ADDRESS` env var, or
    /// the `ray.io/external-storage-namespace` annotation (each has a field in the options):
    /// `ValidateRayClusterSpec`, utils/validation.go, v1.3.0 to v1.7.0.
    public static let headRedisWithOptions = KubeRayRule(
        name: "head-redis-settings-with-options", since: v1_3, source: clusterSpec,
        fix: "move the setting into spec.gcsFaultToleranceOptions (redisPassword, redisAddress, "
            + "externalStorageNamespace) and remove it from the head"
    ) { c in
        let v = c.validation
        guard v.ftOptionsLine != nil else { return [] }
        let enabled = "when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions."
        var found: [(Int?, String)] = []
        if let p = v.redisPasswordParam {
            found.append((p.line, "cannot set `redis-password` in rayStartParams " + enabled
                          + "RedisPassword instead"))
        }
        if let line = v.headRedisPasswordEnvLine {
            found.append((line, "cannot set `REDIS_PASSWORD` env var in head Pod " + enabled
                          + "RedisPassword instead"))
        }
        if let line = v.headRedisAddressEnvLine {
            found.append((line, "cannot set `RAY_REDIS_ADDRESS` env var in head Pod " + enabled
                          + "RedisAddress instead"))
        }
        if let ns = v.storageNamespaceAnnotation, !ns.text.isEmpty {
            found.append((ns.line, "cannot set `ray.io/external-storage-namespace` annotation "
                          + enabled + "ExternalStorageNamespace instead"))
        }
        return found
    }

    /// A Redis user name in the head's `rayStartParams` (`redis-username`) or env
    /// (`REDIS_USERNAME`), with or without FT: `ValidateRayClusterSpec`, utils/validation.go,
    /// v1.3.0 to v1.7.0.
    public static let redisUsername = KubeRayRule(
        name: "redis-username", since: v1_3, source: clusterSpec,
        fix: "set spec.gcsFaultToleranceOptions.redisUsername instead"
    ) { c in
        guard let line = c.validation.redisUsernameParam?.line
            ?? c.validation.headRedisUsernameEnvLine else { return [] }
        return [(line, "cannot set redis username in rayStartParams or environment variables - "
                 + "use GcsFaultToleranceOptions.RedisUsername instead")]
    }

    /// A RayService's head Service may not be named (KubeRay names it, and keeps it across
    /// cluster upgrades): `ValidateRayServiceSpec`, utils/validation.go, v1.3.0 to v1.7.0.
    public static let serviceHeadServiceName = KubeRayRule(
        name: "rayservice-head-service-name", since: v1_3, source: serviceSpec,
        fix: "remove headGroupSpec.headService.metadata.name"
    ) { c in
        guard c.kind == .rayService, let name = c.validation.headServiceName else { return [] }
        return [(name.line, "spec.rayClusterConfig.headGroupSpec.headService.metadata.name "
                 + "should not be set")]
    }

    /// With autoscaler v2 (`enableInTreeAutoscaling` and `autoscalerOptions.version: v2`), every
    /// pod's `restartPolicy` must be `Never` or unset: `ValidateRayClusterSpec`,
    /// utils/validation.go, v1.4.0 to v1.7.0 (v1.4.0 also starts forcing `Never` itself).
    public static let autoscalerV2RestartPolicy = KubeRayRule(
        name: "autoscaler-v2-restart-policy", since: KubeRayVersion(1, 4), source: clusterSpec,
        fix: "remove restartPolicy (KubeRay sets Never with autoscaler v2) or set it to Never"
    ) { c in
        guard c.spec.autoscalerV2 else { return [] }
        let v = c.validation
        var found: [(Int?, String)] = []
        if let p = v.headRestartPolicy, p.text != "Never" {
            found.append((p.line, "restartPolicy for head Pod should be Never or unset when "
                          + "using autoscaler V2"))
        }
        for g in c.spec.workerGroups {
            guard let p = v.groupRestartPolicies[g.name], p.text != "Never" else { continue }
            found.append((p.line, "restartPolicy for worker group \(g.name) should be Never or "
                          + "unset when using autoscaler V2"))
        }
        return found
    }

    /// A worker group's `minReplicas` above its `maxReplicas`: `ValidateRayClusterSpec`,
    /// utils/validation.go, v1.6.0 to v1.7.0. Earlier releases run `maxReplicas` pods (the
    /// review's `replica-range` warning).
    public static let minAboveMax = KubeRayRule(
        name: "min-replicas-above-max", since: KubeRayVersion(1, 6), source: clusterSpec,
        fix: "make minReplicas at most maxReplicas"
    ) { c in
        c.replicas.compactMap { r in
            guard let low = r.minReplicas, let high = r.maxReplicas, low > high else { return nil }
            let line = c.line(of: ManifestSetting.groupReplicas(r.group, "minReplicas"))
            return (line, "worker group \(r.group) has minReplicas \(low) greater than "
                    + "maxReplicas \(high)")
        }
    }

    /// Every rule, in the order KubeRay checks them.
    public static let rules: [KubeRayRule] = [
        minAboveMax, annotationAndOptions, redisAddressWithoutFT, headRedisWithOptions,
        redisUsername, autoscalerV2RestartPolicy, serviceHeadServiceName,
    ]

    /// Every rule `cluster` breaks under KubeRay `version`; empty when KubeRay accepts it.
    public static func rejections(of cluster: ManifestCluster, version: KubeRayVersion)
        -> [KubeRayRejection]
    {
        rules.flatMap { $0.rejections(cluster, version) }
    }
}

extension KubeRayValidation {
    /// The rule id of every finding for a manifest KubeRay rejects (text, JSON and SARIF).
    public static let findingRule = "kuberay-rejects"
}
