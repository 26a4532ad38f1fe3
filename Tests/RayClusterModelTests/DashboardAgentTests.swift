import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// The head's dashboard agent (reference §9): its own GCS client with the head's timeout; when it
/// gives up, the head raylet fate-shares with it, even with the GCS back.
@Suite("The head's dashboard agent: fate-sharing near the deadline, drawn only when it matters")
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

    @Test("a GCS that stays away: the raylet's own deadline decides, the agent draws nothing")
    func noDrawWhileAway() {
        // The default model's `pkill gcs_server` keeps the head container until its raylet's
        // deadline: the agent's exit would only repeat one of the raylet's own outcomes, so it is
        // not drawn, and runs are the runs of the model without an agent.
        var d = EmbeddedModels.kuberaySample
        d.faults = FaultBudget(kinds: [.gcsProcessKill], maxFaults: 1, horizon: .minutes(1))
        let simulator = Simulator(model: ClusterModel(d))
        for seed: UInt64 in 0..<100 {
            let facts = simulator.run(seed: seed).timeline.map(\.event.fact)
            #expect(!facts.contains(.headAgentExited))
            #expect(facts.contains(.rayletExited(node: 0, .reconnectTimeout)))
        }
    }

    @Test("the agent's window is kept while it waits and cleared with the head raylet")
    func waitingState() throws {
        let model = ClusterModel(try Self.restarted(at: "10s"))
        var s = model.initialState
        var choices = ScriptedChoices(script: [])
        var events = DiscardEvents<ClusterEvent>()
        _ = model.step(&s, choices: &choices, events: &events)  // the kill at 0 s
        #expect(s.headAgentWaiting == .zero)  // the raylet's deadline took the window's first point
        #expect(s.nodes[0].raylet == .reconnecting)
        while s.nodes[0].raylet == .reconnecting,
              model.step(&s, choices: &choices, events: &events) != nil {}
        #expect(s.headAgentWaiting == nil)
    }
}

/// The lazy draw is a reduction: against the agent that draws its deadline when the outage
/// starts, it must reach the same worlds (with the agent's own bookkeeping projected out) and
/// give the same verdicts and figures.
@Suite("The agent's lazy draw against the eager agent")
struct DashboardAgentDifferentialTests {
    static func reachable(_ model: ClusterModel) -> (Set<UInt64>, CheckReport, SimDuration?) {
        var worlds: Set<UInt64> = []
        var monitor = RecoveryMonitor(workers: model.cluster.workers)
        let report = Explorer(model: model, options: CheckOptions(stopAtFirstViolation: false))
            .check { state, _ in
                monitor.observe(state)
                var projected = state
                projected.headAgentWaiting = nil
                projected.agenda.cancel { $0 == .headAgentGivesUp || $0 == .headAgentReconnects }
                model.canonicalize(&projected)
                worlds.insert(projected.fingerprint)
            }
        return (worlds, report, monitor.worstRecovery)
    }

    /// Checks `d` with the lazy and the eager agent: the same worlds, verdicts, worst recovery.
    static func compare(_ d: ModelDefinition) -> (lazy: CheckReport, eager: CheckReport) {
        let (lazyWorlds, lazy, lazyWorst) = reachable(ClusterModel(d, eagerHeadAgent: false))
        let (eagerWorlds, eager, eagerWorst) = reachable(ClusterModel(d, eagerHeadAgent: true))
        #expect(lazyWorlds == eagerWorlds)
        #expect(lazy.properties.map(\.verdict) == eager.properties.map(\.verdict))
        #expect(lazyWorst == eagerWorst)
        return (lazy, eager)
    }

    static var cases: [String] {
        ["3s", "9s", "9500ms", "10s", "10500ms", "11s"]
    }

    @Test("the same worlds, verdicts and worst recovery, GCS restarted by hand near T",
          arguments: cases)
    func sameWorlds(restart: String) throws {
        var d = try DashboardAgentTests.restarted(at: restart)
        d.timing.granularity = .ms(500)
        let (lazy, eager) = Self.compare(d)
        #expect(lazy.distinctStates <= eager.distinctStates)
    }

    @Test("the default model on a 10 s grid: the same worlds with far fewer transitions")
    func defaultModel() {
        var d = EmbeddedModels.kuberaySample
        d.timing.granularity = .seconds(10)
        let (lazy, eager) = Self.compare(d)
        #expect(lazy.transitions < eager.transitions)
    }
}
