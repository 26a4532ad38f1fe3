import SimulationKernel

/// Lamport's TwoPhase commit (the TLA+ spec) as a kernel model: one transaction manager (TM)
/// and n resource managers (RMs), one atomic step per TLA+ action, messages as a set.
///
/// It exists to prove that the kernel is not Ray-specific and to measure the checker against
/// SPIN on the same transition relation (`shared/bench/two_phase_pml.py`). Published state
/// counts: 288 for 3 RMs, 8,832 for 5 (TLC, Stateright and SPIN agree).
///
/// A state is one 64-bit word. For n RMs: bits 0..<2n hold each RM's ``RMState`` (2 bits), then
/// n bits of `tmPrepared`, n bits of `msgPrepared` (the Prepared messages sent), and three flags:
/// `tmDone` (the TM has decided), `msgCommit` and `msgAbort`. 4n + 3 bits: at most 15 RMs.
public struct Model: SimulationModel {
    /// The most resource managers a 64-bit state can hold.
    public static let maxResourceManagers = 15

    public let resourceManagers: Int
    /// When true, RMs are interchangeable: states are stored sorted by RM (symmetry reduction).
    public let symmetry: Bool

    @usableFromInline let tmPreparedShift: UInt64
    @usableFromInline let msgPreparedShift: UInt64
    @usableFromInline let tmDoneBit: UInt64
    @usableFromInline let msgCommitBit: UInt64
    @usableFromInline let msgAbortBit: UInt64
    /// One bit per RM, at the low bit of its 2-bit field.
    @usableFromInline let rmLowBits: UInt64
    /// n one-bits.
    @usableFromInline let allRMs: UInt64

    /// The TwoPhase model with `resourceManagers` RMs (1...15).
    public init(resourceManagers n: Int, symmetry: Bool = false) {
        precondition((1...Self.maxResourceManagers).contains(n),
                     "TwoPhase needs 1...\(Self.maxResourceManagers) resource managers, got \(n)")
        resourceManagers = n
        self.symmetry = symmetry
        tmPreparedShift = UInt64(2 * n)
        msgPreparedShift = UInt64(3 * n)
        tmDoneBit = 1 << UInt64(4 * n)
        msgCommitBit = 1 << UInt64(4 * n + 1)
        msgAbortBit = 1 << UInt64(4 * n + 2)
        var low: UInt64 = 0
        for i in 0..<n { low |= 1 << UInt64(2 * i) }
        rmLowBits = low
        allRMs = (1 << UInt64(n)) - 1
    }

    /// Every RM working, the TM undecided, no message sent.
    public var initialState: State { State(word: 0) }

    public var properties: [Property<State>] {
        let model = self
        return [Property(id: "consistency", summary: "no resource manager committed while another aborted") {
            model.isConsistent($0)
        }]
    }

    /// Takes one enabled action, chosen among all enabled ones; no virtual time passes.
    public func step(_ state: inout State, choices: inout some ChoiceSource,
                     events: inout some EventSink<Event>) -> SimDuration? {
        let actions = enabledActions(in: state)
        guard !actions.isEmpty else { return nil }
        let action = actions[choices.choose(actions.count)]
        state = apply(action, to: state)
        events.record(Event(action: action))
        return .zero
    }
}
