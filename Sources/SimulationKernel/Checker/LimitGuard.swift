import Synchronization

/// Watches the check's limits and its ``CheckControl``. Wall-clock time and the resident set are
/// read here only, to decide when to stop and for the statistics: never what is explored next.
///
/// The searches look every ``interval`` transitions, inside a state's successor batch as well as
/// between states, so one state with a huge batch cannot carry a check far past a limit.
@usableFromInline
struct LimitGuard: Sendable {
    /// How many transitions (successors generated) pass between two looks.
    @inlinable static var interval: Int { 1024 }

    @usableFromInline let limits: CheckLimits
    @usableFromInline let control: CheckControl?
    @usableFromInline let start: ContinuousClock.Instant
    @usableFromInline let residentAtStart: Int?
    /// Milliseconds since `start` at which the next progress report is due.
    @usableFromInline let nextProgressMs: ProgressSchedule
    /// Looks so far, shared by the threads: the resident set is read every ``residentEvery``-th.
    @usableFromInline let looks = LookCounter()
    /// Reading the resident set is three system calls, which cost microseconds in a VM: every 16th
    /// look (16,384 transitions) is often enough, and keeps it off the profile.
    @usableFromInline static let residentEvery = 16

    @usableFromInline init(limits: CheckLimits, control: CheckControl?) {
        self.limits = limits
        self.control = control
        start = ContinuousClock.now
        residentAtStart = ProcessMemory.residentBytes()
        let firstMs = control.map { Int($0.progressIntervalSeconds * 1000) } ?? Int.max
        nextProgressMs = ProgressSchedule(firstMs: firstMs)
    }

    /// Seconds since the check started.
    @usableFromInline var elapsedSeconds: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The limit crossed at a look between states, if any: a stop request, the checker's own
    /// accounted bytes, the growth of the resident set, or the time. The state limit is decided at
    /// the end of a level only (``stopAfterLevel``), so it gives the same answer for any thread
    /// count.
    @usableFromInline func exceeded(states: Int, accountedBytes: Int, depth: Int) -> CheckReport.StopReason? {
        if accountedBytes > limits.maxMemoryBytes { return .memoryLimit }
        return exceededInsideBatch(states: states, depth: depth)
    }

    /// The limit crossed at a look inside one state's successor batch, if any.
    @usableFromInline func exceededInsideBatch(states: Int, depth: Int) -> CheckReport.StopReason? {
        if control?.isStopRequested == true { return .interrupted }
        let resident = looks.next() % Self.residentEvery == 0 ? ProcessMemory.residentBytes() : nil
        if let base = residentAtStart, let now = resident, now - base > limits.maxMemoryBytes {
            return .memoryLimit
        }
        let seconds = elapsedSeconds
        if seconds > limits.maxSeconds { return .timeLimit }
        reportProgressIfDue(states: states, depth: depth, seconds: seconds, resident: resident)
        return nil
    }

    /// Hands the figures to the control's callback when a report is due (to one thread only),
    /// reading the resident set if this look did not.
    @usableFromInline func reportProgressIfDue(states: Int, depth: Int, seconds: Double, resident: Int?) {
        guard let control, let report = control.onProgress else { return }
        let everyMs = Int(control.progressIntervalSeconds * 1000)
        guard nextProgressMs.claimIfDue(nowMs: Int(seconds * 1000), everyMs: everyMs) else { return }
        report(CheckProgress(distinctStates: states, depth: depth, seconds: seconds,
                             residentBytes: resident ?? ProcessMemory.residentBytes()))
    }
}

/// Counts looks across the threads of a search.
@usableFromInline
final class LookCounter: Sendable {
    @usableFromInline let count = Atomic<Int>(0)
    @usableFromInline init() {}
    /// The number of this look: 1, 2, 3 …
    @inlinable func next() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }
}

/// When the next progress report is due; shared by the threads of a parallel search, so only one
/// of them reports each time.
@usableFromInline
final class ProgressSchedule: Sendable {
    @usableFromInline let dueMs: Atomic<Int>

    @usableFromInline init(firstMs: Int) { dueMs = Atomic(firstMs) }

    /// True for exactly one caller once `nowMs` reaches the due time; that caller moves it on.
    @usableFromInline func claimIfDue(nowMs: Int, everyMs: Int) -> Bool {
        let due = dueMs.load(ordering: .relaxed)
        guard nowMs >= due else { return false }
        return dueMs.compareExchange(expected: due, desired: nowMs + max(everyMs, 1), ordering: .relaxed).exchanged
    }
}
