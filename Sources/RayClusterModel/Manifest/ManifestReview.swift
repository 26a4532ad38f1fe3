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
    /// How the checks explore time: on the grid (the default), or with zones, where every
    /// real-valued timing is covered and each fix search takes milliseconds (docs/checking.md).
    public var time: ClusterCheck.TimeEngine = .grid

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
    /// The rules of KubeRay's own validation the manifest breaks under
    /// ``ReviewAssumptions/kuberayVersion``: KubeRay never runs such a cluster, so when there are
    /// any, ``run(options:)`` checks nothing and reports them (``KubeRayValidation``).
    public let rejections: [KubeRayRejection]

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
        let rejections = KubeRayValidation.rejections(
            of: cluster, version: assumptions.kuberayVersion)
        var spec = cluster.spec
        spec.kuberayVersion = assumptions.kuberayVersion
        spec.redisPersistence = assumptions.redisPersistence
        var notes: [String] = []
        for g in spec.workerGroups.indices {
            let group = spec.workerGroups[g]
            let modelled = Self.replicasModelled(group, cluster, assumptions)
            guard modelled != group.replicas else { continue }
            notes.append("worker group \(group.name): \(group.replicas) replicas reviewed as "
                         + "\(modelled) " + (modelled > group.replicas
                            ? "(the autoscaler may start one, up to maxReplicas)"
                            : "(its workers are interchangeable)"))
            spec.workerGroups[g].replicas = modelled
        }
        if rejections.isEmpty && (spec.workerGroups.isEmpty || spec.workers == 0) {
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
        // A cluster KubeRay refuses is not checked, so the model need not accept it either.
        if rejections.isEmpty {
            do { try d.validate() } catch {
                throw InputError(field: error.field, problem: "the model cannot review this "
                                     + "cluster: \(error.problem)", fix: error.fix)
            }
        }
        self.rejections = rejections
        self.cluster = cluster
        self.assumptions = assumptions
        self.definition = d
        self.notes = notes
    }

    /// The replicas the review models for `group`: KubeRay's count, at most
    /// ``ReviewAssumptions/replicasModelled``; with the autoscaler on, at least one when
    /// `maxReplicas` allows one (a group the autoscaler may start has workers to review).
    static func replicasModelled(
        _ group: WorkerGroupSpec, _ cluster: ManifestCluster, _ assumptions: ReviewAssumptions
    ) -> Int {
        var modelled = min(group.replicas, assumptions.replicasModelled)
        let counts = cluster.replicas.first { $0.group == group.name }
        let high = counts?.maxReplicas ?? ManifestReplicas.maxReplicasDefault
        if cluster.autoscaling && modelled == 0 && high > 0 && assumptions.replicasModelled > 0 {
            modelled = 1
        }
        return modelled
    }

    /// Runs the check; for a broken timeout rule, finds the least safe value per group. A cluster
    /// KubeRay rejects (``rejections``) is not checked: its result is ``ReviewVerdict/rejected``
    /// with one `kuberay-rejects` finding per broken rule.
    public func run(options: CheckOptions = CheckOptions(stopAtFirstViolation: false))
        -> ReviewResult
    {
        guard rejections.isEmpty else { return rejected() }
        let check = ClusterCheck(definition, options: options, time: assumptions.time).run()
        var findings = cluster.notes + autoscalingFindings()
        var fixes: [TimeoutFix] = []
        var probeFixes: [ProbeFix] = []
        let survive = check.report.property(ClusterProperties.workersSurvive.id)?.verdict
        if survive == .violated {
            for group in definition.spec.workerGroups where group.replicas > 0 {
                let probe = livenessProbeFix(of: group.name, options: options)
                if let probe { probeFixes.append(probe) }
                let drop = probe != nil
                guard let fix = leastSafeTimeout(of: group.name, dropLiveness: drop,
                                                 options: options) else { continue }
                fixes.append(fix)
            }
        }
        let effective = definition.cluster
        for fix in probeFixes { findings.append(finding(fix, effective)) }
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
        findings += undecidedFindings(check, options: options)
        return ReviewResult(verdict: .checked(check.report.verdict), check: check,
                            findings: findings, fixes: fixes, probeFixes: probeFixes)
    }

    /// The result for a cluster KubeRay rejects: each broken rule as an error at its line, and
    /// the reader's notes (without the `replica-range` warning that says an older release runs
    /// it, when this release refuses it).
    func rejected() -> ReviewResult {
        let version = assumptions.kuberayVersion
        let kind = cluster.kind == .apiServer ? "cluster" : cluster.kind.rawValue
        let refused = rejections.map { r in
            ManifestFinding(
                rule: KubeRayValidation.findingRule, severity: .error,
                message: "KubeRay \(version) rejects this \(kind) (\(r.source), from v\(r.since)): "
                    + "\"\(r.message)\"; it creates no pods, so the review checks nothing "
                    + "else for this cluster", recommendation: r.fix, line: r.line)
        }
        let rangeRefused = rejections.contains { $0.rule == KubeRayValidation.minAboveMax.name }
        let notes = cluster.notes.filter {
            !(rangeRefused && $0.rule == "replica-range" && $0.severity == .warning)
        }
        return ReviewResult(verdict: .rejected, check: nil, findings: refused + notes,
                            fixes: [], probeFixes: [])
    }

    /// What a check that decided nothing for some property tells the user to do: for each
    /// `unknown` property, re-check on a finer grid, and for `workers-survive-head-restart` the
    /// least worker timeout zones prove safe (when the search finds one); for an incomplete
    /// check, why it stopped. Warnings: nothing is proven, and nothing is shown either.
    func undecidedFindings(_ check: ClusterCheckResult, options: CheckOptions)
        -> [ManifestFinding]
    {
        var findings: [ManifestFinding] = []
        let finer = "re-check on a finer grid: run the review again with --time grid "
            + "--granularity 500ms (slower; it proves the rule or shows a counterexample on "
            + "that grid)"
        for p in check.report.properties where p.verdict == .unknown {
            var message = "\(p.id) is unknown: zones found a symbolic violation that could not "
                + "be made concrete (\(p.unknownReason ?? "no reason given")); nothing is "
                + "proven and nothing shown"
            var recommendation = finer
            var line: Int? = cluster.line
            if p.id == ClusterProperties.workersSurvive.id {
                for group in definition.spec.workerGroups where group.replicas > 0 {
                    guard let fix = leastSafeTimeout(of: group.name, options: options),
                          let least = fix.leastSafeSeconds else { continue }
                    let now = definition.cluster.workerGroups.first { $0.name == group.name }
                    let seconds = (now?.reconnectTimeout.milliseconds ?? 0) / 1000
                    message += "; worker group \(group.name): "
                        + "RAY_gcs_rpc_server_reconnect_timeout_s is \(seconds)"
                    recommendation += "; the least value proven safe for worker group "
                        + "\(group.name) is \(least): set it to at least \(least)"
                    line = cluster.line(of: ManifestSetting.groupTimeout(group.name)) ?? line
                }
            }
            findings.append(ManifestFinding(rule: p.id, severity: .warning, message: message,
                                            recommendation: recommendation, line: line))
        }
        let report = check.report
        if report.verdict == .incomplete {
            let interrupted = report.stopReason == .interrupted
            findings.append(ManifestFinding(
                rule: "check-incomplete", severity: .warning,
                message: "the check stopped (\(report.stopReason.rawValue)) before it explored "
                    + "every state: nothing is proven",
                recommendation: interrupted ? "run the review again to its end"
                    : "review fewer fault kinds (--faults) or a shorter --horizon",
                line: nil))
        }
        return findings
    }

    /// Whether `workers-survive-head-restart` holds when only `group`'s workers can fail: every
    /// other group gets the largest timeout and no liveness probe; `group` gets `seconds` (nil:
    /// its own) and, with `dropLiveness`, no liveness probe either. `change` edits the group.
    func survives(
        only group: String, seconds: Int? = nil, dropLiveness: Bool = false,
        options: CheckOptions, _ change: (inout WorkerGroupSpec) -> Void = { _ in }
    ) -> Bool {
        let limit = InputLimits.reconnectTimeoutSeconds.upperBound
        var d = definition
        // Only this property is asked, so only it is checked: the same verdict, sooner.
        d.checkedProperties = [ClusterProperties.workersSurvive.id]
        for g in d.spec.workerGroups.indices {
            let mine = d.spec.workerGroups[g].name == group
            var own = d.spec.workerGroups[g].probes ?? PodProbeSettings(
                readiness: d.spec.probes.workerReadiness, liveness: d.spec.probes.workerLiveness)
            if !mine || dropLiveness { own.liveness = .none }
            d.spec.workerGroups[g].probes = own
            if !mine {
                d.spec.workerGroups[g].reconnectTimeoutSeconds = limit
            } else if let seconds {
                d.spec.workerGroups[g].reconnectTimeoutSeconds = seconds
            }
            if mine { change(&d.spec.workerGroups[g]) }
        }
        let report = ClusterCheck(d, options: options, time: assumptions.time).run().report
        return report.property(ClusterProperties.workersSurvive.id)?.verdict == .holds
    }

    /// The least timeout of `group` (the other groups unable to fail, ``survives(only:)``) under
    /// which `workers-survive-head-restart` holds: doubling up from the current value, then
    /// bisecting; both sides are checked. With `dropLiveness`, checked without the group's
    /// liveness probe (whose own fix is ``livenessProbeFix(of:options:)``).
    func leastSafeTimeout(
        of group: String, dropLiveness: Bool = false, options: CheckOptions
    ) -> TimeoutFix? {
        let current = Int(definition.cluster.workerGroups.first { $0.name == group }?
            .reconnectTimeout.milliseconds ?? 0) / 1000
        let search = Self.leastHolding(
            from: current, limit: InputLimits.reconnectTimeoutSeconds.upperBound
        ) { seconds in
            survives(only: group, seconds: seconds, dropLiveness: dropLiveness, options: options)
        }
        switch search {
        case .alreadyHolds: return nil
        case .leastSafe(let seconds): return TimeoutFix(group: group, leastSafeSeconds: seconds)
        case .noneUpToLimit: return TimeoutFix(group: group, leastSafeSeconds: nil)
        }
    }

    /// A liveness probe of `group` that kills its workers during a head fault: the rule breaks
    /// with the largest timeout and the probe, and holds with the largest timeout and no probe.
    /// The fix is the least `failureThreshold` under which it holds with the group's least safe
    /// timeout, found like the timeout's; nil when the probe is not what breaks it.
    func livenessProbeFix(of group: String, options: CheckOptions) -> ProbeFix? {
        let c = definition.cluster
        guard let g = c.workerGroups.firstIndex(where: { $0.name == group }),
              let probe = c.workerGroups[g].probes.liveness, probe.check != .raylet else {
            return nil
        }
        let limit = InputLimits.reconnectTimeoutSeconds.upperBound
        guard !survives(only: group, seconds: limit, options: options),
              survives(only: group, seconds: limit, dropLiveness: true, options: options)
        else { return nil }
        let seconds = leastSafeTimeout(of: group, dropLiveness: true, options: options)
        let timeout = seconds?.leastSafeSeconds ?? Int(c.workerGroups[g].reconnectTimeout
            .milliseconds / 1000)
        let search = Self.leastHolding(
            from: probe.failureThreshold, limit: InputLimits.probeFailureThreshold.upperBound
        ) { threshold in
            survives(only: group, seconds: timeout, options: options) {
                var raised = probe
                raised.failureThreshold = threshold
                $0.probes?.liveness = .custom(raised)
            }
        }
        switch search {
        case .alreadyHolds: return nil  // the timeout's fix is enough
        case .leastSafe(let n):
            return ProbeFix(group: group, probe: probe, leastSafeFailureThreshold: n,
                            withTimeoutSeconds: seconds?.leastSafeSeconds)
        case .noneUpToLimit:
            return ProbeFix(group: group, probe: probe, leastSafeFailureThreshold: nil,
                            withTimeoutSeconds: seconds?.leastSafeSeconds)
        }
    }

    /// What a search for the least safe value found.
    enum Search: Equatable {
        /// The current value holds: nothing to fix.
        case alreadyHolds
        /// The least value that holds; one below it is violated (both checked).
        case leastSafe(Int)
        /// Not even the limit holds.
        case noneUpToLimit
    }

    /// The least value from `current` up to `limit` for which `holds` is true: doubling, then
    /// bisecting, so each answer has a violating check one below it and a holding one at it.
    static func leastHolding(from current: Int, limit: Int, _ holds: (Int) -> Bool) -> Search {
        guard !holds(current) else { return .alreadyHolds }
        var (bad, good) = (current, min(max(current * 2, current + 1), limit))
        while !holds(good) {
            guard good < limit else { return .noneUpToLimit }
            (bad, good) = (good, min(good * 2, limit))
        }
        while good - bad > 1 {
            let mid = (bad + good) / 2
            if holds(mid) { good = mid } else { bad = mid }
        }
        return .leastSafe(good)
    }

    /// With `enableInTreeAutoscaling`, what the review proves while the autoscaler may change
    /// each group's count: one info finding at the setting's line.
    func autoscalingFindings() -> [ManifestFinding] {
        guard cluster.autoscaling else { return [] }
        let ranges = cluster.replicas.map { r in
            let high = r.maxReplicas.map(String.init) ?? "unbounded"
            let modelled = definition.spec.workerGroups.first { $0.name == r.group }?.replicas
            return "\(r.group) \(r.minReplicas ?? 0)…\(high) (reviewed with \(modelled ?? 0))"
        }
        return [ManifestFinding(
            rule: "autoscaling", severity: .info,
            message: "enableInTreeAutoscaling is true: the Ray autoscaler may run each worker "
                + "group with any count from minReplicas to maxReplicas ("
                + ranges.joined(separator: ", ") + "). Each property is about every single "
                + "worker, and the rules that decide it for a worker (its reconnect deadline, its "
                + "probes, its pod's restart) are that worker's own, so a group's timeout and "
                + "probe verdicts carry over to any count; not covered: scaling during a run (the "
                + "model never adds or removes a worker while a fault plays out) and the rules "
                + "that look across workers (where a restarted detached actor goes, which worker "
                + "a worker-pod-delete picks), checked only for the counts reviewed",
            recommendation: "nothing to change; to check larger counts, raise "
                + "ReviewAssumptions.replicasModelled from the library",
            line: cluster.line(of: ManifestSetting.autoscaling))]
    }

    /// The finding for a liveness probe that kills `fix.group`'s workers during a head fault.
    func finding(_ fix: ProbeFix, _ effective: EffectiveCluster) -> ManifestFinding {
        let line = cluster.line(of: ManifestSetting.probe("livenessProbe", group: fix.group))
            ?? cluster.line(of: ManifestSetting.group(fix.group))
        let source = line == nil ? "KubeRay's default" : "the group's own"
        let with = fix.withTimeoutSeconds.map {
            " with the group's RAY_gcs_rpc_server_reconnect_timeout_s at \($0) (its own finding)"
        } ?? ""
        let raise = fix.leastSafeFailureThreshold.map {
            "set its failureThreshold to at least \($0) (from \(fix.probe.failureThreshold))"
                + with + ", or "
        } ?? ""
        return ManifestFinding(
            rule: ClusterProperties.workersSurvive.id, severity: .error,
            message: "worker group \(fix.group): its livenessProbe (\(source): "
                + "\(fix.probe.summary)) fails while the GCS is unreachable, and the kubelet "
                + "kills the group's workers during a head fault",
            recommendation: raise + "let the probe not depend on the GCS: KubeRay's default "
                + "worker probe counts an unreachable GCS as healthy", line: line)
    }
}

/// A worker group's liveness probe that breaks `workers-survive-head-restart`, and the least
/// `failureThreshold` that lets the group ride out a head fault (nil: none up to 1000 does).
public struct ProbeFix: Hashable, Sendable {
    public let group: String
    /// The probe in force.
    public let probe: ProbeSpec
    public let leastSafeFailureThreshold: Int?
    /// The group's reconnect timeout the threshold was found with, when its own is too short too
    /// (its ``TimeoutFix``); nil: the group's current one.
    public let withTimeoutSeconds: Int?
}

/// The least reconnect timeout a worker group needs, found by the checker (nil: none up to the
/// largest value does).
public struct TimeoutFix: Hashable, Sendable {
    public let group: String
    public let leastSafeSeconds: Int?
}

/// What a review concluded about one cluster: the check's verdict, or that KubeRay rejects the
/// manifest, in which case nothing was checked.
public enum ReviewVerdict: Hashable, Sendable {
    /// The cluster was checked: the check's verdict.
    case checked(CheckReport.Verdict)
    /// KubeRay's own validation refuses the manifest (``ManifestReview/rejections``).
    case rejected
}

/// What a review found.
public struct ReviewResult: Sendable {
    public let verdict: ReviewVerdict
    /// The check; nil when KubeRay rejects the cluster (``ReviewVerdict/rejected``).
    public let check: ClusterCheckResult?
    public let findings: [ManifestFinding]
    /// Each worker group's least safe reconnect timeout, where its current one breaks the rule.
    public let fixes: [TimeoutFix]
    /// Each worker group whose liveness probe breaks the rule, with the threshold that fixes it.
    public let probeFixes: [ProbeFix]

    /// True when the cluster was checked and every property held.
    public var holds: Bool { verdict == .checked(.holds) }

    /// The check's explanation (its verdict and counterexamples), or KubeRay's reasons.
    public var explanation: String {
        if let check { return check.explanation }
        return (["KubeRay rejects this cluster; nothing was checked:"]
            + findings.filter { $0.rule == KubeRayValidation.findingRule }.map(\.message))
            .joined(separator: "\n")
    }
}
