/// Limits on one simulated run: it always ends, whatever the model does.
public struct RunLimits: Sendable, Hashable {
    /// Steps after which the run stops with ``RunEnd/stepLimit``.
    public var maxSteps: Int
    /// Virtual time after which the run stops with ``RunEnd/timeLimit``; nil for no limit.
    public var maxTime: SimDuration?

    public init(maxSteps: Int = 100_000, maxTime: SimDuration? = nil) {
        precondition(maxSteps > 0, "maxSteps must be positive, got \(maxSteps)")
        self.maxSteps = maxSteps
        self.maxTime = maxTime
    }
}

/// Why a run stopped.
public enum RunEnd: String, Sendable, Codable {
    /// Nothing could happen any more.
    case quiescent
    /// ``RunLimits/maxSteps`` was reached.
    case stepLimit
    /// ``RunLimits/maxTime`` was reached.
    case timeLimit
}

/// The verdict on one property for one run.
public struct PropertyVerdict: Sendable, Hashable {
    @inlinable init(id: String, summary: String, held: Bool, violatedAt: SimDuration?, violatedAtStep: Int?) {
        self.id = id; self.summary = summary; self.held = held; self.violatedAt = violatedAt; self.violatedAtStep = violatedAtStep
    }

    public let id: String
    public let summary: String
    /// True when the property held after every step of the run.
    public let held: Bool
    /// Virtual time of the first step after which it failed.
    public let violatedAt: SimDuration?
    /// Index (from 1) of the first step after which it failed.
    public let violatedAtStep: Int?
}

/// Everything one run produced: its timeline, verdicts, the choices made and the final world.
public struct RunResult<Model: SimulationModel>: Sendable {
    @inlinable init(seed: UInt64?, steps: Int, endTime: SimDuration, end: RunEnd, timeline: [TimedEvent<Model.Event>],
                    verdicts: [PropertyVerdict], choices: [Choice], finalState: Model.State) {
        self.seed = seed; self.steps = steps; self.endTime = endTime; self.end = end; self.timeline = timeline
        self.verdicts = verdicts; self.choices = choices; self.finalState = finalState
    }

    public let seed: UInt64?
    public let steps: Int
    public let endTime: SimDuration
    public let end: RunEnd
    public let timeline: [TimedEvent<Model.Event>]
    public let verdicts: [PropertyVerdict]
    /// Every choice made, in order; feeding their indices to ``Simulator/replay(_:)`` reproduces the run.
    public let choices: [Choice]
    public let finalState: Model.State

    /// True when every property held.
    public var allHeld: Bool { verdicts.allSatisfy(\.held) }

    /// The verdict for `id`, if the model has such a property.
    public func verdict(_ id: String) -> PropertyVerdict? { verdicts.first { $0.id == id } }

    /// The timeline as JSON Lines with sorted keys: the canonical bytes of a run.
    public var timelineJSONLines: [String] { timeline.map(\.jsonLine) }

    /// A stable fingerprint of the timeline and verdicts: equal runs print equal digests in every process.
    public var digest: UInt64 {
        var h = StableHasher()
        for line in timelineJSONLines { h.combine(line) }
        for v in verdicts {
            h.combine(v.id)
            h.combine(v.held)
            h.combine(v.violatedAt ?? .ms(-1))
        }
        h.combine(end.rawValue)
        return h.finalize()
    }
}

/// Runs a model forward, one sampled step at a time, on virtual time.
///
/// One thread, no clock, no executor: time is a number this loop owns and moves only by the
/// durations the model's steps report (the `EmbeddedEventLoop` discipline).
public struct Simulator<Model: SimulationModel>: Sendable {
    public let model: Model
    public let limits: RunLimits

    public init(model: Model, limits: RunLimits = RunLimits()) {
        self.model = model
        self.limits = limits
    }

    /// One run whose every choice comes from a PRNG seeded with `seed`.
    @inlinable public func run(seed: UInt64) -> RunResult<Model> {
        var choices = RandomChoices(seed: seed)
        return execute(seed: seed, choices: &choices, sink: CollectEvents<Model.Event>.self) { $0.made }
    }

    /// One run like ``run(seed:)`` but without building the timeline: verdicts, choices and the
    /// final world only. What seed sweeps and benchmarks use.
    @inlinable public func runQuietly(seed: UInt64) -> RunResult<Model> {
        var choices = RandomChoices(seed: seed)
        return execute(seed: seed, choices: &choices, sink: DiscardEvents<Model.Event>.self) { $0.made }
    }

    /// Re-runs a recorded sequence of choice indices (from ``RunResult/choices`` or a trace file).
    @inlinable public func replay(_ script: [Int]) -> RunResult<Model> {
        var choices = ScriptedChoices(script: script)
        return execute(seed: nil, choices: &choices, sink: CollectEvents<Model.Event>.self) { $0.made }
    }

    /// The run loop every kind of run shares; `beforeStep` is told the index (from 0) of each step
    /// about to be taken (a replay that holds each step's own choices starts that step's script).
    @inlinable func execute<C: ChoiceSource, Sink: StepEventBuffer<Model.Event>>(
        seed: UInt64?, choices: inout C, sink: Sink.Type, made: (C) -> [Choice],
        beforeStep: (inout C, Int) -> Void = { _, _ in }
    ) -> RunResult<Model> {
        var state = model.initialState
        var now = SimDuration.zero
        var steps = 0
        var timeline: [TimedEvent<Model.Event>] = []
        let properties = model.properties
        var firstViolation = [(SimDuration, Int)?](repeating: nil, count: properties.count)
        var end = RunEnd.quiescent
        record(properties, state, at: now, step: 0, into: &firstViolation)
        while true {
            if steps >= limits.maxSteps { end = .stepLimit; break }
            var sink = Sink()
            beforeStep(&choices, steps)
            guard let elapsed = model.step(&state, choices: &choices, events: &sink) else { end = .quiescent; break }
            precondition(elapsed >= .zero, "a step reported negative elapsed time \(elapsed)")
            now += elapsed
            steps += 1
            for e in sink.buffered { timeline.append(TimedEvent(at: now, step: steps, event: e)) }
            record(properties, state, at: now, step: steps, into: &firstViolation)
            if let maxTime = limits.maxTime, now >= maxTime { end = .timeLimit; break }
        }
        let verdicts = properties.indices.map { i in
            PropertyVerdict(id: properties[i].id, summary: properties[i].summary, held: firstViolation[i] == nil,
                            violatedAt: firstViolation[i]?.0, violatedAtStep: firstViolation[i]?.1)
        }
        return RunResult(seed: seed, steps: steps, endTime: now, end: end, timeline: timeline,
                         verdicts: verdicts, choices: made(choices), finalState: state)
    }

    @inlinable func record(_ properties: [Property<Model.State>], _ state: Model.State, at now: SimDuration, step: Int,
                        into firstViolation: inout [(SimDuration, Int)?]) {
        for i in properties.indices where firstViolation[i] == nil && !properties[i].holds(state) {
            firstViolation[i] = (now, step)
        }
    }
}
