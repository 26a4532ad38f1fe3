import SimulationKernel

/// Canonical forms for the checker (docs/checking.md, "Symmetry").
///
/// Workers are interchangeable unless something names one: permuting the indices of the
/// interchangeable workers everywhere (node array, pending events, the actor's host) gives a world
/// that behaves the same. A script step that names a worker (`worker-pod-delete` of worker 2)
/// tells that worker apart, so it is pinned: it keeps its index and is never swapped (see
/// ``RuleBook/interchangeableWorkers``). The canonical form sorts the interchangeable workers
/// among their own positions by their keys (``WorkerKeys``), then sorts simultaneous events; the
/// head (node 0) never moves. Keys and renaming both come from the one field description
/// (``FieldDescribed``), so every node index in the state is both told apart and renamed.
extension ClusterState {
    /// `interchangeable`: classes of worker indices (ascending) that may be permuted among
    /// themselves: one per worker group; workers of two classes never swap.
    mutating func canonicalize(interchangeable: [[Int]]) {
        agenda.normalize { $0.sortKey }
        guard !interchangeable.isEmpty, sortWorkers(interchangeable) else { return }
        agenda.normalize { $0.sortKey }
    }

    /// Sorts each class of workers (ascending indices) among its own positions; every other node
    /// stays. Returns whether any moved. The agenda must be normalized, so that each worker's
    /// events appear in its key in a canonical order.
    mutating func sortWorkers(_ classes: [[Int]]) -> Bool {
        let keys = workerKeys(of: classes.count == 1 ? classes[0] : classes.flatMap { $0 })
        var newIndex: [Int]? = nil
        for workers in classes where workers.count > 1 {
            let order = workers.indices.sorted { keys[workers[$0]] < keys[workers[$1]] }
            guard order != Array(workers.indices) else { continue }
            if newIndex == nil { newIndex = Array(0..<nodes.count) }
            for (position, old) in order.enumerated() {
                newIndex![workers[old]] = workers[position]
            }
        }
        guard let newIndex else { return false }
        renameNodes(newIndex)
        return true
    }

    /// Every node's symmetry key, by node index.
    func workerKeys() -> [UInt64] { workerKeys(of: Array(nodes.indices)) }

    /// The symmetry keys of `workers` (the others' are 0), by node index (``WorkerKeys``).
    func workerKeys(of workers: [Int]) -> [UInt64] {
        var visitor = WorkerKeys(nodeCount: nodes.count, wanted: workers)
        var copy = self
        copy.visitFields(&visitor)
        return visitor.keys
    }

    /// Maps every node index in the world through `newIndex` (a permutation of the nodes), the
    /// positions in ``nodes`` included.
    mutating func renameNodes(_ newIndex: [Int]) {
        var renaming = NodeRenaming(newIndex: newIndex)
        visitFields(&renaming)
    }
}

/// What distinguishes one node from another, for the wanted nodes, in one pass over the described
/// fields.
///
/// The world is cut into records: each node (at its index), each top-level field of
/// ``ClusterState``, each agenda entry (its delay and happening). A record's fields are packed
/// into words after a word naming the record (the top-level field's position), with every node
/// index replaced by one marker, and hashed; the record's hash then goes into the running key of
/// every wanted node it refers to. So a node's key digests its own fields, then the actor if it
/// hosts it, then its pending events (delay and kind), in state order; with the agenda
/// normalized that order is canonical. Keys are equivariant (renaming the world renames the
/// keys), which is what makes sorting by them a canonical form. Two workers that differ get equal
/// keys only by a 64-bit hash collision, and then the form is merely less reduced (the sort keeps
/// their order), never wrong: it is always a renaming of the world.
struct WorkerKeys: FieldVisitor {
    var keys: [UInt64]
    /// Only these nodes' keys are built: a record that refers to no wanted node is skipped.
    var wanted: [Bool]
    /// The record being built, and the nodes it refers to (two at most in this model's state;
    /// more go to `moreReferences`).
    var record = StableHasher()
    var packer = WordPacker()
    var firstReference = -1
    var secondReference = -1
    var moreReferences: [Int] = []
    /// Nesting below the top level of ``ClusterState``.
    var depth = 0
    /// Position of the top-level field being visited.
    var field: UInt64 = 0

    /// Stands for every node index inside a record.
    static let marker = UInt64(1 << FieldBits.node - 1)

    init(nodeCount: Int, wanted nodes: [Int]) {
        keys = Array(repeating: 0, count: nodeCount)
        wanted = Array(repeating: false, count: nodeCount)
        for n in nodes { wanted[n] = true }
    }

    @inline(__always)
    mutating func refer(to node: Int) {
        if firstReference < 0 { firstReference = node }
        else if secondReference < 0 { secondReference = node }
        else { moreReferences.append(node) }
    }

    @inline(__always)
    mutating func plain(_ label: StaticString, _ word: UInt64, bits: Int) {
        guard depth > 0 else { return field += 1 }
        if let full = packer.add(word, bits: bits) { record.combine(full) }
    }

    mutating func node(_ label: StaticString, _ index: inout Int) {
        let top = depth == 0
        if top { beginRecord() }
        refer(to: index)
        if let full = packer.add(Self.marker, bits: FieldBits.node) { record.combine(full) }
        if top { endRecord(); field += 1 }
    }

    mutating func record<R: FieldDescribed>(_ label: StaticString, _ value: inout R) {
        guard depth == 0 else { return value.visitFields(&self) }
        beginRecord()
        value.visitFields(&self)
        endRecord()
        field += 1
    }

    mutating func nodes(_ label: StaticString, _ nodes: inout [NodeState]) {
        for i in nodes.indices where wanted[i] {
            beginRecord()
            refer(to: i)
            var node = nodes[i]
            node.visitFields(&self)
            endRecord()
        }
        if depth == 0 { field += 1 }
    }

    mutating func agenda(_ label: StaticString, _ agenda: inout Agenda<Happening>) {
        for e in agenda.entries {
            // An event refers to a node only through its argument: skip the others at once.
            guard e.kind.kind.argument == .node, wanted[Int(e.kind.argument)] else { continue }
            beginRecord()
            if let full = packer.add(UInt64(bitPattern: e.remaining.milliseconds), bits: 64) {
                record.combine(full)
            }
            var kind = e.kind
            kind.visitFields(&self)
            endRecord()
        }
        if depth == 0 { field += 1 }
    }

    @inline(__always)
    mutating func beginRecord() {
        depth += 1
        record = StableHasher(seed: field)
        (firstReference, secondReference) = (-1, -1)
        if !moreReferences.isEmpty { moreReferences.removeAll(keepingCapacity: true) }
    }

    /// Folds the record into the key of each wanted node it refers to, once.
    mutating func endRecord() {
        depth -= 1
        if let last = packer.flush() { record.combine(last) }
        let digest = record.finalize()
        fold(digest, into: firstReference)
        if secondReference != firstReference { fold(digest, into: secondReference) }
        for (i, n) in moreReferences.enumerated()
        where n != firstReference && n != secondReference && !moreReferences[..<i].contains(n) {
            fold(digest, into: n)
        }
    }

    @inline(__always)
    mutating func fold(_ digest: UInt64, into node: Int) {
        guard node >= 0, wanted[node] else { return }
        var h = StableHasher(seed: keys[node])
        h.combine(digest)
        keys[node] = h.finalize()
    }
}

/// Maps every node index through a permutation of the nodes, and moves the nodes with it.
struct NodeRenaming: FieldVisitor {
    /// Node `i` becomes node `newIndex[i]`.
    let newIndex: [Int]

    @inline(__always)
    mutating func plain(_ label: StaticString, _ word: UInt64, bits: Int) {}

    @inline(__always)
    mutating func node(_ label: StaticString, _ index: inout Int) { index = newIndex[index] }

    mutating func record<R: FieldDescribed>(_ label: StaticString, _ value: inout R) {
        value.visitFields(&self)
    }

    mutating func nodes(_ label: StaticString, _ nodes: inout [NodeState]) {
        let old = nodes
        for i in old.indices {
            var node = old[i]
            node.visitFields(&self)
            nodes[newIndex[i]] = node
        }
    }

    mutating func agenda(_ label: StaticString, _ agenda: inout Agenda<Happening>) {
        let renaming = self
        agenda.rename { h in
            var renamed = h
            var visitor = renaming
            renamed.visitFields(&visitor)
            return renamed
        }
    }
}
