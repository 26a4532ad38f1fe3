import Testing
@testable import SimulationKernel

// MARK: - The oracle: every quarter-millisecond point of a box

/// The points of the box `[0, 8]ⁿ` on the quarter-millisecond grid, and the zone operations
/// computed point by point on sets of them.
///
/// Why quarters and not halves: a zone with integer constants is a union of regions (points
/// with the same integer parts and the same order of fractional parts, zero ones included),
/// since every `x_i - x_j ≺ c` has one truth value per region. A region of n clocks has at most
/// n distinct non-zero fractional parts, so it meets the grid of step `1/(n+1)`: quarters serve
/// up to 3 clocks, halves fail already at 2 (`0 < x1 < x2 < 1` has no half-integer point). Hence
/// two zones agree on the box exactly when they hold the same grid points, and an empty grid set
/// means an empty zone once the zone is cut to the box. The same fact makes `up` and `exists`
/// exact: between two neighbouring grid points on their line the region does not change, and
/// `representative` finds that region's grid point.
private struct QuarterBox {
    /// Grid points per millisecond.
    static let steps = 4
    /// The box is `[0, maxMs]` for every clock.
    static let maxMs = 8
    static let side = steps * maxMs + 1

    let clocks: Int
    let count: Int
    /// The index step of clock k (0 for the reference clock): an index is `Σ coordinate·stride`.
    let strides: [Int]
    /// `coordinates[p * (clocks + 1) + k]`: clock k of point p, in quarters; k = 0 holds 0.
    let coordinates: [Int]
    /// `columns[k][p]`: the same, one array per clock, for the tight loop of `restrict`.
    let columns: [[Int]]

    init(clocks: Int) {
        precondition(clocks >= 1 && clocks <= 3, "quarters resolve every region of 1 to 3 clocks")
        self.clocks = clocks
        var strides = [0], stride = 1
        for _ in 0..<clocks { strides.append(stride); stride *= QuarterBox.side }
        self.strides = strides
        count = stride
        var coordinates = [Int](repeating: 0, count: count * (clocks + 1))
        for p in 0..<count {
            for k in 1...clocks {
                coordinates[p * (clocks + 1) + k] = p / strides[k] % QuarterBox.side
            }
        }
        self.coordinates = coordinates
        columns = (0...clocks).map { k in (0..<stride).map { coordinates[$0 * (clocks + 1) + k] } }
    }

    func coordinate(_ p: Int, _ k: Int) -> Int { coordinates[p * (clocks + 1) + k] }

    /// Point p as milliseconds, entry 0 the reference clock.
    func valuation(_ p: Int) -> [Double] {
        (0...clocks).map { Double(coordinate(p, $0)) / Double(QuarterBox.steps) }
    }

    /// The points meeting every entry of `zone`'s matrix, closed or not: its definition.
    func members(_ zone: DBM) -> [Bool] {
        var s = [Bool](repeating: true, count: count)
        for i in 0...clocks {
            for j in 0...clocks { restrict(&s, i, j, zone[i, j]) }
        }
        return s
    }

    /// `s ∩ {x_i - x_j ≺ bound}`.
    func constrained(_ s: [Bool], _ i: Int, _ j: Int, _ bound: DBMBound) -> [Bool] {
        var r = s
        restrict(&r, i, j, bound)
        return r
    }

    func restrict(_ s: inout [Bool], _ i: Int, _ j: Int, _ bound: DBMBound) {
        if bound.isInfinity { return }
        let limit = Int(bound.value) * QuarterBox.steps, strict = bound.isStrict
        // Skip a bound that every point of the box meets (x_i - x_j is at most maxMs, or 0 for
        // i = 0): a shortcut for speed, not a change of meaning.
        let largest = i == 0 ? 0 : QuarterBox.steps * QuarterBox.maxMs
        if largest < limit || (!strict && largest == limit) { return }
        columns[i].withUnsafeBufferPointer { ci in
            columns[j].withUnsafeBufferPointer { cj in
                s.withUnsafeMutableBufferPointer { r in
                    var p = 0
                    while p < count {
                        if r[p] {
                            let d = ci[p] - cj[p]
                            r[p] = strict ? d < limit : d <= limit
                        }
                        p += 1
                    }
                }
            }
        }
    }

    /// The grid point in the same region as a point given in eighths of a millisecond: the same
    /// integer parts, and each non-zero fractional part replaced by its rank among the distinct
    /// ones, in quarters. Allocation-free, for the oracle's inner loops.
    func representative(_ eighths: UnsafeMutableBufferPointer<Int>) -> Int {
        var index = 0
        for k in 1...clocks {
            let fraction = eighths[k] & 7
            var rank = 0
            if fraction != 0 {
                rank = 1
                // Count the distinct non-zero fractions below this one (first occurrences only).
                for m in 1...clocks {
                    let other = eighths[m] & 7
                    guard other != 0 && other < fraction else { continue }
                    var firstOccurrence = true
                    for earlier in 1..<m where eighths[earlier] & 7 == other {
                        firstOccurrence = false
                    }
                    if firstOccurrence { rank += 1 }
                }
            }
            index += (QuarterBox.steps * (eighths[k] >> 3) + rank) * strides[k]
        }
        return index
    }

    /// `up(s)` on the box: p is in it iff `p - d ∈ s` for some `d` in `[0, min p]` (then `p - d`
    /// stays in the box, so this is exact). Split d into 0, the open first quarter (one region,
    /// represented by `p - 1/8`), and `[1/4, min p]`, which is `p - 1/4`'s own answer.
    func up(_ s: [Bool]) -> [Bool] {
        var r = [Bool](repeating: false, count: count)
        let diagonal = strides.reduce(0, +), n = clocks + 1
        var eighthsStorage = [Int](repeating: 0, count: n)
        eighthsStorage.withUnsafeMutableBufferPointer { eighths in
            coordinates.withUnsafeBufferPointer { c in
                for p in 0..<count {
                    if s[p] { r[p] = true; continue }
                    var lowest = Int.max
                    for k in 1...clocks { lowest = min(lowest, c[p * n + k]) }
                    if lowest == 0 { continue }
                    if r[p - diagonal] { r[p] = true; continue }
                    for k in 1...clocks { eighths[k] = 2 * c[p * n + k] - 1 }
                    r[p] = s[representative(eighths)]
                }
            }
        }
        return r
    }

    /// `{p | p[x := t] ∈ s for some t in [0, maxMs]}`: grid values of t and the open quarters
    /// between them. It is `∃ t >= 0` exactly when the zone's x stays within the box.
    func exists(_ s: [Bool], clock x: Int) -> [Bool] { lines(s, clock: x, keeping: nil) }

    /// `{p[x := value] | p ∈ s}`, exact under the same condition as ``exists(_:clock:)``.
    func reset(_ s: [Bool], clock x: Int, to value: Int64) -> [Bool] {
        lines(s, clock: x, keeping: Int(value) * QuarterBox.steps)
    }

    /// For each line parallel to clock x's axis that meets s: all of it, or only its point at
    /// `keeping` (quarters).
    func lines(_ s: [Bool], clock x: Int, keeping: Int?) -> [Bool] {
        var r = [Bool](repeating: false, count: count)
        let top = QuarterBox.steps * QuarterBox.maxMs, stride = strides[x]
        var eighthsStorage = [Int](repeating: 0, count: clocks + 1)
        eighthsStorage.withUnsafeMutableBufferPointer { eighths in
            for base in 0..<count where coordinate(base, x) == 0 {
                var found = false
                for t in 0...top where s[base + t * stride] { found = true; break }
                if !found {
                    for k in 0...clocks { eighths[k] = 2 * coordinate(base, k) }
                    for t in 0..<top {
                        eighths[x] = 2 * t + 1
                        if s[representative(eighths)] { found = true; break }
                    }
                }
                guard found else { continue }
                if let keeping {
                    r[base + keeping * stride] = true
                } else {
                    for t in 0...top { r[base + t * stride] = true }
                }
            }
        }
        return r
    }

    /// The point of this box with clock `x` dropped, as an index of a box with one clock fewer.
    func dropping(_ x: Int, _ p: Int) -> Int {
        var index = 0, stride = 1
        for k in 1...clocks where k != x {
            index += coordinate(p, k) * stride
            stride *= QuarterBox.side
        }
        return index
    }
}

/// Whether every point of `a` is in `b`.
private func isSubset(_ a: [Bool], _ b: [Bool]) -> Bool { zip(a, b).allSatisfy { !$0 || $1 } }

// MARK: - Random zones

/// One operation of a random history.
private enum ZoneStep: CustomStringConvertible {
    case constrain(Int, Int, DBMBound), delay, reset(Int, Int64), free(Int)

    var description: String {
        switch self {
        case let .constrain(i, j, b): return "x\(i)-x\(j)\(b)"
        case .delay: return "up"
        case let .reset(x, v): return "x\(x):=\(v)"
        case let .free(x): return "free x\(x)"
        }
    }

    /// The clock a reset or free quantifies over: the oracle's `exists` needs it boxed.
    var quantifiedClock: Int? {
        switch self {
        case let .reset(x, _), let .free(x): return x
        case .constrain, .delay: return nil
        }
    }

    /// Constants in 0...6 (differences -6...6), random strictness; constraints half the time.
    static func random(clocks: Int, _ rng: inout SplitMix64) -> ZoneStep {
        let x = 1 + rng.next(below: clocks)
        switch rng.next(below: 10) {
        case 0..<5:
            let strict = rng.next(below: 2) == 0, c = Int64(rng.next(below: 7))
            switch rng.next(below: clocks >= 2 ? 3 : 2) {
            case 0: return .constrain(x, 0, DBMBound(c, strict: strict))
            case 1: return .constrain(0, x, DBMBound(-c, strict: strict))
            default:
                let y = 1 + (x + rng.next(below: clocks - 1)) % clocks
                return .constrain(x, y, DBMBound(Int64(rng.next(below: 13)) - 6, strict: strict))
            }
        case 5, 6: return .delay
        case 7, 8: return .reset(x, Int64(rng.next(below: 4)))
        default: return .free(x)
        }
    }
}

/// A zone built by random steps from the zero or the unconstrained zone, with its own bound on
/// each clock's supremum (nil: unbounded), kept apart from the DBM, so a test knows when the
/// oracle's `exists` is exact without asking the code under test.
private struct ZoneHistory: CustomStringConvertible {
    var zone: DBM
    var supremum: [Int64?]
    var steps: [String]

    init(clocks: Int, startAtZero: Bool) {
        zone = startAtZero ? DBM(clocks: clocks) : .unconstrained(clocks: clocks)
        supremum = Array(repeating: startAtZero ? 0 : nil, count: clocks + 1)
        supremum[0] = 0
        steps = [startAtZero ? "zero" : "unconstrained"]
    }

    var description: String { steps.joined(separator: "; ") }

    /// Whether clock x provably stays within the box, so `exists` over it is exact.
    func isBoxed(_ x: Int) -> Bool { (supremum[x] ?? .max) <= Int64(QuarterBox.maxMs) }

    mutating func apply(_ step: ZoneStep) {
        steps.append(step.description)
        switch step {
        case let .constrain(i, j, b):
            zone.constrain(i, j, b)
            if i != 0, !b.isInfinity, let sj = supremum[j] {
                supremum[i] = min(supremum[i] ?? .max, sj + b.value)
            }
        case .delay:
            zone.delay()
            for k in 1..<supremum.count { supremum[k] = nil }
        case let .reset(x, v):
            zone.reset(x, to: v)
            supremum[x] = v
        case let .free(x):
            zone.free(x)
            supremum[x] = nil
        }
    }

    /// A history of 1...8 random steps; `boxed` cuts it to the oracle's box at the end.
    static func random(clocks: Int, boxed: Bool, _ rng: inout SplitMix64) -> ZoneHistory {
        var h = ZoneHistory(clocks: clocks, startAtZero: rng.next(below: 2) == 0)
        for _ in 0...rng.next(below: 8) { h.apply(.random(clocks: clocks, &rng)) }
        if boxed {
            for x in 1...clocks { h.apply(.constrain(x, 0, .lessEqual(Int64(QuarterBox.maxMs)))) }
        }
        return h
    }
}

/// Random cases per test: fewer for 3 clocks, whose box has 33³ points.
private func caseCount(clocks: Int) -> Int { clocks == 3 ? 32 : 300 }

/// The bound whose supremum is the largest grid value `quarters` (in quarters) of a set of
/// values that is a union of regions: an integer maximum is attained, a fractional one means the
/// next integer is approached but not reached.
private func supremumBound(quarters: Int) -> DBMBound {
    let s = QuarterBox.steps
    return quarters % s == 0 ? .lessEqual(Int64(quarters / s))
        : .lessThan(Int64((quarters + s * 100) / s - 100 + 1))
}

/// The lower bound (read `c ≺ x`) whose infimum is the smallest grid value, by the same
/// argument.
private func infimumBound(quarters: Int) -> DBMBound {
    let s = QuarterBox.steps
    return quarters % s == 0 ? .lessEqual(Int64(quarters / s))
        : .lessThan(Int64((quarters + s * 100) / s - 100))
}

// MARK: - Bounds

@Suite("DBMBound: one integer per bound, ordered by tightness")
struct DBMBoundTests {
    @Test("the encoding is c << 1 | 1 for <= c and c << 1 for < c, so < c < <= c < < c+1 < inf")
    func encodingOrder() {
        #expect(DBMBound.lessEqual(3).raw == 7 && DBMBound.lessThan(3).raw == 6)
        #expect(DBMBound.lessEqual(-2).raw == -3 && DBMBound.zero == .lessEqual(0))
        for c in Int64(-5)...5 {
            #expect(DBMBound.lessThan(c) < .lessEqual(c))
            #expect(DBMBound.lessEqual(c) < .lessThan(c + 1))
            #expect(DBMBound.lessEqual(c).value == c && !DBMBound.lessEqual(c).isStrict)
            #expect(DBMBound.lessThan(c).value == c && DBMBound.lessThan(c).isStrict)
            #expect(DBMBound.lessEqual(c) < .infinity && !DBMBound.lessEqual(c).isInfinity)
        }
        #expect(DBMBound.lessEqual(DBMBound.valueMax) < .infinity)
        #expect(DBMBound.infinity.isInfinity && DBMBound.infinity.isStrict)
    }

    @Test("a + b bounds the sums of points meeting a and b: constants add, strict if either is")
    func additionAgainstPoints() {
        for c1 in Int64(-3)...3 {
            for c2 in Int64(-3)...3 {
                for strict1 in [false, true] {
                    for strict2 in [false, true] {
                        let a = DBMBound(c1, strict: strict1), b = DBMBound(c2, strict: strict2)
                        // Largest sum of quarter points within [-8, 8] meeting each bound.
                        let meets = { (q: Int, bound: DBMBound) -> Bool in
                            bound.isStrict ? q < 4 * Int(bound.value) : q <= 4 * Int(bound.value)
                        }
                        let qs = (-32...32)
                        let best = qs.filter { meets($0, a) }.max()!
                            + qs.filter { meets($0, b) }.max()!
                        #expect(a + b == supremumBound(quarters: best), "\(a) + \(b) = \(a + b)")
                    }
                }
            }
        }
    }

    @Test("infinity absorbs, and sums beyond valueMax saturate instead of trapping")
    func saturation() {
        #expect(DBMBound.infinity + .lessEqual(-5) == .infinity)
        #expect(DBMBound.lessThan(-5) + .infinity == .infinity)
        let huge = DBMBound.lessEqual(DBMBound.valueMax)
        let tiny = DBMBound.lessEqual(-DBMBound.valueMax)
        #expect(huge + huge == .infinity)
        #expect(tiny + tiny < .zero && !(tiny + tiny).isInfinity)
        #expect(huge + tiny == .lessEqual(0))
    }
}

// MARK: - Zones against the oracle

@Suite("DBM: every operation against brute force on the quarter grid of [0, 8]ⁿ")
struct DBMTests {
    @Test("every step of a random history (constrain, up, reset, free) is its pointwise definition",
          arguments: [1, 2, 3])
    func historySteps(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xD8A0 + UInt64(clocks))
        var exactChecks: [String: Int] = [:]
        for _ in 0..<caseCount(clocks: clocks) {
            let atZero = rng.next(below: 2) == 0
            var h = ZoneHistory(clocks: clocks, startAtZero: atZero)
            var before = box.members(h.zone)
            #expect(before == (0..<box.count).map { !atZero || $0 == 0 }, "\(h)")
            // Checks one step against its pointwise definition; false once the zone is empty.
            func check(_ step: ZoneStep) -> Bool {
                let expected: [Bool], exact: Bool, kind: String
                switch step {
                case let .constrain(i, j, b):
                    (expected, exact, kind) = (box.constrained(before, i, j, b), true, "constrain")
                case .delay: (expected, exact, kind) = (box.up(before), true, "up")
                case let .reset(x, v):
                    expected = box.reset(before, clock: x, to: v)
                    (exact, kind) = (h.isBoxed(x), "reset")
                case let .free(x):
                    (expected, exact, kind) = (box.exists(before, clock: x), h.isBoxed(x), "free")
                }
                h.apply(step)
                let after = box.members(h.zone)
                if exact {
                    #expect(after == expected, "\(h) gives \(h.zone)")
                    exactChecks[kind, default: 0] += 1
                } else {
                    #expect(isSubset(expected, after), "\(h) gives \(h.zone)")
                }
                var reclosed = h.zone
                reclosed.close()
                #expect(reclosed == h.zone, "\(h) left a matrix that is not closed: \(h.zone)")
                before = after
                return !h.zone.isEmpty
            }
            for _ in 0..<8 {
                let step = ZoneStep.random(clocks: clocks, &rng)
                // Half the time bound a clock before resetting or freeing it, so that `exists`
                // is exact and the check is an equality.
                if let x = step.quantifiedClock, !h.isBoxed(x), rng.next(below: 2) == 0 {
                    _ = check(.constrain(x, 0, .lessEqual(Int64(rng.next(below: 9)))))
                }
                if h.zone.isEmpty || !check(step) { break }
            }
        }
        for kind in ["constrain", "up", "reset", "free"] {
            #expect(exactChecks[kind, default: 0] >= caseCount(clocks: clocks) / 8,
                    "too few exact checks of \(kind): \(exactChecks)")
        }
    }

    @Test("contains agrees with the matrix entries at every grid point", arguments: [1, 2, 3])
    func containsMatchesEntries(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xC0 + UInt64(clocks))
        for _ in 0..<(clocks == 3 ? 5 : 50) {
            let h = ZoneHistory.random(clocks: clocks, boxed: false, &rng)
            let members = box.members(h.zone)
            for p in 0..<box.count where h.zone.contains(box.valuation(p)) != members[p] {
                Issue.record("\(h): contains(\(box.valuation(p))) is \(!members[p])")
                break
            }
        }
    }

    /// The zone of a raw matrix is empty iff its constraint graph has a negative simple cycle.
    static func hasNegativeCycle(_ m: DBM) -> Bool {
        let n = m.dimension
        func extend(_ start: Int, _ last: Int, _ weight: DBMBound, _ used: Set<Int>) -> Bool {
            if weight + m[last, start] < .zero { return true }
            for next in (start + 1)..<max(n, start + 1) where !used.contains(next) {
                if extend(start, next, weight + m[last, next], used.union([next])) { return true }
            }
            return false
        }
        return (0..<n).contains { extend($0, $0, .zero, [$0]) }
    }

    @Test("closure keeps the points, is idempotent, matches constrain, empties on a negative cycle",
          arguments: [1, 2, 3])
    func closure(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xC105E + UInt64(clocks))
        var empties = 0
        for _ in 0..<caseCount(clocks: clocks) {
            var raw = DBM.unconstrained(clocks: clocks), incremental = raw
            var written: [String] = []
            for _ in 0...rng.next(below: 5) {
                let step = ZoneStep.random(clocks: clocks, &rng)
                guard case let .constrain(i, j, b) = step else { continue }
                raw[i, j] = min(raw[i, j], b)
                incremental.constrain(i, j, b)
                written.append(step.description)
            }
            var closed = raw
            let nonEmpty = closed.close()
            #expect(box.members(closed) == box.members(raw), "\(written)")
            #expect(nonEmpty == !closed.isEmpty, "\(written)")
            #expect(nonEmpty == !DBMTests.hasNegativeCycle(raw), "\(written)")
            #expect(closed == incremental, "\(written): \(closed) vs \(incremental)")
            var again = closed
            again.close()
            #expect(again == closed, "\(written)")
            for i in 0...clocks where nonEmpty {
                for j in 0...clocks {
                    for k in 0...clocks where closed[i, j] > closed[i, k] + closed[k, j] {
                        Issue.record("\(written): (\(i),\(j)) is not a shortest path via \(k)")
                    }
                }
            }
            if !nonEmpty { empties += 1; #expect(closed == .empty(clocks: clocks)) }
        }
        #expect(empties >= 2 && empties <= caseCount(clocks: clocks) - 2, "empties: \(empties)")
    }

    @Test("cut to the box, a zone is empty exactly when it has no grid point", arguments: [1, 2, 3])
    func emptiness(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xE3 + UInt64(clocks))
        var empties = 0
        for _ in 0..<caseCount(clocks: clocks) {
            let h = ZoneHistory.random(clocks: clocks, boxed: true, &rng)
            let hasPoint = box.members(h.zone).contains(true)
            #expect(h.zone.isEmpty == !hasPoint, "\(h)")
            if h.zone.isEmpty { empties += 1 }
        }
        #expect(empties >= 2 && empties <= caseCount(clocks: clocks) - 2, "empties: \(empties)")
    }

    @Test("includes is inclusion of point sets", arguments: [1, 2, 3])
    func inclusion(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0x1C + UInt64(clocks))
        var included = 0, unboxedIncluded = 0
        for _ in 0..<caseCount(clocks: clocks) {
            let boxed = rng.next(below: 2) == 0
            let a = ZoneHistory.random(clocks: clocks, boxed: boxed, &rng)
            var b = rng.next(below: 2) == 0
                ? a : ZoneHistory.random(clocks: clocks, boxed: boxed, &rng)
            for _ in 0..<rng.next(below: 3) { b.apply(.random(clocks: clocks, &rng)) }
            for x in 1...clocks where boxed {
                b.apply(.constrain(x, 0, .lessEqual(Int64(QuarterBox.maxMs))))
            }
            let pa = box.members(a.zone), pb = box.members(b.zone)
            for (outer, inner, po, pi) in [(a, b, pa, pb), (b, a, pb, pa)] {
                let includes = outer.zone.includes(inner.zone)
                if boxed {
                    #expect(includes == isSubset(pi, po), "\(inner) ⊆ \(outer)")
                    if includes { included += 1 }
                } else if includes {
                    #expect(isSubset(pi, po), "\(inner) ⊆ \(outer)")
                    unboxedIncluded += 1
                }
            }
        }
        let enough = caseCount(clocks: clocks) / 10
        #expect(included > enough && unboxedIncluded > enough, "\(included) \(unboxedIncluded)")
    }

    @Test("bounds of clocks and differences are the supremum and infimum over the points",
          arguments: [1, 2, 3])
    func bounds(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xB0 + UInt64(clocks))
        for _ in 0..<caseCount(clocks: clocks) {
            let h = ZoneHistory.random(clocks: clocks, boxed: true, &rng)
            let members = box.members(h.zone)
            let points = members.indices.filter { members[$0] }
            if points.isEmpty { continue }
            for i in 0...clocks {
                for j in 0...clocks where i != j {
                    let values = points.map { box.coordinate($0, i) - box.coordinate($0, j) }
                    let upper = h.zone.upperBound(of: i, minus: j)
                    let lower = h.zone.lowerBound(of: i, minus: j)
                    #expect(upper == supremumBound(quarters: values.max()!), "\(h): x\(i) - x\(j)")
                    #expect(lower == infimumBound(quarters: values.min()!), "\(h): x\(i) - x\(j)")
                    if j == 0 {
                        #expect(h.zone.upperBound(of: i) == upper)
                        #expect(h.zone.lowerBound(of: i) == lower)
                    }
                }
            }
        }
    }

    @Test("extrapolation only grows the zone and keeps every point whose clocks are within M",
          arguments: [1, 2, 3])
    func extrapolation(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xE7 + UInt64(clocks))
        var grew = 0
        for _ in 0..<caseCount(clocks: clocks) {
            let h = ZoneHistory.random(clocks: clocks, boxed: false, &rng)
            let m = [0] + (1...clocks).map { _ in Int64(rng.next(below: 7)) }
            var e = h.zone
            e.extrapolateMaxBounds(m)
            let before = box.members(h.zone), after = box.members(e)
            #expect(e.includes(h.zone) && isSubset(before, after), "\(h), M = \(m)")
            for p in 0..<box.count where before[p] != after[p] {
                let withinM = (1...clocks).allSatisfy { box.coordinate(p, $0) <= 4 * Int(m[$0]) }
                #expect(!withinM, "\(h), M = \(m): \(box.valuation(p)) changed")
            }
            if before != after { grew += 1 }
        }
        #expect(grew > caseCount(clocks: clocks) / 10, "grew: \(grew)")
    }

    @Test("extrapolation makes finite a zone graph that grows without bound without it")
    func extrapolationTerminates() {
        // Clock 1 ticks every 1 ms (invariant x1 <= 1, guard x1 >= 1, reset); clock 2 is never
        // reset, so without extrapolation each round's zone has x2 one larger: x2 = k after k.
        func round(_ z: DBM, _ m: [Int64]?) -> DBM {
            var next = z
            next.delay()
            next.constrainUpper(1, .lessEqual(1))
            next.constrainLower(1, .lessEqual(1))
            next.reset(1)
            if let m { next.extrapolateMaxBounds(m) }
            return next
        }
        var plain: Set<DBM> = [DBM(clocks: 2)], extrapolated: Set<DBM> = [DBM(clocks: 2)]
        var z = DBM(clocks: 2), e = z
        for _ in 0..<20 {
            z = round(z, nil)
            e = round(e, [0, 1, 3])
            plain.insert(z)
            extrapolated.insert(e)
        }
        #expect(plain.count == 21)
        #expect(extrapolated.count == 5, "x2 = 0, 1, 2, 3, then x2 > 3: \(extrapolated)")
        #expect(e.description == "x1 = 0, x2 > 3")
    }

    @Test("samplePoint gives the smallest integer point in lexicographic order, nil when none",
          arguments: [1, 2, 3])
    func integerSample(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0x5A + UInt64(clocks))
        var none = 0, some = 0
        for _ in 0..<caseCount(clocks: clocks) {
            let h = ZoneHistory.random(clocks: clocks, boxed: true, &rng)
            let members = box.members(h.zone)
            let integerPoints = (0..<box.count).filter { p in
                members[p] && (1...clocks).allSatisfy { box.coordinate(p, $0) % 4 == 0 }
            }.map { p in (0...clocks).map { Int64(box.coordinate(p, $0) / 4) } }
            let smallest = integerPoints.min { $0.lexicographicallyPrecedes($1) }
            #expect(h.zone.samplePoint() == smallest, "\(h): \(h.zone)")
            if smallest == nil { none += 1 } else { some += 1 }
            if !h.zone.isEmpty && smallest == nil { #expect(h.zone.samplePoint(scale: 4) != nil) }
        }
        #expect(none > 10 && some > 10, "none \(none), some \(some)")
    }

    @Test("at scale dimension every non-empty zone has a sample, and any chosen one is inside",
          arguments: [1, 2, 3])
    func scaledSample(clocks: Int) {
        var rng = SplitMix64(seed: 0x5C + UInt64(clocks))
        var chooser = rng.derived(1)
        for _ in 0..<(caseCount(clocks: clocks) * 3) {
            let h = ZoneHistory.random(clocks: clocks, boxed: false, &rng)
            let scale = Int64(h.zone.dimension)
            let point = h.zone.samplePoint(scale: scale) { low, high in
                low + Int64(chooser.next(below: Int((high ?? low + 40) - low) + 1))
            }
            #expect((point == nil) == h.zone.isEmpty, "\(h): \(h.zone)")
            if let point {
                #expect(h.zone.contains(point, scale: scale),
                        "\(h): \(h.zone) at \(point)/\(scale)")
            }
            if let integer = h.zone.samplePoint() {
                #expect(h.zone.contains(integer), "\(h): \(h.zone) at \(integer)")
                #expect(h.zone.contains(integer.map(Double.init)), "\(h): \(h.zone) at \(integer)")
            }
        }
    }

    @Test("zones with the same points have equal matrices and equal hashes", arguments: [1, 2, 3])
    func canonicalForm(clocks: Int) {
        let box = QuarterBox(clocks: clocks)
        var rng = SplitMix64(seed: 0xCA + UInt64(clocks))
        var byPoints: [[Bool]: DBM] = [:]
        var repeats = 0
        for _ in 0..<(caseCount(clocks: clocks) * 2) {
            // Small constants make different histories meet on the same zone.
            var h = ZoneHistory(clocks: clocks, startAtZero: rng.next(below: 2) == 0)
            for _ in 0...rng.next(below: 4) {
                var step = ZoneStep.random(clocks: clocks, &rng)
                if case let .constrain(i, j, b) = step {
                    step = .constrain(i, j, DBMBound(b.value % 2, strict: b.isStrict))
                }
                h.apply(step)
            }
            for x in 1...clocks { h.apply(.constrain(x, 0, .lessEqual(3))) }
            let points = box.members(h.zone)
            if let seen = byPoints[points] {
                repeats += 1
                #expect(seen == h.zone && seen.hashValue == h.zone.hashValue,
                        "\(h): \(h.zone) vs \(seen)")
            } else {
                byPoints[points] = h.zone
            }
        }
        #expect(repeats > caseCount(clocks: clocks) / 2, "repeats: \(repeats)")
        #expect(byPoints.count > 10, "distinct zones: \(byPoints.count)")
    }

    @Test("adding a clock extends the point set and removing one projects it", arguments: [1, 2])
    func addAndRemoveClocks(clocks: Int) {
        let small = QuarterBox(clocks: clocks), big = QuarterBox(clocks: clocks + 1)
        var rng = SplitMix64(seed: 0xAD + UInt64(clocks))
        var exactRemovals = 0
        for _ in 0..<(clocks == 2 ? 40 : 200) {
            let h = ZoneHistory.random(clocks: clocks, boxed: false, &rng)
            let s = small.members(h.zone)
            let free = h.zone.addingFreeClock(), value = Int64(rng.next(below: 4))
            let armed = h.zone.addingClock(resetTo: value)
            #expect(big.members(free) == (0..<big.count).map { s[$0 % small.count] }, "\(h)")
            let atValue = (0..<big.count).map { p in
                s[p % small.count] && big.coordinate(p, clocks + 1) == 4 * Int(value)
            }
            #expect(big.members(armed) == atValue, "\(h) + clock at \(value)")
            #expect(armed.removingClock(clocks + 1) == h.zone, "\(h)")
            #expect(free.removingClock(clocks + 1) == h.zone, "\(h)")

            // Project the bigger zone on all clocks but x.
            let g = ZoneHistory.random(clocks: clocks + 1, boxed: false, &rng)
            let x = 1 + rng.next(below: clocks + 1)
            let projected = big.exists(big.members(g.zone), clock: x)
            var expected = [Bool](repeating: false, count: small.count)
            for p in 0..<big.count where big.coordinate(p, x) == 0 {
                expected[big.dropping(x, p)] = projected[p]
            }
            let removed = small.members(g.zone.removingClock(x))
            if g.isBoxed(x) {
                #expect(removed == expected, "\(g) without x\(x)")
                exactRemovals += 1
            } else {
                #expect(isSubset(expected, removed), "\(g) without x\(x)")
            }
        }
        #expect(exactRemovals > 10, "exact removals: \(exactRemovals)")
    }
}

// MARK: - Fixed examples

@Suite("DBM: strict bounds, sampling and text on fixed zones")
struct DBMExampleTests {
    @Test("0 < x < 1 is not empty but has no integer point; its half-millisecond sample is 1/2")
    func openUnitInterval() {
        var z = DBM.unconstrained(clocks: 1)
        #expect(z.constrainLower(1, .lessThan(0)) && z.constrainUpper(1, .lessThan(1)))
        #expect(!z.isEmpty && z.samplePoint() == nil)
        #expect(z.samplePoint(scale: 2) == [0, 1])
        #expect(z.upperBound(of: 1) == .lessThan(1) && z.lowerBound(of: 1) == .lessThan(0))
        #expect(z.description == "0 < x1 < 1")
    }

    @Test("0 < x1 < x2 < 1 has no half-millisecond point: it needs thirds, scale = dimension")
    func strictChain() {
        var z = DBM.unconstrained(clocks: 2)
        z.constrainLower(1, .lessThan(0))
        z.constrain(1, 2, .lessThan(0))
        z.constrainUpper(2, .lessThan(1))
        #expect(!z.isEmpty)
        #expect(z.samplePoint(scale: 2) == nil)
        #expect(z.samplePoint(scale: 3) == [0, 1, 2])
        #expect(z.description == "0 < x1 < 1, 0 < x2 < 1, x1 - x2 < 0")
    }

    @Test("x2 > 0 at zero, and x1 - x2 <= -1 with x2 - x1 < 1, are empty: the one empty value")
    func emptyForm() {
        var a = DBM(clocks: 2)
        let aKept = a.constrainLower(2, .lessThan(0))
        #expect(!aKept)
        var b = DBM.unconstrained(clocks: 2)
        b.constrain(1, 2, .lessEqual(-1))
        let bKept = b.constrain(2, 1, .lessThan(1))
        #expect(!bKept)
        #expect(a == b && a == .empty(clocks: 2) && a.isEmpty && a.description == "false")
        #expect(a.samplePoint(scale: 3) == nil && DBM.unconstrained(clocks: 2).includes(a))
        var delayed = a
        delayed.delay()
        delayed.reset(1)
        delayed.free(2)
        #expect(delayed == a)
        #expect(a.addingClock() == .empty(clocks: 3) && a.removingClock(1) == .empty(clocks: 1))
    }

    @Test("text: all free is true, the zero zone after up is x1 - x2 = 0, names are used")
    func descriptions() {
        #expect(DBM.unconstrained(clocks: 2).description == "true")
        #expect(DBM(clocks: 2).description == "x1 = 0, x2 = 0")
        var z = DBM(clocks: 2)
        z.delay()
        #expect(z.description == "x1 - x2 = 0")
        z.reset(2)
        #expect(z.description == "x2 = 0")
        z.delay()
        #expect(z.description == "x1 - x2 >= 0")
        z.constrainUpper(1, .lessEqual(5))
        #expect(z.description == "x1 <= 5, x2 <= 5, x1 - x2 >= 0")
        #expect(z.description(clockNames: ["0", "gcs", "raylet"]) ==
                "gcs <= 5, raylet <= 5, gcs - raylet >= 0")
        z.constrain(1, 2, .lessThan(3))
        z.constrainLower(1, .lessEqual(2))
        #expect(z.description == "2 <= x1 <= 5, x2 <= 5, 0 <= x1 - x2 < 3")
    }
}
