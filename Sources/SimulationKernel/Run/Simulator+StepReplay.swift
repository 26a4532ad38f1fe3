/// A recorded counterexample's steps run once through the simulator, each step with its own
/// choices: the timeline to show, and whether every step took exactly the choices recorded for it.
public struct StepReplay<Model: SimulationModel>: Sendable {
    /// The run, cut after the recorded number of steps (or earlier, if the model stopped).
    public let run: RunResult<Model>
    /// The first step that did not take its recorded choices as they are, or nil; a step the run
    /// never took is reported by `run.steps` being short, not here.
    public let mismatch: StepMismatch?

    /// True when every recorded step ran and took exactly its recorded choices.
    public func fits(_ steps: [[Int]]) -> Bool { mismatch == nil && run.steps == steps.count }
}

/// How a recorded step failed to fit the model; `step` counts from 0.
public enum StepMismatch: Hashable, Sendable {
    /// The choice at `position` asked for alternative `asked`, but the step offers `offered`.
    case notOffered(step: Int, position: Int, asked: Int, offered: Int)
    /// The step was recorded with `recorded` choices but asked `made` questions.
    case choiceCount(step: Int, recorded: Int, made: Int)

    /// The step that did not fit.
    public var step: Int {
        switch self {
        case .notOffered(let step, _, _, _), .choiceCount(let step, _, _): step
        }
    }
}

extension Simulator {
    /// Runs `steps` (``Counterexample/steps``, or a trace file's) once, at most `steps.count` steps
    /// (the simulator's own limits apply too). Unlike ``replay(_:)`` of the flattened script, each
    /// step gets only its own choices, so a step that asks fewer or more questions than recorded
    /// is reported instead of shifting every later choice; an index the model does not offer
    /// (negative, or too large) is recorded, never trapped on.
    public func replay(steps: [[Int]]) -> StepReplay<Model> {
        var choices = StepScriptedChoices(steps: steps)
        let cut = Simulator(
            model: model,
            limits: RunLimits(maxSteps: min(limits.maxSteps, max(steps.count, 1)),
                              maxTime: limits.maxTime))
        let run = cut.execute(
            seed: nil, choices: &choices, sink: CollectEvents<Model.Event>.self,
            made: { c in
                var closed = c
                closed.finish()
                return closed.made
            }, beforeStep: { c, i in c.begin(step: i) })
        choices.finish()
        // The step that ended the run (no successor) asked its questions of a world that had
        // nothing left to do: only steps the run took can mismatch.
        let mismatch = choices.mismatch.flatMap { m in m.step < run.steps ? m : nil }
        return StepReplay(run: run, mismatch: mismatch)
    }
}

/// Answers each step from its own recorded script (``ScriptedChoices``), and notes the first step
/// that asks a choice it does not offer or asks a different number of questions.
struct StepScriptedChoices: ChoiceSource {
    let steps: [[Int]]
    var current = ScriptedChoices()
    var step = -1
    /// Every choice made, in order, across steps.
    private(set) var made: [Choice] = []
    /// The first step that did not fit its script.
    private(set) var mismatch: StepMismatch?

    init(steps: [[Int]]) { self.steps = steps }

    mutating func pick(_ count: Int) -> Int { current.pick(count) }

    /// Closes the step before and starts step `i` (beyond the recorded ones: no script).
    mutating func begin(step i: Int) {
        finish()
        step = i
        current = ScriptedChoices(script: i < steps.count ? steps[i] : [])
    }

    /// Closes the current step: its choices are kept, and a mismatch is noted.
    mutating func finish() {
        guard step >= 0 else { return }
        made += current.made
        defer { step = -1 }
        guard mismatch == nil, step < steps.count else { return }
        if let m = current.mismatch {
            mismatch = .notOffered(
                step: step, position: m.position, asked: m.asked, offered: m.offered)
        } else if current.consumed != steps[step].count {
            mismatch = .choiceCount(step: step, recorded: steps[step].count, made: current.consumed)
        }
    }
}
