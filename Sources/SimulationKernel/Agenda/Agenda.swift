/// The pending events of a world: timers and in-flight messages as data, each with its delay
/// relative to now.
///
/// Relative delays are what make the state space finite: two worlds that differ only in absolute
/// time are equal, and periodic behaviour folds into cycles. Entries are ordered by
/// (remaining delay, sequence); the sequence is insertion order, renumbered densely after every
/// step so it never grows without bound. When several entries are due at the same instant, which
/// goes first is a choice (``takeNext(choices:)``), never an accident of storage order.
public struct Agenda<Kind: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    /// One pending event.
    public struct Entry: Hashable, Codable, Sendable {
        public var remaining: SimDuration
        public var sequence: UInt32
        public var kind: Kind
    }

    /// Pending events, sorted by (remaining, sequence).
    public private(set) var entries: [Entry] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// Adds `kind` to fire `delay` from now, after everything already due at that instant.
    public mutating func schedule(_ kind: Kind, after delay: SimDuration) {
        precondition(delay >= .zero, "cannot schedule \(kind) in the past (delay \(delay))")
        var at = entries.count
        while at > 0 && entries[at - 1].remaining > delay { at -= 1 }
        entries.insert(Entry(remaining: delay, sequence: UInt32(entries.count), kind: kind), at: at)
        renumber()
    }

    /// Removes every pending event matching `predicate`.
    public mutating func cancel(where predicate: (Kind) -> Bool) {
        let before = entries.count
        entries.removeAll { predicate($0.kind) }
        if entries.count != before { renumber() }
    }

    /// Removes every pending event equal to `kind`.
    public mutating func cancel(_ kind: Kind) { cancel { $0 == kind } }

    /// The delay until the first pending event equal to `kind`, or nil if none is pending.
    public func remaining(_ kind: Kind) -> SimDuration? {
        entries.first { $0.kind == kind }?.remaining
    }

    public func contains(_ kind: Kind) -> Bool { remaining(kind) != nil }

    /// Moves time forward to the earliest pending event and removes it; when several are due at that
    /// instant, `choices` decides which goes first. Returns the time that passed and the event.
    public mutating func takeNext(choices: inout some ChoiceSource) -> (elapsed: SimDuration, kind: Kind)? {
        guard let first = entries.first else { return nil }
        let elapsed = first.remaining
        var due = 1
        while due < entries.count && entries[due].remaining == elapsed { due += 1 }
        let index = choices.choose(due)
        if elapsed > .zero {
            for i in entries.indices { entries[i].remaining -= elapsed }
        }
        let taken = entries.remove(at: index)
        renumber()
        return (elapsed, taken.kind)
    }

    /// Renames kinds (e.g. permuting worker ids for symmetry) keeping the (remaining, sequence) order.
    public mutating func rename(_ transform: (Kind) -> Kind) {
        for i in entries.indices { entries[i].kind = transform(entries[i].kind) }
    }

    private mutating func renumber() {
        for i in entries.indices { entries[i].sequence = UInt32(i) }
    }
}
