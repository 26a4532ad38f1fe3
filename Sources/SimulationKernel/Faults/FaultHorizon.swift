/// The generic fault budget's clock, for any model: up to K faults, each at a grid time within a
/// horizon from the start, and "no further faults" as a choice of its own (docs/model.md,
/// "Faults"). A model keeps two agenda entries, its fault event and the end of the horizon; this
/// places the next fault between now and the horizon's end, so the model never reads a
/// remaining time to do it.
public enum FaultHorizon {
    /// What ``planNext(_:fault:horizonEnds:granularity:choose:)`` decided.
    public enum Plan: Hashable, Sendable {
        /// The next fault is scheduled.
        case planned
        /// The choice was "no further faults": the horizon's entry is cancelled.
        case noMoreFaults
        /// The horizon has ended (its entry is not pending): nothing to plan.
        case horizonOver
    }

    /// Chooses when the next `fault` happens: one of the grid points from now to the pending
    /// `horizonEnds` (both ends included), or, as the last of the alternatives, none.
    ///
    /// In zone mode the choice is only "a fault" or "none": the fault fires at any time before
    /// the horizon ends (``ClockWindow/Relation/precedes(_:)``), at its last instant at the latest.
    @inlinable
    public static func planNext<Kind>(_ agenda: inout Agenda<Kind>, fault: Kind, horizonEnds: Kind,
                                      granularity: SimDuration,
                                      choices: inout some ChoiceSource) -> Plan {
        guard agenda.contains(horizonEnds) else { return .horizonOver }
        if agenda.isSymbolic {
            guard choices.chooseDelay(2, { $0 == 0 ? .zero : nil }) == 0 else {
                agenda.cancel(horizonEnds)
                agenda.noteUndrawn()
                return .noMoreFaults
            }
            agenda.arm(fault, ClockWindow(earliest: .zero, latest: nil,
                                          relation: .precedes(horizonEnds)), drawn: true)
            return .planned
        }
        let left = agenda.remaining(horizonEnds)!
        let window = DurationRange(.zero, left)
        let points = window.gridCount(granularity: granularity)
        let pick = choices.chooseDelay(points + 1) {
            $0 < points ? window.gridPoint($0, granularity: granularity) : nil
        }
        guard pick < points else {
            agenda.cancel(horizonEnds)
            return .noMoreFaults
        }
        agenda.schedule(fault, after: window.gridPoint(pick, granularity: granularity))
        return .planned
    }
}
