/// The outcome of one exhaustive check: verdicts, shortest counterexamples and statistics.
public struct CheckReport: Sendable, Hashable {
    /// What the check established.
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// Every reachable state was visited and the property held in all of them.
        case holds
        /// A reachable state breaks the property; a shortest path to one is attached.
        case violated
        /// A limit or another property's violation stopped the search first: nothing is proven.
        case incomplete
        /// The zone checker found a symbolic violation that it could not make concrete: neither
        /// proven nor shown (``PropertyResult/unknownReason`` says why). Never from the grid.
        case unknown
    }

    /// Why the search stopped.
    public enum StopReason: String, Sendable, Hashable, Codable {
        /// Every reachable state was visited.
        case exhausted
        /// A level held a violating state and ``CheckOptions/stopAtFirstViolation`` was set.
        case violation
        case stateLimit
        case memoryLimit
        case timeLimit
        /// ``CheckControl/requestStop()`` was called (the command line's SIGINT handler does).
        case interrupted
    }

    /// Holds if every property holds, violated if any is violated, incomplete otherwise.
    public var verdict: Verdict
    public var stopReason: StopReason
    /// One result per model property, in the model's order.
    public var properties: [PropertyResult]
    /// One result per "sometimes" property (``SimulationModel/sometimes``), in the model's order.
    public var sometimes: [SometimesResult]
    /// The "sometimes" properties a whole search never reached: what the verdict proves, it
    /// proves vacuously for them (a fault never injected, a recovery never reached).
    public var unreached: [SometimesResult] { sometimes.filter { $0.verdict == .unreached } }
    /// Distinct states stored (after symmetry reduction, if the model canonicalizes).
    public var distinctStates: Int
    /// Successors generated, duplicates included.
    public var transitions: Int
    /// The deepest BFS level reached: the length of the longest shortest path.
    public var maxDepth: Int
    /// Wall-clock seconds of the search, counterexample reconstruction excluded.
    public var seconds: Double
    public var statesPerSecond: Double
    /// Peak bytes of the checker's own structures (visited set, frontier, path links), by its own
    /// accounting; states' heap storage is not included, so ``processPeakResidentBytes`` is the
    /// figure to report as the memory a check used.
    public var peakMemoryBytes: Int
    /// The process's peak resident memory (`VmHWM` in `/proc/self/status`) when the check ended,
    /// nil where unavailable. Includes everything else the process did before.
    public var processPeakResidentBytes: Int?
    /// Chance that two distinct states shared a fingerprint and one was skipped: about n²/2⁶⁵
    /// for n states; zero with ``VisitedStore/exactStates``.
    public var collisionProbability: Double
    public var visited: VisitedStore
    public var threads: Int

    /// The result for property `id`, if the model has one.
    public func property(_ id: String) -> PropertyResult? { properties.first { $0.id == id } }
}

/// Whether some reachable world is an example of a "sometimes" property.
public struct SometimesResult: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// A reachable world is an example; ``SometimesResult/example`` is a shortest path to it.
        case reached
        /// Every reachable world was visited and none is an example.
        case unreached
        /// The search stopped before finding one: nothing is known.
        case incomplete
    }

    public var id: String
    public var summary: String
    public var verdict: Verdict
    /// A shortest path to an example world (the same form as a counterexample).
    public var example: Counterexample?
}

/// The verdict on one property, with a shortest counterexample when violated.
public struct PropertyResult: Sendable, Hashable {
    public var id: String
    public var summary: String
    public var verdict: CheckReport.Verdict
    public var counterexample: Counterexample?
    /// Why a symbolic violation could not be made concrete (verdict
    /// ``CheckReport/Verdict/unknown``).
    public var unknownReason: String?

    public init(id: String, summary: String, verdict: CheckReport.Verdict,
                counterexample: Counterexample?, unknownReason: String? = nil) {
        self.id = id
        self.summary = summary
        self.verdict = verdict
        self.counterexample = counterexample
        self.unknownReason = unknownReason
    }
}

/// A shortest path from the initial state to a state that breaks a property, as choices.
///
/// `Simulator.replay(script)` walks exactly this path: the checker records, for every step, the
/// choice indices that `step` consumed.
public struct Counterexample: Sendable, Hashable {
    /// The choice indices of each step, in order; a step without a real choice has none.
    public var steps: [[Int]]
    /// The fingerprint of the (canonical) violating state.
    public var violatingFingerprint: UInt64

    public init(steps: [[Int]], violatingFingerprint: UInt64) {
        self.steps = steps
        self.violatingFingerprint = violatingFingerprint
    }

    /// The number of steps.
    public var depth: Int { steps.count }
    /// All steps' choices concatenated: what ``Simulator/replay(_:)`` takes.
    public var script: [Int] { steps.flatMap { $0 } }
}
