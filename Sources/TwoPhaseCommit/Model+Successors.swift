import SimulationKernel

extension Model {
    /// The successors of `state`, straight from the bits: the same states, in the same order, as
    /// every choice of ``step(_:choices:events:)`` (a test checks this on every reachable state),
    /// without building the action list. This loop is what the checker's speed rests on.
    @inlinable public func forEachSuccessor(of state: State, _ body: (State) -> Bool) {
        if symmetry {
            forEachRawSuccessor(of: state) { successor in
                var canonical = successor
                canonicalize(&canonical)
                return body(canonical)
            }
        } else {
            forEachRawSuccessor(of: state, body)
        }
    }

    /// The successors in the order of ``enabledActions(in:)``, not canonicalized, until `body`
    /// returns false.
    @inlinable func forEachRawSuccessor(of state: State, _ body: (State) -> Bool) {
        let w = state.word
        let n = resourceManagers
        if w & tmDoneBit == 0 {
            let sent = (w >> msgPreparedShift) & allRMs
            for i in 0..<n where (sent >> UInt64(i)) & 1 != 0 {
                guard body(State(word: w | tmPreparedBit(i))) else { return }
            }
            if (w >> tmPreparedShift) & allRMs == allRMs {
                guard body(State(word: w | tmDoneBit | msgCommitBit)) else { return }
            }
            guard body(State(word: w | tmDoneBit | msgAbortBit)) else { return }
        }
        let commitSent = w & msgCommitBit != 0
        let abortSent = w & msgAbortBit != 0
        for i in 0..<n {
            let shift = rmShift(i)
            let cleared = w & ~(3 << shift)
            if (w >> shift) & 3 == RMState.working.rawValue {
                guard body(State(word: cleared | RMState.prepared.rawValue << shift | msgPreparedBit(i))) else { return }
                guard body(State(word: cleared | RMState.aborted.rawValue << shift)) else { return }
            }
            if commitSent { guard body(State(word: cleared | RMState.committed.rawValue << shift)) else { return } }
            if abortSent { guard body(State(word: cleared | RMState.aborted.rawValue << shift)) else { return } }
        }
    }
}
