/// Watches the check's limits. Wall-clock time is read here only, for the time limit and the
/// statistics: it never decides what is explored next.
@usableFromInline
struct LimitGuard: Sendable {
    /// How many state expansions pass between two looks at the clock and the memory.
    @usableFromInline static let interval = 1024
    /// Reading the resident set costs a file read: once every this many looks.
    @usableFromInline static let residentEvery = 64

    @usableFromInline let limits: CheckLimits
    @usableFromInline let start: ContinuousClock.Instant
    @usableFromInline let residentAtStart: Int?

    @usableFromInline init(limits: CheckLimits) {
        self.limits = limits
        start = ContinuousClock.now
        residentAtStart = ProcessMemory.residentBytes()
    }

    /// Seconds since the check started.
    @usableFromInline var elapsedSeconds: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The limit crossed, if any. `looks` counts calls, to read the resident set only now and then.
    @usableFromInline func exceeded(states: Int, accountedBytes: Int, looks: Int) -> CheckReport.StopReason? {
        if states > limits.maxStates { return .stateLimit }
        if accountedBytes > limits.maxMemoryBytes { return .memoryLimit }
        if looks % Self.residentEvery == 0, let base = residentAtStart, let now = ProcessMemory.residentBytes(),
           now - base > limits.maxMemoryBytes {
            return .memoryLimit
        }
        if elapsedSeconds > limits.maxSeconds { return .timeLimit }
        return nil
    }
}
