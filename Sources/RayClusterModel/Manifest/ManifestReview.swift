import Foundation
import SimulationKernel

/// What a manifest cannot tell, with the value a review assumes and why (docs/review.md).
public struct ReviewAssumptions: Sendable {
    /// The KubeRay release that reconciles the cluster: the newest the model knows by default.
    public var kuberayVersion: KubeRayVersion = .newest
    /// Redis persistence: `appendOnly` by default (the KubeRay sample's redis.conf says
    /// `appendonly yes`); a Redis without a volume loses its data on restart: say `none`.
    public var redisPersistence: RedisPersistence = .appendOnly
    /// Where ``redisPersistence`` came from when the input's Redis objects showed it (nil: an
    /// assumption).
    public var redisEvidence: String? = nil
    /// Pod start-up, container restart and GCS table load: the KubeRay sample model's ranges.
    public var timing: Timing = EmbeddedModels.kuberaySample.timing
    /// Replicas modelled per worker group at most. Workers of a group are interchangeable and
    /// each property is about every single worker, so a larger group is reviewed with this many
    /// (docs/review.md says what that proves and what not).
    public var replicasModelled = 2
    /// The check's grid: the model's 1 s unless set; coarser is faster, and the fix is then the
    /// least safe value on that grid.
    public var granularity: SimDuration? = nil

    public init() {}
}

/// A review of one manifest cluster: the model KubeRay's defaulting gives it, the check, and the
/// fix for each broken rule, found by the checker.
///
/// ```swift
/// let review = try ManifestReview(manifest: Data(contentsOf: url))
/// #expect(review.run().holds)
/// ```
public struct ManifestReview: Sendable {
    public let cluster: ManifestCluster
    public let assumptions: ReviewAssumptions
    /// The model the check runs: the cluster's settings, the assumptions, the faults.
    public let definition: ModelDefinition
    /// Assumptions the review had to make for this cluster, in words (e.g. a group modelled with
    /// fewer replicas).
    public let notes: [String]

    /// The first cluster of `manifest` (YAML or JSON), head-side faults.
    public init(manifest: Data, assumptions: ReviewAssumptions = ReviewAssumptions())
        throws(InputError)
    {
        let scan = try ManifestReader.scan(manifest)
        guard let first = scan.clusters.first else {
            throw InputError(field: "(file)",
                             problem: "no RayCluster or RayService in the manifest",
                             fix: "give a RayCluster, a RayService, a List holding one, or an "
                                + "API-server cluster body")
        }
        try self.init(first, assumptions: assumptions)
    }

    public init(
        _ cluster: ManifestCluster, assumptions: ReviewAssumptions = ReviewAssumptions(),
        faults: FaultBudget? = nil
    ) throws(InputError) {
        var spec = cluster.spec
        spec.kuberayVersion = assumptions.kuberayVersion
        spec.redisPersistence = assumptions.redisPersistence
        var notes: [String] = []
        for g in spec.workerGroups.indices where spec.workerGroups[g].replicas
            > assumptions.replicasModelled {
            let group = spec.workerGroups[g]
            notes.append("worker group \(group.name): \(group.replicas) replicas reviewed as "
                         + "\(assumptions.replicasModelled) (its workers are interchangeable)")
            spec.workerGroups[g].replicas = assumptions.replicasModelled
        }
        if spec.workerGroups.isEmpty || spec.workers == 0 {
            throw InputError(
                field: "line \(cluster.line)",
                problem: "\(cluster.kind.rawValue) \(cluster.name) has no worker with replicas",
                fix: "the review needs a worker group with replicas ≥ 1 (the detached actor runs "
                    + "on a worker)")
        }
        var d = EmbeddedModels.kuberaySample
        d.name = cluster.name
        d.summary = "\(cluster.kind.rawValue) \(cluster.name) from a manifest"
        d.source = "manifest, line \(cluster.line)"
        d.spec = spec
        d.timing = assumptions.timing
        if let g = assumptions.granularity { d.checkGranularity = g }
        d.timing.granularity = d.checkGranularity
        if let faults { d.faults = faults }
        do { try d.validate() } catch {
            throw InputError(field: error.field, problem: "KubeRay or the model refuses this "
                                 + "cluster: \(error.problem)", fix: error.fix)
        }
        self.cluster = cluster
        self.assumptions = assumptions
        self.definition = d
        self.notes = notes
    }

    /// Runs the check; for a broken timeout rule, finds the least safe value per group.
    public func run(options: CheckOptions = CheckOptions(stopAtFirstViolation: false))
        -> ReviewResult
    {
        let check = ClusterCheck(definition, options: options).run()
        var findings = cluster.notes
        var fixes: [TimeoutFix] = []
        let survive = check.report.property(ClusterProperties.workersSurvive.id)?.verdict
        if survive == .violated {
            for group in definition.spec.workerGroups {
                guard let fix = leastSafeTimeout(of: group.name, options: options) else { continue }
                fixes.append(fix)
            }
        }
        let effective = definition.cluster
        for fix in fixes {
            let now = effective.workerGroups.first { $0.name == fix.group }
            let seconds = (now?.reconnectTimeout.milliseconds ?? 0) / 1000
            let line = cluster.line(of: ManifestSetting.groupTimeout(fix.group))
                ?? cluster.line(of: ManifestSetting.group(fix.group))
            let value = fix.leastSafeSeconds.map { "set it to at least \($0)" }
                ?? "no value up to 86400 s makes it hold under these assumptions"
            findings.append(ManifestFinding(
                rule: ClusterProperties.workersSurvive.id, severity: .error,
                message: "worker group \(fix.group): RAY_gcs_rpc_server_reconnect_timeout_s is "
                    + "\(seconds) (\(now?.reconnectTimeoutSource.rawValue ?? "unset")); a head "
                    + "fault makes its workers exit before the GCS is back",
                recommendation: value + " in the group's Ray container env", line: line))
        }
        for p in check.report.properties where p.verdict == .violated
            && p.id != ClusterProperties.workersSurvive.id {
            findings.append(ManifestFinding(
                rule: p.id, severity: .error, message: "\(p.id) is violated: \(p.summary) fails",
                recommendation: "see the counterexample trace", line: cluster.line))
        }
        for s in check.report.unreached {
            findings.append(ManifestFinding(
                rule: s.id, severity: .warning,
                message: "\(s.id): no reachable world is an example; the verdict is vacuous there",
                recommendation: "choose faults that apply to this cluster", line: nil))
        }
        if !effective.ftEnabled {
            findings.append(ManifestFinding(
                rule: "ft-enabled", severity: .warning,
                message: "GCS fault tolerance is off: no ray.io/ft-enabled annotation and no "
                    + "gcsFaultToleranceOptions",
                recommendation: "add spec.gcsFaultToleranceOptions with a redisAddress "
                    + "(KubeRay 1.3+) or the annotation with RAY_REDIS_ADDRESS",
                line: cluster.line))
        } else if effective.gcsStorage == .memory {
            findings.append(ManifestFinding(
                rule: "ft-storage", severity: .warning,
                message: "FT is on but nothing gives the head RAY_REDIS_ADDRESS: the GCS keeps its "
                    + "tables in memory and every head restart starts a new cluster",
                recommendation: "set gcsFaultToleranceOptions.redisAddress or the head's "
                    + "RAY_REDIS_ADDRESS", line: cluster.line(of: ManifestSetting.ftEnabled)))
        }
        return ReviewResult(check: check, findings: findings, fixes: fixes)
    }

    /// The least timeout of `group` (the other groups set to the largest value, so only this
    /// group's workers can fail) under which `workers-survive-head-restart` holds: doubling up
    /// from the current value, then bisecting; both sides are checked.
    func leastSafeTimeout(of group: String, options: CheckOptions) -> TimeoutFix? {
        let limit = InputLimits.reconnectTimeoutSeconds.upperBound
        func holds(_ seconds: Int) -> Bool {
            var d = definition
            for g in d.spec.workerGroups.indices {
                let mine = d.spec.workerGroups[g].name == group
                d.spec.workerGroups[g].reconnectTimeoutSeconds = mine ? seconds : limit
            }
            let report = ClusterCheck(d, options: options).run().report
            return report.property(ClusterProperties.workersSurvive.id)?.verdict == .holds
        }
        let current = Int(definition.cluster.workerGroups.first { $0.name == group }?
            .reconnectTimeout.milliseconds ?? 0) / 1000
        guard !holds(current) else { return nil }
        var (bad, good) = (current, min(max(current * 2, current + 1), limit))
        while !holds(good) {
            guard good < limit else { return TimeoutFix(group: group, leastSafeSeconds: nil) }
            (bad, good) = (good, min(good * 2, limit))
        }
        while good - bad > 1 {
            let mid = (bad + good) / 2
            if holds(mid) { good = mid } else { bad = mid }
        }
        return TimeoutFix(group: group, leastSafeSeconds: good)
    }
}

/// The least reconnect timeout a worker group needs, found by the checker (nil: none up to the
/// largest value does).
public struct TimeoutFix: Hashable, Sendable {
    public let group: String
    public let leastSafeSeconds: Int?
}

/// What a review found.
public struct ReviewResult: Sendable {
    public let check: ClusterCheckResult
    public let findings: [ManifestFinding]
    public let fixes: [TimeoutFix]

    public var holds: Bool { check.holds }
}
