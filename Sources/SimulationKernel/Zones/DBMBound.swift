/// One entry of a difference-bound matrix: the bound `≺ c` of `x_i - x_j ≺ c`, where `≺` is
/// `<` or `<=` and `c` is whole milliseconds, or no bound at all (infinity).
///
/// Encoded as one integer the standard way (Bengtsson and Yi 2004, as UPPAAL's `raw_t`):
/// `c << 1 | 1` for `<= c`, `c << 1` for `< c`. Then comparing bounds is comparing integers, and a
/// smaller bound is a tighter one: `< 3` < `<= 3` < `< 4` < ... < infinity.
///
/// Read as a lower bound (``DBM/lowerBound(of:)``, ``DBM/constrainLower(_:_:)``), the same value
/// means `c <= x` (non-strict) or `c < x` (strict): `.lessEqual(3)` is `3 <= x`.
public struct DBMBound: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The encoding: `value << 1 | (isStrict ? 0 : 1)`, or `infinity.raw`.
    public let raw: Int64

    /// The largest constant magnitude a bound may carry: 2⁶¹ - 1 ms, about 73 million years.
    ///
    /// With it two finite raws add without overflow; sums beyond it saturate (see ``+(_:_:)``).
    public static let valueMax: Int64 = Int64.max >> 2

    /// No bound: `< ∞`. Strict, as in UPPAAL, so adding it to anything stays infinity.
    public static let infinity = DBMBound(raw: Int64.max - 1)

    /// `<= 0`: the diagonal of a non-empty zone, and the lower bound `0 <= x` of every clock.
    public static let zero = DBMBound(raw: 1)

    @usableFromInline static let rawFiniteMax: Int64 = valueMax << 1 | 1
    @usableFromInline static let rawFiniteMin: Int64 = -(valueMax << 1)

    /// A bound from its encoding; `raw` must come from another bound's ``raw``.
    @inlinable public init(raw: Int64) { self.raw = raw }

    /// `< value` when `strict`, else `<= value`; `|value| <= valueMax`.
    @inlinable public init(_ value: Int64, strict: Bool) {
        precondition(value >= -DBMBound.valueMax && value <= DBMBound.valueMax,
                     "DBM constant \(value) is beyond ±\(DBMBound.valueMax)")
        raw = value << 1 | (strict ? 0 : 1)
    }

    /// `< value`.
    @inlinable public static func lessThan(_ value: Int64) -> DBMBound {
        DBMBound(value, strict: true)
    }

    /// `<= value`.
    @inlinable public static func lessEqual(_ value: Int64) -> DBMBound {
        DBMBound(value, strict: false)
    }

    /// Whether this is no bound at all.
    @inlinable public var isInfinity: Bool { raw == DBMBound.infinity.raw }

    /// The constant `c`; meaningless for ``infinity``.
    @inlinable public var value: Int64 { raw >> 1 }

    /// Whether the bound is `<` (infinity counts as strict).
    @inlinable public var isStrict: Bool { raw & 1 == 0 }

    /// The bound on `a + b` given `a ≺ c` and `b ≺' c'`: `c + c'`, strict if either is.
    ///
    /// Infinity absorbs. Saturating, so it never traps: a sum above ``valueMax`` becomes infinity
    /// (a looser zone), one below `-valueMax` becomes `< -valueMax` (still negative, so a negative
    /// cycle stays one). Constants in practice are seconds to days, far from either end.
    @inlinable public static func + (a: DBMBound, b: DBMBound) -> DBMBound {
        let infinite = DBMBound.infinity.raw
        if a.raw == infinite || b.raw == infinite { return .infinity }
        // (2c + s) + (2c' + s') - (s | s') = 2(c + c') + (s & s'); |raw| < 2⁶² so no overflow.
        let sum = a.raw + b.raw - ((a.raw | b.raw) & 1)
        if sum > DBMBound.rawFiniteMax { return .infinity }
        if sum < DBMBound.rawFiniteMin { return DBMBound(raw: DBMBound.rawFiniteMin) }
        return DBMBound(raw: sum)
    }

    /// Tighter is smaller.
    @inlinable public static func < (a: DBMBound, b: DBMBound) -> Bool { a.raw < b.raw }

    /// `<=5`, `<5` or `<inf`.
    public var description: String {
        if isInfinity { return "<inf" }
        return (isStrict ? "<" : "<=") + String(value)
    }
}
