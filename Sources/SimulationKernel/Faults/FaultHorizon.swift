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
    /// `horizonEnds` (both ends included), or, as the last of `choose`'s alternatives, none.
    @inlinable
    public static func planNext<Kind>(_ agenda: inout Agenda<Kind>, fault: Kind, horizonEnds: Kind,
                                      granularity: SimDuration, choose: (Int) -> Int) -> Plan {
        guard let left = agenda.remaining(horizonEnds) else { return .horizonOver }
        let window = DurationRange(.zero, left)
        let points = window.gridCount(granularity: granularity)
        let pick = choose(points + 1)
        guard pick < points else {
            agenda.cancel(horizonEnds)
            return .noMoreFaults
        }
        agenda.schedule(fault, after: window.gridPoint(pick, granularity: granularity))
        return .planned
    }
}
