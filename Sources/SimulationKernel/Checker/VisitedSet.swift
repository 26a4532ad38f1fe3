/// Where a one-thread search records the states it has seen.
@usableFromInline
protocol VisitedSet<State> {
    associatedtype State
    /// Adds `state`; true if it was not there yet. `fingerprint` is its stable fingerprint.
    mutating func insert(_ state: State, fingerprint: UInt64) -> Bool
    /// Distinct states stored.
    var count: Int { get }
    /// Bytes the store holds, by its own accounting.
    var bytes: Int { get }
    /// Starts loading what inserting these fingerprints will read (see ``FingerprintTable/prefetch(_:)``).
    func prefetch(_ fingerprints: UnsafeBufferPointer<UInt64>)
}


/// Fingerprints only: see ``FingerprintTable``.
@usableFromInline
struct FingerprintSet<State>: VisitedSet {
    @usableFromInline let table = FingerprintTable()
    @usableFromInline var stored = 0

    @inlinable init() {}

    @inlinable mutating func insert(_ state: State, fingerprint: UInt64) -> Bool {
        guard table.insert(fingerprint) else { return false }
        stored += 1
        return true
    }

    @inlinable var count: Int { stored }
    @inlinable var bytes: Int { table.bytes }

    @inlinable func prefetch(_ fingerprints: UnsafeBufferPointer<UInt64>) {
        table.prefetch(fingerprints)
    }
}

/// Whole states in a `Set`: exact, for small models and tests. Used for lookup only, never iterated.
@usableFromInline
struct ExactStateSet<State: Hashable>: VisitedSet {
    @usableFromInline var states = Set<State>()

    @inlinable init() {}

    @inlinable mutating func insert(_ state: State, fingerprint: UInt64) -> Bool {
        states.insert(state).inserted
    }

    @inlinable var count: Int { states.count }
    /// A rough figure: the inline size of a state plus a hash-table word, at load 3/4.
    @inlinable var bytes: Int { states.capacity * (MemoryLayout<State>.stride + 8) * 4 / 3 }

    @inlinable func prefetch(_ fingerprints: UnsafeBufferPointer<UInt64>) {}
}
