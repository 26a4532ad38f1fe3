/// Turns a symbolic path of the zone checker into a concrete run, or says why it cannot.
///
/// A zone path fixes which event fires at each step, not when. The concretiser states every
/// timing constraint the path took as a difference constraint between the absolute times of its
/// steps (an entry armed at step `a` and fired at step `f` with window `[lo, hi]` gives
/// `lo <= t_f - t_a <= hi`; one still pending at step `k` gives `t_k - t_a <= hi`; and so on),
/// which is one more DBM, and takes its earliest point on the millisecond grid. It then gives each
/// delay the grid would have drawn its value (the time its entry fired, or a time after it was
/// cancelled), and replays the path through the *concrete* model on a 1 ms grid, answering every
/// question by value. Only if that replay takes the same events at the same times and ends in a
/// world that breaks the property is the path a counterexample; the concrete choices are then an
/// ordinary replayable run. Anything else is `unknown`, with the reason (docs/checking.md).
public struct ZoneConcretiser<Symbolic: SimulationModel, Concrete: SimulationModel>
where Symbolic.State == Concrete.State, Symbolic.State: ZoneTimedState {
    public typealias State = Symbolic.State
    public typealias Kind = State.Happening

    /// The model the zone checker explored.
    public let symbolic: Symbolic
    /// The same model on a 1 ms grid, whose runs are the evidence.
    public let concrete: Concrete

    public init(symbolic: Symbolic, concrete: Concrete) {
        self.symbolic = symbolic
        self.concrete = concrete
    }

    /// What came of one symbolic path.
    public enum Outcome: Sendable, Hashable {
        /// A concrete run: its choices per step, and the absolute time of each step.
        case concrete(steps: [[Int]], times: [SimDuration])
        /// The path could not be made concrete, for this reason.
        case unknown(String)
    }

    /// Concretises the path of worlds `path` (initial first) reached by the zone steps' choices
    /// `steps`, whose last world breaks `property` (the concrete replay must break it too).
    public func concretise(path: [State], steps: [[Int]], property: Property<State>) -> Outcome {
        precondition(path.count == steps.count + 1, "a path has one world more than steps")
        do {
            let plan = try TimingPlan(path: path, replaying: steps, model: symbolic)
            return try replay(plan, property: property)
        } catch let failure as ConcretisationFailure {
            return .unknown(failure.reason)
        } catch {
            return .unknown("\(error)")
        }
    }

    func replay(_ plan: TimingPlan<Symbolic>, property: Property<State>) throws -> Outcome {
        var state = concrete.initialState
        var steps: [[Int]] = []
        for k in 1..<plan.times.count {
            var answers = ConcreteAnswers(plan: plan, step: k, before: state)
            var events = DiscardEvents<Concrete.Event>()
            guard let elapsed = concrete.step(&state, choices: &answers, events: &events) else {
                throw ConcretisationFailure("step \(k): the concrete run is quiescent")
            }
            if let failure = answers.failure {
                throw ConcretisationFailure("step \(k): \(failure)")
            }
            let expected = plan.times[k] - plan.times[k - 1]
            guard elapsed == expected, answers.tookExpected else {
                throw ConcretisationFailure(
                    "step \(k): the concrete run took another event or time "
                    + "(\(elapsed) passed, \(expected) planned)")
            }
            guard answers.plainUsed == plan.plain[k].count, answers.drawsUsed == plan.draws[k].count
            else {
                throw ConcretisationFailure(
                    "step \(k): the concrete step asked other questions (\(answers.plainUsed) of "
                    + "\(plan.plain[k].count) choices, \(answers.drawsUsed) of "
                    + "\(plan.draws[k].count) delays)")
            }
            steps.append(answers.made)
        }
        guard !property.holds(state) else {
            throw ConcretisationFailure(
                "the concrete replay of the symbolic path does not break \(property.id)")
        }
        return .concrete(steps: steps, times: plan.times)
    }
}

struct ConcretisationFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The times of a symbolic path's steps and the value of every delay drawn on it.
struct TimingPlan<Model: SimulationModel> where Model.State: ZoneTimedState {
    typealias Kind = Model.State.Happening

    /// Absolute time of each step; `times[0]` is 0, the initial world.
    var times: [SimDuration] = []
    /// Per step: the event that fires.
    var fired: [Kind?] = []
    /// Per step: the plain (discrete) answers of the zone step, in order.
    var plain: [[Int]] = []
    /// Per step: each delay the grid draws, in order: its value, or nil for "not scheduled".
    var draws: [[DrawPlan]] = []

    /// One delay to draw: its value, or the first alternative at or after `atLeast`, or none.
    enum DrawPlan {
        case exactly(SimDuration)
        case atLeast(SimDuration)
        case notScheduled
    }

    struct Armed {
        var step: Int
        var kind: Kind
        var window: ClockWindow<Kind>
        /// The step that fired or cancelled it, or nil while still pending at the end.
        var end: Int?
        var fired = false
        var cancelledByAnchor = false
    }

    init(path: [Model.State], replaying steps: [[Int]], model: Model) throws {
        let n = steps.count
        var armed: [UInt32: Armed] = [:]
        var order: [UInt32] = []  // serials in the order they were armed: never iterate the map
        func arm(_ serial: UInt32, _ a: Armed) {
            if armed[serial] == nil { order.append(serial) }
            armed[serial] = armed[serial] ?? a
        }
        let initial = path[0].agenda
        for (i, e) in initial.entries.enumerated() {
            let window = initial.zone!.windows[i]
            arm(initial.zone!.serials[i], Armed(step: 0, kind: e.kind, window: window))
        }
        var checks: [[ZoneStepLog<Kind>.ElapsedCheck]] = [[]]
        var urgent: [[UInt32]] = [[]]
        var drawn: [[ZoneDraw<Kind>?]] = [[]]
        plain = [[]]
        fired = [nil]
        for k in stride(from: 1, through: n, by: 1) {
            var rerun = path[k - 1]
            var answers = ClassifyingAnswers(script: steps[k - 1])
            var events = DiscardEvents<Model.Event>()
            _ = model.step(&rerun, choices: &answers, events: &events)
            model.canonicalize(&rerun)
            guard rerun.checkerFingerprint == path[k].checkerFingerprint else {
                throw ConcretisationFailure("step \(k): the zone step does not replay")
            }
            plain.append(answers.plain)
            let before = path[k - 1].agenda, after = path[k].agenda
            let log = after.zone!.log
            guard let firedSerial = log.fired, var f = armed[firedSerial] else {
                throw ConcretisationFailure("step \(k): no event fired")
            }
            f.end = k
            f.fired = true
            armed[firedSerial] = f
            fired.append(f.kind)
            for draw in log.draws.compactMap({ $0 }) {
                arm(draw.serial, Armed(step: k, kind: draw.kind, window: draw.window))
            }
            for (i, e) in after.entries.enumerated() {
                let window = after.zone!.windows[i]
                arm(after.zone!.serials[i], Armed(step: k, kind: e.kind, window: window))
            }
            let kept = Set(after.zone!.serials)
            let gone = before.zone!.serials + log.draws.compactMap { $0?.serial }
            for serial in gone where serial != firedSerial && !kept.contains(serial) {
                guard var a = armed[serial], a.end == nil else { continue }
                a.end = k
                if case .cancelledBy(let anchor, _) = a.window.relation, anchor == f.kind {
                    a.cancelledByAnchor = true
                }
                armed[serial] = a
            }
            checks.append(log.elapsedChecks)
            urgent.append(log.urgent)
            drawn.append(log.draws)
        }
        // The constraints, as a DBM over the step times t_1 ... t_n (t_0 = 0 is its reference).
        var z = DBM.unconstrained(clocks: n)
        func constrain(_ i: Int, minus j: Int, atMost c: Int64) throws {
            guard i != j || c < 0 else { return }
            guard i != j, z.constrain(i, j, .lessEqual(c)) else {
                throw ConcretisationFailure("the symbolic path has no timing on the 1 ms grid")
            }
        }
        if n > 0 { for k in 1...n { try constrain(k - 1, minus: k, atMost: 0) } }
        for serial in order {
            let a = armed[serial]!
            let end = a.end ?? n
            if let latest = a.window.latest {
                let strict: Int64 = a.window.latestIsStrict ? 1 : 0
                try constrain(end, minus: a.step, atMost: latest.milliseconds - strict)
            }
            if a.fired {
                try constrain(a.step, minus: end, atMost: -a.window.earliest.milliseconds)
            }
            if a.cancelledByAnchor, case .cancelledBy(_, let bound) = a.window.relation {
                try constrain(end, minus: a.step, atMost: bound.milliseconds - 1)  // strict
            }
        }
        for k in checks.indices {
            for check in checks[k] {
                guard let a = armed[check.serial] else { continue }
                if check.isZero {
                    try constrain(k, minus: a.step, atMost: 0)
                } else {
                    try constrain(a.step, minus: k, atMost: -1)
                }
            }
        }
        for k in urgent.indices {
            for serial in urgent[k] {
                guard let a = armed[serial] else { continue }
                try constrain(a.end ?? n, minus: k, atMost: 0)
            }
        }
        guard let point = z.samplePoint() else {
            throw ConcretisationFailure("the symbolic path has no timing on the 1 ms grid")
        }
        times = point.map { SimDuration.ms($0) }
        // The value of each delay: when it fired, or just after it was cancelled.
        var value: [UInt32: SimDuration] = [:]
        for serial in order {
            let a = armed[serial]!
            let since = times[a.end ?? n] - times[a.step]
            if a.fired {
                value[serial] = since
            } else {
                var v = Swift.max(a.window.earliest, since + .ms(1))
                if let latest = a.window.latest {
                    v = Swift.min(v, latest - .ms(a.window.latestIsStrict ? 1 : 0))
                }
                value[serial] = v
            }
        }
        // A check that fired puts its deadline's ticks in phase with it.
        for serial in order {
            let r = armed[serial]!
            guard r.fired, case .cancelledBy(let anchorKind, let bound) = r.window.relation,
                  let latest = r.window.latest else { continue }
            let period = (latest - bound).milliseconds
            let anchorIndex = path[r.step].agenda.entries.firstIndex { $0.kind == anchorKind }
            guard period > 0, let anchorIndex else { continue }
            let anchorSerial = path[r.step].agenda.zone!.serials[anchorIndex]
            guard let d = armed[anchorSerial], !d.fired else { continue }
            let base = (times[r.end!] - times[d.step]).milliseconds
            let floor = Swift.max(d.window.earliest.milliseconds,
                                  (times[d.end ?? n] - times[d.step]).milliseconds)
            let steps = Swift.max(0, (floor - base + period - 1) / period)
            let v = base + steps * period
            if let top = d.window.latest,
               v > top.milliseconds - (d.window.latestIsStrict ? 1 : 0) { continue }
            value[anchorSerial] = .ms(v)
        }
        // A delay with one alternative on the 1 ms grid is no question there
        // (``ChoiceSource/chooseDelay(_:_:)``).
        func asked(_ draw: ZoneDraw<Kind>?) -> Bool {
            guard let w = draw?.window else { return true }
            if case .cancelledBy(_, let bound) = w.relation { return bound > .zero }
            guard let latest = w.latest else { return true }
            return latest - .ms(w.latestIsStrict ? 1 : 0) != w.earliest
        }
        draws = drawn.map { step in
            step.filter(asked).map { draw -> DrawPlan in
                guard let draw, let a = armed[draw.serial] else { return .notScheduled }
                if case .cancelledBy = a.window.relation, !a.fired {
                    return a.cancelledByAnchor ? .notScheduled : .atLeast(value[draw.serial]!)
                }
                return .exactly(value[draw.serial]!)
            }
        }
    }
}

/// Re-runs a zone step from its choices, keeping apart the plain (discrete) answers.
struct ClassifyingAnswers: ChoiceSource {
    var inner: ScriptedChoices
    var plain: [Int] = []

    init(script: [Int]) { inner = ScriptedChoices(script: script) }

    mutating func pick(_ count: Int) -> Int {
        let i = inner.pick(count)
        plain.append(i)
        return i
    }
    mutating func pickFirst(_ count: Int) -> Int { inner.pick(count) }
    mutating func pickDelay(_ count: Int, _ delay: (Int) -> SimDuration?) -> Int {
        inner.pick(count)
    }
    mutating func pickSymbolic(_ count: Int) -> Int { inner.pick(count) }
}

/// Answers one concrete step from a timing plan, by value.
struct ConcreteAnswers<Model: SimulationModel>: ChoiceSource where Model.State: ZoneTimedState {
    let plan: TimingPlan<Model>
    let step: Int
    let due: [Model.State.Happening]
    var plainUsed = 0
    var drawsUsed = 0
    var tookExpected: Bool
    var failure: String?
    /// Every answer, in order: what the simulator's replay feeds back.
    var made: [Int] = []

    init(plan: TimingPlan<Model>, step: Int, before: Model.State) {
        self.plan = plan
        self.step = step
        let entries = before.agenda.entries
        let first = entries.first?.remaining
        due = entries.prefix { $0.remaining == first }.map(\.kind)
        // With a single event due, the agenda asks nothing: it must be the planned one.
        tookExpected = due.count == 1 && due.first == plan.fired[step]
    }

    mutating func answer(_ i: Int) -> Int {
        made.append(i)
        return i
    }

    mutating func fail(_ why: String) -> Int {
        if failure == nil { failure = why }
        return answer(0)
    }

    mutating func pick(_ count: Int) -> Int {
        guard plainUsed < plan.plain[step].count else { return fail("an unplanned choice") }
        let i = plan.plain[step][plainUsed]
        plainUsed += 1
        return i < count ? answer(i) : fail("choice \(i) of \(count)")
    }

    mutating func pickFirst(_ count: Int) -> Int {
        guard let i = due.prefix(count).firstIndex(where: { $0 == plan.fired[step] }) else {
            return fail("the planned event is not due")
        }
        tookExpected = true
        return answer(i)
    }

    mutating func pickDelay(_ count: Int, _ delay: (Int) -> SimDuration?) -> Int {
        guard drawsUsed < plan.draws[step].count else { return fail("an unplanned delay") }
        let want = plan.draws[step][drawsUsed]
        drawsUsed += 1
        // Every delay question lists increasing delays, then "not scheduled" ones.
        func firstAtOrAfter(_ v: SimDuration) -> Int {
            var (lo, hi) = (0, count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if let d = delay(mid), d < v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        switch want {
        case .exactly(let v):
            let i = firstAtOrAfter(v)
            guard i < count, delay(i) == v else { return fail("no alternative of \(v)") }
            return answer(i)
        case .atLeast(let v):
            let i = firstAtOrAfter(v)
            if i < count { return answer(i) }
            return answer(count - 1)
        case .notScheduled:
            guard let i = (0..<count).last(where: { delay($0) == nil }) else {
                return fail("no alternative leaves it unscheduled")
            }
            return answer(i)
        }
    }

    mutating func pickSymbolic(_ count: Int) -> Int { fail("a symbolic choice in a concrete run") }
}
