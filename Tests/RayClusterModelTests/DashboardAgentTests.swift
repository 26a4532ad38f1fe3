import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// The head's dashboard agent (reference §9): its own GCS client with the head's timeout; when it
/// gives up, the head raylet fate-shares with it, even with the GCS back.
@Suite("The head's dashboard agent: fate-sharing near the deadline, one deadline per outage")
struct DashboardAgentTests {
    /// Manual supervision, head and workers on 10 s, the GCS killed at 0 and started at `restart`.
    static func restarted(at restart: String) throws -> ModelDefinition {
        let text = """
            {"cluster": {"ftEnabled": true, "workerReconnectTimeoutSeconds": 10,
                         "headReconnectTimeoutSeconds": 10, "redisPersistence": "appendOnly"},
             "timing": {"gcsTableLoad": {"min": "300ms", "max": "500ms"}},
             "supervisor": "manual", "check": {"granularity": "100ms"},
             "steps": [{"at": "0s", "do": "gcs-process-kill"},
                       {"at": "\(restart)", "do": "gcs-start"}],
             "until": "80s"}
            """
        return try Scenario.parse(Data(text.utf8), name: "agent", baseDirectory: "/").definition
    }

    static func headFates(_ d: ModelDefinition, seeds: Range<UInt64>) -> Set<String> {
        let simulator = Simulator(model: ClusterModel(d))
        var fates: Set<String> = []
        for seed in seeds {
            let facts = simulator.run(seed: seed).timeline.map(\.event.fact)
            let exit = facts.compactMap { fact -> RayletExitCause? in
                if case .rayletExited(0, let cause) = fact { cause } else { nil }
            }.first
            let agentExited = facts.contains(.headAgentExited)
            #expect(agentExited == (exit == .agentFateShared))
            fates.insert(exit.map { "\($0)" } ?? "survived")
        }
        return fates
    }

    @Test("a GCS back at the deadline: some runs lose the head raylet to its agent, others not")
    func fateSharesNearDeadline() throws {
        let fates = Self.headFates(try Self.restarted(at: "10s"), seeds: 0..<200)
        #expect(fates.contains("agentFateShared"))
        #expect(fates.contains("survived") || fates.contains("reconnectTimeout"))
    }

    @Test("a GCS back well before the deadline: the agent reconnects and the head raylet lives")
    func earlyRestartSurvives() throws {
        #expect(Self.headFates(try Self.restarted(at: "3s"), seeds: 0..<100) == ["survived"])
    }

    @Test("a GCS that stays away: the head raylet ends in its deadline window, by either client")
    func awayEndsInWindow() throws {
        // `pkill gcs_server` under Kubernetes keeps the head container until a deadline: the
        // agent's or the raylet's, both in [T, T + one check] after the kill.
        let text = """
            {"cluster": {"ftEnabled": true}, "supervisor": "kubernetes",
             "steps": [{"at": "0s", "do": "gcs-process-kill"}], "until": "120s"}
            """
        let d = try Scenario.parse(Data(text.utf8), name: "away", baseDirectory: "/").definition
        let timeout = d.cluster.reconnectTimeout(of: 0)
        let window = timeout...(timeout + d.timing.connectionCheckInterval)
        let simulator = Simulator(model: ClusterModel(d))
        var causes: Set<String> = []
        for seed: UInt64 in 0..<100 {
            let timeline = simulator.run(seed: seed).timeline
            let exit = timeline.first { entry in
                if case .rayletExited(0, _) = entry.event.fact { true } else { false }
            }
            guard let exit, case .rayletExited(_, let cause) = exit.event.fact else {
                Issue.record("seed \(seed): the head raylet did not exit")
                continue
            }
            #expect(window.contains(exit.at), "seed \(seed): exit at \(exit.at)")
            causes.insert("\(cause)")
        }
        #expect(causes == ["agentFateShared", "reconnectTimeout"])
    }

    /// The issue's case: manual supervision, Ray's 60 s default, two outages a second apart, the
    /// second one half a second long.
    static let doubleOutage = """
        {"name": "agent-double-outage", "cluster": {"ftEnabled": true, "workers": 1},
         "supervisor": "manual", "check": {"granularity": "500ms"},
         "steps": [{"at": "0s", "do": "gcs-process-kill"}, {"at": "55s", "do": "gcs-start"},
                   {"at": "56s", "do": "gcs-process-kill"}, {"at": "56500ms", "do": "gcs-start"}]}
        """

    @Test("two outages a second apart: each draws its own deadline, every engine holds")
    func doubleOutageAgrees() throws {
        let d = try Scenario.parse(Data(Self.doubleOutage.utf8), name: "agent-double-outage",
                                   baseDirectory: "/").definition
        let options = CheckOptions(stopAtFirstViolation: false)
        let grid = ClusterCheck(d, options: options).run().report
        let zones = ClusterCheck(d, options: options, time: .zones).run().report
        for report in [grid, zones] {
            #expect(report.stopReason == .exhausted)
            #expect(report.property("cluster-recovers")?.verdict == .holds)
            #expect(report.property("workers-survive-head-restart")?.verdict == .holds)
        }
        let simulator = Simulator(model: ClusterModel(d))
        for seed: UInt64 in 0..<50 {
            let facts = simulator.run(seed: seed).timeline.map(\.event.fact)
            #expect(!facts.contains(.headAgentExited), "seed \(seed)")
        }
    }

    @Test("a second outage draws a fresh deadline: the head ends T after the second kill")
    func freshDeadlinePerOutage() throws {
        // The GCS is back at 3 s (every client reconnects within a check) and killed for good at
        // 6 s: the head's clients time out in [16 s, 17 s], never in the first outage's window.
        let text = """
            {"cluster": {"ftEnabled": true, "workerReconnectTimeoutSeconds": 10,
                         "headReconnectTimeoutSeconds": 10},
             "timing": {"gcsTableLoad": {"min": "300ms", "max": "500ms"}},
             "supervisor": "manual",
             "steps": [{"at": "0s", "do": "gcs-process-kill"}, {"at": "3s", "do": "gcs-start"},
                       {"at": "6s", "do": "gcs-process-kill"}],
             "until": "40s"}
            """
        let d = try Scenario.parse(Data(text.utf8), name: "fresh", baseDirectory: "/").definition
        let simulator = Simulator(model: ClusterModel(d))
        for seed: UInt64 in 0..<100 {
            let timeline = simulator.run(seed: seed).timeline
            let exits = timeline.filter { entry in
                if case .rayletExited(0, _) = entry.event.fact { true } else { false }
            }
            #expect(exits.count == 1, "seed \(seed)")
            guard let exit = exits.first else { continue }
            #expect((SimDuration.seconds(16)...SimDuration.seconds(17)).contains(exit.at),
                    "seed \(seed): the head raylet exited at \(exit.at)")
        }
    }
}
