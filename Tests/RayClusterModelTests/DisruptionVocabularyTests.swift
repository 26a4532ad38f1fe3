import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// Faults and scripted steps are one vocabulary (``Disruption``): ids, lists and behaviour come
/// from it, so the two cannot drift apart.
@Suite("One disruption vocabulary")
struct DisruptionVocabularyTests {
    @Test("the faults are the disruptions that may be faults, in the order faults are chosen")
    func faultIDs() throws {
        #expect(FaultKind.faults.map(\.id) == Disruption.faultIDs)
        #expect(FaultKind.idList == Disruption.faultIDs.joined(separator: ", "))
        #expect(FaultKind.faults == FaultKind.faults.sorted(),
                "declaration order is the choice order")
        #expect(Set(FaultKind.headSide).isSubset(of: FaultKind.faults))
        // A step id is not a fault: refused with the field named, never taken as one.
        #expect(throws: InputError.self) { try FaultKind.parseList("gcs-start", field: "--faults") }
        do {
            _ = try FaultKind.parseList("gcs-process-kill,actor-call", field: "--faults")
            Issue.record("actor-call was taken as a fault")
        } catch {
            #expect(error.field == "--faults")
            #expect(error.problem.contains("a scenario step, not a fault"))
        }
    }

    @Test("the step ids are the disruptions that may be steps; each step is its disruption")
    func stepIDs() {
        let actions: [ScriptAction] = [
            .gcsProcessKill, .gcsProcessSigkill, .gcsStart(storageNamespace: nil), .redisFlush,
            .redisRestart, .headPodDelete, .headContainerCrash, .headPodEvict,
            .workerPodDelete(worker: 1), .actorCall,
        ]
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
             "steps": [{"at": "0s", "do": "head-container-crash"},
                       {"at": "0s", "do": "head-container-crash"}],
             "until": "1m"}
            """#.utf8), name: "crash-twice", baseDirectory: "/")
        let r = earliestRun(ClusterModel(scenario.definition), script: [])
        let skipped = r.facts.filter {
            if case .stepSkipped(.headContainerCrash) = $0 { true } else { false }
        }
        #expect(skipped.count == 1)
    }
}

/// The docs' tables list exactly the vocabulary: a new fault or step cannot go undocumented.
@Suite("Docs tables follow the disruption vocabulary")
struct DisruptionDocsTests {
    static func ids(inTableOf file: String, after heading: String) throws -> [String] {
        let path = ModelFiles.directory + "/../docs/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(text.range(of: heading), "\(file) has no \(heading)")
        var ids: [String] = []
        var inTable = false
        let rest = text[start.upperBound...]
        let lines = rest.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            if line.hasPrefix("|") {
                inTable = true
                let cell = line.dropFirst(2).prefix { $0 != " " && $0 != "|" }
                if cell.hasPrefix("`") && cell.hasSuffix("`") {
                    ids.append(String(cell.dropFirst().dropLast()))
                }
            } else if inTable {
                break
            }
        }
        return ids
    }

    @Test("docs/model.md and docs/model-files.md list every fault, in order")
    func faults() throws {
        let model = try Self.ids(inTableOf: "model.md", after: "Fault kinds are the disruptions")
        #expect(model == Disruption.faultIDs)
        let files = try Self.ids(inTableOf: "model-files.md", after: "### Fault ids")
        #expect(files == Disruption.faultIDs)
    }

    @Test("docs/scenarios.md lists every step")
    func steps() throws {
        let documented = try Self.ids(inTableOf: "scenarios.md", after: "| `do` |")
        #expect(Set(documented) == Set(Disruption.stepIDs))
    }
}
