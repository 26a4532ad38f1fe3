import RayClusterModel
import SimulationKernel

/// What the check found at one grid point of `simulate sweep --vary`.
struct SweepPoint: Sendable {
    /// One value per axis, in the grid's axis order.
    let values: [Int]
    /// The check's verdict; incomplete for a point not checked (Ctrl-C came first).
    let verdict: CheckReport.Verdict
    /// Each property's verdict, in the model's property order.
    let properties: [(id: String, verdict: CheckReport.Verdict)]
    /// ``ClusterCheckResult/workerDeadlineMargin``: nil when no worker reconnected.
    let margin: SimDuration?
    /// Distinct states the check stored (0 for a point not checked).
    let distinctStates: Int

    init(values: [Int], verdict: CheckReport.Verdict,
         properties: [(id: String, verdict: CheckReport.Verdict)], margin: SimDuration?,
         distinctStates: Int) {
        self.values = values
        self.verdict = verdict
        self.properties = properties
        self.margin = margin
        self.distinctStates = distinctStates
    }

    init(values: [Int], result: ClusterCheckResult) {
        self.init(values: values, verdict: result.report.verdict,
                  properties: result.report.properties.map { ($0.id, $0.verdict) },
                  margin: result.workerDeadlineMargin,
                  distinctStates: result.report.distinctStates)
    }

    /// A point the sweep did not reach: nothing is known of it.
    init(notCheckedAt values: [Int]) {
        self.init(values: values, verdict: .incomplete,
                  properties: ClusterProperties.ids.map { ($0, .incomplete) }, margin: nil,
                  distinctStates: 0)
    }

    /// The ids of the properties violated here.
    var violated: [String] { properties.filter { $0.verdict == .violated }.map(\.id) }
}

/// The boundary of the safe region in words, read off the checked points (never from a formula):
/// a threshold only where the points show one, a relation between two timeouts only where every
/// point measured agrees with it.
enum SweepBoundary {
    /// How the points along one axis (the others fixed) split into safe and unsafe.
    enum Split: Equatable {
        case safeEverywhere
        case safeNowhere
        /// Violated below `safe`, held from `safe` up; `unsafe` is the last violating value.
        case atLeast(safe: Int, unsafe: Int)
        /// Held up to `safe`, violated above; `unsafe` is the first violating value.
        case atMost(safe: Int, unsafe: Int)
        /// Anything else: an undecided point, or more than one change.
        case mixed
    }

    /// `line`'s points ordered by `axis`'s value.
    static func split(_ line: [SweepPoint], axis: Int) -> Split {
        let verdicts = line.map(\.verdict)
        if verdicts.allSatisfy({ $0 == .holds }) { return .safeEverywhere }
        if verdicts.allSatisfy({ $0 == .violated }) { return .safeNowhere }
        guard !verdicts.contains(.incomplete) else { return .mixed }
        let changes = zip(verdicts, verdicts.dropFirst()).filter { $0 != $1 }.count
        guard changes == 1, let k = verdicts.firstIndex(where: { $0 != verdicts[0] }) else {
            return .mixed
        }
        let below = line[k - 1].values[axis], above = line[k].values[axis]
        return verdicts[0] == .violated
            ? .atLeast(safe: above, unsafe: below) : .atMost(safe: below, unsafe: above)
    }

    /// The boundary: one line for one axis; for two, one line per PARAM2 value (the least safe
    /// PARAM1 there), then the relation between the two if the points bear one out.
    static func lines(_ grid: SweepGrid, _ points: [SweepPoint]) -> [String] {
        let rows = grid.axes[0]
        guard grid.axes.count == 2 else { return [sentence(rows, points)] }
        let columns = grid.axes[1]
        var lines: [String] = []
        for c in columns.values {
            let line = points.filter { $0.values[1] == c }
            lines.append("\(columns.parameter.name) = \(c): \(sentence(rows, line))")
        }
        if let relation = relation(grid, points) { lines.append(relation) }
        return lines
    }

    /// One axis's split in words: `safe when P >= 75 (74 violates workers-survive-head-restart)`.
    static func sentence(_ axis: SweepAxis, _ line: [SweepPoint]) -> String {
        let p = axis.parameter.name
        let between = { (a: Int, b: Int) in
            abs(a - b) > 1 ? "; \(min(a, b) + 1)..\(max(a, b) - 1) not measured" : ""
        }
        let violates = { (v: Int) in
            line.first { $0.values[0] == v }!.violated.joined(separator: ", ")
        }
        switch split(line, axis: 0) {
        case .safeEverywhere: return "safe everywhere in \(axis.rangeText)"
        case .safeNowhere: return "no safe value in \(axis.rangeText)"
        case .atLeast(let safe, let unsafe):
            return "safe when \(p) >= \(safe) (\(unsafe) violates \(violates(unsafe))"
                + between(safe, unsafe) + ")"
        case .atMost(let safe, let unsafe):
            return "safe when \(p) <= \(safe) (\(unsafe) violates \(violates(unsafe))"
                + between(safe, unsafe) + ")"
        case .mixed:
            return "no single threshold in \(axis.rangeText): " + runs(line)
        }
    }

    /// `safe at 72, 75..80; UNSAFE at 70..71; undecided at 73..74`: consecutive grid points
    /// with the same verdict as one range.
    static func runs(_ line: [SweepPoint]) -> String {
        var segments: [(verdict: CheckReport.Verdict, first: Int, last: Int)] = []
        for point in line {
            let v = point.values[0]
            if let last = segments.last, last.verdict == point.verdict {
                segments[segments.count - 1].last = v
            } else {
                segments.append((point.verdict, v, v))
            }
        }
        let words: [(CheckReport.Verdict, String)] = [
            (.holds, "safe"), (.violated, "UNSAFE"), (.incomplete, "undecided"),
        ]
        return words.compactMap { verdict, word in
            let mine = segments.filter { $0.verdict == verdict }
            guard !mine.isEmpty else { return nil }
            let ranges = mine.map {
                $0.first == $0.last ? "\($0.first)" : "\($0.first)..\($0.last)"
            }
            return "\(word) at " + ranges.joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// `safe when P1 >= P2 + 15 s`, when the least safe P1 minus P2 is the same in at least two
    /// columns and every point measured, in every column, is safe exactly when the relation
    /// holds; otherwise what differs, or nil when too few columns have a threshold.
    static func relation(_ grid: SweepGrid, _ points: [SweepPoint]) -> String? {
        let (p1, p2) = (grid.axes[0].parameter.name, grid.axes[1].parameter.name)
        var differences: [(column: Int, difference: Int, atLeast: Bool)] = []
        for c in grid.axes[1].values {
            switch split(points.filter { $0.values[1] == c }, axis: 0) {
            case .atLeast(let safe, _): differences.append((c, safe - c, true))
            case .atMost(let safe, _): differences.append((c, safe - c, false))
            default: break
            }
        }
        guard differences.count >= 2 else { return nil }
        let d = differences[0].difference, atLeast = differences[0].atLeast
        let same = differences.allSatisfy { $0.difference == d && $0.atLeast == atLeast }
        let agrees = points.allSatisfy { point in
            let v1 = point.values[0], v2 = point.values[1]
            let predicted = atLeast ? v1 >= v2 + d : v1 <= v2 + d
            return point.verdict == (predicted ? .holds : .violated)
        }
        guard same else {
            let listed = differences.map { "\($0.difference) s where \(p2) = \($0.column)" }
            return "no constant difference at the boundary: \(p1) − \(p2) is "
                + listed.joined(separator: ", ")
        }
        guard agrees else {
            return "\(p1) − \(p2) is \(d) s at the boundary in \(differences.count) columns, "
                + "but other points measured disagree: no relation claimed"
        }
        let offset = d == 0 ? "" : " \(d > 0 ? "+" : "-") \(abs(d)) s"
        let grain = grid.axes[0].step > 1 ? " (measured every \(grid.axes[0].step) s of \(p1))" : ""
        return "safe when \(p1) \(atLeast ? ">=" : "<=") \(p2)\(offset) in every column measured"
            + grain
    }
}
