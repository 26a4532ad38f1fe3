import Synchronization

/// Watches the check's limits and its ``CheckControl``. Wall-clock time and the resident set are
/// read here only, to decide when to stop and for the statistics: never what is explored next.
///
/// The searches look every ``interval`` transitions, inside a state's successor batch as well as
/// between states, so one state with a huge batch cannot carry a check far past a limit.
@usableFromInline
struct LimitGuard: Sendable {
    /// How many transitions (successors generated) pass between two looks.
    @usableFromInline static let interval = 1024

    @usableFromInline let limits: CheckLimits
    @usableFromInline let control: CheckControl?
    @usableFromInline let start: ContinuousClock.Instant
    @usableFromInline let residentAtStart: Int?
    /// Milliseconds since `start` at which the next progress report is due.
    @usableFromInline let nextProgressMs: ProgressSchedule

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
        let resident = ProcessMemory.residentBytes()
        if let base = residentAtStart, let now = resident, now - base > limits.maxMemoryBytes {
            return .memoryLimit
        }
        let seconds = elapsedSeconds
        if seconds > limits.maxSeconds { return .timeLimit }
        reportProgressIfDue(CheckProgress(distinctStates: states, depth: depth, seconds: seconds, residentBytes: resident))
        return nil
    }

    /// Hands `progress` to the control's callback when a report is due (to one thread only).
    @usableFromInline func reportProgressIfDue(_ progress: CheckProgress) {
        guard let control, let report = control.onProgress else { return }
        let everyMs = Int(control.progressIntervalSeconds * 1000)
        if nextProgressMs.claimIfDue(nowMs: Int(progress.seconds * 1000), everyMs: everyMs) { report(progress) }
    }
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
