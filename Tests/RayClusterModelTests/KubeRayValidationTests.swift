import Foundation
import Testing
import SimulationKernel

@testable import RayClusterModel

/// KubeRay's own validation of FT-related settings (ray-operator/controllers/ray/utils/
/// validation.go, v1.3.0 to v1.7.0): each rule on a small manifest, at its line, refused from
/// the release that starts checking it and accepted by the release before.
@Suite("KubeRay rejects: each rule at its line and its releases")
struct KubeRayValidationTests {
    /// The parts of a small manifest a case changes; the rest is a valid FT RayCluster.
    struct Parts {
        var kind = "RayCluster"
        var annotations = ["ray.io/ft-enabled: \"true\""]
        var spec: [String] = []
        var params: [String] = []
        var headPod: [String] = []
        var headEnv = ["- {name: RAY_REDIS_ADDRESS, value: \"redis:6379\"}"]
        var group: [String] = []
        var groupPod: [String] = []
        var headService: [String] = []
    }

    /// The manifest of `p`; a RayService holds the cluster under `spec.rayClusterConfig`.
    static func manifest(_ p: Parts) -> String {
        func block(_ lines: [String], _ indent: Int, empty: String? = nil) -> [String] {
            lines.isEmpty ? (empty.map { [$0] } ?? []) : lines.map {
                String(repeating: " ", count: indent) + $0
            }
        }
        var cluster: [String] = block(p.spec, 0)
        cluster.append("headGroupSpec:")
        cluster += block(p.headService, 2)
        cluster.append("  rayStartParams:" + (p.params.isEmpty ? " {}" : ""))
        cluster += block(p.params, 4)
        cluster += ["  template:", "    spec:"] + block(p.headPod, 6)
        cluster += ["      containers:", "        - name: ray-head"]
        cluster.append("          env:" + (p.headEnv.isEmpty ? " []" : ""))
        cluster += block(p.headEnv, 12)
        cluster += ["workerGroupSpecs:", "  - groupName: workers", "    replicas: 1"]
        cluster += block(p.group, 4)
        cluster += ["    template:", "      spec:"] + block(p.groupPod, 8)
        cluster += ["        containers:", "          - name: ray-worker"]
        var lines = ["apiVersion: ray.io/v1", "kind: \(p.kind)", "metadata:", "  name: small"]
        lines.append("  annotations:" + (p.annotations.isEmpty ? " {}" : ""))
        lines += block(p.annotations, 4)
        lines.append("spec:")
        if p.kind == "RayService" {
            lines.append("  rayClusterConfig:")
            lines += block(cluster, 4)
        } else {
            lines += block(cluster, 2)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func line(of marker: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains(marker) }.map { $0 + 1 }
    }

    static func cluster(_ text: String) throws -> ManifestCluster {
        try #require(try ManifestReader.scan(Data(text.utf8)).clusters.first)
    }

    /// One case: the parts that break `rule`, and the text on the line the finding must name.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let rule: String
        let marker: String
        let since: KubeRayVersion
        let parts: @Sendable () -> Parts
        var testDescription: String { name }
    }

    static let options = ["gcsFaultToleranceOptions:", "  redisAddress: redis:6379"]
    static let v2 = ["enableInTreeAutoscaling: true", "autoscalerOptions: {version: v2}"]

    static let cases: [Case] = [
        Case(name: "annotation with options", rule: "ft-annotation-and-options",
             marker: "ray.io/ft-enabled", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.spec = options; p.headEnv = []; return p
        },
        Case(name: "RAY_REDIS_ADDRESS without FT", rule: "redis-address-without-ft",
             marker: "RAY_REDIS_ADDRESS", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.annotations = ["team: ml"]; return p
        },
        Case(name: "redis-password param with options", rule: "head-redis-settings-with-options",
             marker: "redis-password", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.annotations = []; p.spec = options; p.headEnv = []
            p.params = ["redis-password: secret"]; return p
        },
        Case(name: "REDIS_PASSWORD env with options", rule: "head-redis-settings-with-options",
             marker: "REDIS_PASSWORD", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.annotations = []; p.spec = options
            p.headEnv = ["- {name: REDIS_PASSWORD, value: secret}"]; return p
        },
        Case(name: "RAY_REDIS_ADDRESS env with options", rule: "head-redis-settings-with-options",
             marker: "RAY_REDIS_ADDRESS", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.annotations = []; p.spec = options; return p
        },
        Case(name: "storage-namespace annotation with options",
             rule: "head-redis-settings-with-options",
             marker: "external-storage-namespace", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.annotations = ["ray.io/external-storage-namespace: ns"]
            p.spec = options; p.headEnv = []; return p
        },
        Case(name: "redis-username param", rule: "redis-username", marker: "redis-username",
             since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.params = ["redis-username: ray"]; return p
        },
        Case(name: "REDIS_USERNAME env", rule: "redis-username", marker: "REDIS_USERNAME",
             since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.headEnv.append("- {name: REDIS_USERNAME, value: ray}"); return p
        },
        Case(name: "RayService head Service name", rule: "rayservice-head-service-name",
             marker: "name: my-head", since: KubeRayVersion(1, 3)) {
            var p = Parts(); p.kind = "RayService"
            p.headService = ["headService:", "  metadata:", "    name: my-head"]; return p
        },
        Case(name: "autoscaler v2 with head restartPolicy Always",
             rule: "autoscaler-v2-restart-policy", marker: "restartPolicy: Always",
             since: KubeRayVersion(1, 4)) {
            var p = Parts(); p.spec = v2; p.headPod = ["restartPolicy: Always"]; return p
        },
        Case(name: "autoscaler v2 with a group's restartPolicy OnFailure",
             rule: "autoscaler-v2-restart-policy", marker: "restartPolicy: OnFailure",
             since: KubeRayVersion(1, 4)) {
            var p = Parts(); p.spec = v2; p.groupPod = ["restartPolicy: OnFailure"]; return p
        },
        Case(name: "minReplicas above maxReplicas", rule: "min-replicas-above-max",
             marker: "minReplicas: 3", since: KubeRayVersion(1, 6)) {
            var p = Parts(); p.group = ["minReplicas: 3", "maxReplicas: 2"]; return p
        },
    ]

    @Test("refused from its first release on, at the manifest line; accepted the release before",
          arguments: cases)
    func rule(_ c: Case) throws {
        let text = Self.manifest(c.parts())
        let cluster = try Self.cluster(text)
        let line = try #require(Self.line(of: c.marker, in: text), "\(text)")
        let known = KubeRayVersion.known
        let first = try #require(known.firstIndex(of: c.since))
        for version in known[first...] {
            let found = KubeRayValidation.rejections(of: cluster, version: version)
            #expect(found.map(\.rule) == [c.rule], "\(version): \(found)\n\(text)")
            #expect(found.first?.line == line, "\(version)")
            #expect(found.first?.since == c.since)
        }
        let before = known[first - 1]
        #expect(KubeRayValidation.rejections(of: cluster, version: before).isEmpty,
                "KubeRay \(before) accepts it")
    }

    @Test("the valid base manifest is accepted by every release; a RayService too")
    func base() throws {
        for kind in ["RayCluster", "RayService"] {
            var p = Parts()
            p.kind = kind
            let cluster = try Self.cluster(Self.manifest(p))
            for version in KubeRayVersion.known {
                #expect(KubeRayValidation.rejections(of: cluster, version: version).isEmpty,
                        "\(kind), \(version)")
            }
        }
        // autoscaler v2 with Never, or no restartPolicy, is accepted.
        var never = Parts()
        never.spec = Self.v2
        never.headPod = ["restartPolicy: Never"]
        let cluster = try Self.cluster(Self.manifest(never))
        #expect(KubeRayValidation.rejections(of: cluster, version: .newest).isEmpty)
    }

    @Test("a rejected manifest is not checked: verdict rejected, no check, one error per rule")
    func review() throws {
        var p = Parts()
        p.spec = Self.options  // options next to the annotation and the head's own address
        let text = Self.manifest(p)
        let review = try ManifestReview(manifest: Data(text.utf8))
        #expect(review.rejections.map(\.rule)
            == ["ft-annotation-and-options", "head-redis-settings-with-options"])
        let result = review.run()
        #expect(result.verdict == .rejected)
        #expect(result.check == nil)
        #expect(!result.holds)
        let errors = result.findings.filter { $0.rule == KubeRayValidation.findingRule }
        #expect(errors.count == 2 && errors.allSatisfy { $0.severity == .error })
        #expect(errors.map(\.line) == [Self.line(of: "ray.io/ft-enabled", in: text),
                                        Self.line(of: "RAY_REDIS_ADDRESS", in: text)])
        #expect(result.explanation.contains("KubeRay rejects this cluster"))
        // The same manifest under KubeRay 1.2, which has no such check, is reviewed.
        var old = ReviewAssumptions()
        old.kuberayVersion = KubeRayVersion(1, 2)
        old.granularity = .seconds(10)
        let reviewed = try ManifestReview(manifest: Data(text.utf8), assumptions: old)
        #expect(reviewed.rejections.isEmpty)
    }
}

/// What a review tells the user when zones leave `workers-survive-head-restart` unknown: re-check
/// on a finer grid, and the least worker timeout proven safe, at the group's line. (No shipped
/// case is unknown since zones try every violating symbolic path, so the check's result is
/// edited here.)
@Suite("A review's findings for an unknown property")
struct ReviewUndecidedTests {
    @Test("unknown: a warning naming --time grid --granularity 500ms and the least safe value")
    func unknownFinding() throws {
        let text = """
            apiVersion: ray.io/v1
            kind: RayCluster
            metadata:
              name: small
              annotations:
                ray.io/ft-enabled: "true"
            spec:
              headGroupSpec:
                template:
                  spec:
                    containers:
                      - name: ray-head
                        env:
                          - name: RAY_REDIS_ADDRESS
                            value: redis:6379
              workerGroupSpecs:
                - groupName: workers
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: ray-worker
                          env:
                            - name: RAY_gcs_rpc_server_reconnect_timeout_s
                              value: "75"
            """
        var assumptions = ReviewAssumptions()
        assumptions.kuberayVersion = KubeRayVersion(1, 1)
        // As `simulate review` checks (the library's default is the grid).
        assumptions.time = .zones
        let cluster = try #require(try ManifestReader.scan(Data(text.utf8)).clusters.first)
        let review = try ManifestReview(
            cluster, assumptions: assumptions,
            faults: FaultBudget(kinds: [.gcsProcessKill], maxFaults: 1, horizon: .minutes(5)))
        let options = CheckOptions(stopAtFirstViolation: false)
        let check = ClusterCheck(review.definition, options: options, time: .zones).run()
        var report = check.report
        let survive = try #require(report.properties.firstIndex {
            $0.id == ClusterProperties.workersSurvive.id })
        report.properties[survive].verdict = .unknown
        report.properties[survive].counterexample = nil
        report.properties[survive].unknownReason = "step 3: edited for the test"
        let edited = ClusterCheckResult(
            report: report, model: check.model, counterexamples: [],
            worstCaseRecovery: nil, workerDeadlineMargin: nil, groupDeadlineMargins: [],
            time: .zones)
        let findings = review.undecidedFindings(edited, options: options)
        let finding = try #require(findings.first {
            $0.rule == ClusterProperties.workersSurvive.id })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("edited for the test"))
        #expect(finding.recommendation.contains("--time grid --granularity 500ms"))
        #expect(finding.recommendation.contains("set it to at least 88"))
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("value: \"75\"") }.map { $0 + 1 }
        #expect(finding.line == line)
        // A check a limit stopped: a warning too, saying how to let it finish.
        report.properties[survive].verdict = .incomplete
        report.verdict = .incomplete
        report.stopReason = .stateLimit
        let stopped = ClusterCheckResult(
            report: report, model: check.model, counterexamples: [],
            worstCaseRecovery: nil, workerDeadlineMargin: nil, groupDeadlineMargins: [],
            time: .zones)
        let incomplete = review.undecidedFindings(stopped, options: options)
        #expect(incomplete.map(\.rule) == ["check-incomplete"])
        #expect(incomplete.first?.severity == .warning)
        #expect(incomplete.first?.recommendation.contains("fewer fault kinds") == true)
    }
}
