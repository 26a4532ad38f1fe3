import Synchronization
@testable import SimulationKernel
import Testing

/// One state whose single step offers `width` alternatives, each a distinct successor: a successor
/// batch as large as the one a 1 ms grid over a 5 minute horizon gives.
private struct WideModel: SimulationModel {
    typealias Event = ToyEvent
    struct State: Hashable, Codable, Sendable, StableHashable {
        var value: Int
        func stableHash(into hasher: inout StableHasher) { hasher.combine(value) }
    }
    let width: Int
    var initialState: State { State(value: -1) }
    var properties: [Property<State>] { [Property(id: "any", summary: "always holds") { _ in true }] }
    func step(_ state: inout State, choices: inout some ChoiceSource, events: inout some EventSink<ToyEvent>) -> SimDuration? {
        guard state.value < 0 else { return nil }
        state.value = choices.choose(width)
        return .ms(1)
    }
}

/// A counter whose states each carry 16 KiB on the heap, which the checker's own accounting (the
/// inline size of a state) does not see; only the resident set does.
private struct HeavyModel: SimulationModel {
    typealias Event = ToyEvent
    struct State: Hashable, Codable, Sendable, StableHashable {
        var value: Int
        var payload: [Int]
        func stableHash(into hasher: inout StableHasher) { hasher.combine(value) }
    }
    var initialState: State { State(value: 0, payload: []) }
    var properties: [Property<State>] { [Property(id: "any", summary: "always holds") { _ in true }] }
    func step(_ state: inout State, choices: inout some ChoiceSource, events: inout some EventSink<ToyEvent>) -> SimDuration? {
        guard state.value < 10_000_000 else { return nil }
        state.value = state.value * 2 + choices.choose(2) + 1
        state.payload = Array(repeating: state.value, count: 2048)
        return .ms(1)
    }
}

@Suite("Checker limits hold", .serialized)
struct CheckerLimitTests {
    @Test("a time limit ends a check inside one state's huge successor batch, within a small margin", arguments: [1, 2])
    func timeLimitInsideBatch(threads: Int) {
        // 50 million successors of one state take far longer than the limit to generate.
        let options = CheckOptions(limits: CheckLimits(maxSeconds: 0.3), threads: threads)
        let report = Explorer(model: WideModel(width: 50_000_000), options: options).check()
        #expect(report.stopReason == .timeLimit)
        #expect(report.verdict == .incomplete)
        #expect(report.seconds < 3, "stopped \(report.seconds) s after the start, limit 0.3 s")
    }

    @Test("the memory limit sees what states hold on the heap, through the resident set")
    func memoryLimitCountsHeap() throws {
        let limit = 64 << 20
        let before = try #require(ProcessInfo.residentBytesForTests())
        let report = Explorer(model: HeavyModel(), options: CheckOptions(limits: CheckLimits(maxMemoryBytes: limit))).check()
        #expect(report.stopReason == .memoryLimit)
        // The checker's own accounting stays far below the limit: the resident set stopped it.
        #expect(report.peakMemoryBytes < limit / 4)
        let peak = try #require(report.processPeakResidentBytes)
        #expect(peak - before < 8 * limit, "resident peak grew by \(peak - before) bytes for a \(limit)-byte limit")
    }

    @Test("a stop request ends the check as interrupted with the figures so far", arguments: [1, 2])
    func stopRequest(threads: Int) {
        let control = CheckControl()
        control.requestStop()
        let report = Explorer(model: WideModel(width: 1_000_000), options: CheckOptions(threads: threads, control: control)).check()
        #expect(report.stopReason == .interrupted)
        #expect(report.verdict == .incomplete)
    }

    @Test("progress is reported while a check runs, from a huge batch too")
    func progress() {
        let reports = Mutex(0)
        let control = CheckControl(progressIntervalSeconds: 0.05) { _ in reports.withLock { $0 += 1 } }
        let options = CheckOptions(limits: CheckLimits(maxSeconds: 0.5), control: control)
        _ = Explorer(model: WideModel(width: 50_000_000), options: options).check()
        #expect(reports.withLock { $0 } >= 2)
    }
}

import Foundation

extension ProcessInfo {
    /// The resident set now, from `/proc/self/statm` (Linux), for comparing with the report.
    static func residentBytesForTests() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

@Suite("The process's memory, as Linux reports it")
struct ProcessMemoryTests {
    @Test("VmHWM is read with its padding and past 8 digits, where only the tab is left")
    func peakParsing() {
        #expect(ProcessMemory.peakResidentBytes(status: "Name:\tx\nVmHWM:\t   25432 kB\n") == 25432 * 1024)
        #expect(ProcessMemory.peakResidentBytes(status: "VmHWM:\t12345678 kB\n") == 12_345_678 * 1024)
        #expect(ProcessMemory.peakResidentBytes(status: "VmHWM:\t123456789 kB\n") == 123_456_789 * 1024)
        #expect(ProcessMemory.peakResidentBytes(status: "VmRSS:\t1 kB\n") == nil)
    }
}
