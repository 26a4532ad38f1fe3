import SimulationKernel

extension Model {
    /// The successors of `state`, straight from the bits: the same states, in the same order, as
    /// every choice of ``step(_:choices:events:)`` (a test checks this on every reachable state),
    /// without building the action list. This loop is what the checker's speed rests on.
    /// Its batches are small (at most 4 per resource manager plus 2), so `body`'s request to stop
    /// is honoured at the end of the batch.
    @inlinable public func forEachSuccessor(of state: State, _ body: (State) -> Bool) {
        var going = true
        if symmetry {
            forEachRawSuccessor(of: state) { successor in
                guard going else { return }
                var canonical = successor
                canonicalize(&canonical)
                going = body(canonical)
            }
        } else {
            forEachRawSuccessor(of: state) { successor in
                if going { going = body(successor) }
            }
        }
    }

    /// The successors in the order of ``enabledActions(in:)``, not canonicalized.
    @inlinable func forEachRawSuccessor(of state: State, _ body: (State) -> Void) {
        let w = state.word
        let n = resourceManagers
        if w & tmDoneBit == 0 {
            let sent = (w >> msgPreparedShift) & allRMs
            for i in 0..<n where (sent >> UInt64(i)) & 1 != 0 {
                body(State(word: w | tmPreparedBit(i)))
            }
            if (w >> tmPreparedShift) & allRMs == allRMs { body(State(word: w | tmDoneBit | msgCommitBit)) }
            body(State(word: w | tmDoneBit | msgAbortBit))
        }
        let commitSent = w & msgCommitBit != 0
        let abortSent = w & msgAbortBit != 0
        for i in 0..<n {
            let shift = rmShift(i)
            let cleared = w & ~(3 << shift)
            if (w >> shift) & 3 == RMState.working.rawValue {
                body(State(word: cleared | RMState.prepared.rawValue << shift | msgPreparedBit(i)))
                body(State(word: cleared | RMState.aborted.rawValue << shift))
            }
            if commitSent { body(State(word: cleared | RMState.committed.rawValue << shift)) }
            if abortSent { body(State(word: cleared | RMState.aborted.rawValue << shift)) }
        }
    }
}
