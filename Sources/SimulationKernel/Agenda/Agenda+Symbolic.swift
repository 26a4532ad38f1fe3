/// The agenda's timing seam: where a rule declares an uncertain delay, and what each engine makes
/// of it. The simulator draws a grid point with its seed, the grid checker tries every grid
/// point, and in zone mode the delay stays a window on a clock (docs/checking.md, "Zones").
extension Agenda {
    /// Schedules `kind` after a delay somewhere in `range`. On the grid the delay is one of the
    /// range's grid points of `granularity` (both ends included), chosen by `choices`, and is
    /// returned; in zone mode the entry fires anywhere in the range and `range.min` is returned
    /// (for event text only: zone steps record no events).
    @inlinable @discardableResult
    public mutating func schedule(_ kind: Kind, in range: DurationRange, granularity: SimDuration,
                                  choices: inout some ChoiceSource) -> SimDuration {
        if isSymbolic {
            arm(kind, ClockWindow(earliest: range.min, latest: range.max), drawn: true)
            return range.min
        }
        let n = range.gridCount(granularity: granularity)
        let i = choices.chooseDelay(n) { range.gridPoint($0, granularity: granularity) }
        let delay = range.gridPoint(i, granularity: granularity)
        schedule(kind, after: delay)
        return delay
    }

    /// Schedules `kind` at the first tick, `start` from now or later, of a periodic check whose
    /// phase is unknown: somewhere in `[start, start + period)`. On the grid the delay is one of
    /// the grid points of `granularity` in that half-open range (``DurationRange/phase(of:after:granularity:)``);
    /// in zone mode the window is open at its end, so every real phase is explored and the
    /// next period's first tick is not. Returns what ``schedule(_:in:granularity:choices:)`` does.
    @inlinable @discardableResult
    public mutating func schedule(_ kind: Kind, phaseOf period: SimDuration, after start: SimDuration,
                                  granularity: SimDuration,
                                  choices: inout some ChoiceSource) -> SimDuration {
        guard isSymbolic, period > .zero else {
            let range = DurationRange.phase(of: period, after: start, granularity: granularity)
            return schedule(kind, in: range, granularity: granularity, choices: &choices)
        }
        arm(kind, ClockWindow(earliest: start, latest: start + period, latestIsStrict: true),
            drawn: true)
        return start
    }

    /// Schedules `reconnect` at one of the next `checks` ticks of a periodic check that runs every
    /// `period` in phase with the pending `deadline` (the deadline is noticed at a check), unless
    /// the chosen tick comes after the deadline: then nothing is scheduled. A tick at the
    /// deadline itself is scheduled at the deadline's instant and sees the channel first: the
    /// deadline's event must then yield to it (the model's rule for the deadline checks whether
    /// `reconnect` is still pending), and if the channel goes away again before that instant, the
    /// deadline still stands.
    ///
    /// In zone mode the phase is not a number: `reconnect` fires within `checks · period`, and
    /// `deadline` may fire first only while `reconnect`'s clock is below `(checks - 1) · period`
    /// (a tick after the deadline exists exactly then), cancelling it. Exact but for the ticks'
    /// spacing, which a zone cannot state; the concretiser places the ticks (docs/checking.md).
    @inlinable
    public mutating func scheduleAtCheck(_ reconnect: Kind, checks: Int, every period: SimDuration,
                                         before deadline: Kind, choices: inout some ChoiceSource) {
        precondition(checks >= 1, "scheduleAtCheck needs at least one check, got \(checks)")
        if isSymbolic {
            let window = ClockWindow(
                earliest: .zero, latest: period * Int64(checks),
                relation: .cancelledBy(deadline, whileBelow: period * Int64(checks - 1)))
            return arm(reconnect, window, drawn: true)
        }
        let k = choices.chooseDelay(checks) { i in
            switch tick(i, every: period, alignedTo: deadline) {
            case .before(let at)?, .at(let at)?: at
            case .after?, nil: nil
            }
        }
        switch tick(k, every: period, alignedTo: deadline) {
        case .before(let at)?, .at(let at)?:
            schedule(reconnect, after: at)
        case .after?, nil:
            break
        }
    }

    /// In zone mode: whether the time since `kind` was armed is zero, as a choice between the
    /// sides the zone allows (the zone is narrowed to the side taken). Nil when `kind` is not
    /// pending.
    @inlinable
    public mutating func armedThisInstant(_ kind: Kind, choices: inout some ChoiceSource) -> Bool? {
        precondition(isSymbolic, "armedThisInstant is for zone mode")
        guard let i = storage.firstIndex(where: { $0.kind == kind }) else { return nil }
        let z = zoneBox!.value.dbm
        var zero = z, positive = z
        let sides = [zero.constrainUpper(i + 1, .lessEqual(0)),
                     positive.constrainLower(i + 1, .lessThan(0))]
        let open = sides.indices.filter { sides[$0] }
        precondition(!open.isEmpty, "a zone-mode clock is neither zero nor positive")
        let isZero = open[choices.chooseSymbolic(open.count)] == 0
        withZone { zone in
            zone.dbm = isZero ? zero : positive
            zone.log.elapsedChecks.append(.init(serial: zone.serials[i], isZero: isZero))
        }
        return isZero
    }

    /// In zone mode: the least and the greatest time since `kind` was armed, over the zone
    /// (exact: the infimum and supremum of its clock). Nil when `kind` is not pending.
    @inlinable public func armedFor(_ kind: Kind) -> (least: DBMBound, most: DBMBound)? {
        precondition(isSymbolic, "armedFor is for zone mode")
        guard let i = storage.firstIndex(where: { $0.kind == kind }) else { return nil }
        let z = zoneBox!.value.dbm
        return (z.lowerBound(of: i + 1), z.upperBound(of: i + 1))
    }

    /// In zone mode: the zone in which `kind` fires next (time passed as far as the windows
    /// allow, its guard and relations applied), over the clocks ``clock(of:)`` numbers; nil when
    /// it is not pending or cannot fire next.
    public func symbolicFiringZone(of kind: Kind) -> DBM? {
        precondition(isSymbolic, "symbolicFiringZone is for zone mode")
        guard let i = storage.firstIndex(where: { $0.kind == kind }) else { return nil }
        return symbolicFiring(of: i, from: elapsedZone())
    }

    /// In zone mode: the DBM clock of the pending `kind`, and its window; nil when not pending.
    public func clock(of kind: Kind) -> (clock: Int, window: ClockWindow<Kind>)? {
        precondition(isSymbolic, "clock(of:) is for zone mode")
        guard let i = storage.firstIndex(where: { $0.kind == kind }) else { return nil }
        return (i + 1, zoneBox!.value.windows[i])
    }

    /// Ends a zone-mode step: applies the max-bounds extrapolation
    /// (``DBM/extrapolateMaxBounds(_:)``) with each clock's own largest constant, so the zone graph
    /// is finite. A no-op on the grid.
    @inlinable public mutating func finishSymbolicStep() {
        guard isSymbolic else { return }
        withZone { zone in zone.dbm.extrapolateMaxBounds(zone.maxConstants) }
    }
}

// MARK: - Zone-mode mechanics

extension Agenda {
    @inlinable mutating func withZone<R>(_ body: (inout AgendaZone<Kind>) -> R) -> R {
        if !isKnownUniquelyReferenced(&zoneBox) { zoneBox = ZoneBox(zoneBox!.value) }
        return body(&zoneBox!.value)
    }

    /// Appends `kind` with a fresh clock reset to 0.
    @inlinable mutating func arm(_ kind: Kind, _ window: ClockWindow<Kind>, drawn: Bool = false) {
        storage.append(Entry(remaining: .zero, sequence: UInt32(storage.count), kind: kind))
        withZone { zone in
            zone.dbm = zone.dbm.addingClock()
            zone.windows.append(window)
            zone.serials.append(zone.nextSerial)
            if drawn {
                zone.log.draws.append(ZoneDraw(serial: zone.nextSerial, kind: kind, window: window))
            }
            zone.nextSerial += 1
        }
    }

    /// Records, in zone mode, a delay the grid would have drawn as "not scheduled".
    @inlinable mutating func noteUndrawn() {
        withZone { zone in zone.log.draws.append(nil) }
    }

    /// Removes entry `i` and its clock.
    @inlinable mutating func disarm(_ i: Int) {
        storage.remove(at: i)
        renumber()
        withZone { zone in
            zone.dbm = zone.dbm.removingClock(i + 1)
            zone.windows.remove(at: i)
            zone.serials.remove(at: i)
        }
    }

    /// The zone after time has passed as far as every entry's window allows.
    @inlinable func elapsedZone() -> DBM {
        let zone = zoneBox!.value
        var z = zone.dbm
        z.delay()
        for (i, w) in zone.windows.enumerated() {
            if let bound = w.latestBound { _ = z.constrainUpper(i + 1, bound) }
        }
        return z
    }

    /// The zone in which entry `i` fires next from the elapsed zone `z`, or nil if it cannot.
    @inlinable func symbolicFiring(of i: Int, from z: DBM) -> DBM? {
        let zone = zoneBox!.value
        var fired = z
        guard fired.constrainLower(i + 1, .lessEqual(zone.windows[i].earliest.milliseconds)) else {
            return nil
        }
        let kind = storage[i].kind
        for (j, w) in zone.windows.enumerated() where j != i {
            switch w.relation {
            case .precedes(let anchor) where anchor == kind:
                // The anchor may fire first only at an instant the entry may fire too: it then
                // fires at that same instant (as on the grid, where it is due then).
                guard fired.constrainLower(j + 1, .lessEqual(w.earliest.milliseconds)) else {
                    return nil
                }
            case .cancelledBy(let anchor, let bound) where anchor == kind:
                guard fired.constrainUpper(j + 1, .lessThan(bound.milliseconds)) else { return nil }
            default:
                continue
            }
        }
        return fired
    }

    @inlinable mutating func takeNextSymbolic(choices: inout some ChoiceSource) -> Kind? {
        withZone { zone in zone.log = ZoneStepLog<Kind>() }
        let z = elapsedZone()
        var firings: [(index: Int, zone: DBM)] = []
        for i in storage.indices {
            if let fired = symbolicFiring(of: i, from: z) { firings.append((i, fired)) }
        }
        guard !firings.isEmpty else { return nil }
        let (i, fired) = firings[choices.chooseSymbolic(firings.count)]
        let kind = storage[i].kind
        withZone { zone in
            zone.dbm = fired
            zone.log.fired = zone.serials[i]
        }
        disarm(i)
        for j in storage.indices.reversed() {
            switch zoneBox!.value.windows[j].relation {
            case .cancelledBy(let anchor, _) where anchor == kind:
                disarm(j)
            case .precedes(let anchor) where anchor == kind:
                withZone { zone in
                    zone.windows[j] = ClockWindow(earliest: .zero, latest: .zero)
                    zone.dbm.reset(j + 1)
                    zone.log.urgent.append(zone.serials[j])
                }
            default:
                continue
            }
        }
        return kind
    }

    /// Sorts entries by `key` (ties by window), permuting the clocks with them.
    @inlinable mutating func normalizeSymbolic(by key: (Kind) -> UInt64) {
        let windows = zoneBox!.value.windows
        let order = storage.indices.sorted { a, b in
            let (ka, kb) = (key(storage[a].kind), key(storage[b].kind))
            if ka != kb { return ka < kb }
            let (wa, wb) = (windows[a], windows[b])
            return (wa.earliest, wa.latest ?? .ms(Int64.max), wa.latestIsStrict ? 0 : 1, a)
                < (wb.earliest, wb.latest ?? .ms(Int64.max), wb.latestIsStrict ? 0 : 1, b)
        }
        guard order != Array(storage.indices) else { return }
        storage = order.map { storage[$0] }
        renumber()
        withZone { zone in
            zone.windows = order.map { zone.windows[$0] }
            zone.serials = order.map { zone.serials[$0] }
            zone.dbm = zone.dbm.permutingClocks([0] + order.map { $0 + 1 })
        }
    }
}

/// A zone-mode agenda's timing behind one reference, copied on write.
@usableFromInline
final class ZoneBox<Kind: Hashable & Codable & Sendable>: Hashable, Codable, @unchecked Sendable {
    @usableFromInline var value: AgendaZone<Kind>

    @usableFromInline init(_ value: AgendaZone<Kind>) { self.value = value }

    @usableFromInline static func == (a: ZoneBox, b: ZoneBox) -> Bool { a.value == b.value }
    @usableFromInline func hash(into hasher: inout Hasher) { hasher.combine(value) }
    @usableFromInline init(from decoder: Decoder) throws {
        value = try AgendaZone(from: decoder)
    }
    @usableFromInline func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}

extension DBM {
    /// The same zone with clocks renumbered: clock `order[k]` of this zone becomes clock `k`
    /// (`order[0]` must be 0). A permutation keeps the matrix canonical.
    @inlinable public func permutingClocks(_ order: [Int]) -> DBM {
        precondition(order.count == dimension && order.first == 0,
                     "permutingClocks needs a permutation of 0..<\(dimension) fixing 0")
        let n = dimension
        var moved = storage
        for i in 0..<n {
            for j in 0..<n { moved[i * n + j] = storage[order[i] * n + order[j]] }
        }
        return DBM(dimension: n, storage: moved)
    }
}
