import Foundation
import SimulationKernel

/// Reads the RayClusters out of a manifest: YAML (one or more `---` documents) or JSON (which
/// the YAML reader reads as flow style, with the same lines), a Kubernetes `List`, a RayService's
/// `spec.rayClusterConfig`, or the KubeRay API server's cluster-creation body (seed 000).
///
/// Fields are read from where KubeRay reads them (reference §6): the `ray.io/ft-enabled` and
/// `ray.io/external-storage-namespace` annotations, `spec.gcsFaultToleranceOptions`,
/// `metadata.uid`, and the Ray container's (the first container's) `env`
/// (`RAY_gcs_rpc_server_reconnect_timeout_s`, `RAY_REDIS_ADDRESS`,
/// `RAY_external_storage_namespace`) and `restartPolicy` of each pod template. What the model does
/// not carry is said as a note, never guessed.
public enum ManifestReader {
    /// The clusters of `data`; `what` names the input in messages ("manifest my.yaml").
    public static func scan(_ data: Data, what: String = "manifest") throws(InputError)
        -> ManifestScan
    {
        let documents: [YAMLNode]
        do { documents = try YAMLReader.documents(Array(data)) } catch {
            throw error.inputError(what: what)
        }
        var scan = ManifestScan()
        for document in documents { try collect(document, into: &scan) }
        scan.redis = redisEvidence(documents)
        return scan
    }

    /// One object: a cluster, a `List` of objects, or something to skip.
    static func collect(_ node: YAMLNode, into scan: inout ManifestScan) throws(InputError) {
        let kind = node.entry("kind")?.value.scalar?.text
        let name = node.node(at: ["metadata", "name"])?.scalar?.text
            ?? node.entry("name")?.value.scalar?.text ?? "(unnamed)"
        switch kind {
        case "List"?:
            for item in node.entry("items")?.value.items ?? [] { try collect(item, into: &scan) }
        case "RayCluster"?:
            let spec = node.entry("spec")?.value
            scan.clusters.append(try read(.rayCluster, name: name, object: node, spec: spec))
        case "RayService"?:
            let spec = node.node(at: ["spec", "rayClusterConfig"])
            scan.clusters.append(try read(.rayService, name: name, object: node, spec: spec))
        case nil where node.entry("clusterSpec") != nil:
            scan.clusters.append(try readAPIServer(node, name: name))
        default:
            scan.skipped.append((kind ?? "(no kind)", name, node.position.line))
        }
    }

    /// A RayCluster (or a RayService's cluster config): `object` holds metadata, `spec` the
    /// cluster spec.
    static func read(
        _ kind: ManifestCluster.Kind, name: String, object: YAMLNode, spec: YAMLNode?
    ) throws(InputError) -> ManifestCluster {
        var c = ManifestCluster(kind: kind, name: name, line: object.position.line,
                                spec: ClusterSpec(workers: 0))
        c.spec.workerGroups = []
        let annotations = object.node(at: ["metadata", "annotations"])
        readAnnotations(annotations, into: &c)
        if let uid = object.node(at: ["metadata", "uid"]) {
            c.spec.rayClusterUID = uid.scalar?.text ?? c.spec.rayClusterUID
            c.lines.append((ManifestSetting.rayClusterUID, uid.position.line))
        }
        c.rayVersion = spec?.entry("rayVersion")?.value.scalar?.text
        if let options = spec?.entry("gcsFaultToleranceOptions") {
            readFTOptions(options, into: &c)
        }
        readAutoscaling(spec, into: &c)
        let head = spec?.node(at: ["headGroupSpec", "template", "spec"])
        readHead(head, into: &c)
        let headProbes = readProbes(head, group: nil, into: &c)
        (c.spec.probes.headReadiness, c.spec.probes.headLiveness) =
            (headProbes.readiness, headProbes.liveness)
        readHeadCPUs(spec?.node(at: ["headGroupSpec", "rayStartParams", "num-cpus"]), into: &c)
        readValidationInputs(spec, kind: kind, into: &c)
        for group in spec?.entry("workerGroupSpecs")?.value.items ?? [] {
            let template = group.node(at: ["template", "spec"])
            try readWorkerGroup(group, template: template, into: &c)
        }
        return c
    }

    /// `spec.enableInTreeAutoscaling`, and autoscaler v2 (`autoscalerOptions.version: v2`,
    /// `IsAutoscalingV2Enabled` in ray-operator/controllers/ray/utils/util.go), which KubeRay 1.4+
    /// answers with restartPolicy Never on every pod (reference §6).
    static func readAutoscaling(_ spec: YAMLNode?, into c: inout ManifestCluster) {
        guard let entry = spec?.entry("enableInTreeAutoscaling") else { return }
        c.lines.append((ManifestSetting.autoscaling, entry.keyPosition.line))
        c.autoscaling = entry.value.scalar?.value == .bool(true)  // a boolean in the CRD
        let version = spec?.node(at: ["autoscalerOptions", "version"])?.scalar?.text
        c.spec.autoscalerV2 = c.autoscaling && version?.lowercased() == "v2"
    }

    static func readAnnotations(_ annotations: YAMLNode?, into c: inout ManifestCluster) {
        if let ft = annotations?.entry("ray.io/ft-enabled") {
            let text = ft.value.scalar?.text ?? ""
            c.spec.ftEnabled = text.lowercased() == "true"
            c.lines.append((ManifestSetting.ftEnabled, ft.keyPosition.line))
            c.validation.ftAnnotation = ManifestValue(text, line: ft.keyPosition.line)
        } else {
            c.spec.ftEnabled = false
        }
        if let ns = annotations?.entry("ray.io/external-storage-namespace"),
           let text = ns.value.scalar?.text {
            c.spec.storageNamespace = text
            c.lines.append((ManifestSetting.storageNamespace, ns.keyPosition.line))
            c.validation.storageNamespaceAnnotation = ManifestValue(
                text, line: ns.keyPosition.line)
        }
    }

    /// `spec.gcsFaultToleranceOptions` (KubeRay v1.3+): FT on, Redis from `redisAddress`, the
    /// namespace from `externalStorageNamespace`. What KubeRay refuses next to it (the
    /// annotation, the head's own Redis settings) is judged by ``KubeRayValidation``.
    static func readFTOptions(_ options: YAMLEntry, into c: inout ManifestCluster) {
        c.validation.ftOptionsLine = options.keyPosition.line
        c.spec.ftEnabled = true
        c.lines.append((ManifestSetting.ftEnabled, options.keyPosition.line))
        if let address = options.value.entry("redisAddress") {
            c.spec.gcsStorage = .redis
            c.lines.append((ManifestSetting.gcsStorage, address.keyPosition.line))
        }
        if let ns = options.value.entry("externalStorageNamespace"),
           let text = ns.value.scalar?.text {
            c.spec.storageNamespace = text
            c.lines.removeAll { $0.setting == ManifestSetting.storageNamespace }
            c.lines.append((ManifestSetting.storageNamespace, ns.keyPosition.line))
        }
    }

    /// The head's Redis variables KubeRay's validation asks about (whether each exists).
    static func readHeadRedisEnv(_ env: [EnvVar], into c: inout ManifestCluster) {
        let line = { (name: String) in env.first { $0.name == name }?.line }
        c.validation.headRedisAddressEnvLine = line("RAY_REDIS_ADDRESS")
        c.validation.headRedisPasswordEnvLine = line("REDIS_PASSWORD")
        c.validation.headRedisUsernameEnvLine = line("REDIS_USERNAME")
    }

    /// The rest of what KubeRay's validation reads (``ManifestValidationInputs``): the head's
    /// `rayStartParams` Redis credentials, a RayService's head Service name, autoscaler v2's
    /// line, and the pod templates' `restartPolicy` as written.
    static func readValidationInputs(
        _ spec: YAMLNode?, kind: ManifestCluster.Kind, into c: inout ManifestCluster
    ) {
        func nonEmpty(_ path: [YAMLPathComponent]) -> ManifestValue? {
            guard let node = spec?.node(at: path), let text = node.scalar?.text, !text.isEmpty
            else { return nil }
            return ManifestValue(text, line: node.position.line)
        }
        let params: [YAMLPathComponent] = ["headGroupSpec", "rayStartParams"]
        c.validation.redisPasswordParam = nonEmpty(params + ["redis-password"])
        c.validation.redisUsernameParam = nonEmpty(params + ["redis-username"])
        if kind == .rayService {
            c.validation.headServiceName = nonEmpty(
                ["headGroupSpec", "headService", "metadata", "name"])
        }
        if c.spec.autoscalerV2 {
            c.validation.autoscalerV2Line = spec?.node(at: ["autoscalerOptions", "version"])?
                .position.line
        }
        c.validation.headRestartPolicy = nonEmpty(
            ["headGroupSpec", "template", "spec", "restartPolicy"])
        let groups = spec?.entry("workerGroupSpecs")?.value.items ?? []
        for (i, group) in groups.enumerated() {
            // The name readWorkerGroup gives a group without one.
            let name = group.entry("groupName")?.value.scalar?.text ?? "group-\(i + 1)"
            guard let node = group.node(at: ["template", "spec", "restartPolicy"]),
                  let text = node.scalar?.text, !text.isEmpty else { continue }
            c.validation.groupRestartPolicies[name] = ManifestValue(text, line: node.position.line)
        }
    }

    /// The head pod template: the Ray container's env, and the pod's `restartPolicy`.
    static func readHead(_ template: YAMLNode?, into c: inout ManifestCluster) {
        let setting = ManifestSetting.headRestartPolicy
        if let policy = restartPolicy(template, into: &c, setting: setting) {
            c.spec.headRestartPolicy = policy
        }
        let env = rayContainerEnv(template)
        if let t = timeout(env, into: &c, setting: ManifestSetting.headTimeout, who: "the head") {
            c.spec.headReconnectTimeoutSeconds = t
        }
        if let redis = env.first(where: { $0.name == "RAY_REDIS_ADDRESS" }) {
            c.spec.gcsStorage = .redis
            c.lines.append((ManifestSetting.gcsStorage, redis.line))
        }
        readHeadRedisEnv(env, into: &c)
        if let ns = env.first(where: { $0.name == "RAY_external_storage_namespace" }),
           let value = ns.value {
            c.spec.storageNamespace = value
            c.lines.removeAll { $0.setting == ManifestSetting.storageNamespace }
            c.lines.append((ManifestSetting.storageNamespace, ns.line))
        }
    }

    /// The Ray container's `readinessProbe` and `livenessProbe` of a pod template (the head's,
    /// or worker group `group`'s), as probe settings; unset stays KubeRay's default (reference
    /// §6). Kubernetes' own defaults fill the numbers a probe leaves out (delay 0, period 10 s,
    /// timeout 1 s, threshold 3).
    static func readProbes(
        _ template: YAMLNode?, group: String?, into c: inout ManifestCluster
    ) -> PodProbeSettings {
        let container = template?.entry("containers")?.value.items?.first
        func probe(_ key: String) -> ProbeSetting {
            guard let entry = container?.entry(key) else { return .kubeRayDefault }
            let p = entry.value
            func number(_ name: String, _ fallback: Int) -> Int {
                if case .integer(let n)? = p.entry(name)?.value.scalar?.value { return Int(n) }
                return fallback
            }
            let words = (p.node(at: ["exec", "command"])?.items ?? []).compactMap(\.scalar?.text)
            let path = p.node(at: ["httpGet", "path"])?.scalar?.text ?? ""
            let command = words.joined(separator: " ") + " " + path
            let check = probeCheck(command)
            let pod = group.map { "worker group \($0)" } ?? "the head"
            c.lines.append((ManifestSetting.probe(key, group: group), entry.keyPosition.line))
            if check == nil {
                c.notes.append(ManifestFinding(
                    rule: "probe-command", severity: .info,
                    message: "\(pod)'s \(key) runs a command the review does not recognise; "
                        + "it is reviewed as a probe of the pod's own processes, which never fails "
                        + "while the container runs",
                    recommendation: "nothing, if it does not depend on the GCS; if it does, "
                        + "review a model file with the probe's check set to gcs",
                    line: entry.keyPosition.line))
            }
            return .custom(ProbeSpec(
                initialDelaySeconds: number("initialDelaySeconds", 0),
                periodSeconds: number("periodSeconds", 10),
                timeoutSeconds: number("timeoutSeconds", 1),
                failureThreshold: number("failureThreshold", 3), check: check ?? .raylet))
        }
        return PodProbeSettings(
            readiness: probe("readinessProbe"), liveness: probe("livenessProbe"))
    }

    /// What a probe's command asks: the GCS (`gcs_healthz`, `ray health-check`, the dashboard's
    /// `/api/healthz`), or only the local raylet (`raylet_healthz`); nil when it cannot be told.
    static func probeCheck(_ command: String) -> ProbeCheck? {
        let text = command.lowercased()
        if text.contains("gcs") || text.contains("health-check") || text.contains("/api/healthz") {
            return .gcs
        }
        return text.contains("raylet") ? .raylet : nil
    }

    /// `rayStartParams.num-cpus` of the head: the model places the detached actor on a worker,
    /// as `num-cpus: "0"` on the head (the seeds' samples) guarantees; anything else is said.
    static func readHeadCPUs(_ node: YAMLNode?, into c: inout ManifestCluster) {
        let cpus = node?.scalar?.text
        guard cpus != "0" else { return }
        c.notes.append(ManifestFinding(
            rule: "head-num-cpus", severity: .info,
            message: "the head's rayStartParams num-cpus is "
                + (cpus.map { "\"\($0)\"" } ?? "unset") + ": actors may be placed on the head, "
                + "where a head restart always kills them; the review places the detached actor "
                + "on a worker", recommendation: "set num-cpus: \"0\" on the head so that "
                + "application actors run on workers", line: node?.position.line))
    }

    /// One worker group: its name, replicas (KubeRay's count from `replicas`, `minReplicas` and
    /// `maxReplicas`, ``ManifestReplicas/desired``), timeout, and its pod template's
    /// `restartPolicy` and probes (a pod template of its own, so the group's own; an API-server
    /// body has none, so KubeRay's defaults).
    static func readWorkerGroup(
        _ group: YAMLNode, template: YAMLNode?, env explicit: [EnvVar]? = nil,
        into c: inout ManifestCluster
    ) throws(InputError) {
        let nameEntry = group.entry("groupName")
        let name = nameEntry?.value.scalar?.text ?? "group-\(c.spec.workerGroups.count + 1)"
        let nameLine = (nameEntry?.keyPosition ?? group.position).line
        c.lines.append((ManifestSetting.group(name), nameLine))
        var counts = ManifestReplicas(group: name)
        for (key, path) in [("replicas", \ManifestReplicas.replicas),
                            ("minReplicas", \.minReplicas), ("maxReplicas", \.maxReplicas)] {
            guard let entry = group.entry(key) else { continue }
            guard case .integer(let n) = entry.value.scalar?.value, n >= 0,
                  n <= ManifestReplicas.maxReplicasDefault else {
                throw InputError(
                    field: "line \(entry.keyPosition.line)",
                    problem: "worker group \(name): \(key) is not a whole number from 0 to "
                        + "2147483647 (a Kubernetes int32)",
                    fix: "write \(key): 1")
            }
            counts[keyPath: path] = Int(n)
            c.lines.append((ManifestSetting.groupReplicas(name, key), entry.keyPosition.line))
        }
        c.replicas.append(counts)
        readReplicaRange(counts, into: &c)
        let policy = restartPolicy(
            template, into: &c, setting: ManifestSetting.groupRestartPolicy(name))
        let env = explicit ?? rayContainerEnv(template)
        let t = timeout(env, into: &c, setting: ManifestSetting.groupTimeout(name),
                        who: "worker group \(name)")
        c.spec.workerGroups.append(WorkerGroupSpec(
            name: name, replicas: counts.desired, reconnectTimeoutSeconds: t,
            restartPolicy: policy, probes: readProbes(template, group: name, into: &c)))
    }

    /// KubeRay accepts replicas outside `minReplicas`...`maxReplicas`, and before v1.6.0 even
    /// `minReplicas` above `maxReplicas` (`ValidateRayClusterSpec` in utils/validation.go refuses
    /// that from v1.6.0: ``KubeRayValidation/minAboveMax``, and the review then drops this
    /// warning), and runs ``ManifestReplicas/desired`` pods: said, with the count KubeRay runs.
    static func readReplicaRange(_ r: ManifestReplicas, into c: inout ManifestCluster) {
        let lines = c.lines
        func line(_ key: String) -> Int? {
            let setting = ManifestSetting.groupReplicas(r.group, key)
            return lines.first { $0.setting == setting }?.line
        }
        if let low = r.minReplicas, let high = r.maxReplicas, low > high {
            c.notes.append(ManifestFinding(
                rule: "replica-range", severity: .warning,
                message: "worker group \(r.group): minReplicas \(low) is greater than maxReplicas "
                    + "\(high); KubeRay before 1.6 does not reject it, it runs \(high) pods and "
                    + "logs \"minReplicas is greater than maxReplicas, using maxReplicas as "
                    + "desired replicas\" (GetWorkerGroupDesiredReplicas, utils/util.go)",
                recommendation: "make minReplicas at most maxReplicas", line: line("minReplicas")))
        } else if let replicas = r.replicas, replicas != r.desired {
            c.notes.append(ManifestFinding(
                rule: "replica-range", severity: .info,
                message: "worker group \(r.group): replicas \(replicas) is outside minReplicas "
                    + "\(r.minReplicas ?? 0)…maxReplicas "
                    + (r.maxReplicas.map(String.init) ?? "2147483647")
                    + "; KubeRay runs \(r.desired) (GetWorkerGroupDesiredReplicas, utils/util.go)",
                recommendation: "set replicas within the range", line: line("replicas")))
        }
    }

    /// The KubeRay API server's body: `annotations`, `clusterSpec.headGroupSpec` and
    /// `clusterSpec.workerGroupSpec`, each with `environment.values`.
    static func readAPIServer(_ body: YAMLNode, name: String) throws(InputError)
        -> ManifestCluster
    {
        var c = ManifestCluster(kind: .apiServer, name: name, line: body.position.line,
                                spec: ClusterSpec(workers: 0))
        c.spec.workerGroups = []
        readAnnotations(body.entry("annotations")?.value, into: &c)
        c.rayVersion = body.entry("version")?.value.scalar?.text
        let cluster = body.entry("clusterSpec")?.value
        let headEnv = apiServerEnv(cluster?.entry("headGroupSpec")?.value)
        let setting = ManifestSetting.headTimeout
        if let t = timeout(headEnv, into: &c, setting: setting, who: "the head") {
            c.spec.headReconnectTimeoutSeconds = t
        }
        if let redis = headEnv.first(where: { $0.name == "RAY_REDIS_ADDRESS" }) {
            c.spec.gcsStorage = .redis
            c.lines.append((ManifestSetting.gcsStorage, redis.line))
        }
        readHeadRedisEnv(headEnv, into: &c)
        for group in cluster?.entry("workerGroupSpec")?.value.items ?? [] {
            try readWorkerGroup(group, template: nil, env: apiServerEnv(group), into: &c)
        }
        return c
    }

    /// Redis persistence from the input's Redis workload (a Deployment or StatefulSet whose
    /// container image names redis) and any ConfigMap's `appendonly`/`save` lines.
    static func redisEvidence(_ documents: [YAMLNode]) -> RedisEvidence? {
        let objects = documents.flatMap { d in
            d.entry("kind")?.value.scalar?.text == "List"
                ? (d.entry("items")?.value.items ?? []) : [d]
        }
        let workload = objects.first { o in
            let kind = o.entry("kind")?.value.scalar?.text
            let containers = o.node(at: ["spec", "template", "spec", "containers"])?.items ?? []
            return (kind == "Deployment" || kind == "StatefulSet") && containers.contains {
                $0.entry("image")?.value.scalar?.text.lowercased().contains("redis") == true
            }
        }
        guard let workload else { return nil }
        let configs = objects.filter { $0.entry("kind")?.value.scalar?.text == "ConfigMap" }
        let config = configs.flatMap { $0.entry("data")?.value.entries ?? [] }
            .compactMap { $0.value.scalar?.text }.joined(separator: "\n")
        let lines = config.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let appendOnly = lines.contains { $0.lowercased().hasPrefix("appendonly yes") }
        let save = lines.contains { $0.hasPrefix("save ") && $0 != "save \"\"" }
        let pod = workload.node(at: ["spec", "template", "spec"])
        let mounts = (pod?.entry("containers")?.value.items ?? []).flatMap {
            $0.entry("volumeMounts")?.value.items ?? []
        }
        let dataVolume = mounts.first { $0.entry("mountPath")?.value.scalar?.text == "/data" }?
            .entry("name")?.value.scalar?.text
        let volume = (pod?.entry("volumes")?.value.items ?? []).first {
            $0.entry("name")?.value.scalar?.text == dataVolume
        }
        let claimTemplates = workload.node(at: ["spec", "volumeClaimTemplates"])?.items ?? []
        let onClaim = volume?.entry("persistentVolumeClaim") != nil
            || claimTemplates.contains {
                $0.node(at: ["metadata", "name"])?.scalar?.text == dataVolume
            }
        let writes = appendOnly ? "appendonly yes" : save ? "a save rule" : "no appendonly or save"
        let storage = dataVolume == nil ? "/data on no volume"
            : onClaim ? "/data on a PersistentVolumeClaim"
            : volume?.entry("emptyDir") != nil ? "/data on an emptyDir"
            : "/data on a volume that is not a claim"
        let kept = (appendOnly || save) && onClaim
        return RedisEvidence(persistence: kept ? .appendOnly : .none,
                             reason: "Redis writes with \(writes), \(storage)",
                             line: workload.position.line)
    }

    /// A variable of a container's `env`: its value (nil when it comes from `valueFrom`) and line.
    struct EnvVar {
        let name: String
        let value: String?
        let line: Int
    }

    /// The env of the pod template's Ray container (KubeRay's container index 0).
    static func rayContainerEnv(_ template: YAMLNode?) -> [EnvVar] {
        let container = template?.entry("containers")?.value.items?.first
        return (container?.entry("env")?.value.items ?? []).compactMap { item in
            guard let name = item.entry("name")?.value.scalar?.text else { return nil }
            let value = item.entry("value")
            return EnvVar(name: name, value: value?.value.scalar?.text,
                          line: (value?.keyPosition ?? item.position).line)
        }
    }

    /// The API server's `environment.values` map.
    static func apiServerEnv(_ group: YAMLNode?) -> [EnvVar] {
        (group?.node(at: ["environment", "values"])?.entries ?? []).map { entry in
            EnvVar(name: entry.key.text, value: entry.value.scalar?.text,
                   line: entry.keyPosition.line)
        }
    }

    /// `RAY_gcs_rpc_server_reconnect_timeout_s` of `env`, in whole seconds; a value the model
    /// cannot read (from a Secret, not a number) is a note, and the setting counts as unset, as
    /// KubeRay's own check sees it.
    static func timeout(
        _ env: [EnvVar], into c: inout ManifestCluster, setting: String, who: String
    ) -> Int? {
        guard let v = env.first(where: { $0.name == "RAY_gcs_rpc_server_reconnect_timeout_s" })
        else { return nil }
        c.lines.append((setting, v.line))
        guard let text = v.value, let seconds = Int(text.trimmingCharacters(in: .whitespaces)),
              InputLimits.reconnectTimeoutSeconds.contains(seconds) else {
            c.notes.append(ManifestFinding(
                rule: "readable-timeout", severity: .warning,
                message: "\(who): RAY_gcs_rpc_server_reconnect_timeout_s is "
                    + (v.value.map { "\"\($0)\", not a whole number of seconds from 1 to 86400" }
                        ?? "set through valueFrom, which this review cannot see")
                    + "; it is reviewed as unset",
                recommendation: "write it as a literal value, e.g. value: \"600\"", line: v.line))
            return nil
        }
        return seconds
    }

    static func restartPolicy(
        _ template: YAMLNode?, into c: inout ManifestCluster, setting: String
    ) -> RestartPolicy? {
        guard let entry = template?.entry("restartPolicy"),
              let text = entry.value.scalar?.text else { return nil }
        c.lines.append((setting, entry.keyPosition.line))
        if text == "OnFailure" { return .always }  // restarts a failed container in place too
        return RestartPolicy(rawValue: text)
    }
}
