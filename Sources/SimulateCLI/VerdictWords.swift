import RayClusterModel
import SimulationKernel

/// The one mapping from a check's verdict to what every command prints and returns: the word for
/// people, the JSON value, the word a scenario's `expect` compares, and the exit code
/// (``Help/exitCodes``). `check`, `review`, `sweep` and `bench` all read it from here, so a
/// verdict cannot mean one thing in one command and another in the next.
extension CheckReport.Verdict {
    /// The word of the text outputs: `HOLDS`, `VIOLATED`, `UNKNOWN`, `INCOMPLETE`.
    var word: String {
        switch self {
        case .holds: "HOLDS"
        case .violated: "VIOLATED"
        case .unknown: "UNKNOWN"
        case .incomplete: "INCOMPLETE"
        }
    }

    /// The value of a `"verdict"` field in every JSON output: `holds`, `violated`, `unknown`,
    /// `incomplete`.
    var jsonValue: String {
        switch self {
        case .holds: "holds"
        case .violated: "violated"
        case .unknown: "unknown"
        case .incomplete: "incomplete"
        }
    }

    /// The word a scenario's `expect` is compared with: `held` or `violated`, the two words a
    /// scenario file may expect; `incomplete` for a property that is not decided, which an
    /// `unknown` is too (neither proven nor shown), so it is never a mismatch, only undecided.
    var expectationWord: String {
        switch self {
        case .holds: "held"
        case .violated: "violated"
        case .unknown, .incomplete: "incomplete"
        }
    }

    /// Whether the property is decided: held or violated.
    var isDecided: Bool { self == .holds || self == .violated }

    /// The exit code: 0 holds, 1 violated, 3 unknown or incomplete (nothing proven).
    var exitCode: Int32 {
        switch self {
        case .holds: CommandOutcome.Code.held
        case .violated: CommandOutcome.Code.violated
        case .unknown, .incomplete: CommandOutcome.Code.incomplete
        }
    }

    /// The verdict over several properties (or several checks): violated if any is; else
    /// unknown if any is (as ``ClusterCheck`` reports a zone check), else incomplete if any is;
    /// holds when all hold, and for none.
    static func combined(_ verdicts: some Sequence<Self>) -> Self {
        var seen = Set<Self>()
        for v in verdicts { seen.insert(v) }
        for v in [Self.violated, .unknown, .incomplete] where seen.contains(v) { return v }
        return .holds
    }
}

/// The same mapping for a review, whose cluster may also be refused by KubeRay itself.
extension ReviewVerdict {
    /// `REJECTED`, or the check's word.
    var word: String {
        switch self {
        case .rejected: "REJECTED"
        case .checked(let v): v.word
        }
    }

    /// `rejected`, or the check's JSON value.
    var jsonValue: String {
        switch self {
        case .rejected: "rejected"
        case .checked(let v): v.jsonValue
        }
    }

    /// 1 for a rejected manifest (KubeRay will not run it: a defect, like a violation), else the
    /// check's exit code.
    var exitCode: Int32 {
        switch self {
        case .rejected: CommandOutcome.Code.violated
        case .checked(let v): v.exitCode
        }
    }

    /// Over several clusters: rejected if any is, else the checks' verdicts
    /// ``CheckReport/Verdict/combined(_:)``.
    static func combined(_ verdicts: some Sequence<Self>) -> Self {
        var checked: [CheckReport.Verdict] = []
        for v in verdicts {
            switch v {
            case .rejected: return .rejected
            case .checked(let c): checked.append(c)
            }
        }
        return .checked(CheckReport.Verdict.combined(checked))
    }
}
