import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// The `cluster` keys of the KubeRay-side inputs (version, GCS storage, worker restart policy,
/// autoscaler v2, probes): read by the one section reader model and scenario files share,
/// validated by the one validation trace files go through too (docs/model-files.md, `cluster`).
@Suite("Cluster input keys: KubeRay version, GCS storage, worker policy, autoscaler, probes")
struct ClusterInputKeysTests {
    static let allKeys = #"""
        "kuberayVersion": "v1.1.0", "gcsStorage": "memory", "workerRestartPolicy": "Never",
        "autoscalerV2": true,
        "probes": {
          "head": {"readiness": "none",
                   "liveness": {"initialDelaySeconds": 0, "periodSeconds": 7, "timeoutSeconds": 3,
                                "failureThreshold": 4, "checks": "gcs"}},
          "worker": {"liveness": {"initialDelaySeconds": 3600, "periodSeconds": 3600,
                                  "timeoutSeconds": 1, "failureThreshold": 1000,
                                  "checks": "node-alive"}}
        }
        """#

    static func model(_ cluster: String) throws -> ModelDefinition {
        try ModelDefinition.parse(Data(#"{"name": "x", "cluster": {\#(cluster)}}"#.utf8))
    }

    static func scenario(_ cluster: String) throws -> Scenario {
        let text = #"{"steps": [{"at": "1s", "do": "head-pod-evict"}], "cluster": {\#(cluster)}}"#
        return try Scenario.parse(Data(text.utf8), name: "s", baseDirectory: "/")
    }

    static func error(_ cluster: String) -> InputError? {
        inputError { _ = try model(cluster) }
    }

    @Test("every new cluster key is read into the spec, the values as written")
    func everyKeyParsed() throws {
        let spec = try Self.model(Self.allKeys).spec
        #expect(spec.kuberayVersion == KubeRayVersion(1, 1, 0))
        #expect(spec.gcsStorage == .memory)
        #expect(spec.workerRestartPolicy == .never)
        #expect(spec.autoscalerV2)
        #expect(spec.probes.headReadiness == .none)
        #expect(spec.probes.headLiveness == .custom(ProbeSpec(
            initialDelaySeconds: 0, periodSeconds: 7, timeoutSeconds: 3, failureThreshold: 4, check: .gcs)))
        #expect(spec.probes.workerReadiness == .kubeRayDefault)
        #expect(spec.probes.workerLiveness == .custom(ProbeSpec(
            initialDelaySeconds: 3600, periodSeconds: 3600, timeoutSeconds: 1, failureThreshold: 1000,
            check: .nodeAlive)))
    }

    @Test("left out, the new keys keep their defaults: newest release, storage from ftEnabled, Always, no autoscaler, KubeRay's probes")
    func defaults() throws {
        let spec = try Self.model(#""ftEnabled": false"#).spec
        #expect(spec == ClusterSpec(ftEnabled: false))
        #expect(spec.kuberayVersion == .newest && spec.gcsStorage == nil && spec.workerRestartPolicy == .always)
        #expect(!spec.autoscalerV2 && spec.probes == ProbeSettings())
    }

    @Test("the release is read as 1.1.0 whether written 1.1.0, v1.1.0 or 1.1", arguments: ["1.1.0", "v1.1.0", "1.1"])
    func versionSpellings(text: String) throws {
        #expect(try Self.model(#""kuberayVersion": "\#(text)""#).spec.kuberayVersion == KubeRayVersion(1, 1))
    }

    @Test("a scenario's cluster section is read by the same reader, to the same spec")
    func scenarioSameReader() throws {
        let scenario = try Self.scenario(Self.allKeys).definition.spec
        var expected = EmbeddedModels.kuberaySample.spec
        let fromModel = try Self.model(Self.allKeys).spec
        expected.kuberayVersion = fromModel.kuberayVersion
        expected.gcsStorage = fromModel.gcsStorage
        expected.workerRestartPolicy = fromModel.workerRestartPolicy
        expected.autoscalerV2 = fromModel.autoscalerV2
        expected.probes = fromModel.probes
        #expect(scenario == expected)
    }

    /// A valid custom probe's fields, in file order.
    static let probeFields = [
        ("initialDelaySeconds", "10"), ("periodSeconds", "5"), ("timeoutSeconds", "1"),
        ("failureThreshold", "10"), ("checks", #""gcs""#),
    ]

    /// A valid head liveness probe with `key` set to `value` (nil: left out).
    static func probe(_ key: String = "", _ value: String? = nil) -> String {
        let fields = probeFields.compactMap { k, v -> String? in
            k == key ? value.map { #""\#(k)": \#($0)"# } : #""\#(k)": \#(v)"#
        }
        return probes("{" + fields.joined(separator: ", ") + "}")
    }

    static func probes(_ head: String) -> String { #""probes": {"head": {"liveness": \#(head)}}"# }

    static let badValues: [(cluster: String, field: String, problem: String)] = [
        (#""kuberayVersion": "2.0""#, "cluster.kuberayVersion", #"unknown KubeRay version "2.0""#),
        (#""kuberayVersion": "1.8.0""#, "cluster.kuberayVersion", #"unknown KubeRay version "1.8.0""#),
        (#""kuberayVersion": "latest""#, "cluster.kuberayVersion", #"unknown KubeRay version "latest""#),
        (#""kuberayVersion": 1.1"#, "cluster.kuberayVersion", "expected a string, got 1.1"),
        (#""gcsStorage": "etcd""#, "cluster.gcsStorage", #"unknown storage "etcd""#),
        (#""workerRestartPolicy": "OnFailure""#, "cluster.workerRestartPolicy", #"unknown policy "OnFailure""#),
        (#""autoscalerV2": "true""#, "cluster.autoscalerV2", #"expected true or false, got the string "true""#),
        (#""probes": []"#, "cluster.probes", "expected an object, got an array"),
        (#""probes": {"gpu": {}}"#, "cluster.probes.gpu", "unknown field"),
        (#""probes": {"worker": {"startup": "none"}}"#, "cluster.probes.worker.startup", "unknown field"),
        (probes(#""off""#), "cluster.probes.head.liveness", #"unknown probe "off""#),
        (probes("false"), "cluster.probes.head.liveness", #"expected "none" or a probe object, got false"#),
        (probe("initialDelaySeconds", "-1"), "cluster.probes.head.liveness.initialDelaySeconds", "-1 is negative"),
        (probe("initialDelaySeconds", "3601"), "cluster.probes.head.liveness.initialDelaySeconds", "3601 is out of range 0...3600"),
        (probe("periodSeconds", "0"), "cluster.probes.head.liveness.periodSeconds", "0 is out of range 1...3600"),
        (probe("periodSeconds", "3601"), "cluster.probes.head.liveness.periodSeconds", "3601 is out of range 1...3600"),
        (probe("periodSeconds", "2.5"), "cluster.probes.head.liveness.periodSeconds", "expected a whole number, got 2.5"),
        (probe("timeoutSeconds", "0"), "cluster.probes.head.liveness.timeoutSeconds", "0 is out of range 1...3600"),
        (probe("failureThreshold", "0"), "cluster.probes.head.liveness.failureThreshold", "0 is out of range 1...1000"),
        (probe("failureThreshold", "1001"), "cluster.probes.head.liveness.failureThreshold", "1001 is out of range 1...1000"),
        (probe("checks", #""http""#), "cluster.probes.head.liveness.checks", #"unknown check "http""#),
        (probe("checks", "1"), "cluster.probes.head.liveness.checks", "expected a string, got 1"),
        (probes(#"{"periodSeconds": 5}"#), "cluster.probes.head.liveness.initialDelaySeconds", "missing"),
        (probe("checks", nil), "cluster.probes.head.liveness.checks", "missing"),
        (probe("timeoutSeconds", nil), "cluster.probes.head.liveness.timeoutSeconds", "missing"),
        (probes(#"{"initialDelaySeconds": 10, "periodSeconds": 5, "timeoutSeconds": 1, "failureThreshold": 10, "check": "gcs"}"#),
         "cluster.probes.head.liveness.check", "unknown field"),
        (#""probes": {"worker": {"readiness": {"initialDelaySeconds": 1, "periodSeconds": 1, "timeoutSeconds": 1, "failureThreshold": 0, "checks": "raylet"}}}"#,
         "cluster.probes.worker.readiness.failureThreshold", "0 is out of range 1...1000"),
    ]

    @Test("the probe the bad values start from is itself accepted, as a custom probe")
    func baseProbeAccepted() throws {
        let spec = try Self.model(Self.probe()).spec
        #expect(spec.probes.headLiveness == .custom(ProbeSpec(
            initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 10, check: .gcs)))
    }

    @Test("each bad value is rejected naming its field, in model and scenario files alike", arguments: badValues.indices)
    func badValue(index: Int) throws {
        let bad = Self.badValues[index]
        let e = try #require(Self.error(bad.cluster), "accepted: \(bad.cluster)")
        #expect(e.field == bad.field, "\(e)")
        #expect(e.problem == bad.problem, "\(e)")
        #expect(!e.fix.isEmpty)
        let s = try #require(inputError { _ = try Self.scenario(bad.cluster) })
        #expect(s == e)
    }

    @Test("an unknown release's fix lists every known release and an example")
    func versionFix() throws {
        let e = try #require(Self.error(#""kuberayVersion": "0.4.0""#))
        #expect(e.fix.contains("0.5, 0.6, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7"), "\(e.fix)")
        #expect(e.fix.contains(#"e.g. "1.1.0""#))
    }

    @Test("the probe limits keep Kubernetes' minimums: delay 0, period, timeout and threshold 1")
    func kubernetesMinimums() {
        #expect(InputLimits.probeInitialDelaySeconds.lowerBound == 0)
        #expect(InputLimits.probeSeconds.lowerBound == 1 && InputLimits.probeFailureThreshold.lowerBound == 1)
    }

    @Test("KubeRay 1.3+ rejects gcsStorage redis without GCS FT (ValidateRayClusterSpec: RAY_REDIS_ADDRESS implicitly enables GCS FT)",
          arguments: ["1.3.0", "1.7.0"])
    func redisWithoutFTRejected(version: String) throws {
        let e = try #require(Self.error(#""ftEnabled": false, "gcsStorage": "redis", "kuberayVersion": "\#(version)""#))
        #expect(e.field == "cluster.gcsStorage")
        #expect(e.problem.contains("cluster.ftEnabled false") && e.problem.contains("KubeRay \(version)"), "\(e.problem)")
        #expect(e.problem.contains("implicitly enables GCS fault tolerance"))
        #expect(e.fix.contains("ftEnabled to true") && e.fix.contains("before 1.3"), "\(e.fix)")
    }

    @Test("before 1.3, and with FT on, gcsStorage redis is accepted", arguments: [
        #""ftEnabled": false, "gcsStorage": "redis", "kuberayVersion": "1.2.2""#,
        #""ftEnabled": false, "gcsStorage": "redis", "kuberayVersion": "0.6""#,
        #""ftEnabled": true, "gcsStorage": "redis", "kuberayVersion": "1.7""#,
        #""ftEnabled": false, "gcsStorage": "memory", "kuberayVersion": "1.7""#,
        #""ftEnabled": false, "kuberayVersion": "1.7""#,
    ])
    func redisWithoutFTAccepted(cluster: String) throws {
        #expect(throws: Never.self) { _ = try Self.model(cluster) }
    }

    /// A spec with every new key set away from its default, as a user's test might build it.
    static var customSpec: ClusterSpec {
        var probes = ProbeSettings()
        probes.headReadiness = .none
        probes.headLiveness = .custom(ProbeSpec(
            initialDelaySeconds: 15, periodSeconds: 4, timeoutSeconds: 2, failureThreshold: 9, check: .gcs))
        probes.workerReadiness = .custom(ProbeSpec(
            initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 4, check: .raylet))
        return ClusterSpec(
            ftEnabled: true, gcsStorage: .redis, kuberayVersion: KubeRayVersion(1, 1, 3),
            workerRestartPolicy: .never, autoscalerV2: true, probes: probes)
    }

    @Test("a model with custom probes and a version survives the trace files' Codable round trip")
    func codableRoundTrip() throws {
        var model = EmbeddedModels.kuberaySample
        model.spec = Self.customSpec
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(model)
        let back = try JSONDecoder().decode(ModelDefinition.self, from: data)
        #expect(back == model)
        #expect(back.spec.kuberayVersion.patch == 3)
        try back.validate(names: .encoded(under: "model"))
        let text = String(decoding: data, as: UTF8.self)
        // The model file's spelling: the version a string, "none", `checks`, defaults left out.
        #expect(text.contains(#""kuberayVersion":"1.1.3""#), "\(text)")
        #expect(text.contains(#""head":{"liveness":{"checks":"gcs","failureThreshold":9"#), "\(text)")
        #expect(text.contains(#""readiness":"none""#))
        #expect(text.contains(#""worker":{"readiness":{"checks":"raylet""#))
        #expect(!text.contains("kubeRayDefault") && !text.contains("\"liveness\":\"default\""))
    }

    @Test("the encoded probes read back through the model file reader to the same settings")
    func encodedIsModelFileSyntax() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let probes = String(decoding: try encoder.encode(Self.customSpec.probes), as: UTF8.self)
        let spec = try Self.model(#""probes": \#(probes)"#).spec
        #expect(spec.probes == Self.customSpec.probes)
    }

    @Test("a trace whose spec holds no probes, version or policy (an older release's) decodes to the defaults")
    func olderTraceDecodes() throws {
        let old = #"{"ftEnabled": true, "workers": 1, "headRestartPolicy": "Always", "rayClusterUID": "u", "redisPersistence": "none", "actorMaxRestarts": 0}"#
        let spec = try JSONDecoder().decode(ClusterSpec.self, from: Data(old.utf8))
        #expect(spec == ClusterSpec(rayClusterUID: "u", redisPersistence: .none))
    }

    static let codeBuilt: [(what: String, field: String)] = [
        ("unknown release 2.0", "spec.kuberayVersion"),
        ("period 0", "spec.probes.head.liveness.periodSeconds"),
        ("worker threshold 0", "spec.probes.worker.readiness.failureThreshold"),
        ("redis without FT on 1.3", "spec.gcsStorage"),
    ]

    static func change(_ what: String, _ spec: inout ClusterSpec) {
        switch what {
        case "unknown release 2.0": spec.kuberayVersion = KubeRayVersion(2, 0)
        case "period 0": spec.probes.headLiveness = .custom(ProbeSpec(
            initialDelaySeconds: 0, periodSeconds: 0, timeoutSeconds: 1, failureThreshold: 1, check: .gcs))
        case "worker threshold 0": spec.probes.workerReadiness = .custom(ProbeSpec(
            initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 0, check: .gcs))
        default:
            spec.ftEnabled = false
            spec.gcsStorage = .redis
            spec.kuberayVersion = KubeRayVersion(1, 3)
        }
    }

    @Test("a model decoded from a trace, or built in code, is validated by the same rules, named in the trace's fields",
          arguments: codeBuilt.map(\.what))
    func traceValidation(what: String) throws {
        let field = Self.codeBuilt.first { $0.what == what }!.field
        var model = EmbeddedModels.kuberaySample
        Self.change(what, &model.spec)
        let trace = try #require(inputError { try model.validate(names: .encoded(under: "model")) })
        #expect(trace.field == "model." + field, "\(trace)")
        let file = try #require(inputError { try model.validate() })
        #expect(file.field == "cluster" + field.dropFirst("spec".count), "\(file)")
    }

    @Test("timing reads podDeletionDrainTimeout (a duration) and deadNodeDetectionServing (a range)")
    func newTimingKeys() throws {
        let text = #"{"name": "x", "timing": {"podDeletionDrainTimeout": "5s", "deadNodeDetectionServing": {"min": "1s", "max": "2s"}}}"#
        let timing = try ModelDefinition.parse(Data(text.utf8)).timing
        #expect(timing.podDeletionDrainTimeout == .seconds(5))
        #expect(timing.deadNodeDetectionServing == DurationRange(.seconds(1), .seconds(2)))
        let bad = #"{"name": "x", "timing": {"deadNodeDetectionServing": {"min": "3s", "max": "2s"}}}"#
        let e = try #require(inputError { _ = try ModelDefinition.parse(Data(bad.utf8)) })
        #expect(e.field == "timing.deadNodeDetectionServing")
    }
}
