import Foundation

/// How the checker remembers the states it has visited.
public enum VisitedStore: String, Sendable, Hashable, Codable {
    /// 64-bit stable fingerprints in an open-addressing table: 11–21 bytes a state on one thread
    /// (21–43 with several, where each slot also carries a tag), with a small chance of a
    /// collision (see ``CheckReport/collisionProbability``).
    case fingerprints
    /// Whole states in a `Set`: exact, for small models and tests. Always one thread.
    case exactStates
}

/// Bounds on one exhaustive check: it always ends, whatever the model does.
///
/// Reaching one ends the check with ``CheckReport/Verdict/incomplete`` and the statistics so far,
/// never a hang or an out-of-memory kill.
public struct CheckLimits: Sendable, Hashable {
    /// The check stops at the end of the BFS level in which it has stored more than this many
    /// distinct states (a level is finished so the answer is the same for any thread count).
    public var maxStates: Int
    /// The check stops once its own structures (visited set, frontier, path links) or the growth of
    /// the process's resident memory since the start exceed this many bytes. Both are looked at
    /// every ``LimitGuard/interval`` transitions, so the overshoot is at most one table growth.
    public var maxMemoryBytes: Int
    /// The check stops after this many seconds of wall-clock time.
    public var maxSeconds: Double

    /// Defaults: a billion states, half of this machine's memory (so one table growth past the
    /// limit still fits), one hour.
    public init(maxStates: Int = 1_000_000_000, maxMemoryBytes: Int? = nil, maxSeconds: Double = 3600) {
        precondition(maxStates > 0, "maxStates must be positive, got \(maxStates)")
        precondition(maxSeconds >= 0, "maxSeconds must not be negative, got \(maxSeconds)")
        self.maxStates = maxStates
        self.maxMemoryBytes = maxMemoryBytes ?? Int(ProcessInfo.processInfo.physicalMemory / 2)
        self.maxSeconds = maxSeconds
        precondition(self.maxMemoryBytes > 0, "maxMemoryBytes must be positive, got \(self.maxMemoryBytes)")
    }
}

/// Everything that shapes one exhaustive check besides the model.
public struct CheckOptions: Sendable, Hashable {
    public var limits: CheckLimits
    /// Worker threads for the level-synchronous search. Any count gives the same report as one
    /// (counts, verdicts, counterexamples), the state limit included (it is decided at the end of a
    /// level). A time or memory limit or a stop request depends on speed, so how far such a check
    /// got, and whether it found a violation first, may differ.
    public var threads: Int
    public var visited: VisitedStore
    /// Stop at the end of the first BFS level where some property fails (its counterexamples are
    /// then shortest). When false, the search goes on so every property gets its own verdict.
    public var stopAtFirstViolation: Bool
    /// A stop request and progress reports from outside (a SIGINT handler, a progress line); nil
    /// for none. It never changes what is explored.
    public var control: CheckControl?

    public init(limits: CheckLimits = CheckLimits(), threads: Int = 1, visited: VisitedStore = .fingerprints,
                stopAtFirstViolation: Bool = true, control: CheckControl? = nil) {
        precondition(threads >= 1, "threads must be at least 1, got \(threads)")
        self.limits = limits
        self.threads = threads
        self.visited = visited
        self.stopAtFirstViolation = stopAtFirstViolation
        self.control = control
    }
}
