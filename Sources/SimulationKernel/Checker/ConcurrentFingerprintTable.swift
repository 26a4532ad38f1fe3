import Synchronization

/// The visited set of the parallel search: fingerprints shared by all threads, each paired with
/// a tag naming the chunk of the current BFS level that owns it.
///
/// Layout: 256 segments chosen by the top 8 bits, like ``FingerprintTable``. A segment's buffer
/// holds its mask, a link to the buffer it replaced, then 16-byte slots (fingerprint, tag), so a
/// probe touches one cache line. Every word is atomic.
///
/// Writers (inserting, stealing, growing) take the segment's lock. Readers take no lock:
/// entries are never removed, a ``finalTag`` never changes during a level, chunk tags only
/// decrease, and a buffer replaced by growth stays readable until ``releaseRetiredBuffers()``
/// (called between levels). So whatever a lock-free probe sees that lets it answer "present, not
/// ours to take" is still true; anything else goes to the locked path.
@usableFromInline
final class ConcurrentFingerprintTable: @unchecked Sendable {
    /// The tag of an entry from an earlier level; chunk tags are below it.
    @usableFromInline static let finalTag: UInt64 = .max
    /// Bytes per segment line: the lock, then the entry count, then padding to 64 bytes so
    /// threads locking different segments do not share a cache line.
    @usableFromInline static let lineBytes = 64
    @usableFromInline static let countOffset = 8
    /// Buffer words before the slots: the mask, the replaced buffer.
    @usableFromInline static let headerWords = 2

    /// The current buffer of each segment.
    @usableFromInline let buffers: UnsafeMutablePointer<Atomic<UInt>>
    /// Each segment's line: its lock, and its entry count at ``countOffset``.
    @usableFromInline let lines: UnsafeMutableRawPointer
    @usableFromInline let allocatedBytes = Atomic<Int>(0)

    @usableFromInline init() {
        precondition(MemoryLayout<Mutex<Void>>.size <= Self.countOffset,
                     "a Mutex of \(MemoryLayout<Mutex<Void>>.size) bytes overlaps the count at offset \(Self.countOffset)")
        let count = FingerprintTable.segmentCount
        buffers = .allocate(capacity: count)
        lines = UnsafeMutableRawPointer.allocate(byteCount: count * Self.lineBytes, alignment: Self.lineBytes)
        for s in 0..<count {
            let line = lines + s * Self.lineBytes
            line.bindMemory(to: Mutex<Void>.self, capacity: 1).initialize(to: Mutex(()))
            (line + Self.countOffset).bindMemory(to: Atomic<UInt64>.self, capacity: 1).initialize(to: Atomic(0))
        }
        for s in 0..<count {
            let buffer = makeBuffer(capacity: FingerprintTable.initialSegmentCapacity, replacing: nil)
            (buffers + s).initialize(to: Atomic(UInt(bitPattern: buffer)))
        }
    }

    deinit {
        releaseRetiredBuffers()
        for s in 0..<FingerprintTable.segmentCount { freeBuffer(buffer(s)) }
        buffers.deinitialize(count: FingerprintTable.segmentCount)
        buffers.deallocate()
        for s in 0..<FingerprintTable.segmentCount {
            lock(s).deinitialize(count: 1)
            countWord(s).deinitialize(count: 1)
        }
        lines.deallocate()
    }

    /// Entries stored. Read it when no thread is inserting.
    @usableFromInline var count: Int {
        var total = 0
        for s in 0..<FingerprintTable.segmentCount { total += Int(countWord(s).pointee.load(ordering: .relaxed)) }
        return total
    }

    /// Bytes held by the buffers, replaced ones not yet released included.
    @inlinable var bytes: Int { allocatedBytes.load(ordering: .relaxed) }

    // MARK: Claiming and settling

    /// Claims `fingerprint` for `chunk` of the level being expanded; true if the caller should
    /// record the state as a candidate.
    ///
    /// Absent: inserted with the chunk's tag. Present from an earlier level: false. Present from a
    /// later chunk of this level: the tag is lowered to this chunk's (the state is stolen) and
    /// true. So once the level is expanded, each new entry carries the lowest chunk that
    /// generated it — whose candidate is exactly where a one-thread search would have found it.
    @inlinable func claim(_ fingerprint: UInt64, chunk: Int) -> Bool {
        let fp = fingerprint == 0 ? 1 : fingerprint
        let tag = UInt64(chunk)
        let s = FingerprintTable.segmentIndex(fp)
        if let slot = find(fp, in: buffer(s)) {
            let seen = slot[1].load(ordering: .relaxed)
            if seen == Self.finalTag || seen <= tag { return false }
        }
        return lock(s).pointee.withLock { _ in claimLocked(fp, tag: tag, segment: s) }
    }

    /// The locked part of ``claim(_:chunk:)``: steal or insert.
    @inlinable func claimLocked(_ fp: UInt64, tag: UInt64, segment s: Int) -> Bool {
        if let slot = find(fp, in: buffer(s)) {
            let seen = slot[1].load(ordering: .relaxed)
            if seen == Self.finalTag || seen <= tag { return false }
            slot[1].store(tag, ordering: .relaxed)
            return true
        }
        let count = countWord(s).pointee.load(ordering: .relaxed)
        var current = buffer(s)
        if (Int(count) + 1) * 4 > Self.capacity(of: current) * 3 { current = grow(s) }
        let slot = Self.emptySlot(for: fp, in: current)
        slot[1].store(tag, ordering: .relaxed)
        slot[0].store(fp, ordering: .releasing)
        countWord(s).pointee.store(count + 1, ordering: .relaxed)
        return true
    }

    /// After a level's expansion, with no thread claiming: true if `chunk` still owns
    /// `fingerprint` (the candidate stays), and then marks the entry final; false if a lower chunk
    /// took it (the candidate is dropped). Only the owner writes the tag, so no lock is needed.
    @inlinable func settle(_ fingerprint: UInt64, chunk: Int) -> Bool {
        let fp = fingerprint == 0 ? 1 : fingerprint
        guard let slot = find(fp, in: buffer(FingerprintTable.segmentIndex(fp))) else {
            preconditionFailure("settling fingerprint \(hex16(fp)) that was never claimed")
        }
        guard slot[1].load(ordering: .relaxed) == UInt64(chunk) else { return false }
        slot[1].store(Self.finalTag, ordering: .relaxed)
        return true
    }

    /// Inserts `fingerprint` as final, e.g. the initial state.
    @usableFromInline func insertFinal(_ fingerprint: UInt64) {
        if claim(fingerprint, chunk: 0) { _ = settle(fingerprint, chunk: 0) }
    }

    /// Starts loading the home slot of each fingerprint (see ``FingerprintTable/prefetch(_:)``).
    @inlinable func prefetch(_ fingerprints: UnsafeBufferPointer<UInt64>) {
        for fp in fingerprints { prefetch(fp) }
    }

    /// Starts loading the home slot of `fp`.
    @inlinable func prefetch(_ fp: UInt64) {
        let b = buffer(FingerprintTable.segmentIndex(fp))
        let i = Int(truncatingIfNeeded: fp) & Self.mask(of: b)
        prefetchCacheLine(b + (Self.headerWords &+ 2 &* i))
    }

    // MARK: Buffers

    @inlinable func buffer(_ s: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        UnsafeMutablePointer(bitPattern: buffers[s].load(ordering: .acquiring)).unsafelyUnwrapped
    }

    @inlinable static func mask(of b: UnsafeMutablePointer<Atomic<UInt64>>) -> Int {
        Int(truncatingIfNeeded: b[0].load(ordering: .relaxed))
    }

    @inlinable static func capacity(of b: UnsafeMutablePointer<Atomic<UInt64>>) -> Int { mask(of: b) + 1 }

    /// The slot (fingerprint word, then tag word) holding `fp` in buffer `b`, if any.
    @inlinable func find(_ fp: UInt64, in b: UnsafeMutablePointer<Atomic<UInt64>>) -> UnsafeMutablePointer<Atomic<UInt64>>? {
        let mask = Self.mask(of: b)
        var i = Int(truncatingIfNeeded: fp) & mask
        while true {
            let slot = b + (Self.headerWords &+ 2 &* i)
            let key = slot[0].load(ordering: .acquiring)
            if key == fp { return slot }
            if key == 0 { return nil }
            i = (i &+ 1) & mask
        }
    }

    /// The first empty slot on `fp`'s probe path in `b`; `fp` must be absent.
    @inlinable static func emptySlot(for fp: UInt64, in b: UnsafeMutablePointer<Atomic<UInt64>>) -> UnsafeMutablePointer<Atomic<UInt64>> {
        let mask = Self.mask(of: b)
        var i = Int(truncatingIfNeeded: fp) & mask
        while b[headerWords + 2 &* i].load(ordering: .relaxed) != 0 { i = (i &+ 1) & mask }
        return b + (headerWords &+ 2 &* i)
    }

    /// Replaces segment `s`'s buffer by one twice as large (caller holds the lock). The old one
    /// stays readable, linked from the new, until ``releaseRetiredBuffers()``.
    @usableFromInline func grow(_ s: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        let old = buffer(s)
        let new = makeBuffer(capacity: Self.capacity(of: old) * 2, replacing: old)
        for j in 0..<Self.capacity(of: old) {
            let fp = old[Self.headerWords + 2 * j].load(ordering: .relaxed)
            guard fp != 0 else { continue }
            let slot = Self.emptySlot(for: fp, in: new)
            slot[1].store(old[Self.headerWords + 2 * j + 1].load(ordering: .relaxed), ordering: .relaxed)
            slot[0].store(fp, ordering: .relaxed)
        }
        buffers[s].store(UInt(bitPattern: new), ordering: .releasing)
        return new
    }

    /// Frees the buffers replaced by growth. Only between levels, when no thread is probing.
    @usableFromInline func releaseRetiredBuffers() {
        for s in 0..<FingerprintTable.segmentCount {
            let current = buffer(s)
            var retired = UnsafeMutablePointer<Atomic<UInt64>>(bitPattern: UInt(current[1].load(ordering: .relaxed)))
            current[1].store(0, ordering: .relaxed)
            while let b = retired {
                retired = UnsafeMutablePointer(bitPattern: UInt(b[1].load(ordering: .relaxed)))
                freeBuffer(b)
            }
        }
    }

    func makeBuffer(capacity: Int, replacing old: UnsafeMutablePointer<Atomic<UInt64>>?) -> UnsafeMutablePointer<Atomic<UInt64>> {
        let words = Self.headerWords + 2 * capacity
        let b = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: words)
        b.initialize(to: Atomic(UInt64(capacity - 1)))
        (b + 1).initialize(to: Atomic(UInt64(UInt(bitPattern: old))))
        for w in Self.headerWords..<words { (b + w).initialize(to: Atomic(0)) }
        allocatedBytes.add(words * 8, ordering: .relaxed)
        return b
    }

    func freeBuffer(_ b: UnsafeMutablePointer<Atomic<UInt64>>) {
        let words = Self.headerWords + 2 * Self.capacity(of: b)
        b.deinitialize(count: words)
        b.deallocate()
        allocatedBytes.subtract(words * 8, ordering: .relaxed)
    }

    // MARK: Lines

    /// Segment `s`'s lock.
    @inlinable func lock(_ s: Int) -> UnsafeMutablePointer<Mutex<Void>> {
        (lines + s &* Self.lineBytes).assumingMemoryBound(to: Mutex<Void>.self)
    }

    /// Segment `s`'s entry count, written under its lock.
    @inlinable func countWord(_ s: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (lines + (s &* Self.lineBytes &+ Self.countOffset)).assumingMemoryBound(to: Atomic<UInt64>.self)
    }
}
