import Testing
import SimulationKernel
@testable import RayClusterModel

/// Rules state typed facts; the judge alone turns them into the monitors the properties read;
/// the text comes from the fact alone (Facts/, Judgement/).
@Suite("Typed facts and the judge")
struct FactsAndJudgeTests {
    /// Runs of every shipped model with a wide fault mix, and of a few variants that reach the
    /// rarer facts (manual supervision, in-memory storage, `max_restarts=-1`, Never, old KubeRay).
    /// Computed once for the suite's tests.
    static let sample = Result { try runs() }

    static func runs() throws -> [(model: String, run: RunResult<ClusterModel>)] {
        let files = ["kuberay-sample.json", "ft-equal-timeouts.json", "no-ft.json",
                     "redis-no-persistence.json", "apiserver-ha.json"]
        var definitions = try files.map(ModelFiles.load)
        let all = FaultBudget(kinds: FaultKind.faults, maxFaults: 3, horizon: .minutes(3))
        for i in definitions.indices { definitions[i].faults = all }
        var restarting = definitions[0]
        restarting.spec.actorMaxRestarts = -1
        var never = definitions[0]
        never.spec.headRestartPolicy = .never
        never.spec.workers = 2
        var old = definitions[1]
        old.spec.kuberayVersion = KubeRayVersion(1, 1)
        restarting.name += "-restarting"
        never.name += "-never"
        old.name += "-v1.1"
        definitions += [restarting, never, old]
        var runs: [(model: String, run: RunResult<ClusterModel>)] = []
        for d in definitions {
            let sim = Simulator(model: ClusterModel(d))
            runs += (0..<40).map { (d.name, sim.run(seed: $0)) }
        }
        return runs
    }

    @Test("every monitor flag is what the facts say: no rule sets a flag the judge did not derive")
    func monitorsFollowFacts() throws {
        for (_, r) in try Self.sample.get() {
            let facts = r.facts
            let workerLost = facts.contains { fact in
                guard case .rayletExited(let n, let cause) = fact else { return false }
                return n != ClusterState.head && cause.isOutageCaused
            }
            let actorLost = facts.contains { if case .actorDied = $0 { true } else { false } }
            let overdue = facts.contains(.recoveryOverdue)
            let monitor = r.finalState.monitor
            #expect(monitor.workerLostToOutage == workerLost, "seed \(r.seed!)")
            #expect(monitor.actorStateLost == actorLost, "seed \(r.seed!)")
            #expect(monitor.recoveryOverdue == overdue, "seed \(r.seed!)")
            #expect(r.held(ClusterProperties.workersSurvive) == !workerLost)
            #expect(r.held(ClusterProperties.actorSurvives) == !actorLost)
        }
    }

    @Test("a fact's text depends on the fact alone, within one model")
    func textComesFromTheFact() throws {
        var seen: [String: [ClusterFact: String]] = [:]
        var distinct = Set<String>()
        for (model, r) in try Self.sample.get() {
            for e in r.timeline {
                let text = e.event.component + " " + e.event.name + " " + e.event.detail
                if let before = seen[model]?[e.event.fact] {
                    #expect(before == text, "\(e.event.fact)")
                }
                seen[model, default: [:]][e.event.fact] = text
                distinct.insert(e.event.name)
            }
        }
        // The sample reaches most of the vocabulary; an empty timeline would prove nothing.
        #expect(distinct.count >= 30, "only \(distinct.sorted()) were reached")
    }

    @Test("an outage-caused exit of the head's raylet is not a lost worker")
    func headExitIsNoWorkerLoss() {
        let model = makeModel(faults: [.gcsProcessKill]) {
            $0.spec.workerReconnectTimeoutSeconds = 600
        }
        let r = earliestRun(model)
        #expect(r.facts.contains(.rayletExited(node: ClusterState.head, .reconnectTimeout)))
        #expect(r.held(ClusterProperties.workersSurvive))
    }
}
