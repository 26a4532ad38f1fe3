/// A fault the model can inject: a ``Disruption`` that may happen at random (`asFault`), with the
/// stable id used on the command line and in model files. There is no second list of faults.
public typealias FaultKind = Disruption

extension Disruption: Codable, Comparable {
    /// Faults on the head pod: the ones GCS fault tolerance exists to ride out.
    public static let headSide: [FaultKind] = [.gcsProcessKill, .gcsProcessSigkill, .headPodDelete,
                                               .headContainerCrash, .headPodEvict]

    /// Every disruption that may be a fault, in declaration order (the order of the choice among
    /// enabled faults).
    public static let faults: [FaultKind] = allCases.filter(\.asFault)

    /// Declaration order.
    public static func < (a: Disruption, b: Disruption) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Every fault id, for error messages and `--help`.
    public static var idList: String { faultIDs.joined(separator: ", ") }
}

/// How many faults of which kinds may happen, and within what window from the start.
public struct FaultBudget: Hashable, Codable, Sendable {
    /// The kinds that may be injected, sorted, without duplicates (the order of the choice among them).
    public private(set) var kinds: [FaultKind]
    /// At most this many faults in one run.
    public var maxFaults: Int
    /// Faults happen at virtual times in `0...horizon`.
    public var horizon: SimDuration

    /// `kinds` must be faults (``Disruption/asFault``); model files and `--faults` are checked
    /// before they get here.
    public init(kinds: [FaultKind], maxFaults: Int, horizon: SimDuration) {
        precondition(kinds.allSatisfy(\.asFault),
                     "not fault kinds: \(kinds.filter { !$0.asFault })")
        self.kinds = Array(Set(kinds)).sorted()
        self.maxFaults = maxFaults
        self.horizon = horizon
    }

    /// One head-side fault within five minutes: the budget of the product's promise.
    public static let oneHeadSideFault = FaultBudget(kinds: FaultKind.headSide, maxFaults: 1, horizon: .minutes(5))
}

import SimulationKernel
