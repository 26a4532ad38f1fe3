import Foundation
import Testing
import SimulateCLI
import RayClusterModel
import SimulationKernel

/// Every scripted scenario under models/scenarios/ (upstream FT tests and real-Ray observations).
let scenarioFiles: [String] = {
    let dir = path("models/scenarios")
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
}()

@Suite("Scripted scenarios: upstream FT suites and real-Ray observations")
struct ScenarioTests {
    @Test("there are scenarios for Ray's and KubeRay's FT tests and for the real-Ray observations")
    func present() {
        #expect(scenarioFiles.filter { $0.hasPrefix("ray-") }.count >= 5)
        #expect(scenarioFiles.filter { $0.hasPrefix("kuberay-") }.count >= 2)
        #expect(scenarioFiles.filter { $0.hasPrefix("real-ray-") }.count >= 4)
    }

    @Test("`simulate check` meets every expectation of the scenario", arguments: scenarioFiles)
    func checkMeetsExpectations(file: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SimulateCommand.execute(["check", path("models/scenarios/" + file), "--json", "--trace-out", dir.appendingPathComponent("cx.json").path])
        #expect(out.exitCode == 0, "\(out.stdout)\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let expectations = try #require(object["expectations"] as? [[String: Any]])
        #expect(!expectations.isEmpty)
        for e in expectations { #expect(e["met"] as? Bool == true, "\(e)") }
    }

    @Test("run and check agree on scripts whose outcome does not depend on choices", arguments: [
        ("ray-raylet-survives-with-redis.json", true), ("real-ray-restart-before-deadline.json", true),
        ("real-ray-restart-after-deadline.json", false), ("ray-redis-flushed-raylet-exits.json", false),
        ("kuberay-e2e-gcs-ft.json", true),
    ])
    func runAgreesWithCheck(file: String, survives: Bool) throws {
        let scenario = try Scenario.load(path: path("models/scenarios/" + file))
        let sim = Simulator(model: ClusterModel(scenario.definition))
        for seed: UInt64 in 0..<40 {
            #expect(sim.run(seed: seed).verdict("workers-survive-head-restart")!.held == survives, "seed \(seed)")
        }
        let check = ClusterCheck(scenario.definition).run()
        #expect((check.report.property("workers-survive-head-restart")!.verdict == .holds) == survives)
    }

    @Test("a GCS restarted at T+0.5 s: the raylet's check phase decides, and both outcomes happen (reference §9)")
    func boundaryHasBothOutcomes() throws {
        let scenario = try Scenario.load(path: path("models/scenarios/real-ray-restart-half-second-after-deadline.json"))
        let sim = Simulator(model: ClusterModel(scenario.definition))
        let outcomes = Set((0..<60 as Range<UInt64>).map { sim.runQuietly(seed: $0).verdict("workers-survive-head-restart")!.held })
        #expect(outcomes == [true, false])
    }

    @Test("after data loss the old raylet stays up unregistered and dies at its self-check within 60 s (reference §9)")
    func unregisteredUntilSelfCheck() throws {
        let scenario = try Scenario.load(path: path("models/scenarios/real-ray-data-loss-unregistered-until-self-check.json"))
        for seed: UInt64 in 0..<40 {
            let r = Simulator(model: ClusterModel(scenario.definition)).run(seed: seed)
            let unregistered = try #require(r.timeline.first { $0.event.name == "rayletUnregistered" && $0.event.component == "worker-1/raylet" })
            let exit = try #require(r.timeline.first { $0.event.name == "rayletExited" && $0.event.component == "worker-1/raylet" })
            #expect(exit.event.fact.rayletExitCause == .selfCheckFailed)
            #expect(exit.at >= unregistered.at && exit.at - unregistered.at <= .seconds(60))
        }
    }

    @Test("a node whose raylet died while the GCS was down is marked dead 17 s after the GCS serves again (reference §9)")
    func deadNodeAfterRestart() throws {
        var d = EmbeddedModels.kuberaySample
        d.faults = FaultBudget(kinds: [], maxFaults: 0, horizon: .zero)
        d.supervisor = .manual
        d.timing.gcsTableLoad = DurationRange(.ms(300), .ms(500))
        d.script = [ScriptStep(at: .zero, .gcsProcessKill), ScriptStep(at: .seconds(1), .workerPodDelete(worker: 1)),
                    ScriptStep(at: .seconds(5), .gcsStart(storageNamespace: nil))]
        d.until = .seconds(60)
        let r = Simulator(model: ClusterModel(d)).run(seed: 1)
        let serving = try #require(r.timeline.first { $0.event.name == "gcsServing" })
        let dead = try #require(r.timeline.first { $0.event.name == "nodeMarkedDead" })
        #expect(dead.at - serving.at == .seconds(17))
        #expect(r.timeline.allSatisfy { $0.event.name != "podCreated" }, "manual supervision recreates nothing")
    }

    @Test("`simulate run` prints the expectations and exits 0 when they are met")
    func runCommand() {
        let out = SimulateCommand.execute(["run", path("models/scenarios/issue-example-flush-other-namespace.json")])
        #expect(out.exitCode == 0)
        #expect(out.stdout.contains("expectation workers-survive-head-restart: expected violated, got violated: met"))
        #expect(out.stdout.contains("gcs-start: a GCS process is started on the head with storage namespace other"))
    }

    static let badScenarios: [(String, String)] = [
        (#"{"steps": [{"at": "0s", "do": "nuke-datacenter"}]}"#, "steps[0].do: unknown step \"nuke-datacenter\""),
        (#"{"steps": [{"at": "5s", "do": "gcs-process-kill"}, {"at": "1s", "do": "gcs-start"}]}"#, "steps[1].at: 1s comes before steps[0].at 5s"),
        (#"{"steps": [{"at": "0s", "do": "redis-flush", "storageNamespace": "x"}]}"#, "steps[0].storageNamespace: unknown field"),
        (#"{"steps": [{"at": "0s"}]}"#, "steps[0].do: missing"),
        (#"{"steps": [{"at": "-1s", "do": "actor-call"}]}"#, "steps[0].at"),
        (#"{"supervisor": "systemd", "steps": []}"#, "supervisor: unknown supervisor"),
        (#"{"steps": [], "expect": [{"property": "fast", "verdict": "held"}]}"#, "expect[0].property"),
        (#"{"steps": [], "expect": [{"property": "cluster-recovers", "verdict": "maybe"}]}"#, "expect[0].verdict"),
        (#"{"steps": [{"at": "90s", "do": "actor-call"}], "until": "60s"}"#, "until: 1m is before the last step"),
        (#"{"steps": [{"at": "0s", "do": "worker-pod-delete", "worker": 3}]}"#, "steps[0].worker"),
        (#"{"cluster": {"workerReconnectTimeoutSeconds": -1}, "steps": []}"#, "cluster.workerReconnectTimeoutSeconds: -1 is negative"),
        (#"{"cluster": "missing-model.json", "steps": []}"#, "cluster: model file missing-model.json"),
    ]

    @Test("bad scenario files exit 2 naming the step or field", arguments: badScenarios)
    func badScenario(text: String, message: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try Data(text.utf8).write(to: file)
        for command in [["run", file.path], ["check", file.path]] {
            let out = SimulateCommand.execute(command)
            #expect(out.exitCode == 2)
            #expect(out.stderr.contains(message), "\(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
    }
}
