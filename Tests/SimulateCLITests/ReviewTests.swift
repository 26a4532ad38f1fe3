import Foundation
import Testing
import RayClusterModel
import SimulationKernel
@testable import SimulateCLI

/// `simulate review` on manifests in the styles people write them (our own, not copies).
@Suite("simulate review: real manifests, KubeRay's defaulting, fixes found by the checker")
struct ReviewTests {
    /// Small bounds, so each review runs in seconds in a debug build.
    static let bounds = ["--faults", "gcs-process-kill", "--horizon", "1m", "--granularity", "10s"]

    static func file(_ text: String, _ name: String = "m.yaml") throws -> String {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func json(_ out: CommandOutcome) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8))
        return try #require(object as? [String: Any], "\(out.stdout)\(out.stderr)")
    }

    /// A one-group FT RayCluster; `workerEnv` goes into the worker container's env.
    static func rayCluster(
        workerEnv: String = "", annotations: String = "ray.io/ft-enabled: \"true\"",
        spec: String = "", redis: Bool = true
    ) -> String {
        """
        apiVersion: ray.io/v1
        kind: RayCluster
        metadata:
          name: small
          annotations:
            \(annotations)
        spec:
        \(spec)
          headGroupSpec:
            template:
              spec:
                containers:
                  - name: ray-head
                    env:
                      - name: \(redis ? "RAY_REDIS_ADDRESS" : "RAY_LOG_TO_STDERR")
                        value: \(redis ? "redis:6379" : "\"1\"")
          workerGroupSpecs:
            - groupName: workers
              replicas: 1
              template:
                spec:
                  containers:
                    - name: ray-worker
                      env:
        \(workerEnv.isEmpty ? "                    []" : workerEnv)
        """
    }

    static let shortTimeout = """
                            - name: RAY_gcs_rpc_server_reconnect_timeout_s
                              value: "45"
        """

    @Test("two groups, one too short: the finding names group and line; the fix agrees with checks")
    func twoGroupsFix() throws {
        let out = simulate(
            ["review", path("models/manifests/raycluster-ft-two-groups.yaml"), "--json"]
                + Self.bounds)
        #expect(out.exitCode == 1)
        let object = try Self.json(out)
        #expect(object["verdict"] as? String == "violated")
        let effective = try #require(object["effective"] as? [String: Any])
        let groups = try #require(effective["workerGroups"] as? [[String: Any]])
        #expect(groups.map { $0["name"] as? String } == ["cpu-group", "gpu-group"])
        #expect(groups.map { $0["source"] as? String } == ["kuberay-default", "user"])
        #expect(groups.map { $0["reconnectTimeoutSeconds"] as? Int } == [600, 45])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["rule"] as? String
            == "workers-survive-head-restart" })
        #expect(finding["line"] as? Int == 48)
        #expect((finding["message"] as? String)?.contains("gpu-group") == true)
        let text = try #require(finding["recommendation"] as? String)
        let least = try #require(Int(text.split(separator: " ")[5]), "\(text)")
        // The same cluster as a model file, checked on both sides of the fix.
        for (seconds, verdict) in [(least - 1, "violated"), (least, "holds")] {
            let model = try Self.file("""
                {"name": "two", "cluster": {"ftEnabled": true, "workerGroups": [
                  {"name": "cpu-group", "replicas": 1, "reconnectTimeoutSeconds": 86400},
                  {"name": "gpu-group", "replicas": 1, "reconnectTimeoutSeconds": \(seconds)}]}}
                """, "two.json")
            let check = try Self.json(simulate(["check", model, "--json"] + Self.bounds))
            let survive = (check["properties"] as? [[String: Any]])?.first
            #expect(survive?["verdict"] as? String == verdict, "\(seconds) s")
        }
    }

    @Test("the same cluster as YAML and as JSON gives the same report")
    func yamlAndJSON() throws {
        let yaml = try Self.file(Self.rayCluster(workerEnv: Self.shortTimeout))
        let json = try Self.file("""
            {"apiVersion": "ray.io/v1", "kind": "RayCluster",
             "metadata": {"name": "small", "annotations": {"ray.io/ft-enabled": "true"}},
             "spec": {"headGroupSpec": {"template": {"spec": {"containers": [{"name": "ray-head",
                "env": [{"name": "RAY_REDIS_ADDRESS", "value": "redis:6379"}]}]}}},
              "workerGroupSpecs": [{"groupName": "workers", "replicas": 1, "template": {"spec":
                {"containers": [{"name": "ray-worker", "env": [
                  {"name": "RAY_gcs_rpc_server_reconnect_timeout_s", "value": "45"}]}]}}}]}}
            """, "m.json")
        var a = try Self.json(simulate(["review", yaml, "--json"] + Self.bounds))
        var b = try Self.json(simulate(["review", json, "--json"] + Self.bounds))
        // Lines differ between the two files; everything else is the same.
        let unlined = { (o: [String: Any]) in
            (o["settings"] as? [[String: Any]])?.map { row in row.filter { $0.key != "line" } }
        }
        #expect(unlined(a).map { $0.map(NSDictionary.init) }
            == unlined(b).map { $0.map(NSDictionary.init) })
        #expect(unlined(a)?.isEmpty == false)
        for key in ["findings", "clusters", "line", "settings"] { a[key] = nil; b[key] = nil }
        #expect(NSDictionary(dictionary: a) == NSDictionary(dictionary: b))
        #expect(a["verdict"] as? String == "violated")
    }

    @Test("no FT: a warning, workers on Ray's 60 s, and the rule broken")
    func noFT() throws {
        let manifest = try Self.file(
            Self.rayCluster(annotations: "example.com/team: ml", redis: false))
        let out = simulate(["review", manifest, "--json"] + Self.bounds)
        #expect(out.exitCode == 1)
        let object = try Self.json(out)
        let effective = try #require(object["effective"] as? [String: Any])
        #expect(effective["ftEnabled"] as? Bool == false)
        let groups = try #require(effective["workerGroups"] as? [[String: Any]])
        #expect(groups.first?["reconnectTimeoutSeconds"] as? Int == 60)
        #expect(groups.first?["source"] as? String == "ray-default")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["rule"] as? String == "ft-enabled" })
    }

    @Test("Redis given to the head without FT: KubeRay 1.3+ rejects it (exit 1); 1.2 runs it")
    func redisWithoutFT() throws {
        let text = Self.rayCluster(annotations: "example.com/team: ml")
        let manifest = try Self.file(text)
        let out = simulate(["review", manifest] + Self.bounds)
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(out.stderr.isEmpty)
        #expect(out.stdout.contains("RAY_REDIS_ADDRESS is set which implicitly enables GCS fault"))
        #expect(out.stdout.contains("verdict: REJECTED"))
        let line = try #require(ReviewGroupSettingsTests.line(of: "value: redis:6379", in: text))
        #expect(out.stdout.contains("(line \(line)). Fix: turn GCS FT on"), "\(out.stdout)")
        let old = simulate(["review", manifest, "--kuberay-version", "1.2"] + Self.bounds)
        #expect(old.exitCode == 1, "\(old.stderr)")
        #expect(!old.stdout.contains("kuberay-rejects") && old.stdout.contains("verdict: VIOLATED"))
    }

    @Test("gcsFaultToleranceOptions together with the annotation: KubeRay rejects it, a finding")
    func rejected() throws {
        let text = Self.rayCluster(spec: """
              gcsFaultToleranceOptions:
                redisAddress: redis:6379
            """, redis: false)
        let out = simulate(["review", try Self.file(text), "--json"] + Self.bounds)
        #expect(out.exitCode == 1, "\(out.stderr)")
        let object = try Self.json(out)
        #expect(object["verdict"] as? String == "rejected")
        #expect((object["properties"] as? [Any])?.isEmpty == true, "nothing is checked")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["rule"] as? String == "kuberay-rejects" })
        #expect(finding["severity"] as? String == "error")
        #expect(finding["line"] as? Int == 6)
        #expect((finding["message"] as? String)?.contains(
            "ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both set") == true)
    }

    @Test("gcsFaultToleranceOptions alone turns FT on with Redis; the namespace is the user's")
    func ftOptions() throws {
        // The head keeps no RAY_REDIS_ADDRESS of its own: KubeRay refuses that next to the
        // options (KubeRayValidationTests).
        let manifest = try Self.file(Self.rayCluster(annotations: "example.com/team: ml", spec: """
              gcsFaultToleranceOptions:
                redisAddress: redis:6379
                externalStorageNamespace: my-ns
            """, redis: false))
        let object = try Self.json(simulate(["review", manifest, "--json"] + Self.bounds))
        let effective = try #require(object["effective"] as? [String: Any])
        #expect(effective["ftEnabled"] as? Bool == true)
        #expect(effective["gcsStorage"] as? String == "redis")
        #expect(effective["storageNamespace"] as? String == "my-ns")
        #expect(object["verdict"] as? String == "holds")
    }

    @Test("a RayService's rayClusterConfig and an API-server body are reviewed like a RayCluster")
    func otherShapes() throws {
        let service = try Self.file("""
            apiVersion: ray.io/v1
            kind: RayService
            metadata: {name: serve, annotations: {ray.io/ft-enabled: "true"}}
            spec:
              rayClusterConfig:
                headGroupSpec:
                  template: {spec: {containers: [{name: h,
                    env: [{name: RAY_REDIS_ADDRESS, value: "r:6379"}]}]}}
                workerGroupSpecs:
                  - {groupName: w, replicas: 1, template: {spec: {containers: [{name: w}]}}}
            """)
        let s = try Self.json(simulate(["review", service, "--json"] + Self.bounds))
        #expect(s["kind"] as? String == "RayService" && s["verdict"] as? String == "holds")
        let body = try Self.file("""
            {"name": "ha-cluster", "namespace": "default", "version": "2.9.0",
             "annotations": {"ray.io/ft-enabled": "true"},
             "clusterSpec": {
               "headGroupSpec": {"environment": {"values": {"RAY_REDIS_ADDRESS": "redis:6379"}}},
               "workerGroupSpec": [{"groupName": "small-wg", "replicas": 1,
                 "environment": {"values": {"RAY_gcs_rpc_server_reconnect_timeout_s": "300"}}}]}}
            """, "body.json")
        let b = try Self.json(simulate(["review", body, "--json"] + Self.bounds))
        #expect(b["kind"] as? String == "API-server cluster")
        let groups = (b["effective"] as? [String: Any])?["workerGroups"] as? [[String: Any]]
        #expect(groups?.first?["reconnectTimeoutSeconds"] as? Int == 300)
        #expect(b["verdict"] as? String == "holds")
    }

    @Test("SARIF 2.1.0: the required fields, one result per finding at its manifest line")
    func sarif() throws {
        let manifest = try Self.file(Self.rayCluster(workerEnv: Self.shortTimeout))
        let out = simulate(["review", manifest, "--format", "sarif"] + Self.bounds)
        #expect(out.exitCode == 1)
        let log = try Self.json(out)
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        let driver = (runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect(driver?["name"] as? String == "simulate review")
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        let result = try #require(results.first {
            $0["ruleId"] as? String == "workers-survive-head-restart"
        })
        // The head has no num-cpus "0": an info note, SARIF level "note".
        #expect(results.contains { $0["ruleId"] as? String == "head-num-cpus"
            && $0["level"] as? String == "note" })
        #expect(result["level"] as? String == "error")
        #expect((result["message"] as? [String: Any])?["text"] is String)
        let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"]
            as? [String: Any]
        let region = location?["region"] as? [String: Any]
        let lines = Self.rayCluster(workerEnv: Self.shortTimeout).split(
            separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(region?["startLine"] as? Int)
        #expect(lines[line - 1].contains("value: \"45\""))
    }

    @Test("malformed input exits 2 with the line; no manifest object at all exits 2",
          arguments: [("kind: RayCluster\nmetadata:\n  name: [x\n", "line 3"),
                      ("{\"kind\": \"RayCluster\",, }", "line 1"),
                      ("kind: ConfigMap\nmetadata: {name: c}\n", "no RayCluster")])
    func malformed(text: String, message: String) throws {
        let out = simulate(["review", try Self.file(text)] as [String])
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    @Test("Redis persistence is inferred from the Redis objects of the same input",
          arguments: [("emptyDir: {}", "none"), ("persistentVolumeClaim: {claimName: redis-data}",
                                                  "appendOnly")])
    func redisInferred(volume: String, persistence: String) throws {
        let redis = """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: redis-config}
            data:
              redis.conf: |
                dir /data
                appendonly yes
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: redis}
            spec:
              template:
                spec:
                  containers:
                    - name: redis
                      image: redis:7.0.15
                      volumeMounts: [{name: data, mountPath: /data}]
                  volumes:
                    - name: data
                      \(volume)
            """
        let manifest = try Self.file(Self.rayCluster() + "\n" + redis)
        let object = try Self.json(simulate(["review", manifest, "--json"] + Self.bounds))
        let assumptions = try #require(object["assumptions"] as? [String: Any])
        let text = try #require(assumptions["redisPersistence"] as? String)
        #expect(text.hasPrefix(persistence + " (inferred: Redis writes with appendonly yes"))
        let skipped = try #require(object["skipped"] as? [[String: Any]])
        #expect(skipped.map { $0["kind"] as? String } == ["ConfigMap", "Deployment"])
        // --assume wins over the inference.
        let assumed = try Self.json(simulate(["review", manifest, "--json",
                                              "--assume", "redisPersistence=none"] + Self.bounds))
        #expect((assumed["assumptions"] as? [String: Any])?["redisPersistence"] as? String
            == "none")
    }

    @Test("- reads the manifest from standard input")
    func standardInput() throws {
        let binary = try #require(simulateBinary())
        let manifest = try Self.file(Self.rayCluster())
        let shell = URL(fileURLWithPath: "/bin/sh")
        let result = try runProcess(shell, ["-c", "'\(binary.path)' review - --json "
            + Self.bounds.joined(separator: " ") + " < '\(manifest)'"])
        #expect(result.code == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout)
            as? [String: Any])
        #expect(object["name"] as? String == "small")
    }

    @Test("mutated manifests never crash the reader: a report or one clear error")
    func fuzz() {
        var random = SplitMix64(seed: 7)
        let base = Array(Self.rayCluster(workerEnv: Self.shortTimeout).utf8)
        let inserts = Array(":-'\"{}[]#\t&*| \n0".utf8)
        for _ in 0..<1500 {
            var bytes = base
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(inserts[Int(random.next() % UInt64(inserts.count))], at: at)
                default: bytes[at] = inserts[Int(random.next() % UInt64(inserts.count))]
                }
            }
            do {
                let scan = try ManifestReader.scan(Data(bytes))
                for cluster in scan.clusters { _ = try? ManifestReview(cluster) }
            } catch {
                #expect(!error.problem.isEmpty && !error.fix.isEmpty)
            }
        }
    }

    @Test("probes in the Ray container are read, classified by what they ask, and shown")
    func probes() throws {
        let probes = [
            "          - name: ray-head",
            "            livenessProbe:",
            "              exec:",
            "                command: [bash, -c, \"wget -q -O- localhost:8265/api/gcs_healthz\"]",
            "              periodSeconds: 5",
            "              failureThreshold: 3",
            "            readinessProbe:",
            "              exec: {command: [my-check]}",
        ].joined(separator: "\n") + "\n"
        let manifest = try Self.file(Self.rayCluster().replacingOccurrences(
            of: "          - name: ray-head\n", with: probes))
        let out = simulate(["review", manifest] + Self.bounds)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let text = Self.rayCluster().replacingOccurrences(
            of: "          - name: ray-head\n", with: probes)
        let line = 1 + (text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasSuffix("livenessProbe:") } ?? -1)
        let row = out.stdout.split(separator: "\n").first { $0.contains("head livenessProbe") }
        #expect(row?.hasSuffix("delay 0s, period 5s, timeout 1s, 3 failures, checks gcs  "
                               + "(user, line \(line))") == true, "\(out.stdout)")
        #expect(out.stdout.contains("head readinessProbe"))
        #expect(out.stdout.contains("runs a command the review does not recognise"))
        #expect(out.stdout.contains("worker group workers livenessProbe"))
        #expect(out.stdout.contains("(kuberay-default)"))
    }

    @Test("the library reviews a manifest in two lines")
    func library() throws {
        var assumptions = ReviewAssumptions()
        assumptions.granularity = .seconds(10)
        let review = try ManifestReview(
            manifest: Data(Self.rayCluster().utf8), assumptions: assumptions)
        #expect(review.run().holds)
    }
}

private func simulate(_ args: [String]) -> CommandOutcome { SimulateCommand.execute(args) }
