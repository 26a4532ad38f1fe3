// Points of a zone: membership, picking one, and the zone as text.

extension DBM {
    /// Whether `valuation` (milliseconds per clock, entry 0 ignored and taken as 0) lies in the
    /// zone: it meets every entry's bound. For tests and for checking a concretised trace.
    public func contains(_ valuation: [Double]) -> Bool {
        precondition(valuation.count == dimension,
                     "a valuation has \(dimension) entries (entry 0 for the reference clock)")
        let n = dimension
        for i in 0..<n {
            let vi = i == 0 ? 0 : valuation[i]
            for j in 0..<n {
                let b = storage[i * n + j]
                if b.isInfinity { continue }
                let difference = vi - (j == 0 ? 0 : valuation[j])
                let c = Double(b.value)
                if b.isStrict ? !(difference < c) : !(difference <= c) { return false }
            }
        }
        return true
    }

    /// Whether `point` (in units of `1/scale` ms, entry 0 ignored and taken as 0) lies in the
    /// zone. Exact integer arithmetic, so it suits points from ``samplePoint(scale:choosing:)``.
    public func contains(_ point: [Int64], scale: Int64 = 1) -> Bool {
        precondition(point.count == dimension && scale >= 1,
                     "a point needs \(dimension) entries, scale >= 1: \(point.count), \(scale)")
        let n = dimension
        for i in 0..<n {
            for j in 0..<n {
                let b = storage[i * n + j]
                if b.isInfinity { continue }
                let difference = (i == 0 ? 0 : point[i]) - (j == 0 ? 0 : point[j])
                let (c, overflow) = b.value.multipliedReportingOverflow(by: scale)
                if overflow { if b.value < 0 { return false } else { continue } }
                if b.isStrict ? difference >= c : difference > c { return false }
            }
        }
        return true
    }

    /// A valuation in the zone on the grid of `1/scale` ms, in units of `1/scale` ms (entry 0 is
    /// 0), or nil if the zone has no point on that grid.
    ///
    /// Clocks are fixed one at a time, each to `choose(lowest, highest)` of its range given the
    /// ones before (`highest` nil when unbounded); the default takes the lowest, which gives the
    /// lexicographically smallest point: every event as early as it may be. On the grid a strict
    /// `< c` is `<= c - 1/scale`; after that rewrite the matrix has integer non-strict entries, so
    /// when it closes non-empty each fixed value keeps it non-empty and the walk never fails.
    ///
    /// Strict bounds can leave a non-empty zone without a grid point: `0 < x < 1` has none with
    /// `scale` 1, `0 < x1 < x2 < 1` none with 2. With `scale >= dimension` every non-empty zone
    /// has one: it contains a whole region (integer parts and order of fractional parts fixed),
    /// and a region's at most `clockCount` distinct fractional parts fit in the steps
    /// `1/scale, ..., clockCount/scale`.
    public func samplePoint(
        scale: Int64 = 1,
        choosing choose: (_ lowest: Int64, _ highest: Int64?) -> Int64 = { lowest, _ in lowest }
    ) -> [Int64]? {
        precondition(scale >= 1, "samplePoint needs a scale >= 1, got \(scale)")
        var grid = self
        for k in 0..<storage.count where !storage[k].isInfinity {
            let b = storage[k]
            let (scaled, overflow) = b.value.multipliedReportingOverflow(by: scale)
            precondition(!overflow && abs(scaled) <= DBMBound.valueMax,
                         "bound \(b) times scale \(scale) is beyond ±\(DBMBound.valueMax)")
            grid.storage[k] = .lessEqual(b.isStrict ? scaled - 1 : scaled)
        }
        guard grid.close() else { return nil }
        var point = [Int64](repeating: 0, count: dimension)
        for clock in 1..<max(dimension, 1) {
            let lowest = -grid[0, clock].value
            let upper = grid[clock, 0]
            let highest = upper.isInfinity ? nil : upper.value
            let chosen = choose(lowest, highest)
            let range = "\(lowest)...\(highest.map(String.init) ?? "inf")"
            precondition(chosen >= lowest && chosen <= (highest ?? .max),
                         "chosen \(chosen) is outside \(range) for clock \(clock)")
            let fixed = grid.constrain(clock, 0, .lessEqual(chosen))
                && grid.constrain(0, clock, .lessEqual(-chosen))
            precondition(fixed, "a closed non-strict zone lost its points when clock \(clock) "
                         + "was fixed to \(chosen)")
            point[clock] = chosen
        }
        return point
    }
}

extension DBM: CustomStringConvertible {
    /// The constraints that are not implied by the clocks' own bounds, as in
    /// `x1 <= 5, x2 > 2, x1 - x2 < 3`; `true` for all clocks free, `false` for empty.
    public var description: String { description(clockNames: (0..<dimension).map { "x\($0)" }) }

    /// ``description`` with `clockNames[i]` for clock `i` (entry 0 unused).
    public func description(clockNames: [String]) -> String {
        precondition(clockNames.count == dimension, "description needs \(dimension) clock names")
        if isEmpty { return "false" }
        var parts: [String] = []
        for i in 1..<max(dimension, 1) {
            // `0 <= x` goes without saying, except to say `x = 0`.
            let lower = self[0, i] == .zero && self[i, 0] != .zero ? nil : self[0, i]
            parts += DBM.rangeText(clockNames[i], lower: lower, upper: self[i, 0])
        }
        for i in 1..<max(dimension, 1) {
            for j in (i + 1)..<max(dimension, i + 1) {
                // Skip a side the two clocks' own bounds already imply (a path through clock 0).
                let upper = self[i, j] == self[i, 0] + self[0, j] ? .infinity : self[i, j]
                let lower = self[j, i] == self[j, 0] + self[0, i] ? nil : self[j, i]
                let term = "\(clockNames[i]) - \(clockNames[j])"
                parts += DBM.rangeText(term, lower: lower, upper: upper)
            }
        }
        return parts.isEmpty ? "true" : parts.joined(separator: ", ")
    }

    /// `term`'s range given `-term ≺ negatedLower` and `term ≺ upper`: `x = 3`, `2 < x <= 5`,
    /// `x >= 2`, `x < 5`, or nothing when both are absent.
    private static func rangeText(_ term: String, lower negatedLower: DBMBound?,
                                  upper: DBMBound) -> [String] {
        let lowText = negatedLower.map { ($0.isStrict ? " < " : " <= ", String(-$0.value)) }
        let highText = upper.isInfinity
            ? nil : (upper.isStrict ? " < " : " <= ", String(upper.value))
        switch (lowText, highText) {
        case (nil, nil): return []
        case let (low?, high?) where low.0 == " <= " && high.0 == " <= " && low.1 == high.1:
            return ["\(term) = \(high.1)"]
        case let (low?, high?): return ["\(low.1)\(low.0)\(term)\(high.0)\(high.1)"]
        case let (low?, nil): return ["\(term)\(low.0 == " <= " ? " >= " : " > ")\(low.1)"]
        case let (nil, high?): return ["\(term)\(high.0)\(high.1)"]
        }
    }
}
