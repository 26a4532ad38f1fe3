import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// Faults and scripted steps are one vocabulary (``Disruption``): ids, lists and behaviour come
/// from it, so the two cannot drift apart.
@Suite("One disruption vocabulary")
struct DisruptionVocabularyTests {
    @Test("the fault ids are the disruptions that may be faults, in the order faults are chosen")
    func faultIDs() {
        #expect(FaultKind.allCases.map(\.rawValue) == Disruption.faultIDs)
        for kind in FaultKind.allCases { #expect(kind.disruption.asFault && kind.disruption.id == kind.rawValue) }
        #expect(FaultKind.idList == Disruption.faultIDs.joined(separator: ", "))
    }

    @Test("the step ids are the disruptions that may be steps; each step is its disruption")
    func stepIDs() {
        let actions: [ScriptAction] = [.gcsProcessKill, .gcsProcessSigkill, .gcsStart(storageNamespace: nil),
                                       .redisFlush, .redisRestart, .headPodDelete, .headContainerCrash,
                                       .headPodEvict, .workerPodDelete(worker: 1), .actorCall]
        #expect(Set(actions.map(\.id)) == Set(ScriptAction.ids))
        #expect(ScriptAction.ids == Disruption.stepIDs)
        for a in actions {
            #expect(a.disruption.asStep && a.id == a.disruption.id)
            #expect(a.isDisruptive == a.disruption.isDisruptive)
        }
        #expect(!Disruption.gcsStart.isDisruptive && !Disruption.actorCall.isDisruptive)
    }

    @Test("a scripted step without a target is skipped where the same fault would not be chosen")
    func sameTargetRule() throws {
        // The head container is backing off after a crash: a second crash has no target, as a
        // fault (not among the enabled kinds) and as a step (skipped).
        let scenario = try Scenario.parse(Data(#"""
            {"name": "crash-twice", "cluster": {"workers": 1},
             "steps": [{"at": "0s", "do": "head-container-crash"}, {"at": "0s", "do": "head-container-crash"}],
             "until": "1m"}
            """#.utf8), name: "crash-twice", baseDirectory: "/")
        let r = earliestRun(ClusterModel(scenario.definition), script: [])
        let skipped = r.facts.filter { if case .stepSkipped(.headContainerCrash) = $0 { true } else { false } }
        #expect(skipped.count == 1)
    }
}
