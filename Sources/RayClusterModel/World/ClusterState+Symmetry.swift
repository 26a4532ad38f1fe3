import SimulationKernel

/// Canonical forms for the checker (docs/checking.md, "Symmetry").
///
/// Workers are interchangeable unless something names one: permuting the indices of the
/// interchangeable workers everywhere (node array, pending events, the actor's host) gives a world
/// that behaves the same. A script step that names a worker (`worker-pod-delete` of worker 2)
/// tells that worker apart, so it is pinned: it keeps its index and is never swapped (see
/// ``RuleBook/interchangeableWorkers``). The canonical form sorts the interchangeable workers
/// among their own positions by their local state and their pending events, then sorts
/// simultaneous events; the head (node 0) never moves.
extension ClusterState {
    /// `interchangeable`: the worker indices that may be permuted among themselves, ascending.
    mutating func canonicalize(interchangeable: [Int]) {
        if interchangeable.count > 1 { sortWorkers(interchangeable) }
        agenda.normalize { $0.stableKey }
    }

    /// What distinguishes worker `w` from another: its node state, whether it hosts the actor,
    /// and its pending events (delay and kind), in a fixed order.
    func workerKey(_ w: Int) -> [UInt64] {
        let n = nodes[w]
        var key: [UInt64] = [
            UInt64(n.pod.rawValue) << 24 | UInt64(n.raylet.rawValue) << 16 | n.flagBits,
            UInt64(n.backoffLevel) << 32 | UInt64(n.restarts),
            actor.host == w ? 1 : 0,
        ]
        var events: [UInt64] = []
        for e in agenda.entries where e.kind.node == w {
            events.append(UInt64(bitPattern: e.remaining.milliseconds) << 8 | (e.kind.stableKey >> 32))
        }
        key.append(UInt64(events.count))
        key.append(contentsOf: events.sorted())
        return key
    }

    /// Sorts `workers` (ascending indices) among their own positions; every other node stays.
    mutating func sortWorkers(_ workers: [Int]) {
        let keys = workers.map(workerKey)
        let order = workers.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
        guard order != Array(workers.indices) else { return }
        var newIndex = Array(0..<nodes.count)
        for (position, old) in order.enumerated() { newIndex[workers[old]] = workers[position] }
        let oldNodes = nodes
        for w in workers { nodes[newIndex[w]] = oldNodes[w] }
        actor.host = newIndex[actor.host]
        agenda.rename { $0.renamingNode(newIndex) }
    }
}

extension NodeState {
    /// The node's storage and init flags, one bit each.
    var flagBits: UInt64 {
        let own: UInt64 = (ready ? 32 : 0) | (ownNamespaceStale ? 16 : 0) | (ownNamespaceStored ? 8 : 0)
        return own | (initPending ? 4 : 0) | (nodeStored ? 2 : 0) | (staleNode ? 1 : 0)
    }
}

extension Happening {
    /// A total order key: case tag and node index in one word (the same word the hash uses).
    var stableKey: UInt64 {
        let (tag, node) = tagAndNode
        return tag << 32 | UInt64(node)
    }

    /// This event with its node index mapped through `newIndex`.
    func renamingNode(_ newIndex: [Int]) -> Happening {
        switch self {
        case .podStarted(let n): .podStarted(newIndex[n])
        case .containerRestart(let n): .containerRestart(newIndex[n])
        case .backoffReset(let n): .backoffReset(newIndex[n])
        case .containerExited(let n): .containerExited(newIndex[n])
        case .rayletGivesUp(let n): .rayletGivesUp(newIndex[n])
        case .rayletReconnects(let n): .rayletReconnects(newIndex[n])
        case .rayletSelfCheckFails(let n): .rayletSelfCheckFails(newIndex[n])
        case .staleNodeMarkedDead(let n): .staleNodeMarkedDead(newIndex[n])
        case .readinessProbe(let n): .readinessProbe(newIndex[n])
        case .livenessFailing(let n): .livenessFailing(newIndex[n])
        case .livenessKill(let n): .livenessKill(newIndex[n])
        case .podGone(let n): .podGone(newIndex[n])
        default: self
        }
    }
}
