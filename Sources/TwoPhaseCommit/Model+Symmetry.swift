import SimulationKernel

extension Model {
    /// With ``symmetry`` on, sorts the RMs by their local state so permuted worlds are stored once.
    ///
    /// An RM's local state is its 2-bit ``RMState``, whether the TM recorded its Prepared, and
    /// whether it sent Prepared: a 4-bit code. The TM's flags name no RM, and the invariant treats
    /// all RMs alike, so sorting the codes is a symmetry of the whole model.
    @inlinable public func canonicalize(_ state: inout State) {
        guard symmetry else { return }
        let w = state.word
        // How many RMs have each code: sixteen 4-bit counters in one word (at most 15 RMs).
        var counts: UInt64 = 0
        for i in 0..<resourceManagers { counts &+= 1 << (4 * localCode(i, in: w)) }
        var sorted = w & (tmDoneBit | msgCommitBit | msgAbortBit)
        var i = 0
        for code in 0..<UInt64(16) {
            for _ in 0..<(counts >> (4 * code)) & 15 {
                sorted |= placed(code, at: i)
                i += 1
            }
        }
        state.word = sorted
    }

    /// RM `i`'s local state as a 4-bit code: RMState, then tmPrepared, then msgPrepared.
    @inlinable func localCode(_ i: Int, in w: UInt64) -> UInt64 {
        let rm = (w >> rmShift(i)) & 3
        let tm = (w >> (tmPreparedShift + UInt64(i))) & 1
        let msg = (w >> (msgPreparedShift + UInt64(i))) & 1
        return rm | tm << 2 | msg << 3
    }

    /// The bits of a 4-bit local code placed as RM `i`'s.
    @inlinable func placed(_ code: UInt64, at i: Int) -> UInt64 {
        (code & 3) << rmShift(i) | ((code >> 2) & 1) << (tmPreparedShift + UInt64(i))
            | ((code >> 3) & 1) << (msgPreparedShift + UInt64(i))
    }
}
