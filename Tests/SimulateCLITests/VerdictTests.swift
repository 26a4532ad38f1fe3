import Foundation
import Testing
import RayClusterModel
import SimulationKernel
@testable import SimulateCLI

/// One verdict mapping for every command (VerdictWords.swift); a review that decides nothing is
/// never "holds"; a manifest KubeRay rejects is a finding; `check` decides every property, with
/// `--property` and `--stop-at-first`.
@Suite("Verdicts: one mapping, reviews that are not decided or rejected, every property decided")
struct VerdictTests {
    typealias Verdict = CheckReport.Verdict

    static func json(_ out: CommandOutcome) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8))
        return try #require(object as? [String: Any], "\(out.stdout)\(out.stderr)")
    }

    @Test("every verdict's word, JSON value, expectation word and exit code",
          arguments: [(Verdict.holds, "HOLDS", "holds", "held", Int32(0)),
                      (.violated, "VIOLATED", "violated", "violated", 1),
                      (.unknown, "UNKNOWN", "unknown", "incomplete", 3),
                      (.incomplete, "INCOMPLETE", "incomplete", "incomplete", 3)])
    func mapping(verdict: Verdict, word: String, json: String, expected: String, code: Int32) {
        #expect(verdict.word == word)
        #expect(verdict.jsonValue == json)
        #expect(verdict.expectationWord == expected)
        #expect(verdict.exitCode == code)
        #expect(verdict.isDecided == (code < 2))
        #expect(ReviewVerdict.checked(verdict).word == word)
        #expect(ReviewVerdict.checked(verdict).jsonValue == json)
        #expect(ReviewVerdict.checked(verdict).exitCode == code)
    }

    @Test("combined: any violated wins, then unknown, then incomplete; holds when all hold")
    func combined() {
        #expect(Verdict.combined([Verdict]()) == .holds)
        #expect(Verdict.combined([.holds, .holds]) == .holds)
        #expect(Verdict.combined([.holds, .incomplete]) == .incomplete)
        #expect(Verdict.combined([.incomplete, .unknown, .holds]) == .unknown)
        #expect(Verdict.combined([.unknown, .violated, .incomplete]) == .violated)
        #expect(Verdict.combined([.holds, .violated]) == .violated)
        #expect(ReviewVerdict.rejected.word == "REJECTED")
        #expect(ReviewVerdict.rejected.jsonValue == "rejected")
        #expect(ReviewVerdict.rejected.exitCode == 1)
        #expect(ReviewVerdict.combined([.checked(.violated), .rejected]) == .rejected)
        #expect(ReviewVerdict.combined([.checked(.holds), .checked(.unknown)])
            == .checked(.unknown))
        #expect(ReviewVerdict.combined([ReviewVerdict]()) == .checked(.holds))
    }

    @Test("an undecided expectation is neither met nor a mismatch: exit 3; a mismatch wins: exit 1")
    func expectations() {
        let undecided = ExpectationResult(property: "p", expected: "held",
                                          actual: Verdict.unknown.expectationWord,
                                          decided: Verdict.unknown.isDecided)
        #expect(!undecided.met)
        #expect(ExpectationResult.line(undecided)
            == "expectation p: expected held, got incomplete: not decided")
        let met = ExpectationResult(property: "q", expected: "violated", actual: "violated")
        let missed = ExpectationResult(property: "r", expected: "held", actual: "violated")
        #expect(ExpectationResult.exitCode([met]) == 0)
        #expect(ExpectationResult.exitCode([met, undecided]) == 3)
        #expect(ExpectationResult.exitCode([undecided, missed]) == 1)
    }

    /// The issue's KubeRay 1.1 cluster: workers at 75 s, whose zone check is unknown under a
    /// GCS process kill (the 500 ms grid violates it and holds at 88 s).
    static let v11WorkersAt75 = """
        apiVersion: ray.io/v1
        kind: RayCluster
        metadata:
          name: small
          annotations:
            ray.io/ft-enabled: "true"
        spec:
          headGroupSpec:
            rayStartParams:
              num-cpus: "0"
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
    static let v11Args = ["--kuberay-version", "1.1", "--faults", "gcs-process-kill"]

    @Test("KubeRay 1.1, workers at 75 s: zones show the violation (it was unknown), fix 88")
    func reviewOnceUnknownIsViolated() throws {
        // Zones used to concretise only the first violating symbolic path of a property; that one
        // cannot be made concrete here, another can, as the 500 ms grid agrees (violated at 75,
        // holds at 88).
        let file = try ReviewTests.file(Self.v11WorkersAt75)
        let text = SimulateCommand.execute(["review", file] + Self.v11Args)
        #expect(text.exitCode == 1, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("verdict: VIOLATED"))
        #expect(!text.stdout.contains("unknown"))
        #expect(text.stdout.contains("set it to at least 88"))
        let object = try Self.json(SimulateCommand.execute(["review", file, "--json"]
                                                           + Self.v11Args))
        #expect(object["verdict"] as? String == "violated")
    }

    @Test("a manifest KubeRay rejects: kuberay-rejects at its line in text, JSON and SARIF, exit 1")
    func reviewRejected() throws {
        let text = Self.v11WorkersAt75.replacingOccurrences(
            of: "ray.io/ft-enabled: \"true\"", with: "example.com/team: ml")
        let file = try ReviewTests.file(text)
        let line = try #require(ReviewGroupSettingsTests.line(of: "value: redis:6379", in: text))
        let human = SimulateCommand.execute(["review", file])
        #expect(human.exitCode == 1 && human.stderr.isEmpty, "\(human.stderr)")
        #expect(human.stdout.contains("error: KubeRay 1.7.0 rejects this RayCluster"))
        #expect(human.stdout.contains("(line \(line)). Fix:"))
        #expect(human.stdout.contains("rules: not checked"))
        #expect(human.stdout.contains("verdict: REJECTED"))
        let object = try Self.json(SimulateCommand.execute(["review", file, "--json"]))
        #expect(object["verdict"] as? String == "rejected")
        let finding = (object["findings"] as? [[String: Any]])?.first
        #expect(finding?["rule"] as? String == "kuberay-rejects")
        #expect(finding?["severity"] as? String == "error" && finding?["line"] as? Int == line)
        let sarif = try Self.json(SimulateCommand.execute(["review", file, "--format", "sarif"]))
        let result = ((sarif["runs"] as? [[String: Any]])?.first?["results"]
            as? [[String: Any]])?.first
        #expect(result?["ruleId"] as? String == "kuberay-rejects")
        #expect(result?["level"] as? String == "error")
        let region = ((result?["locations"] as? [[String: Any]])?.first?["physicalLocation"]
            as? [String: Any])?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int == line)
        // KubeRay 1.2 has no such rule: the cluster is checked (Ray uses the Redis it is given).
        let old = SimulateCommand.execute(["review", file, "--kuberay-version", "1.2",
                                           "--faults", "gcs-process-kill"])
        #expect(old.stdout.contains("rules (") && !old.stdout.contains("kuberay-rejects"))
        #expect(old.exitCode == 0 && old.stdout.contains("verdict: HOLDS"), "\(old.stdout)")
    }

    /// The issue's scenario: cluster-recovers (5 min bound) is violated first, and the other two
    /// properties hold: both must be decided.
    static let issueScenario = """
        {"cluster":{"ftEnabled":true,"kuberayVersion":"1.1.0","headReconnectTimeoutSeconds":3600,
        "workerReconnectTimeoutSeconds":900},"supervisor":"kubernetes",
        "steps":[{"at":"10s","do":"gcs-process-kill"}],"until":"1500s"}
        """

    /// The verdict lines: the block of `property ` lines before the statistics (the timeline's
    /// own last line names the property too).
    static func propertyLines(_ out: CommandOutcome) -> [String] {
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let block = lines.drop { !$0.hasPrefix("property ") }.prefix { $0.hasPrefix("property ") }
        return block.map(String.init)
    }

    @Test("every property decided past the first violation: holds, holds, violated",
          arguments: [[], ["--time", "grid"]])
    func everyPropertyDecided(time: [String]) throws {
        let file = try ReviewTests.file(Self.issueScenario, "issue.json")
        let out = SimulateCommand.execute(["check", file] + time)
        #expect(out.exitCode == 1, "\(out.stderr)")
        let lines = Self.propertyLines(out)
        #expect(lines.count == 3)
        #expect(lines.first == "property workers-survive-head-restart: holds")
        #expect(lines.dropFirst().first == "property detached-actor-survives: holds")
        #expect(lines.last?.hasPrefix("property cluster-recovers: VIOLATED") == true, "\(lines)")
        let object = try Self.json(SimulateCommand.execute(["check", file, "--json"] + time))
        #expect(object["stopReason"] as? String == "exhausted")
        let verdicts = (object["properties"] as? [[String: Any]])?.map { $0["verdict"] as? String }
        #expect(verdicts == ["holds", "holds", "violated"])
    }

    @Test("--stop-at-first restores the old output: the others not decided, stopReason violation")
    func stopAtFirst() throws {
        let file = try ReviewTests.file(Self.issueScenario, "issue.json")
        let out = SimulateCommand.execute(["check", file, "--stop-at-first"])
        #expect(out.exitCode == 1)
        #expect(Self.propertyLines(out) == [
            "property workers-survive-head-restart: not decided (search stopped: violation)",
            "property detached-actor-survives: not decided (search stopped: violation)",
            "property cluster-recovers: VIOLATED; shortest counterexample: 2 steps, not written "
                + "(to keep it: --trace-out DIR)",
        ])
        // The states the old default stored before it stopped: the first violating level.
        #expect(out.stdout.contains("3 distinct states, 2 transitions, max depth 2"))
        let model = SimulateCommand.execute(["check", path("models/no-ft.json"),
                                             "--stop-at-first"])
        #expect(model.stdout.contains("property cluster-recovers: not decided (search stopped: "
                                      + "violation)"))
        #expect(model.stdout.contains("not decided: reaches-recovery"))
        let all = SimulateCommand.execute(["check", path("models/no-ft.json")])
        #expect(all.stdout.contains("property cluster-recovers: holds"))
        #expect(all.stdout.contains("sometimes: 6 of 6 reached"))
    }

    @Test("--property checks only those: the others are not in the report, nor their expectations")
    func propertyFilter() throws {
        let out = SimulateCommand.execute(["check", path("models/no-ft.json"), "--property",
                                           "cluster-recovers", "--json"])
        #expect(out.exitCode == 0, "\(out.stderr)")
        let object = try Self.json(out)
        let ids = (object["properties"] as? [[String: Any]])?.map { $0["id"] as? String }
        #expect(ids == ["cluster-recovers"])
        #expect(object["verdict"] as? String == "holds")
        let two = SimulateCommand.execute(["check", path("models/no-ft.json"), "--property",
                                           "cluster-recovers,workers-survive-head-restart"])
        #expect(Self.propertyLines(two).map { $0.split(separator: ":")[0] }
            == ["property workers-survive-head-restart", "property cluster-recovers"])
        #expect(two.stdout.contains("properties: only workers-survive-head-restart, "
                                    + "cluster-recovers (--property)"))
        let scenario = try ReviewTests.file("""
            {"steps": [{"at": "0s", "do": "gcs-process-kill"}], "until": "10m",
             "expect": [{"property": "workers-survive-head-restart", "verdict": "held"},
                        {"property": "cluster-recovers", "verdict": "violated"}]}
            """, "expect.json")
        let filtered = SimulateCommand.execute(["check", scenario, "--property",
                                                "workers-survive-head-restart"])
        #expect(filtered.stdout.contains("expectation workers-survive-head-restart"))
        #expect(!filtered.stdout.contains("expectation cluster-recovers"))
    }

    @Test("a bad --property exits 2 naming the flag and listing the valid ids",
          arguments: ["foo", "cluster-recovers,", "workers-survive", ""])
    func badProperty(value: String) {
        let out = SimulateCommand.execute(["check", "--property", value])
        #expect(out.exitCode == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.hasPrefix("error: --property: "), "\(out.stderr)")
        #expect(out.stderr.contains("Fix: use one or more of workers-survive-head-restart, "
                                    + "detached-actor-survives, cluster-recovers"))
    }
}
