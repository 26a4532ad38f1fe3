/// The symbolic side of an agenda in zone mode: one clock per pending entry (the time since it was
/// armed), the window in which the entry may fire, and the zone over those clocks.
///
/// On the grid an entry carries its concrete delay; in zone mode it carries a window
/// `[earliest, latest]` instead, and the zone (a canonical DBM, clock `i + 1` for entry `i`) says
/// which combinations of clock values are still possible. The agenda keeps the two in step: a
/// scheduled entry adds a clock reset to 0, a cancelled or fired one removes its clock
/// (docs/checking.md, "Zones").
public struct AgendaZone<Kind: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    /// The zone over the entries' clocks, canonical; clock `i + 1` belongs to entry `i`.
    public var dbm: DBM
    /// Per entry, in the agenda's order: when it may fire.
    public var windows: [ClockWindow<Kind>]
    /// Per entry: a number naming it for the whole run (the concretiser follows entries by it).
    /// Not part of what the checker compares.
    public var serials: [UInt32]
    @usableFromInline var nextSerial: UInt32 = 0
    /// What the last step did to the timing, for the concretiser. Not compared by the checker.
    public var log = ZoneStepLog<Kind>()

    @inlinable init() {
        dbm = DBM(clocks: 0)
        windows = []
        serials = []
    }

    /// The largest constant each clock is compared with (entry 0 for the reference clock).
    @inlinable var maxConstants: [Int64] {
        var m: [Int64] = [0]
        m.reserveCapacity(windows.count + 1)
        for w in windows { m.append(w.largestConstant) }
        return m
    }
}

/// When one pending entry may fire, in zone mode: `earliest <= x <= latest` on its clock (or
/// `x < latest`, ``latestIsStrict``), and how it relates to another pending entry.
public struct ClockWindow<Kind: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    public var earliest: SimDuration
    /// Nil: no upper bound (the entry may wait forever, e.g. a fault that may never come).
    public var latest: SimDuration?
    /// Whether the entry fires strictly before `latest`: the phase of a periodic tick, which lies
    /// in `[0, period)` (``Agenda/schedule(_:phaseOf:after:granularity:choices:)``).
    public var latestIsStrict: Bool
    public var relation: Relation

    /// How an entry relates to another entry of the agenda.
    public enum Relation: Hashable, Codable, Sendable {
        case none
        /// The entry fires no later than `anchor` does: `anchor` may fire first only at an
        /// instant the entry's window is open, and the entry then fires at that same instant (a
        /// fault within the horizon, at the horizon's last instant at the latest).
        case precedes(Kind)
        /// `anchor` may fire first only while this entry's clock is below `bound` (strictly),
        /// and then cancels it (a connection check that comes after the deadline never happens).
        case cancelledBy(Kind, whileBelow: SimDuration)
    }

    @inlinable
    public init(earliest: SimDuration, latest: SimDuration?, latestIsStrict: Bool = false,
                relation: Relation = .none) {
        precondition(earliest >= .zero, "a window cannot open in the past (\(earliest))")
        precondition(latest.map { latestIsStrict ? $0 > earliest : $0 >= earliest } ?? true,
                     "a window's latest \(latest!) is before its earliest \(earliest)")
        precondition(latest != nil || !latestIsStrict, "a strict window needs a latest")
        self.earliest = earliest
        self.latest = latest
        self.latestIsStrict = latestIsStrict
        self.relation = relation
    }

    /// The bound the clock must stay within for the entry to be able to fire.
    @inlinable var latestBound: DBMBound? {
        latest.map { latestIsStrict ? .lessThan($0.milliseconds) : .lessEqual($0.milliseconds) }
    }

    @inlinable var largestConstant: Int64 {
        var m = Swift.max(earliest.milliseconds, latest?.milliseconds ?? 0)
        if case .cancelledBy(_, let bound) = relation { m = Swift.max(m, bound.milliseconds) }
        return m
    }
}

/// What one symbolic step did to the timing, in order: what the concretiser needs to turn a zone
/// path into concrete delays (docs/checking.md, "From a zone path to a concrete trace").
public struct ZoneStepLog<Kind: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    /// The serial of the entry that fired.
    public var fired: UInt32?
    /// One item per delay the grid would have drawn (``ChoiceSource/pickDelay(_:_:)``), in the
    /// order the step drew them: the entry scheduled, or nil for "not scheduled".
    public var draws: [ZoneDraw<Kind>?] = []
    /// Clock constraints a rule imposed in this step: entry serial, and whether the time since it
    /// was armed is zero (true) or positive (false).
    public var elapsedChecks: [ElapsedCheck] = []
    /// Entries whose anchor fired first (``ClockWindow/Relation/precedes(_:)``): they fire at
    /// this step's instant.
    public var urgent: [UInt32] = []

    @inlinable public init() {}

    public struct ElapsedCheck: Hashable, Codable, Sendable {
        public var serial: UInt32
        public var isZero: Bool
        @inlinable init(serial: UInt32, isZero: Bool) { self.serial = serial; self.isZero = isZero }
    }
}

/// An entry a symbolic step armed where the grid draws a delay.
public struct ZoneDraw<Kind: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    public var serial: UInt32
    public var kind: Kind
    public var window: ClockWindow<Kind>

    @inlinable init(serial: UInt32, kind: Kind, window: ClockWindow<Kind>) {
        (self.serial, self.kind, self.window) = (serial, kind, window)
    }
}

extension DBM: Codable {
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let n = try c.decode(Int.self)
        var raws: [DBMBound] = []
        while !c.isAtEnd { raws.append(DBMBound(raw: try c.decode(Int64.self))) }
        guard n >= 1, raws.count == n * n else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a DBM needs dimension² bounds"))
        }
        self.init(dimension: n, storage: raws)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(dimension)
        for b in storage { try c.encode(b.raw) }
    }
}
