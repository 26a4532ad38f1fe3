import SimulationKernel

extension Model {
    /// The state of a resource manager, as in the TwoPhase spec.
    public enum RMState: UInt64, Sendable, Hashable, Codable, CaseIterable {
        case working = 0
        case prepared = 1
        case committed = 2
        case aborted = 3
    }

    /// One TwoPhase world packed in a 64-bit word (layout in ``Model``).
    public struct State: Hashable, Codable, Sendable, StableHashable {
        public var word: UInt64

        @inlinable public init(word: UInt64) { self.word = word }

        /// The fingerprint is the stable hash of the one word.
        @inlinable public func stableHash(into hasher: inout StableHasher) {
            hasher.combine(word)
        }
    }

    @inlinable func rmShift(_ rm: Int) -> UInt64 { UInt64(2 * rm) }
    @inlinable func tmPreparedBit(_ rm: Int) -> UInt64 { 1 << (tmPreparedShift + UInt64(rm)) }
    @inlinable func msgPreparedBit(_ rm: Int) -> UInt64 { 1 << (msgPreparedShift + UInt64(rm)) }

    /// The state of resource manager `rm`.
    @inlinable public func rm(_ rm: Int, in state: State) -> RMState {
        RMState(rawValue: (state.word >> rmShift(rm)) & 3)!
    }

    /// `state` with resource manager `rm` in `value`.
    @inlinable public func setting(_ rm: Int, to value: RMState, in state: State) -> State {
        let shift = rmShift(rm)
        return State(word: (state.word & ~(3 << shift)) | (value.rawValue << shift))
    }

    /// Whether the TM has recorded `rm`'s Prepared message.
    @inlinable public func tmPrepared(_ rm: Int, in state: State) -> Bool { state.word & tmPreparedBit(rm) != 0 }
    /// Whether `rm` has sent Prepared.
    @inlinable public func preparedSent(_ rm: Int, in state: State) -> Bool { state.word & msgPreparedBit(rm) != 0 }
    /// Whether the TM has decided (committed or aborted).
    @inlinable public func tmDone(_ state: State) -> Bool { state.word & tmDoneBit != 0 }
    @inlinable public func commitSent(_ state: State) -> Bool { state.word & msgCommitBit != 0 }
    @inlinable public func abortSent(_ state: State) -> Bool { state.word & msgAbortBit != 0 }
    /// Whether the TM has recorded Prepared from every RM.
    @inlinable public func allPrepared(_ state: State) -> Bool {
        (state.word >> tmPreparedShift) & allRMs == allRMs
    }

    /// The invariant: no resource manager committed while another aborted.
    @inlinable public func isConsistent(_ state: State) -> Bool {
        let high = (state.word >> 1) & rmLowBits
        let low = state.word & rmLowBits
        return high & ~low == 0 || high & low == 0
    }
}
