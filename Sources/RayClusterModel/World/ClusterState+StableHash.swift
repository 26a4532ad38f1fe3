import SimulationKernel

/// The fingerprint of a world: every described field (``FieldDescribed``), packed into words by
/// ``WordPacker`` in description order, counts before what they count.
extension FieldDescribed {
    /// Hashes every described field, in description order.
    func hashDescribedFields(into h: inout StableHasher) {
        var visitor = StableHashVisitor(hasher: h)
        var copy = self
        copy.visitFields(&visitor)
        visitor.finish()
        h = visitor.hasher
    }
}

extension ClusterState: StableHashable {
    public func stableHash(into h: inout StableHasher) { hashDescribedFields(into: &h) }
}

extension Happening: StableHashable {
    public func stableHash(into h: inout StableHasher) { hashDescribedFields(into: &h) }

    /// A total order key for simultaneous events: the happening's fields packed into one word
    /// (its kind in the low bits). The checker's canonical form sorts simultaneous events by it.
    var sortKey: UInt64 {
        var packer = SingleWord()
        var copy = self
        copy.visitFields(&packer)
        return packer.packer.word
    }
}

/// Feeds the described fields to a ``StableHasher``: plain values and node indices alike, as
/// packed words; a list's count before its elements.
struct StableHashVisitor: FieldVisitor {
    var hasher: StableHasher
    var packer = WordPacker()

    init(hasher: StableHasher) { self.hasher = hasher }

    @inline(__always)
    mutating func plain(_ label: StaticString, _ word: UInt64, bits: Int) {
        if let full = packer.add(word, bits: bits) { hasher.combine(full) }
    }

    @inline(__always)
    mutating func node(_ label: StaticString, _ index: inout Int) {
        precondition(index >= 0 && index < 1 << FieldBits.node, "node index \(index) out of range")
        plain(label, UInt64(index), bits: FieldBits.node)
    }

    mutating func record<R: FieldDescribed>(_ label: StaticString, _ value: inout R) {
        value.visitFields(&self)
    }

    mutating func nodes(_ label: StaticString, _ nodes: inout [NodeState]) {
        plain(label, nodes.count)
        for n in nodes {
            var node = n
            node.visitFields(&self)
        }
    }

    mutating func agenda(_ label: StaticString, _ agenda: inout Agenda<Happening>) {
        plain(label, agenda.count)
        for e in agenda.entries {
            plain("remaining", UInt64(bitPattern: e.remaining.milliseconds), bits: 64)
            var kind = e.kind
            kind.visitFields(&self)
        }
        // Zone mode: the windows are part of the discrete world; the zone itself is not (the
        // zone checker keeps the zones of each discrete world apart, docs/checking.md).
        guard let zone = agenda.zone else { return }
        for w in zone.windows {
            plain("earliest", UInt64(bitPattern: w.earliest.milliseconds), bits: 64)
            plain("latest", UInt64(bitPattern: w.latest?.milliseconds ?? -1), bits: 64)
            plain("strict", w.latestIsStrict ? 1 : 0, bits: 1)
            switch w.relation {
            case .none:
                plain("relation", 0, bits: 2)
            case .precedes(var anchor):
                plain("relation", 1, bits: 2)
                anchor.visitFields(&self)
            case .cancelledBy(var anchor, let bound):
                plain("relation", 2, bits: 2)
                anchor.visitFields(&self)
                plain("bound", UInt64(bitPattern: bound.milliseconds), bits: 64)
            }
        }
    }

    /// Combines the last, unfinished word.
    mutating func finish() {
        if let last = packer.flush() { hasher.combine(last) }
    }
}

/// Packs a value that must fit one word (a ``Happening``): traps if it does not.
struct SingleWord: FieldVisitor {
    var packer = WordPacker()

    @inline(__always)
    mutating func plain(_ label: StaticString, _ word: UInt64, bits: Int) {
        precondition(packer.add(word, bits: bits) == nil, "\(label) does not fit the one word")
    }

    @inline(__always)
    mutating func node(_ label: StaticString, _ index: inout Int) {
        plain(label, UInt64(index), bits: FieldBits.node)
    }

    mutating func record<R: FieldDescribed>(_ label: StaticString, _ value: inout R) {
        value.visitFields(&self)
    }

    mutating func nodes(_ label: StaticString, _ nodes: inout [NodeState]) {
        preconditionFailure("a list does not fit one word")
    }

    mutating func agenda(_ label: StaticString, _ agenda: inout Agenda<Happening>) {
        preconditionFailure("a list does not fit one word")
    }
}
