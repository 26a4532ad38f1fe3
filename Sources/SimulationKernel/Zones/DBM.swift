/// A zone: a convex set of clock valuations given by constraints `x_i - x_j ≺ c`, kept as a
/// canonical difference-bound matrix (Bengtsson and Yi 2004, "Timed Automata: Semantics,
/// Algorithms and Tools").
///
/// Clocks are `1...clockCount`; clock 0 is the reference clock, always 0, so `x_i - x_0 ≺ c` is
/// an upper bound and `x_0 - x_j ≺ c` a lower bound. Entry `(i, j)` is the tightest bound on
/// `x_i - x_j` over the zone. Valuations are non-negative: every zone implies `x_i >= 0`.
///
/// Every operation keeps the matrix canonical (closed: each entry is the shortest path between
/// its clocks), so two equal zones have equal matrices and `==` and `hash` compare point sets.
/// An empty zone has one form per dimension (diagonal `< 0`, everything else infinity), so empty
/// zones are equal too. Only the raw ``subscript(_:_:)`` setter leaves the matrix unclosed;
/// ``close()`` restores it. Storage is one flat row-major array of `dimension²` bounds, copied on
/// write; the zone operations allocate nothing beyond it.
public struct DBM: Hashable, Sendable {
    /// Rows and columns: the clocks and the reference clock.
    public let dimension: Int
    /// Entry `(i, j)` at `i * dimension + j`.
    @usableFromInline var storage: [DBMBound]

    @inlinable init(dimension: Int, storage: [DBMBound]) {
        self.dimension = dimension
        self.storage = storage
    }

    /// The zone where every clock is 0: `x_1 = ... = x_n = 0`.
    @inlinable public init(clocks: Int) {
        precondition(clocks >= 0, "a zone needs a non-negative clock count, got \(clocks)")
        let n = clocks + 1
        self.init(dimension: n, storage: Array(repeating: .zero, count: n * n))
    }

    /// Every valuation with all clocks `>= 0`: upper bounds infinite, lower bounds `0 <= x_i`.
    @inlinable public static func unconstrained(clocks: Int) -> DBM {
        var z = DBM(clocks: clocks)
        let n = z.dimension
        for i in 1..<max(n, 1) {
            for j in 0..<n where j != i { z.storage[i * n + j] = .infinity }
        }
        return z
    }

    /// The empty set, in its one canonical form.
    @inlinable public static func empty(clocks: Int) -> DBM {
        var z = DBM(clocks: clocks)
        z.makeEmpty()
        return z
    }

    /// The number of clocks, not counting the reference clock.
    @inlinable public var clockCount: Int { dimension - 1 }

    /// The bound on `x_i - x_j`. Setting writes one entry without closing (the set becomes the
    /// old one intersected with the new constraint only after ``close()``); prefer ``constrain``.
    @inlinable public subscript(i: Int, j: Int) -> DBMBound {
        get { storage[i * dimension + j] }
        set { storage[i * dimension + j] = newValue }
    }

    /// Replaces the matrix by the canonical empty form.
    @usableFromInline mutating func makeEmpty() {
        let n = dimension
        for i in 0..<n {
            for j in 0..<n { storage[i * n + j] = i == j ? .lessThan(0) : .infinity }
        }
    }
}

// MARK: - Closure and emptiness

extension DBM {
    /// Whether the zone has no valuation: some diagonal entry is below `<= 0`, a negative cycle.
    /// Exact on a closed matrix, the only kind the operations return.
    @inlinable public var isEmpty: Bool {
        let n = dimension
        for i in 0..<n where storage[i * n + i] < .zero { return true }
        return false
    }

    /// Canonical closure (Floyd–Warshall): the same set of valuations, each entry tightened to the
    /// shortest path. Returns whether the zone is non-empty; an empty one takes the empty form.
    @inlinable @discardableResult public mutating func close() -> Bool {
        let n = dimension
        let negativeCycle: Bool = storage.withUnsafeMutableBufferPointer { d in
            for i in 0..<n {
                if d[i * n + i] < .zero { return true }
                d[i * n + i] = .zero
            }
            for k in 0..<n {
                for i in 0..<n where i != k {
                    let dik = d[i * n + k]
                    if dik.isInfinity { continue }
                    for j in 0..<n {
                        let viaK = dik + d[k * n + j]
                        if viaK < d[i * n + j] { d[i * n + j] = viaK }
                    }
                    if d[i * n + i] < .zero { return true }
                }
            }
            return false
        }
        if negativeCycle { makeEmpty() }
        return !negativeCycle
    }

    /// Restores canonical form in O(n²) after entry `(i, j)` of a closed matrix was tightened:
    /// a shortest path uses the new edge at most once, so `d[k][l] = min(d[k][l], d[k][i] +
    /// d[i][j] + d[j][l])`. Same set of valuations; returns whether it is non-empty.
    @inlinable @discardableResult
    public mutating func closeAfterTightening(_ i: Int, _ j: Int) -> Bool {
        let n = dimension
        if storage[j * n + i] + storage[i * n + j] < .zero {
            makeEmpty()
            return false
        }
        storage.withUnsafeMutableBufferPointer { d in
            let dij = d[i * n + j]
            // Row j and column i do not change (d[j][i] + d[i][j] >= 0), so updating in place
            // reads the old shortest paths.
            for k in 0..<n {
                let dki = d[k * n + i]
                if dki.isInfinity { continue }
                let viaIJ = dki + dij
                for l in 0..<n {
                    let path = viaIJ + d[j * n + l]
                    if path < d[k * n + l] { d[k * n + l] = path }
                }
            }
        }
        return true
    }
}

// MARK: - Operations on zones

extension DBM {
    /// Intersects with `x_i - x_j ≺ c` (clock 0 for a plain bound) and stays canonical. Returns
    /// whether the result is non-empty.
    @inlinable @discardableResult
    public mutating func constrain(_ i: Int, _ j: Int, _ bound: DBMBound) -> Bool {
        precondition(i != j && i >= 0 && j >= 0 && i < dimension && j < dimension,
                     "constrain(\(i), \(j)) needs two different clocks below \(dimension)")
        if isEmpty { return false }
        let at = i * dimension + j
        if bound >= storage[at] { return true }
        storage[at] = bound
        return closeAfterTightening(i, j)
    }

    /// Intersects with `x ≺ c`; returns whether the result is non-empty.
    @inlinable @discardableResult
    public mutating func constrainUpper(_ clock: Int, _ bound: DBMBound) -> Bool {
        constrain(clock, 0, bound)
    }

    /// Intersects with `c <= x` (`bound` non-strict) or `c < x` (strict); returns whether the
    /// result is non-empty. The same reading as ``lowerBound(of:)``.
    @inlinable @discardableResult
    public mutating func constrainLower(_ clock: Int, _ bound: DBMBound) -> Bool {
        precondition(!bound.isInfinity, "a lower bound must be finite")
        return constrain(0, clock, DBMBound(-bound.value, strict: bound.isStrict))
    }

    /// Time elapses ("up"): every valuation `v + d` for `v` in the zone and `d >= 0`. Drops the
    /// upper bound of every clock; differences stay, and the matrix stays canonical.
    @inlinable public mutating func delay() {
        let n = dimension
        for i in 1..<max(n, 1) { storage[i * n] = .infinity }
    }

    /// Sets `clock` to `value` in every valuation of the zone (`{v[x := value] | v in Z}`); stays
    /// canonical: `x - x_j` takes `value - x_j`'s bounds from row 0, and the column likewise.
    @inlinable public mutating func reset(_ clock: Int, to value: Int64 = 0) {
        precondition(clock >= 1 && clock < dimension, "reset needs a clock in 1..<\(dimension)")
        precondition(value >= 0, "a clock is reset to a non-negative value, got \(value)")
        if isEmpty { return }
        let n = dimension
        let upper = DBMBound.lessEqual(value), lower = DBMBound.lessEqual(-value)
        for j in 0..<n where j != clock {
            storage[clock * n + j] = upper + storage[j]
            storage[j * n + clock] = storage[j * n] + lower
        }
        storage[clock * n + clock] = .zero
    }

    /// Forgets `clock` (`{v[x := t] | v in Z, t >= 0}`): an event cancelled. Stays canonical: the
    /// clock keeps only `x >= 0`, so `x_j - x` is bounded by `x_j`'s upper bound.
    @inlinable public mutating func free(_ clock: Int) {
        precondition(clock >= 1 && clock < dimension, "free needs a clock in 1..<\(dimension)")
        if isEmpty { return }
        let n = dimension
        for j in 0..<n where j != clock {
            storage[clock * n + j] = .infinity
            storage[j * n + clock] = storage[j * n]
        }
        storage[clock * n + clock] = .zero
    }

    /// Whether `other ⊆ self`: entry by entry no looser, since both are canonical. The empty zone
    /// is included in every zone.
    @inlinable public func includes(_ other: DBM) -> Bool {
        precondition(other.dimension == dimension, "includes compares zones of one dimension, "
                     + "got \(dimension) and \(other.dimension)")
        if other.isEmpty { return true }
        for k in 0..<storage.count where other.storage[k] > storage[k] { return false }
        return true
    }
}

// MARK: - Bounds read off the matrix

extension DBM {
    /// The supremum of `clock` over the zone: `<= c` if attained, `< c` if approached, infinity
    /// if unbounded. Exact, not a sample. Meaningless on an empty zone.
    @inlinable public func upperBound(of clock: Int) -> DBMBound { self[clock, 0] }

    /// The infimum of `clock` over the zone, read as a lower bound: `.lessEqual(c)` is `c <= x`
    /// (attained), `.lessThan(c)` is `c < x`. Always finite (`0 <= x`). Meaningless if empty.
    @inlinable public func lowerBound(of clock: Int) -> DBMBound {
        let b = self[0, clock]
        return DBMBound(-b.value, strict: b.isStrict)
    }

    /// The supremum of `x_i - x_j` over the zone, as ``upperBound(of:)``.
    @inlinable public func upperBound(of i: Int, minus j: Int) -> DBMBound { self[i, j] }

    /// The infimum of `x_i - x_j` over the zone, read as ``lowerBound(of:)`` reads; nil when the
    /// difference is unbounded below.
    @inlinable public func lowerBound(of i: Int, minus j: Int) -> DBMBound? {
        let b = self[j, i]
        return b.isInfinity ? nil : DBMBound(-b.value, strict: b.isStrict)
    }
}

// MARK: - Extrapolation

extension DBM {
    /// Classic max-bound extrapolation Extra_M (k-normalisation, Bengtsson and Yi 2004 §4.3):
    /// a bound `x_i - x_j ≺ c` with `c > M(x_i)` is dropped, one with `c < -M(x_j)` becomes
    /// `< -M(x_j)`, then the matrix is closed. `maxConstants[i]` is the largest constant clock `i`
    /// is ever compared with (entry 0 is ignored and taken as 0).
    ///
    /// The result only grows the zone, and keeps the zone graph finite: every entry ends within
    /// `[-M, M]` or infinite. It is sound and complete for reachability when every guard and
    /// invariant is diagonal-free (`x ≺ c`, `c <= M(x)`), because a point whose clocks are all
    /// `<= M` is in the result exactly when it is in the zone, and clocks above their `M` are
    /// indistinguishable to such guards. With diagonal guards (`x - y ≺ c`) it is unsound
    /// (Bouyer 2004); this model has none.
    @inlinable public mutating func extrapolateMaxBounds(_ maxConstants: [Int64]) {
        precondition(maxConstants.count == dimension,
                     "extrapolation needs \(dimension) max constants, got \(maxConstants.count)")
        if isEmpty { return }
        let n = dimension
        for i in 0..<n {
            let upperLimit = DBMBound.lessEqual(i == 0 ? 0 : maxConstants[i])
            precondition(i == 0 || maxConstants[i] >= 0, "max constants are >= 0")
            for j in 0..<n where j != i {
                let b = storage[i * n + j]
                if b.isInfinity { continue }
                let lowerLimit = DBMBound.lessThan(j == 0 ? 0 : -maxConstants[j])
                if b > upperLimit {
                    storage[i * n + j] = .infinity
                } else if b < lowerLimit {
                    storage[i * n + j] = lowerLimit
                }
            }
        }
        close()
    }
}

// MARK: - Adding and removing clocks

extension DBM {
    /// The zone without `clock`: its projection on the other clocks (`∃ x. Z`), renumbering the
    /// clocks above it down by one. A canonical matrix's sub-matrix is canonical.
    @inlinable public func removingClock(_ clock: Int) -> DBM {
        precondition(clock >= 1 && clock < dimension,
                     "removingClock needs a clock in 1..<\(dimension)")
        let n = dimension
        var kept: [DBMBound] = []
        kept.reserveCapacity((n - 1) * (n - 1))
        for i in 0..<n where i != clock {
            for j in 0..<n where j != clock { kept.append(storage[i * n + j]) }
        }
        return DBM(dimension: n - 1, storage: kept)
    }

    /// The zone with one more clock, numbered `dimension`, set to `value` (an event just armed).
    @inlinable public func addingClock(resetTo value: Int64 = 0) -> DBM {
        var z = addingFreeClock()
        z.reset(z.dimension - 1, to: value)
        return z
    }

    /// The zone with one more clock, numbered `dimension`, constrained only by `x >= 0`.
    @inlinable public func addingFreeClock() -> DBM {
        if isEmpty { return .empty(clocks: dimension) }
        let n = dimension, m = dimension + 1
        var grown = [DBMBound](repeating: .infinity, count: m * m)
        for i in 0..<n {
            for j in 0..<n { grown[i * m + j] = storage[i * n + j] }
            grown[i * m + n] = storage[i * n]
        }
        grown[n * m + n] = .zero
        return DBM(dimension: m, storage: grown)
    }
}
