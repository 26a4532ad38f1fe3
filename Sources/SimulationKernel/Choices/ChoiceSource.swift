/// Where a model's nondeterminism is resolved: every open question a step asks goes through here.
///
/// Which of two events due at the same instant goes first, how long a pod takes to start, whether
/// a fault happens now: a model never decides these itself. It asks `choose(_:)`. The simulator
/// answers with its seeded PRNG (``RandomChoices``); the checker answers every possible way
/// (``ScriptedChoices`` driven by the explorer). That is what makes one transition function serve both.
public protocol ChoiceSource {
    /// Picks one of `count` alternatives, `count >= 2`. Call ``choose(_:)`` instead.
    mutating func pick(_ count: Int) -> Int

    /// Picks one of `count` delays for an event being scheduled, `count >= 2`: alternative `i`
    /// is `delay(i)`, or nil for "not scheduled" (no further fault, a check after the deadline).
    /// The default is ``pick(_:)``; the zone checker's concretiser answers by value instead
    /// (docs/checking.md, "Zones"). Call ``chooseDelay(_:_:)``.
    mutating func pickDelay(_ count: Int, _ delay: (Int) -> SimDuration?) -> Int

    /// Picks which of `count` events due at the same instant fires first, `count >= 2`. The
    /// default is ``pick(_:)``.
    mutating func pickFirst(_ count: Int) -> Int

    /// Picks one of `count` branches that exist only in a symbolic (zone) step: which pending
    /// event fires next, which side of a clock constraint holds. The default is ``pick(_:)``.
    mutating func pickSymbolic(_ count: Int) -> Int
}

extension ChoiceSource {
    /// Picks one of `count` alternatives, returning an index in `0..<count`.
    /// A single alternative is no choice at all: it returns 0 without consulting the source.
    @inlinable public mutating func choose(_ count: Int) -> Int {
        precondition(count >= 1, "a choice needs at least one alternative, got \(count)")
        return count == 1 ? 0 : pick(count)
    }

    @inlinable public mutating func pickDelay(_ count: Int, _ delay: (Int) -> SimDuration?) -> Int {
        pick(count)
    }
    @inlinable public mutating func pickFirst(_ count: Int) -> Int { pick(count) }
    @inlinable public mutating func pickSymbolic(_ count: Int) -> Int { pick(count) }

    /// ``pickDelay(_:_:)`` with a single alternative being no choice at all, as ``choose(_:)``.
    @inlinable
    public mutating func chooseDelay(_ count: Int, _ delay: (Int) -> SimDuration?) -> Int {
        precondition(count >= 1, "a choice needs at least one alternative, got \(count)")
        return count == 1 ? 0 : pickDelay(count, delay)
    }

    /// ``pickSymbolic(_:)`` with a single alternative being no choice at all.
    @inlinable public mutating func chooseSymbolic(_ count: Int) -> Int {
        precondition(count >= 1, "a choice needs at least one alternative, got \(count)")
        return count == 1 ? 0 : pickSymbolic(count)
    }

    /// A duration from `range`, on the grid of `granularity` (both ends of the range included).
    @inlinable public mutating func duration(in range: DurationRange, granularity: SimDuration) -> SimDuration {
        let n = range.gridCount(granularity: granularity)
        return range.gridPoint(chooseDelay(n) { range.gridPoint($0, granularity: granularity) },
                               granularity: granularity)
    }
}

/// Answers choices with a seeded PRNG and remembers them, so a run can be replayed choice by choice.
public struct RandomChoices: ChoiceSource {
    public var generator: SplitMix64
    /// Every choice made, in order: the alternative taken and how many there were.
    public var made: [Choice] = []

    @inlinable public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    @inlinable public mutating func pick(_ count: Int) -> Int {
        let i = generator.next(below: count)
        made.append(Choice(index: i, count: count))
        return i
    }
}

/// One resolved choice: alternative `index` of `count`.
public struct Choice: Hashable, Codable, Sendable {
    public var index: Int
    public var count: Int
    @inlinable public init(index: Int, count: Int) { self.index = index; self.count = count }
}

/// Answers choices from a script, then with alternative 0 once the script runs out, recording the
/// number of alternatives at every choice point. The explorer enumerates a step's successors with
/// it (odometer over the recorded counts); replay feeds a recorded trace through it.
public struct ScriptedChoices: ChoiceSource {
    @usableFromInline var script: [Int]
    @usableFromInline var position = 0
    /// Choices actually made in this step, script first, then zeros.
    public private(set) var made: [Choice] = []
    /// Set when the script asked for an alternative that the model does not offer (the model
    /// changed, or the script was edited: a negative index is never offered).
    public private(set) var mismatch: (position: Int, asked: Int, offered: Int)?

    public init(script: [Int] = []) { self.script = script }

    public mutating func pick(_ count: Int) -> Int {
        var i = position < script.count ? script[position] : 0
        if i >= count || i < 0 {
            if mismatch == nil { mismatch = (position, i, count) }
            i = 0
        }
        position += 1
        made.append(Choice(index: i, count: count))
        return i
    }

    /// The script that visits the next choice vector in lexicographic order, or nil when every
    /// vector of this step has been visited.
    public func nextScript() -> [Int]? {
        var i = made.count - 1
        while i >= 0 {
            if made[i].index + 1 < made[i].count {
                var next = made[..<i].map(\.index)
                next.append(made[i].index + 1)
                return next
            }
            i -= 1
        }
        return nil
    }

    /// Consumed script entries; fewer than the script holds means the model asked fewer questions.
    public var consumed: Int { position }
}
