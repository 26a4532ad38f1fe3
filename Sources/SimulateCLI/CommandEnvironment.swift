import Foundation
import SimulationKernel
import Synchronization

/// What the process around a command provides to long tasks (a check, a sweep, a benchmark):
/// Ctrl-C to stop them early with the figures so far, and a progress line on standard error.
///
/// In-process callers (tests, embedding code) get ``none`` by default: no signal handler, no
/// progress. `main` passes ``process``.
public final class CommandEnvironment: Sendable {
    /// Stop requests and progress for the checker; nil: a task runs to its end or its limits.
    let control: CheckControl?
    let progress: ProgressLine?
    private let handlesSIGINT: Bool

    init(control: CheckControl?, progress: ProgressLine?, handlesSIGINT: Bool) {
        self.control = control
        self.progress = progress
        self.handlesSIGINT = handlesSIGINT
    }

    /// Nothing from outside: no Ctrl-C handling, no progress.
    public static let none = CommandEnvironment(control: nil, progress: nil, handlesSIGINT: false)

    /// The `simulate` process: SIGINT during a long task stops it (a second one kills as usual),
    /// and progress goes to standard error every 2 s when it is a terminal.
    public static let process: CommandEnvironment = {
        let line = ProgressLine(terminal: isatty(2) == 1, intervalSeconds: 2) { text in
            text.utf8CString.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count - 1) }
        }
        return CommandEnvironment(control: CheckControl(progressIntervalSeconds: 2) { line.check($0) }, progress: line,
                                  handlesSIGINT: true)
    }()

    /// For tests and embedding code: progress written to `writeProgress` (as if to a terminal)
    /// every `progressIntervalSeconds`; `requestStop()` stands in for Ctrl-C.
    public convenience init(progressIntervalSeconds: Double, writeProgress: @escaping @Sendable (String) -> Void) {
        let line = ProgressLine(terminal: true, intervalSeconds: progressIntervalSeconds, write: writeProgress)
        self.init(control: CheckControl(progressIntervalSeconds: progressIntervalSeconds) { line.check($0) }, progress: line,
                  handlesSIGINT: false)
    }

    /// Asks the running long task to stop, as Ctrl-C does.
    public func requestStop() { control?.requestStop() }

    var isStopRequested: Bool { control?.isStopRequested ?? false }

    /// Around a long task: Ctrl-C stops it, progress shows unless `quiet`; `body`'s result is
    /// returned after the progress line is cleared and the default SIGINT behaviour restored.
    func longTask<T, E: Error>(quiet: Bool, _ body: () throws(E) -> T) throws(E) -> T {
        let handled = handlesSIGINT && Self.installInterruptHandler()
        progress?.start(enabled: !quiet)
        defer {
            progress?.finish()
            if handled { signal(SIGINT, SIG_DFL) }
        }
        return try body()
    }

    /// Installs the SIGINT handler unless SIGINT is ignored (`nohup`, a shell's background job),
    /// and unblocks it on this thread, whose mask the search threads inherit: a parent may hand
    /// down a blocked SIGINT (Foundation's `Process` does), and Ctrl-C would then do nothing.
    private static func installInterruptHandler() -> Bool {
        let previous = signal(SIGINT, interruptHandler)
        if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
            signal(SIGINT, SIG_IGN)
            return false
        }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        return true
    }
}

/// The SIGINT handler: one atomic store (async-signal-safe), then the default behaviour is back,
/// so a second Ctrl-C ends the process at once. `CommandEnvironment.process` is initialised
/// before this is installed.
private func interruptHandler(_: Int32) {
    CommandEnvironment.process.control?.requestStop()
    _ = signal(SIGINT, SIG_DFL)
}

/// One line of progress on standard error, rewritten in place (`\r`) and cleared at the end.
final class ProgressLine: Sendable {
    let terminal: Bool
    let write: @Sendable (String) -> Void
    private let enabled = Atomic<Bool>(false)
    private let shownWidth = Atomic<Int>(0)
    private let startNanos = Atomic<UInt64>(0)
    private let lastNanos = Atomic<UInt64>(0)
    /// Put before a check's figures: the sweep point being checked (`point 7/40 …: `), or "".
    private let context = Mutex<String>("")
    let intervalSeconds: Double

    init(terminal: Bool, intervalSeconds: Double, write: @escaping @Sendable (String) -> Void) {
        self.terminal = terminal
        self.intervalSeconds = intervalSeconds
        self.write = write
    }

    func start(enabled on: Bool) {
        let now = DispatchTime.now().uptimeNanoseconds
        startNanos.store(now, ordering: .relaxed)
        lastNanos.store(now, ordering: .relaxed)
        enabled.store(on && terminal, ordering: .relaxed)
    }

    /// A checker's figures (called on the searching thread).
    func check(_ p: CheckProgress) {
        let resident = p.residentBytes.map { String(format: ", %.0f MB resident", Double($0) / 1_000_000) } ?? ""
        let figures = String(format: "checking: %d states, depth %d, %.0f s",
                             p.distinctStates, p.depth, p.seconds)
        show(context.withLock { $0 } + figures + resident)
    }

    /// A settings sweep starts checking point `number` of `total`: shown at once, and put before
    /// that check's figures.
    func point(_ number: Int, of total: Int, _ label: String) {
        let text = "point \(number)/\(total) \(label)"
        context.withLock { $0 = text + ": " }
        show(text)
    }

    /// A sweep's figures: called after every seed, prints at most once per interval.
    func sweep(done: Int, of total: Int) {
        guard enabled.load(ordering: .relaxed) else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard Double(now - lastNanos.load(ordering: .relaxed)) / 1e9 >= intervalSeconds else { return }
        lastNanos.store(now, ordering: .relaxed)
        let seconds = Double(now - startNanos.load(ordering: .relaxed)) / 1e9
        show(String(format: "sweeping: %d of %d seeds, %.0f s", done, total, seconds))
    }

    private func show(_ text: String) {
        guard enabled.load(ordering: .relaxed) else { return }
        let width = shownWidth.load(ordering: .relaxed)
        write("\r" + text + String(repeating: " ", count: max(0, width - text.count)))
        shownWidth.store(max(width, text.count), ordering: .relaxed)
    }

    /// Clears the line if one was shown.
    func finish() {
        let width = shownWidth.exchange(0, ordering: .relaxed)
        if width > 0 { write("\r" + String(repeating: " ", count: width) + "\r") }
        enabled.store(false, ordering: .relaxed)
        context.withLock { $0 = "" }
    }
}
