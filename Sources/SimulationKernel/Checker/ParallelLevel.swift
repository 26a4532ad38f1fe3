import Synchronization

/// How one BFS level is cut into chunks: contiguous runs of the frontier, at most
/// ``maxCount`` of them.
@usableFromInline
struct ChunkPlan: Sendable {
    /// Chunks smaller than this are not worth a thread.
    @usableFromInline static let minimumSize = 64
    /// Enough chunks for threads to share a level evenly; few enough to stay large.
    @usableFromInline static let maxCount = 1024

    @usableFromInline let states: Int
    @usableFromInline let size: Int
    @usableFromInline let count: Int

    @inlinable init(states: Int) {
        self.states = states
        let perChunk = (states + Self.maxCount - 1) / Self.maxCount
        size = max(Self.minimumSize, perChunk)
        count = (states + size - 1) / size
    }

    @inlinable func range(_ chunk: Int) -> Range<Int> {
        (chunk * size)..<min(states, (chunk + 1) * size)
    }
}

/// Hands out a level's chunks to worker threads.
///
/// Each worker first takes the chunks of its own contiguous region, in order, then helps the
/// others. Workers far apart in BFS order share fewer successors, so fewer table entries bounce
/// between their caches than if they took alternate chunks. Which thread takes a chunk never
/// changes the result.
@usableFromInline
final class ChunkQueue: @unchecked Sendable {
    /// Words between two cursors: one cache line each.
    @usableFromInline static let cursorStride = 8

    @usableFromInline let count: Int
    @usableFromInline let regions: Int
    /// Cursor of region r: how many of its chunks have been taken.
    @usableFromInline let cursors: UnsafeMutablePointer<Atomic<Int>>

    /// `count` chunks split into `regions` regions of nearly equal size.
    @usableFromInline init(count: Int, regions: Int) {
        self.count = count
        self.regions = regions
        let words = regions * Self.cursorStride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: words * MemoryLayout<Atomic<Int>>.stride, alignment: 64)
        cursors = raw.bindMemory(to: Atomic<Int>.self, capacity: words)
        for w in 0..<words { (cursors + w).initialize(to: Atomic(0)) }
    }

    deinit {
        cursors.deinitialize(count: regions * Self.cursorStride)
        UnsafeMutableRawPointer(cursors).deallocate()
    }

    /// The first chunk of region `r`; region r ends where region r + 1 starts.
    @inlinable func start(of r: Int) -> Int { count * r / regions }

    /// A chunk nobody has taken, from worker `rank`'s region first; nil when none is left.
    @inlinable func take(rank: Int) -> Int? {
        for k in 0..<regions {
            let r = (rank + k) % regions
            let c = start(of: r) + (cursors + r * Self.cursorStride).pointee.wrappingAdd(1, ordering: .relaxed).oldValue
            if c < start(of: r + 1) { return c }
        }
        return nil
    }
}

/// What a level's worker threads share besides the chunks: the stop signal and progress for the limits.
@usableFromInline
final class LevelShared: Sendable {
    /// 0 while running; otherwise ``stopCodes`` index + 1 of the limit that was crossed.
    @usableFromInline let stopCode = Atomic<Int>(0)
    /// New entries and candidate bytes published by workers, for the limits.
    @usableFromInline let inserted = Atomic<Int>(0)
    @usableFromInline let candidateBytes = Atomic<Int>(0)

    @usableFromInline static let stopCodes: [CheckReport.StopReason] = [.stateLimit, .memoryLimit, .timeLimit, .interrupted]

    @usableFromInline init() {}

    @inlinable var isStopped: Bool { stopCode.load(ordering: .relaxed) != 0 }

    @inlinable func stop(_ reason: CheckReport.StopReason) {
        let code = (Self.stopCodes.firstIndex(of: reason) ?? 0) + 1
        _ = stopCode.compareExchange(expected: 0, desired: code, ordering: .relaxed)
    }

    @inlinable var stopReason: CheckReport.StopReason? {
        let code = stopCode.load(ordering: .relaxed)
        return code == 0 ? nil : Self.stopCodes[code - 1]
    }
}

/// The candidates one chunk of a level produced, in the order it found them. Written by one
/// thread at a time; handed between phases by the threads' join.
@usableFromInline
final class ChunkOutput<State>: @unchecked Sendable {
    @usableFromInline var states: [State] = []
    @usableFromInline var fingerprints: [UInt64] = []
    /// Each candidate's parent, as an offset into the chunk's frontier range.
    @usableFromInline var parents: [UInt32] = []
    @usableFromInline var ordinals: [UInt32] = []
    @usableFromInline var transitions = 0
    /// Per property, the first surviving candidate that breaks it.
    @usableFromInline var violations: [Int?] = []

    @usableFromInline init() {}

    /// Bytes one candidate holds while the level is open.
    @inlinable static var candidateBytes: Int { MemoryLayout<State>.stride + 16 }
}
