/// The visited set of a one-thread search: 64-bit stable fingerprints in open-addressing tables
/// with linear probing.
///
/// 0 marks an empty slot (a fingerprint of 0 is stored as 1). The table is split by the top 8
/// bits of the fingerprint into 256 segments that grow independently (doubling at load 3/4), so
/// growing never needs a second copy of the whole table: memory stays near 8 bytes / load per
/// state, 11–21 bytes.
@usableFromInline
final class FingerprintTable {
    @usableFromInline static let segmentBits: UInt64 = 8
    @usableFromInline static let segmentCount = 1 << segmentBits
    @usableFromInline static let initialSegmentCapacity = 64

    /// One independently growing open-addressing table.
    @usableFromInline struct Segment {
        @usableFromInline var slots: UnsafeMutablePointer<UInt64>
        @usableFromInline var mask: Int
        @usableFromInline var count = 0

        @inlinable var capacity: Int { mask + 1 }
        /// True when one more entry would push the load above 3/4.
        @inlinable var isFull: Bool { (count + 1) * 4 > capacity * 3 }
    }

    @usableFromInline let segments: UnsafeMutablePointer<Segment>
    @usableFromInline var bytes: Int

    @usableFromInline init() {
        segments = .allocate(capacity: Self.segmentCount)
        for s in 0..<Self.segmentCount {
            (segments + s).initialize(to: Self.makeSegment(capacity: Self.initialSegmentCapacity))
        }
        bytes = Self.segmentCount * Self.initialSegmentCapacity * 8
    }

    deinit {
        for s in 0..<Self.segmentCount { segments[s].slots.deallocate() }
        segments.deallocate()
    }

    /// Adds `fingerprint`; true if it was not there yet.
    @inlinable func insert(_ fingerprint: UInt64) -> Bool {
        let fp = fingerprint == 0 ? 1 : fingerprint
        let segment = segments + Self.segmentIndex(fp)
        var i = Int(truncatingIfNeeded: fp) & segment.pointee.mask
        while true {
            let slot = segment.pointee.slots[i]
            if slot == fp { return false }
            if slot == 0 { break }
            i = (i &+ 1) & segment.pointee.mask
        }
        if segment.pointee.isFull {
            grow(segment)
            i = Self.emptySlot(for: fp, in: segment.pointee)
        }
        segment.pointee.slots[i] = fp
        segment.pointee.count += 1
        return true
    }

    /// Starts loading the home slot of each fingerprint, so their cache misses overlap instead of
    /// queueing one after another in the probes that follow.
    @inlinable func prefetch(_ fingerprints: UnsafeBufferPointer<UInt64>) {
        for fp in fingerprints {
            let segment = segments + Self.segmentIndex(fp)
            prefetchCacheLine(segment.pointee.slots + (Int(truncatingIfNeeded: fp) & segment.pointee.mask))
        }
    }

    /// Which segment holds `fp`: its top bits (the home slot comes from its low bits).
    @inlinable static func segmentIndex(_ fp: UInt64) -> Int { Int(truncatingIfNeeded: fp >> (64 - segmentBits)) }

    /// The first empty slot on `fp`'s probe path; `fp` must be absent.
    @inlinable static func emptySlot(for fp: UInt64, in segment: Segment) -> Int {
        var i = Int(truncatingIfNeeded: fp) & segment.mask
        while segment.slots[i] != 0 { i = (i &+ 1) & segment.mask }
        return i
    }

    /// Doubles one segment, rehashing its entries into fresh slots.
    @usableFromInline func grow(_ segment: UnsafeMutablePointer<Segment>) {
        let old = segment.pointee
        var new = Self.makeSegment(capacity: old.capacity * 2)
        for j in 0..<old.capacity where old.slots[j] != 0 {
            new.slots[Self.emptySlot(for: old.slots[j], in: new)] = old.slots[j]
        }
        new.count = old.count
        old.slots.deallocate()
        segment.pointee = new
        bytes += old.capacity * 8
    }

    static func makeSegment(capacity: Int) -> Segment {
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        return Segment(slots: slots, mask: capacity - 1)
    }
}
