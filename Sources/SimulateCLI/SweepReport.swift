import Foundation
import RayClusterModel
import SimulationKernel

/// A finished `simulate sweep --vary`: the grid, what each point's check found, and the figures.
struct SweepReport: Sendable {
    /// The model before the sweep set its values (the command line's fault flags applied).
    let model: ModelDefinition
    let grid: SweepGrid
    /// The grid every point was checked on.
    let granularity: SimDuration
    /// One per grid point, in ``SweepGrid/points`` order; points after a Ctrl-C are not checked.
    let points: [SweepPoint]
    /// How many points were checked.
    let checked: Int
    let seconds: Double

    var interrupted: Bool { checked < points.count }
    var boundary: [String] { SweepBoundary.lines(grid, points) }

    /// 0 if every point holds, 1 if any is violated, 3 if any is unknown or incomplete and none
    /// violated: the exit code of the points' combined verdict.
    var exitCode: Int32 { CheckReport.Verdict.combined(points.map(\.verdict)).exitCode }

    /// A margin in seconds without trailing zeros: `5`, `4.9`, `0.25`.
    static func seconds(_ d: SimDuration) -> String {
        let a = d.milliseconds.magnitude
        var frac = String(a % 1000)
        while frac.count < 3 { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        return (d.milliseconds < 0 ? "-" : "") + "\(a / 1000)" + (frac.isEmpty ? "" : "." + frac)
    }

    /// `safe (5 s)`, `UNSAFE`, `?`: a table cell.
    static func cell(_ p: SweepPoint) -> String {
        let word = switch p.verdict {
        case .holds: "safe"
        case .violated: "UNSAFE"
        case .incomplete, .unknown: "?"
        }
        return word + (p.margin.map { " (\(seconds($0)) s)" } ?? "")
    }

    /// `|` would end a Markdown cell early (a group name may hold one).
    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }

    /// The table: PARAM1's values down, PARAM2's across (one `verdict` column for one axis).
    var table: [String] {
        let rows = grid.axes[0]
        let columns: [String] = grid.axes.count == 2
            ? grid.axes[1].values.map(String.init) : ["verdict (margin)"]
        let corner = grid.axes.count == 2
            ? "\(rows.parameter.name) ↓ \(grid.axes[1].parameter.name) →" : rows.parameter.name
        let head = ([corner] + columns).map(Self.markdownCell)
        let rule = [" ---: "] + Array(repeating: " :--- ", count: columns.count)
        var lines = ["| " + head.joined(separator: " | ") + " |",
                     "|" + rule.joined(separator: "|") + "|"]
        for (r, value) in rows.values.enumerated() {
            let row = points[(r * columns.count)..<((r + 1) * columns.count)]
            lines.append("| \(value) | " + row.map(Self.cell).joined(separator: " | ") + " |")
        }
        return lines
    }

    /// What was checked at every point: the check's own bounds.
    var boundsLine: String {
        let f = model.faults
        let kinds = f.kinds.map(\.rawValue).joined(separator: ", ")
        return "checked at each point: up to \(f.maxFaults) fault(s) of [\(kinds)] at any time "
            + "on a \(granularity) grid within \(f.horizon), every interleaving "
            + "(as `simulate check`)"
    }

    var sweptLine: String {
        let axes = grid.axes.map {
            "\($0.parameter.name) \($0.rangeText) (\($0.values.count) values)"
        }
        let stopped = interrupted
            ? "; INTERRUPTED after \(checked) of \(points.count) points: the rest are ?" : ""
        return "swept: " + axes.joined(separator: " × ") + " = \(points.count) points" + stopped
    }

    /// The report for people, in Markdown: stdout, and `sweep.md` with `--out`.
    var markdown: String {
        var out = CommandOutcome()
        out.line("# Sweep of \(model.name)")
        out.line()
        for line in [model.headerLines[0], "the model's " + model.timeoutLine, boundsLine,
                     sweptLine] {
            out.line("- " + line)
        }
        out.line()
        for line in table { out.line(line) }
        out.line()
        out.line("Each cell is the verdict of `simulate check` at that point: safe (every property "
                 + "holds), UNSAFE (a property is violated) or ? (incomplete: nothing proven); in "
                 + "parentheses, the least time a worker had left on its reconnect deadline when "
                 + "it reconnected (none: no worker reconnected).")
        out.line()
        let boundary = self.boundary
        if boundary.count == 1 {
            out.line("boundary: " + boundary[0])
        } else {
            out.line("boundary:")
            out.line()
            for line in boundary { out.line("- " + line) }
        }
        out.line()
        let states = points.reduce(0) { $0 + $1.distinctStates }
        out.line(String(format: "%d checks, %d distinct states in all, %.2f s",
                        checked, states, seconds))
        return TerminalText.escaped(out.stdout)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `sweep.csv`: a header row, then one row per point (values, verdict, each property's
    /// verdict, the margin in milliseconds, empty when none).
    var csv: String {
        let ids = points.first?.properties.map(\.id) ?? ClusterProperties.ids
        let header = grid.axes.map(\.parameter.name) + ["verdict"] + ids
            + ["workerDeadlineMarginMs"]
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for p in points {
            let row = p.values.map(String.init) + [p.verdict.jsonValue]
                + p.properties.map(\.verdict.jsonValue)
                + [p.margin.map { String($0.milliseconds) } ?? ""]
            lines.append(row.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--json`: one object (docs/checking.md, "Sweeping settings").
    var json: String {
        let vary = grid.axes.map { a in
            JSONText.object([("param", JSONText.quote(a.parameter.name)), ("from", String(a.from)),
                             ("to", String(a.to)), ("step", String(a.step))])
        }
        let points = points.map { p in
            let values = zip(grid.axes, p.values).map { ($0.parameter.name, String($1)) }
            let properties = p.properties.map { id, verdict in
                JSONText.object([("id", JSONText.quote(id)),
                                 ("verdict", JSONText.quote(verdict.jsonValue))])
            }
            return JSONText.object([
                ("values", JSONText.object(values)),
                ("verdict", JSONText.quote(p.verdict.jsonValue)),
                ("properties", "[" + properties.joined(separator: ",") + "]"),
                ("workerDeadlineMarginMs", CheckFormat.milliseconds(p.margin)),
            ])
        }
        let bounds = JSONText.object([
            ("faults", "[" + model.faults.kinds.map { JSONText.quote($0.rawValue) }
                .joined(separator: ",") + "]"),
            ("maxFaults", String(model.faults.maxFaults)),
            ("granularityMs", String(granularity.milliseconds)),
            ("horizonMs", String(model.faults.horizon.milliseconds)),
        ])
        return JSONText.object([
            ("schemaVersion", String(TimelineFormat.schemaVersion)),
            ("model", JSONText.quote(model.name)),
            ("bounds", bounds),
            ("vary", "[" + vary.joined(separator: ",") + "]"),
            ("points", "[" + points.joined(separator: ",") + "]"),
            ("interrupted", interrupted ? "true" : "false"),
            ("boundary", JSONText.quote(boundary.joined(separator: "\n"))),
        ]) + "\n"
    }
}
