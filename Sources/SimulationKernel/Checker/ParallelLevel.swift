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

/// The counters a level's worker threads share: the next chunk to take, and the stop signal.
@usableFromInline
final class LevelShared: Sendable {
    @usableFromInline let cursor = Atomic<Int>(0)
    /// 0 while running; otherwise ``stopCodes`` index + 1 of the limit that was crossed.
    @usableFromInline let stopCode = Atomic<Int>(0)
    /// New entries and candidate bytes published by workers, for the limits.
    @usableFromInline let inserted = Atomic<Int>(0)
    @usableFromInline let candidateBytes = Atomic<Int>(0)
    @usableFromInline let looks = Atomic<Int>(0)

    @usableFromInline static let stopCodes: [CheckReport.StopReason] = [.stateLimit, .memoryLimit, .timeLimit]

    @usableFromInline init() {}

    /// The next chunk nobody has taken, or nil when all are taken or the search is stopping.
    @inlinable func takeChunk(of count: Int) -> Int? {
        guard stopCode.load(ordering: .relaxed) == 0 else { return nil }
        let c = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return c < count ? c : nil
    }

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
