import Testing
import SimulationKernel
@testable import RayClusterModel

/// The one field description (`World/ClusterState+Fields.swift`) is complete, and the hash, the
/// symmetry key and the renaming built from it see every field.
@Suite("Encodings by construction")
struct EncodingTests {
    /// Labels a visitor sees at the top level of one value (nested records are not entered).
    struct Labels: FieldVisitor {
        var labels: [String] = []
        mutating func plain(_ label: StaticString, _ word: UInt64, bits: Int) {
            labels.append("\(label)")
        }
        mutating func node(_ label: StaticString, _ index: inout Int) { labels.append("\(label)") }
        mutating func record<R: FieldDescribed>(_ label: StaticString, _ value: inout R) {
            labels.append("\(label)")
        }
        mutating func nodes(_ label: StaticString, _ nodes: inout [NodeState]) {
            labels.append("\(label)")
        }
        mutating func agenda(_ label: StaticString, _ agenda: inout Agenda<Happening>) {
            labels.append("\(label)")
        }
    }

    static func visited(_ value: some FieldDescribed) -> [String] {
        var v = Labels()
        var copy = value
        copy.visitFields(&v)
        return v.labels
    }

    static func stored(_ value: Any) -> [String] {
        Mirror(reflecting: value).children.map { $0.label ?? "?" }
    }

    /// Three workers, the actor on worker 2, events for several nodes and one for a script step.
    static var sample: ClusterState {
        var s = ClusterModel(EmbeddedModels.kuberaySample).initialState
        s.nodes = Array(repeating: .running, count: 4)
        s.nodes[3].raylet = .reconnecting
        s.nodes[1].backoffLevel = 2
        s.actor.host = 2
        s.monitor.recoveredAfter = .seconds(3)
        s.agenda.schedule(.rayletGivesUp(3), after: .seconds(30))
        s.agenda.schedule(.podStarted(1), after: .seconds(5))
        s.agenda.schedule(.scriptStep(1), after: .seconds(5))
        s.agenda.schedule(.livenessKill(0), after: .seconds(7))
        return s
    }

    @Test("every stored field of each state type is described, once, in declaration order")
    func descriptionIsComplete() {
        let s = Self.sample
        #expect(Self.visited(s) == Self.stored(s))
        #expect(Self.visited(s.nodes[1]) == Self.stored(s.nodes[1]))
        #expect(Self.visited(s.actor) == Self.stored(s.actor))
        #expect(Self.visited(s.monitor) == Self.stored(s.monitor))
        for kind in Happening.Kind.allCases {
            let h = Happening(kind, kind.argument == .none ? 0 : 1)
            #expect(Self.visited(h) == Self.stored(h), "\(kind)")
        }
        // An agenda entry is its delay, its sequence (implied by the order) and its happening.
        #expect(Self.stored(s.agenda.entries[0]) == ["remaining", "sequence", "kind"])
    }

    /// One change per stored field of the world, by label: the table must cover every field.
    static let worldChanges: [String: @Sendable (inout ClusterState) -> Void] = [
        "nodes": { $0.nodes.append(.running) },
        "gcs": { $0.gcs = .loading },
        "redisUp": { $0.redisUp.toggle() },
        "storageHasCluster": { $0.storageHasCluster.toggle() },
        "gcsNamespace": { $0.gcsNamespace = 1 },
        "ownNamespaceHasCluster": { $0.ownNamespaceHasCluster.toggle() },
        "actor": { $0.actor.forgotten.toggle() },
        "faultsLeft": { $0.faultsLeft += 1 },
        "monitor": { $0.monitor.awaitingRecovery.toggle() },
        "agenda": { $0.agenda.schedule(.redisBack, after: .seconds(1)) },
    ]

    static let nodeChanges: [String: @Sendable (inout NodeState) -> Void] = [
        "pod": { $0.pod = .backingOff },
        "raylet": { $0.raylet = .unregistered },
        "nodeStored": { $0.nodeStored.toggle() },
        "staleNode": { $0.staleNode.toggle() },
        "backoffLevel": { $0.backoffLevel = NodeState.backoffLevelMax },
        "restarts": { $0.restarts = NodeState.restartsMax },
        "initPending": { $0.initPending.toggle() },
        "ownNamespaceStored": { $0.ownNamespaceStored.toggle() },
        "ownNamespaceStale": { $0.ownNamespaceStale.toggle() },
        "ready": { $0.ready.toggle() },
    ]

    static let actorChanges: [String: @Sendable (inout ActorState) -> Void] = [
        "status": { $0.status = .pendingRestart },
        "host": { $0.host = 3 },
        "value": { $0.value = ActorState.valueMax },
        "forgotten": { $0.forgotten.toggle() },
    ]

    static let monitorChanges: [String: @Sendable (inout Monitor) -> Void] = [
        "workerLostToOutage": { $0.workerLostToOutage.toggle() },
        "actorStateLost": { $0.actorStateLost.toggle() },
        "recoveryOverdue": { $0.recoveryOverdue.toggle() },
        "awaitingRecovery": { $0.awaitingRecovery.toggle() },
        "recoveredAfter": { $0.recoveredAfter = nil },
    ]

    @Test("changing any one field of the world changes its fingerprint")
    func everyFieldReachesTheHash() {
        let s = Self.sample
        #expect(Set(Self.worldChanges.keys) == Set(Self.stored(s)))
        #expect(Set(Self.actorChanges.keys) == Set(Self.stored(s.actor)))
        #expect(Set(Self.monitorChanges.keys) == Set(Self.stored(s.monitor)))
        var changed: [(String, ClusterState)] = []
        for (label, change) in Self.worldChanges {
            var t = s; change(&t); changed.append((label, t))
        }
        for (label, change) in Self.actorChanges {
            var t = s; change(&t.actor); changed.append((label, t))
        }
        for (label, change) in Self.monitorChanges {
            var t = s; change(&t.monitor); changed.append((label, t))
        }
        for (label, t) in changed {
            #expect(t != s && t.fingerprint != s.fingerprint, "\(label)")
        }
    }

    @Test("changing any one field of a worker changes the fingerprint and that worker's key only")
    func everyWorkerFieldReachesTheKey() {
        let s = Self.sample
        #expect(Set(Self.nodeChanges.keys) == Set(Self.stored(s.nodes[2])))
        let keys = s.workerKeys()
        for (label, change) in Self.nodeChanges {
            var t = s
            change(&t.nodes[2])
            #expect(t.fingerprint != s.fingerprint, "\(label)")
            let changed = t.workerKeys()
            #expect(changed[2] != keys[2], "\(label)")
            #expect(changed[1] == keys[1] && changed[3] == keys[3], "\(label)")
        }
    }

    @Test("the actor's host and a worker's pending events are in that worker's key")
    func referencesReachTheKey() {
        let s = Self.sample
        let keys = s.workerKeys()
        var moved = s
        moved.actor.host = 3
        #expect(moved.workerKeys()[2] != keys[2] && moved.workerKeys()[3] != keys[3])
        #expect(moved.workerKeys()[1] == keys[1])
        var later = s
        later.agenda.schedule(.containerExited(1), after: .seconds(9))
        #expect(later.workerKeys()[1] != keys[1])
        #expect(later.workerKeys()[2] == keys[2] && later.workerKeys()[3] == keys[3])
        var script = s
        script.agenda.schedule(.scriptStep(2), after: .seconds(9))
        #expect(script.workerKeys() == keys, "a script step's index is not a node")
    }

    static func inverse(_ p: [Int]) -> [Int] {
        var q = p
        for (i, j) in p.enumerated() { q[j] = i }
        return q
    }

    @Test("renaming workers moves every node reference, and renaming them back is the identity",
          arguments: [[0, 2, 3, 1], [0, 3, 2, 1], [0, 1, 2, 3]])
    func renamingRoundTrips(permutation: [Int]) {
        let s = Self.sample
        var t = s
        t.renameNodes(permutation)
        for i in s.nodes.indices { #expect(t.nodes[permutation[i]] == s.nodes[i]) }
        #expect(t.actor.host == permutation[s.actor.host])
        for (a, b) in zip(s.agenda.entries, t.agenda.entries) {
            #expect(a.remaining == b.remaining && a.kind.kind == b.kind.kind)
            #expect(b.kind.node == a.kind.node.map { permutation[$0] })
            #expect(a.kind.node != nil || a.kind.argument == b.kind.argument)
        }
        // Keys are equivariant: node i's key is node p(i)'s after renaming.
        let keys = s.workerKeys(), renamedKeys = t.workerKeys()
        for i in s.nodes.indices { #expect(renamedKeys[permutation[i]] == keys[i]) }
        #expect((t == s) == (permutation == Array(s.nodes.indices)))
        t.renameNodes(Self.inverse(permutation))
        #expect(t == s)
    }

    @Test("a world and any renaming of its workers have one canonical form", arguments: [
        [0, 2, 3, 1], [0, 3, 2, 1], [0, 2, 1, 3], [0, 1, 3, 2],
    ])
    func canonicalFormIsShared(permutation: [Int]) {
        var s = Self.sample
        s.agenda.schedule(.rayletGivesUp(1), after: .seconds(30))
        var t = s
        t.renameNodes(permutation)
        s.canonicalize(interchangeable: [[1, 2, 3]])
        t.canonicalize(interchangeable: [[1, 2, 3]])
        #expect(s == t)
        #expect(s.fingerprint == t.fingerprint)
    }

    @Test("every happening's sort key fits one word and tells happenings apart")
    func happeningSortKeys() {
        var seen: [UInt64: Happening] = [:]
        for kind in Happening.Kind.allCases {
            for argument in kind.argument == .none ? [0] : [0, 1, 64, Int(UInt16.max)] {
                let h = Happening(kind, argument)
                #expect(seen.updateValue(h, forKey: h.sortKey) == nil, "\(h)")
            }
        }
    }

    @Test("the saturating counters stop at their named bounds")
    func saturationBounds() {
        #expect(NodeState.restartsMax == 99 && ActorState.valueMax == 99)
        #expect(NodeState.backoffLevelMax == Timing.crashLoopBackoffLevelLimit)
        var timing = Timing()
        #expect(timing.crashLoopBackoffLevelMax == 6, "10, 20, 40, 80, 160, then the 300 s cap")
        timing.crashLoopBackoffInitial = .ms(1)
        timing.crashLoopBackoffMax = SimDuration.parsingMax
        #expect(timing.crashLoopBackoffLevelMax <= NodeState.backoffLevelMax)
        #expect(FieldBits.holding(NodeState.restartsMax) == 7 && FieldBits.holding(0) == 0)
    }
}
