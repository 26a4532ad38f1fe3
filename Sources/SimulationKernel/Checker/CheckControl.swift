import Synchronization

/// How a running check is watched and stopped from outside: a stop request that any thread (a
/// SIGINT handler included) may set, and a progress callback.
///
/// Neither ever changes what is explored: a stop request ends the search as
/// ``CheckReport/StopReason/interrupted`` with the figures so far, exactly as a limit does, and
/// progress only reports. Compared by identity, so ``CheckOptions`` stays `Hashable`.
public final class CheckControl: Sendable, Hashable {
    private let stopRequested = Atomic<Bool>(false)
    /// Seconds between two progress reports; the first comes after this long too.
    public let progressIntervalSeconds: Double
    /// Called with the figures so far, on the thread that is searching. Nil: no progress.
    public let onProgress: (@Sendable (CheckProgress) -> Void)?

    public init(progressIntervalSeconds: Double = 2, onProgress: (@Sendable (CheckProgress) -> Void)? = nil) {
        precondition(progressIntervalSeconds > 0, "progressIntervalSeconds must be positive, got \(progressIntervalSeconds)")
        self.progressIntervalSeconds = progressIntervalSeconds
        self.onProgress = onProgress
    }

    /// Asks the check to stop at its next look (within a few thousand transitions). Lock-free, so
    /// it may be called from a signal handler.
    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// Whether a stop was requested.
    public var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }

    public static func == (a: CheckControl, b: CheckControl) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// The figures of a check in progress.
public struct CheckProgress: Sendable, Hashable {
    /// Distinct states stored so far (in a parallel search, an estimate within the current level).
    public var distinctStates: Int
    /// The BFS level being expanded.
    public var depth: Int
    public var seconds: Double
    /// The process's resident memory now, nil where unavailable.
    public var residentBytes: Int?
}
