/// A compact array of small non-negative integers: one byte each, larger values kept aside.
///
/// The checker stores two small numbers per state to rebuild counterexamples (how many new
/// successors a state had, and which successor it was of its parent); both are almost always
/// below 255.
@usableFromInline
struct ByteCounts: Sendable {
    @usableFromInline static let escape: UInt8 = 0xFF
    @usableFromInline var bytes: [UInt8] = []
    /// Values of 255 or more, by index. Looked up, never iterated.
    @usableFromInline var large: [Int: Int] = [:]

    @inlinable init() {}

    @inlinable var count: Int { bytes.count }

    @inlinable mutating func append(_ value: Int) {
        precondition(value >= 0, "ByteCounts holds non-negative values, got \(value)")
        if value < Int(Self.escape) {
            bytes.append(UInt8(truncatingIfNeeded: value))
        } else {
            appendLarge(value)
        }
    }

    @usableFromInline mutating func appendLarge(_ value: Int) {
        large[bytes.count] = value
        bytes.append(Self.escape)
    }

    @inlinable mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(n) }

    @inlinable subscript(index: Int) -> Int {
        let b = bytes[index]
        return b == Self.escape ? large[index]! : Int(b)
    }

    /// Bytes held, roughly.
    @inlinable var memoryBytes: Int { bytes.capacity + large.count * 32 }
}
