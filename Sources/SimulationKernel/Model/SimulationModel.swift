/// A system the kernel can simulate and check: a world value and one transition function.
///
/// The kernel knows nothing of Ray. A model supplies its initial world, the named properties that
/// must hold in every world, and `step`: one atomic transition that asks every open question of
/// `choices` and reports what happened to `events`. The simulator samples one answer per question;
/// the checker enumerates all of them. There is no second model to keep in sync.
public protocol SimulationModel: Sendable {
    /// The whole world: component states, pending timers and messages, monitors. A value.
    associatedtype State: Hashable & Codable & Sendable & StableHashable
    /// What a step reports for the timeline.
    associatedtype Event: TraceEvent

    /// The world at time zero.
    var initialState: State { get }

    /// The properties checked after every step, in a fixed order.
    var properties: [Property<State>] { get }

    /// "Sometimes" properties, as Stateright has them: each must hold in *some* reachable world
    /// (its `holds` says "this world is an example"). The checker finds a shortest example of
    /// each, or reports it unreached: a model in which a fault is never injected, or recovery is
    /// never reached, proves its "always" properties vacuously. The predicate must not tell
    /// apart worlds that ``canonicalize(_:)`` merges. The simulator ignores them. Default: none.
    var sometimes: [Property<State>] { get }

    /// Performs one atomic step on `state`. Returns the virtual time that passed before the step
    /// happened, or nil when nothing can happen any more (the world is quiescent).
    func step(_ state: inout State, choices: inout some ChoiceSource, events: inout some EventSink<Event>) -> SimDuration?

    /// Rewrites `state` to the one representative of its symmetry class (e.g. identical workers
    /// sorted), so the checker stores each class once. Default: no symmetry, the state is unchanged.
    func canonicalize(_ state: inout State)

    /// Calls `body` with every successor of `state`, each canonicalized, in a fixed order, until
    /// `body` returns false (the checker stops early at a limit). Default: every choice vector of
    /// one `step` (see ``ScriptedChoices``); a model may override it with a faster loop that
    /// yields the same successors.
    func forEachSuccessor(of state: State, _ body: (State) -> Bool)
}

extension SimulationModel {
    @inlinable public var sometimes: [Property<State>] { [] }

    /// What the searches test in each new world: the "always" properties, then each "sometimes"
    /// property inverted, so that its first "violation" is its shortest example.
    @inlinable var searchedProperties: [Property<State>] {
        properties + sometimes.map { p in
            Property(id: p.id, summary: p.summary, holds: { !p.holds($0) })
        }
    }
}

/// A property that must hold in every reachable world ("always"), with a stable id.
public struct Property<State>: Sendable {
    /// Stable identifier used on the command line, in JSON and in trace files.
    public let id: String
    /// One sentence a person can read.
    public let summary: String
    /// True when the property holds in this world.
    public let holds: @Sendable (State) -> Bool

    public init(id: String, summary: String, holds: @escaping @Sendable (State) -> Bool) {
        self.id = id
        self.summary = summary
        self.holds = holds
    }
}
