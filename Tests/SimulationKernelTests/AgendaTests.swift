import Testing
@testable import SimulationKernel

/// Answers every choice with a fixed alternative and counts how many were asked.
private struct FixedChoices: ChoiceSource {
    var answer: Int
    var asked: [Int] = []
    mutating func pick(_ count: Int) -> Int { asked.append(count); return min(answer, count - 1) }
}

@Suite("Agenda: pending events with relative delays")
struct AgendaTests {
    @Test("events come out in (time, insertion) order and time advances by the gaps")
    func ordering() {
        var a = Agenda<String>()
        a.schedule("late", after: .seconds(5))
        a.schedule("early", after: .seconds(1))
        a.schedule("early-2", after: .seconds(1))
        var c = FixedChoices(answer: 0)
        let first = a.takeNext(choices: &c)!
        #expect(first.kind == "early" && first.elapsed == .seconds(1))
        #expect(c.asked == [2], "two events were due together, so which goes first was a choice")
        let second = a.takeNext(choices: &c)!
        #expect(second.kind == "early-2" && second.elapsed == .zero)
        let third = a.takeNext(choices: &c)!
        #expect(third.kind == "late" && third.elapsed == .seconds(4))
        #expect(a.takeNext(choices: &c) == nil)
    }

    @Test("which of several simultaneous events goes first is the choice's answer")
    func simultaneousChoice() {
        var a = Agenda<String>()
        for k in ["x", "y", "z"] { a.schedule(k, after: .seconds(2)) }
        var c = FixedChoices(answer: 2)
        #expect(a.takeNext(choices: &c)!.kind == "z")
        #expect(c.asked == [3])
    }

    @Test("delays are relative: two agendas reached at different absolute times are equal")
    func relative() {
        var a = Agenda<String>(), b = Agenda<String>()
        a.schedule("tick", after: .seconds(1))
        a.schedule("deadline", after: .seconds(10))
        b.schedule("tick", after: .seconds(3))
        b.schedule("deadline", after: .seconds(12))
        var c = FixedChoices(answer: 0)
        _ = a.takeNext(choices: &c)
        _ = b.takeNext(choices: &c)
        #expect(a == b)
        #expect(a.remaining("deadline") == .seconds(9))
        #expect(a.fingerprint == b.fingerprint)
    }

    @Test("cancel removes matching events and keeps the rest ordered")
    func cancel() {
        var a = Agenda<Int>()
        for i in 0..<5 { a.schedule(i, after: .seconds(Int64(5 - i))) }
        a.cancel { $0 % 2 == 0 }
        #expect(a.entries.map(\.kind) == [3, 1])
        #expect(a.entries.map(\.sequence) == [0, 1])
        a.cancel(3)
        #expect(!a.contains(3) && a.contains(1))
    }
}

@Suite("Scripted choices enumerate every choice vector")
struct ScriptedChoicesTests {
    @Test("the odometer visits every vector of a two-question step once, in order")
    func odometer() {
        // A step that asks "one of 2" then, if the answer was 1, "one of 3".
        var vectors: [[Int]] = []
        var script: [Int]? = []
        while let s = script {
            var c = ScriptedChoices(script: s)
            let a = c.choose(2)
            if a == 1 { _ = c.choose(3) }
            vectors.append(c.made.map(\.index))
            script = c.nextScript()
        }
        #expect(vectors == [[0], [1, 0], [1, 1], [1, 2]])
    }

    @Test("a script asking for an alternative the model no longer offers is reported")
    func mismatch() {
        var c = ScriptedChoices(script: [5])
        #expect(c.choose(3) == 0)
        #expect(c.mismatch?.asked == 5 && c.mismatch?.offered == 3)
    }

    @Test("a single alternative is not a choice and consumes nothing")
    func singleAlternative() {
        var c = ScriptedChoices(script: [1])
        #expect(c.choose(1) == 0)
        #expect(c.made.isEmpty)
        #expect(c.choose(2) == 1)
    }
}

extension String: StableHashable {
    public func stableHash(into hasher: inout StableHasher) { hasher.combine(self) }
}

@Suite("Timer relations in the kernel: ticks aligned to a deadline, the fault horizon")
struct TimerRelationTests {
    @Test("ticks run on the grid through the anchor's time: before it, at it, after it")
    func ticksAlignToTheAnchor() {
        var a = Agenda<String>()
        a.schedule("deadline", after: .ms(2_500))
        // Checks every second through 2.5 s: at 0.5 s, 1.5 s, 2.5 s (the deadline), 3.5 s.
        #expect(a.tick(0, every: .seconds(1), alignedTo: "deadline") == .before(.ms(500)))
        #expect(a.tick(1, every: .seconds(1), alignedTo: "deadline") == .before(.ms(1_500)))
        #expect(a.tick(2, every: .seconds(1), alignedTo: "deadline") == .at(.ms(2_500)))
        #expect(a.tick(3, every: .seconds(1), alignedTo: "deadline") == .after)
        #expect(a.tick(0, every: .seconds(1), alignedTo: "missing") == nil)
        a.schedule("whole", after: .seconds(3))
        #expect(a.tick(0, every: .seconds(1), alignedTo: "whole") == .before(.zero), "a tick now")
    }

    @Test("the next fault goes on a grid point up to the horizon, or none is the last alternative")
    func faultHorizon() {
        var a = Agenda<String>()
        a.schedule("horizon", after: .seconds(3))
        var asked = Answering { _ in 3 }
        let planned = FaultHorizon.planNext(&a, fault: "fault", horizonEnds: "horizon",
                                            granularity: .seconds(1), choices: &asked)
        #expect(planned == .planned && asked.counts == [5], "0, 1, 2, 3 s and none")
        #expect(a.remaining("fault") == .seconds(3), "both ends of the window count")
        var last = Answering { $0 - 1 }
        let none = FaultHorizon.planNext(&a, fault: "fault", horizonEnds: "horizon",
                                         granularity: .seconds(1), choices: &last)
        #expect(none == .noMoreFaults && !a.contains("horizon"))
        var first = Answering { _ in 0 }
        let over = FaultHorizon.planNext(&a, fault: "fault", horizonEnds: "horizon",
                                         granularity: .seconds(1), choices: &first)
        #expect(over == .horizonOver)
    }
}

/// Answers every choice with `answer(count)` and remembers the counts asked.
struct Answering: ChoiceSource {
    let answer: (Int) -> Int
    var counts: [Int] = []
    init(_ answer: @escaping (Int) -> Int) { self.answer = answer }
    mutating func pick(_ count: Int) -> Int {
        counts.append(count)
        return answer(count)
    }
}

/// A periodic tick whose phase is unknown (a probe's first tick after its initial delay) lies in
/// `[start, start + period)` on every engine: the zone false proof of the KubeRay < 1.2 readiness
/// gate came from a window that ended one check granularity early.
@Suite("The phase of a periodic tick: half-open on every engine")
struct AgendaPhaseTests {
    @Test("on a grid: every grid point strictly below the period, whatever the granularity",
          arguments: [(1000, 14_000), (300, 14_900), (1, 14_999), (10_000, 5_000), (3000, 14_000)])
    func gridPoints(granularity: Int64, last: Int64) {
        let r = DurationRange.phase(of: .seconds(10), after: .seconds(5),
                                    granularity: .ms(granularity))
        #expect(r.min == .seconds(5))
        #expect(r.max == .ms(last))
        #expect(r.max < .seconds(15))
    }

    @Test("in zones: one window [start, start + period) with a strict end, part of the world's key")
    func zoneWindow() throws {
        var c = FixedChoices(answer: 0)
        var a = Agenda<String>.symbolic()
        _ = a.schedule("probe", phaseOf: .seconds(10), after: .seconds(5), granularity: .seconds(1),
                       choices: &c)
        let w = try #require(a.zone?.windows.first)
        #expect(w.earliest == .seconds(5) && w.latest == .seconds(15) && w.latestIsStrict)
        var closed = Agenda<String>.symbolic()
        _ = closed.schedule("probe", in: DurationRange(.seconds(5), .seconds(15)),
                            granularity: .seconds(1), choices: &c)
        #expect(closed.zone?.windows.first?.latestIsStrict == false)
        #expect(a.fingerprint != closed.fingerprint, "strictness belongs to the discrete key")
    }
}
