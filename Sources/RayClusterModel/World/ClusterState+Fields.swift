import SimulationKernel

/// The one description of the world's stored fields (docs/checking.md, "Encodings").
///
/// Each state type lists each of its stored fields exactly once, in declaration order, saying how
/// the field takes part in the checker's encodings: a plain value of so many bits, or a node
/// index that renaming workers must map. The stable hash (``StableHashVisitor``), the per-worker
/// symmetry key (``WorkerKeys``) and the renaming of workers (``NodeRenaming``) are visitors over
/// this description, so a field added to a state type and described here reaches all three, and
/// a field added and not described fails `EncodingTests` (which compares the labels visited with
/// `Mirror`'s).
protocol FieldVisitor {
    /// A field renaming leaves alone, as the low `bits` bits of `word` (the rest are zero).
    mutating func plain(_ label: StaticString, _ word: UInt64, bits: Int)
    /// A field holding an index into ``ClusterState/nodes``: renaming maps it.
    mutating func node(_ label: StaticString, _ index: inout Int)
    /// A field that is itself described field by field.
    mutating func record<R: FieldDescribed>(_ label: StaticString, _ value: inout R)
    /// The nodes: element i is node i, so renaming moves elements (the index is a reference too).
    mutating func nodes(_ label: StaticString, _ nodes: inout [NodeState])
    /// The pending events: each entry's delay and its happening, in agenda order.
    mutating func agenda(_ label: StaticString, _ agenda: inout Agenda<Happening>)
}

/// A type that describes its stored fields to a ``FieldVisitor``.
protocol FieldDescribed {
    /// Visits every stored field exactly once, in declaration order. Mutating only so that a
    /// renaming can map node indices; every other visitor leaves the value as it was.
    mutating func visitFields(_ v: inout some FieldVisitor)
}

/// Field widths of the encodings.
enum FieldBits {
    /// A node index: `cluster.workers` is at most 64 (``InputLimits/workers``), and a program that
    /// builds a bigger cluster traps in ``FieldVisitor/node(_:_:)``'s encoders, never collides.
    static let node = 16
    /// A case of a `UInt8` enum.
    static let enumCase = 8
    /// The bits that hold 0...max.
    static func holding(_ max: Int) -> Int {
        UInt64(max).bitWidth - UInt64(max).leadingZeroBitCount
    }
}

extension FieldVisitor {
    @inline(__always)
    mutating func plain(_ label: StaticString, _ value: Bool) {
        plain(label, value ? 1 : 0, bits: 1)
    }

    @inline(__always)
    mutating func plain<E: RawRepresentable<UInt8>>(_ label: StaticString, _ value: E) {
        plain(label, UInt64(value.rawValue), bits: FieldBits.enumCase)
    }

    @inline(__always)
    mutating func plain(_ label: StaticString, _ value: Int) {
        plain(label, UInt64(bitPattern: Int64(value)), bits: 64)
    }

    /// A count that saturates at `max`: it takes only the bits that hold 0...max.
    @inline(__always)
    mutating func plain(_ label: StaticString, _ value: Int, max: Int) {
        precondition(value >= 0 && value <= max, "\(label) is \(value), outside 0...\(max)")
        plain(label, UInt64(value), bits: FieldBits.holding(max))
    }

    /// An optional duration: nil as −1 ms, which no duration in the state takes.
    @inline(__always)
    mutating func plain(_ label: StaticString, _ value: SimDuration?) {
        plain(label, UInt64(bitPattern: (value ?? .ms(-1)).milliseconds), bits: 64)
    }
}

extension ClusterState: FieldDescribed {
    mutating func visitFields(_ v: inout some FieldVisitor) {
        v.nodes("nodes", &nodes)
        v.plain("gcs", gcs)
        v.plain("redisUp", redisUp)
        v.plain("storageHasCluster", storageHasCluster)
        v.plain("gcsNamespace", gcsNamespace)
        v.plain("ownNamespaceHasCluster", ownNamespaceHasCluster)
        v.record("actor", &actor)
        v.plain("faultsLeft", faultsLeft)
        v.record("monitor", &monitor)
        v.agenda("agenda", &agenda)
    }
}

extension NodeState: FieldDescribed {
    mutating func visitFields(_ v: inout some FieldVisitor) {
        v.plain("pod", pod)
        v.plain("raylet", raylet)
        v.plain("nodeStored", nodeStored)
        v.plain("staleNode", staleNode)
        v.plain("backoffLevel", backoffLevel, max: Self.backoffLevelMax)
        v.plain("restarts", restarts, max: Self.restartsMax)
        v.plain("initPending", initPending)
        v.plain("ownNamespaceStored", ownNamespaceStored)
        v.plain("ownNamespaceStale", ownNamespaceStale)
        v.plain("ready", ready)
    }
}

extension ActorState: FieldDescribed {
    mutating func visitFields(_ v: inout some FieldVisitor) {
        v.plain("status", status)
        v.node("host", &host)
        v.plain("value", value, max: Self.valueMax)
        v.plain("forgotten", forgotten)
    }
}

extension Happening: FieldDescribed {
    mutating func visitFields(_ v: inout some FieldVisitor) {
        v.plain("kind", kind)
        switch kind.argument {
        case .node:
            var n = Int(argument)
            v.node("argument", &n)
            argument = UInt16(n)
        case .scriptStep, .none:
            v.plain("argument", UInt64(argument), bits: UInt16.bitWidth)
        }
    }
}

/// Packs fields into 64-bit words, low bits first: a field that does not fit in what is left of
/// the current word starts the next one. The words depend only on the fields' widths and values,
/// so equal values give equal words, and a field's width is fixed by its type (and counts come
/// before what they count), so different values give different words.
struct WordPacker {
    var word: UInt64 = 0
    var used = 0

    /// Adds `value` (`bits` wide); returns a finished word when the field did not fit.
    @inline(__always)
    mutating func add(_ value: UInt64, bits: Int) -> UInt64? {
        precondition(bits == 64 || value >> UInt64(bits) == 0, "\(value) does not fit \(bits) bits")
        var full: UInt64? = nil
        if used + bits > 64 { full = word; (word, used) = (0, 0) }
        word |= value << UInt64(used)
        used += bits
        return full
    }

    /// The unfinished word, if any field went into it; starts a new one.
    @inline(__always)
    mutating func flush() -> UInt64? {
        guard used > 0 else { return nil }
        defer { (word, used) = (0, 0) }
        return word
    }
}
