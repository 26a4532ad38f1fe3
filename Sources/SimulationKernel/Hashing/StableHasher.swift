/// A 64-bit hasher with a fixed key: the same words give the same fingerprint in every process.
///
/// Swift's `Hasher` and `hashValue` are seeded per process, so they can neither name a state across
/// runs nor make a trace digest reproducible. This mixer (multiply-rotate per word, MurmurHash3's
/// `fmix64` to finish) is frozen and snapshot-tested.
public struct StableHasher: Sendable {
    @usableFromInline var state: UInt64
    @usableFromInline var length: UInt64 = 0

    @inlinable public init(seed: UInt64 = 0x243F_6A88_85A3_08D3) { state = seed }

    /// Mixes in one 64-bit word.
    @inlinable public mutating func combine(_ word: UInt64) {
        var k = word &* 0x87C3_7B91_1142_53D5
        k = (k << 31) | (k >> 33)
        k &*= 0x4CF5_AD43_2745_937F
        state ^= k
        state = ((state << 27) | (state >> 37)) &* 5 &+ 0x52DC_E729
        length &+= 1
    }

    @inlinable public mutating func combine(_ value: Int) { combine(UInt64(bitPattern: Int64(value))) }
    @inlinable public mutating func combine(_ value: Bool) { combine(value ? 1 as UInt64 : 0) }
    @inlinable public mutating func combine(_ value: SimDuration) { combine(UInt64(bitPattern: value.milliseconds)) }

    /// Mixes in a string's UTF-8 bytes, length first, eight bytes to a word.
    public mutating func combine(_ text: String) {
        let bytes = Array(text.utf8)
        combine(bytes.count)
        var word: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            word |= UInt64(b) << (8 * UInt64(i % 8))
            if i % 8 == 7 { combine(word); word = 0 }
        }
        if bytes.count % 8 != 0 { combine(word) }
    }

    /// The fingerprint of everything combined so far.
    @inlinable public func finalize() -> UInt64 {
        var h = state ^ length
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The fingerprint of one 64-bit word, for states that fit in a word.
    @inlinable public static func fingerprint(_ word: UInt64) -> UInt64 {
        var h = StableHasher()
        h.combine(word)
        return h.finalize()
    }
}

/// A value that can feed a canonical encoding of itself to a ``StableHasher``.
///
/// Implementations write fixed-width words in a fixed order (arrays in index order, never a
/// dictionary's iteration order), so equal values give equal fingerprints in every process.
public protocol StableHashable {
    func stableHash(into hasher: inout StableHasher)
}

extension StableHashable {
    /// This value's fingerprint.
    public var fingerprint: UInt64 {
        var h = StableHasher()
        stableHash(into: &h)
        return h.finalize()
    }
}

extension Agenda: StableHashable where Kind: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(entries.count)
        for e in entries {
            hasher.combine(e.remaining)
            e.kind.stableHash(into: &hasher)
        }
        // Zone mode: the windows belong to the discrete world, the zone does not.
        guard let zone else { return }
        for w in zone.windows {
            hasher.combine(w.earliest)
            hasher.combine(w.latest ?? .ms(-1))
            hasher.combine(w.latestIsStrict ? 1 : 0)
            switch w.relation {
            case .none:
                hasher.combine(0)
            case .precedes(let anchor):
                hasher.combine(1)
                anchor.stableHash(into: &hasher)
            case .cancelledBy(let anchor, let bound):
                hasher.combine(2)
                anchor.stableHash(into: &hasher)
                hasher.combine(bound)
            }
        }
    }
}

/// Formats a fingerprint as 16 lower-case hex digits.
public func hex16(_ value: UInt64) -> String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}
