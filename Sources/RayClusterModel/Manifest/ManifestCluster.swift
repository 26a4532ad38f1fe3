import Foundation
import SimulationKernel

/// A RayCluster found in a user's manifest, read the way KubeRay reads it: what its author set
/// (a ``ClusterSpec`` whose unset values stay nil, so KubeRay's defaulting applies as the operator
/// would), and the manifest line of every setting read, so every finding can point at its line.
public struct ManifestCluster: Sendable {
    /// What the object was.
    public enum Kind: String, Sendable {
        case rayCluster = "RayCluster"
        /// A RayService: its `spec.rayClusterConfig` is the cluster.
        case rayService = "RayService"
        /// The KubeRay API server's cluster-creation body (`clusterSpec`, `workerGroupSpec`).
        case apiServer = "API-server cluster"
    }

    public let kind: Kind
    public let name: String
    /// The line where the object starts.
    public let line: Int
    /// The settings as written; nil where the author left them unset.
    public var spec: ClusterSpec
    /// `spec.rayVersion` (or the API server's `version`), if given.
    public var rayVersion: String?
    /// Where each setting was read: setting key (``ManifestSetting``) and manifest line.
    public var lines: [(setting: String, line: Int)] = []
    /// What the reader noticed but the model does not carry (a timeout set through a Secret, a
    /// YAML 1.1 scalar), as findings.
    public var notes: [ManifestFinding] = []
    /// Each worker group's replica settings as written, in manifest order.
    public var replicas: [ManifestReplicas] = []
    /// `spec.enableInTreeAutoscaling`: the Ray autoscaler may change each group's replicas
    /// within its `minReplicas`...`maxReplicas`.
    public var autoscaling = false
    /// What KubeRay's own validation reads, as written (``KubeRayValidation``).
    public var validation = ManifestValidationInputs()

    /// The line of `setting`, if the manifest set it.
    public func line(of setting: String) -> Int? { lines.first { $0.setting == setting }?.line }
}

/// A value as the manifest wrote it, with its line.
public struct ManifestValue: Hashable, Sendable {
    public var text: String
    public var line: Int

    public init(_ text: String, line: Int) {
        self.text = text
        self.line = line
    }
}

/// The fields KubeRay's validation (`ValidateRayClusterSpec`, `ValidateRayServiceSpec`) looks at
/// that the model itself does not carry, as written, each with its line; nil where unset. Read
/// by ``ManifestReader``, judged by ``KubeRayValidation``.
public struct ManifestValidationInputs: Hashable, Sendable {
    /// The `ray.io/ft-enabled` annotation, whatever its value.
    public var ftAnnotation: ManifestValue?
    /// The line of `spec.gcsFaultToleranceOptions`.
    public var ftOptionsLine: Int?
    /// The `ray.io/external-storage-namespace` annotation.
    public var storageNamespaceAnnotation: ManifestValue?
    /// `RAY_REDIS_ADDRESS`, `REDIS_PASSWORD` and `REDIS_USERNAME` in the head's Ray container
    /// env: the line of each one present (KubeRay asks only whether it exists).
    public var headRedisAddressEnvLine: Int?
    public var headRedisPasswordEnvLine: Int?
    public var headRedisUsernameEnvLine: Int?
    /// `headGroupSpec.rayStartParams` `redis-password` and `redis-username`, when not empty.
    public var redisPasswordParam: ManifestValue?
    public var redisUsernameParam: ManifestValue?
    /// A RayService's `headGroupSpec.headService.metadata.name`, when not empty.
    public var headServiceName: ManifestValue?
    /// The line of `autoscalerOptions.version`, when autoscaler v2 is on.
    public var autoscalerV2Line: Int?
    /// The head pod template's `restartPolicy` as written.
    public var headRestartPolicy: ManifestValue?
    /// Each worker group's pod template `restartPolicy` as written, by group name.
    public var groupRestartPolicies: [String: ManifestValue] = [:]

    public init() {}
}

/// A worker group's `replicas`, `minReplicas` and `maxReplicas` as written (nil: unset), and the
/// count KubeRay asks for.
public struct ManifestReplicas: Hashable, Sendable {
    public var group: String
    public var replicas: Int?
    public var minReplicas: Int?
    public var maxReplicas: Int?

    public init(group: String, replicas: Int? = nil, minReplicas: Int? = nil,
                maxReplicas: Int? = nil) {
        self.group = group
        self.replicas = replicas
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
    }

    /// The CRD's defaults for unset values (ray-operator/apis/ray/v1/raycluster_types.go:
    /// `replicas` 0, `minReplicas` 0, `maxReplicas` 2147483647).
    public static let maxReplicasDefault = Int(Int32.max)

    /// The pods KubeRay runs for the group (`GetWorkerGroupDesiredReplicas`,
    /// ray-operator/controllers/ray/utils/util.go): `replicas` clamped to
    /// `minReplicas`...`maxReplicas`; when `minReplicas` exceeds `maxReplicas`, `maxReplicas`.
    public var desired: Int {
        let low = minReplicas ?? 0
        let high = maxReplicas ?? Self.maxReplicasDefault
        guard low <= high else { return high }
        return Swift.min(Swift.max(replicas ?? 0, low), high)
    }
}

/// One finding of a review: which rule, how bad, what to do, and where.
public struct ManifestFinding: Hashable, Sendable {
    public enum Severity: String, Sendable { case error, warning, info }
    public var rule: String
    public var severity: Severity
    public var message: String
    public var recommendation: String
    /// The manifest line to change, if there is one.
    public var line: Int?

    public init(rule: String, severity: Severity, message: String, recommendation: String,
                line: Int?) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.recommendation = recommendation
        self.line = line
    }
}

/// The setting keys of ``ManifestCluster/lines``.
public enum ManifestSetting {
    public static let ftEnabled = "ftEnabled"
    public static let gcsStorage = "gcsStorage"
    public static let storageNamespace = "storageNamespace"
    public static let headTimeout = "headReconnectTimeoutSeconds"
    public static let headRestartPolicy = "headRestartPolicy"
    public static let rayClusterUID = "rayClusterUID"
    /// `spec.enableInTreeAutoscaling`.
    public static let autoscaling = "autoscaling"
    /// A worker group's line (its `groupName`).
    public static func group(_ name: String) -> String { "group.\(name)" }
    /// A worker group's reconnect timeout.
    public static func groupTimeout(_ name: String) -> String { "group.\(name).timeout" }
    /// A worker group's pod template `restartPolicy`.
    public static func groupRestartPolicy(_ name: String) -> String {
        "group.\(name).restartPolicy"
    }
    /// A worker group's `replicas`, `minReplicas` or `maxReplicas` (`key`).
    public static func groupReplicas(_ name: String, _ key: String) -> String {
        "group.\(name).\(key)"
    }
    /// A probe of the head (`group` nil) or of a worker group: `kind` is `readinessProbe` or
    /// `livenessProbe`.
    public static func probe(_ kind: String, group: String?) -> String {
        group.map { "group.\($0).\(kind)" } ?? "head.\(kind)"
    }
}

/// What a manifest held: the clusters to review and the objects skipped.
public struct ManifestScan: Sendable {
    public var clusters: [ManifestCluster] = []
    /// Objects of other kinds (`kind`, `metadata.name`, line), in document order.
    public var skipped: [(kind: String, name: String, line: Int)] = []
    /// Redis persistence as the Redis objects of the same input show it, if they are there.
    public var redis: RedisEvidence?
}

/// Redis persistence inferred from a Redis Deployment or StatefulSet and its config: data
/// survives a restart only when Redis writes it (`appendonly yes` or a `save` rule) and `/data`
/// is on a PersistentVolumeClaim; an `emptyDir` or no volume starts empty.
public struct RedisEvidence: Sendable {
    public let persistence: RedisPersistence
    /// Why, in words.
    public let reason: String
    /// The line of the Redis workload.
    public let line: Int
}
