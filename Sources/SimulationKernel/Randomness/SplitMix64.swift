/// The simulator's one source of randomness: SplitMix64 (Steele, Lea, Flood 2014), frozen here.
///
/// Owned instead of borrowed so its output never changes under us: a seed printed today must replay
/// the same run on any future toolchain. Its first outputs are pinned by a snapshot test.
public struct SplitMix64: Sendable, Hashable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`, without modulo bias (rejection sampling), `bound >= 1`.
    @inlinable public mutating func next(below bound: Int) -> Int {
        precondition(bound >= 1, "next(below:) needs a positive bound, got \(bound)")
        let b = UInt64(bound)
        let threshold = (0 &- b) % b
        while true {
            let r = next()
            if r >= threshold { return Int(r % b) }
        }
    }

    /// A generator for one subsystem, derived from this one's seed and a fixed label, so adding a
    /// draw in one subsystem never shifts the draws of another.
    public func derived(_ label: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state ^ (label &* 0xD6E8_FEB8_6659_FD93))
        return SplitMix64(seed: mixer.next())
    }
}
