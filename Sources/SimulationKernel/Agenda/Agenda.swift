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

        @inlinable init(remaining: SimDuration, sequence: UInt32, kind: Kind) {
            self.remaining = remaining
            self.sequence = sequence
            self.kind = kind
        }
    }

    /// Pending events, sorted by (remaining, sequence). In zone mode every `remaining` is zero and
    /// the order is the order of scheduling; ``zone`` holds the timing.
    @inlinable public var entries: [Entry] { storage }
    @usableFromInline var storage: [Entry] = []
    /// The timing in zone mode, boxed so a grid world carries one nil pointer and nothing else.
    @usableFromInline var zoneBox: ZoneBox<Kind>?

    /// An agenda on the grid: every pending event has a concrete delay.
    @inlinable public init() {}

    /// An agenda in zone mode (``isSymbolic``): delays are windows and a zone over their clocks,
    /// for the zone checker (docs/checking.md, "Zones").
    @inlinable public static func symbolic() -> Agenda {
        var a = Agenda()
        a.zoneBox = ZoneBox(AgendaZone())
        return a
    }

    /// Whether the agenda is in zone mode.
    @inlinable public var isSymbolic: Bool { zoneBox != nil }

    /// The timing of a zone-mode agenda; nil on the grid.
    @inlinable public var zone: AgendaZone<Kind>? { zoneBox?.value }

    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var count: Int { storage.count }

    /// Adds `kind` to fire `delay` from now, after everything already due at that instant.
    @inlinable public mutating func schedule(_ kind: Kind, after delay: SimDuration) {
        precondition(delay >= .zero, "cannot schedule \(kind) in the past (delay \(delay))")
        if isSymbolic { return arm(kind, ClockWindow(earliest: delay, latest: delay)) }
        var at = storage.count
        while at > 0 && storage[at - 1].remaining > delay { at -= 1 }
        storage.insert(Entry(remaining: delay, sequence: UInt32(storage.count), kind: kind), at: at)
        renumber()
    }

    /// Removes every pending event matching `predicate`.
    @inlinable public mutating func cancel(where predicate: (Kind) -> Bool) {
        if isSymbolic {
            for i in storage.indices.reversed() where predicate(storage[i].kind) { disarm(i) }
            return
        }
        let before = storage.count
        storage.removeAll { predicate($0.kind) }
        if storage.count != before { renumber() }
    }

    /// Removes every pending event equal to `kind`.
    @inlinable public mutating func cancel(_ kind: Kind) { cancel { $0 == kind } }

    /// The delay until the first pending event equal to `kind`, or nil if none is pending.
    /// On the grid only: in zone mode a delay is not one number (ask ``zone``).
    @inlinable public func remaining(_ kind: Kind) -> SimDuration? {
        precondition(!isSymbolic, "remaining(\(kind)) asked of a zone-mode agenda")
        return storage.first { $0.kind == kind }?.remaining
    }

    @inlinable public func contains(_ kind: Kind) -> Bool { storage.contains { $0.kind == kind } }

    /// Whether `kind` is pending and may be the next event to fire: on the grid, due no later
    /// than every other entry; in zone mode, its window can open before every other entry's
    /// closes.
    @inlinable public func mayFireNext(_ kind: Kind) -> Bool {
        guard let i = storage.firstIndex(where: { $0.kind == kind }) else { return false }
        if isSymbolic { return symbolicFiring(of: i, from: elapsedZone()) != nil }
        return storage[i].remaining == storage[0].remaining
    }

    /// Where tick `k` (0 is the next) of a periodic check falls, when the checks run every
    /// `period` on the grid through the time of the pending `anchor` (a deadline noticed at a
    /// check): before it, exactly at it, or after it. Nil when `anchor` is not pending.
    ///
    /// This is the one place where a timer's phase is derived from another timer, so models
    /// state the relation ("the reconnect comes at one of the checks before the deadline") and
    /// never compute with remaining times themselves.
    @inlinable
    public func tick(_ k: Int, every period: SimDuration, alignedTo anchor: Kind) -> Tick? {
        precondition(!isSymbolic,
                     "tick(_:every:alignedTo:) is the grid's; zones use scheduleAtCheck")
        guard let deadline = remaining(anchor) else { return nil }
        let first = SimDuration.ms(deadline.milliseconds % period.milliseconds)
        let at = first + SimDuration.ms(period.milliseconds) * Int64(k)
        return at < deadline ? .before(at) : at == deadline ? .at(at) : .after
    }

    /// The placement of a periodic tick relative to its anchor (``tick(_:every:alignedTo:)``).
    public enum Tick: Hashable, Sendable {
        /// Before the anchor, this far from now.
        case before(SimDuration)
        /// At the anchor's own time, this far from now.
        case at(SimDuration)
        case after
    }

    /// Moves time forward to the earliest pending event and removes it; when several are due at that
    /// instant, `choices` decides which goes first. Returns the time that passed and the event.
    ///
    /// In zone mode time passes symbolically: every entry whose window can open first is an
    /// alternative (``ChoiceSource/pickSymbolic(_:)``), the zone is narrowed to the timings where
    /// it does, and the elapsed time returned is zero.
    @inlinable public mutating func takeNext(choices: inout some ChoiceSource) -> (elapsed: SimDuration, kind: Kind)? {
        if isSymbolic { return takeNextSymbolic(choices: &choices).map { (.zero, $0) } }
        guard let first = storage.first else { return nil }
        let elapsed = first.remaining
        var due = 1
        while due < storage.count && storage[due].remaining == elapsed { due += 1 }
        let index = due == 1 ? 0 : choices.pickFirst(due)
        if elapsed > .zero {
            for i in storage.indices { storage[i].remaining -= elapsed }
        }
        let taken = storage.remove(at: index)
        renumber()
        return (elapsed, taken.kind)
    }

    /// Renames kinds (e.g. permuting worker ids for symmetry) keeping the (remaining, sequence) order.
    @inlinable public mutating func rename(_ transform: (Kind) -> Kind) {
        for i in storage.indices { storage[i].kind = transform(storage[i].kind) }
    }

    /// Sorts entries due at the same instant by `key`, keeping (remaining) order: a canonical form
    /// for the checker. Insertion order among simultaneous events only numbers the choice of which
    /// goes first, and the checker takes every order, so two agendas that differ only there behave
    /// the same.
    @inlinable public mutating func normalize(by key: (Kind) -> UInt64) {
        if isSymbolic { return normalizeSymbolic(by: key) }
        storage.sort { a, b in a.remaining != b.remaining ? a.remaining < b.remaining : key(a.kind) < key(b.kind) }
        renumber()
    }

    @inlinable mutating func renumber() {
        for i in storage.indices { storage[i].sequence = UInt32(i) }
    }
}
