import Foundation
import SimulationKernel

/// `sweep.svg`: the sweep's table as a heatmap that opens in a browser. One `rect` per grid
/// point (the legend's swatches are paths, so counting rects counts points): safe points green,
/// darker with more reconnect margin; unsafe red; incomplete grey. Integer geometry and colours,
/// so the same sweep draws the same bytes.
enum SweepHeatmap {
    static let cellWidth = 84
    static let cellHeight = 24
    /// An estimate of one character's width at the 12 px labels, to size the picture.
    static let charWidth = 7
    static let lightest = (r: 199, g: 233, b: 192)
    static let darkest = (r: 0, g: 109, b: 44)
    static let unsafeFill = "#d73027"
    static let incompleteFill = "#bdbdbd"

    static func svg(_ report: SweepReport) -> String {
        let grid = report.grid
        let rows = grid.axes[0]
        let columns: [Int?] = grid.axes.count == 2 ? grid.axes[1].values : [nil]
        let title = "Sweep of \(report.model.name): " + grid.axes.map(\.parameter.name)
            .joined(separator: " × ")
        let lines = report.boundary
        let boundary = lines.count == 1
            ? ["boundary: " + lines[0]] : ["boundary:"] + lines.map { "• " + $0 }
        // The rows' setting labels the corner above the row values, like the table's first cell.
        let corner = rows.parameter.name + " ↓"
        let labelWidth = (rows.values.map { String($0).count }.max() ?? 1) * charWidth
        let left = max(labelWidth, corner.count * charWidth) + 18, top = 78
        let gridWidth = columns.count * cellWidth, gridHeight = rows.values.count * cellHeight
        let legendTop = top + gridHeight + 24
        let textWidth = ([title] + boundary).map(\.count).max()! * charWidth + 24
        let width = max(left + gridWidth + 24, textWidth, 560)
        let height = legendTop + 3 * 20 + 12 + boundary.count * 18 + 12
        let margins = safeMargins(report.points)

        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<title>\(escaped(title))</title>\n"
        s += "<defs><linearGradient id=\"margin\">"
            + "<stop offset=\"0\" stop-color=\"\(hex(lightest))\"/>"
            + "<stop offset=\"1\" stop-color=\"\(hex(darkest))\"/></linearGradient></defs>\n"
        s += text(12, 22, escaped(title), extra: " font-size=\"16\" font-weight=\"bold\"")
        let columnTitle = grid.axes.count == 2
            ? grid.axes[1].parameter.name + " →" : "verdict (margin)"
        s += text(left + gridWidth / 2, 52, escaped(columnTitle), extra: " text-anchor=\"middle\"")
        s += text(left - 6, top - 8, escaped(corner), extra: " text-anchor=\"end\"")
        for (c, value) in columns.enumerated() {
            guard let value else { continue }
            s += text(left + c * cellWidth + cellWidth / 2, top - 8, "\(value)",
                      extra: " text-anchor=\"middle\"")
        }
        for (r, value) in rows.values.enumerated() {
            let y = top + r * cellHeight
            s += text(left - 6, y + cellHeight / 2 + 4, "\(value)", extra: " text-anchor=\"end\"")
            for c in columns.indices {
                let point = report.points[r * columns.count + c]
                s += cell(point, grid, margins, x: left + c * cellWidth, y: y)
            }
        }
        s += legend(margins, top: legendTop)
        for (i, line) in boundary.enumerated() {
            s += text(12, legendTop + 3 * 20 + 12 + i * 18, escaped(line))
        }
        return s + "</svg>\n"
    }

    /// The least and greatest margin of the safe points, in milliseconds; nil when none has one.
    static func safeMargins(_ points: [SweepPoint]) -> ClosedRange<Int64>? {
        let ms = points.filter { $0.verdict == .holds }.compactMap { $0.margin?.milliseconds }
        guard let lo = ms.min(), let hi = ms.max() else { return nil }
        return lo...hi
    }

    /// How far up the green scale a safe point's margin is, as a fraction `numerator/denominator`
    /// of the safe margins' span; a point without a margin is at the light end.
    static func shade(_ margin: SimDuration?, _ margins: ClosedRange<Int64>?) -> (Int64, Int64) {
        guard let m = margin?.milliseconds, let margins else { return (0, 1) }
        let span = margins.upperBound - margins.lowerBound
        return span == 0 ? (1, 2) : (m - margins.lowerBound, span)
    }

    static func green(_ fraction: (Int64, Int64)) -> (r: Int, g: Int, b: Int) {
        let (n, d) = fraction
        func mix(_ a: Int, _ b: Int) -> Int { a + Int(Int64(b - a) * n / d) }
        return (mix(lightest.r, darkest.r), mix(lightest.g, darkest.g), mix(lightest.b, darkest.b))
    }

    static func cell(
        _ p: SweepPoint, _ grid: SweepGrid, _ margins: ClosedRange<Int64>?, x: Int, y: Int
    ) -> String {
        let fill: String, ink: String, label: String
        switch p.verdict {
        case .holds:
            let fraction = shade(p.margin, margins)
            fill = hex(green(fraction))
            ink = fraction.0 * 2 > fraction.1 ? "#ffffff" : "#000000"
            label = "safe" + (p.margin.map { " \(SweepReport.seconds($0)) s" } ?? "")
        case .violated: (fill, ink, label) = (unsafeFill, "#ffffff", "UNSAFE")
        case .incomplete, .unknown: (fill, ink, label) = (incompleteFill, "#000000", "?")
        }
        let violates = p.violated.isEmpty ? "" : ", violates " + p.violated.joined(separator: ", ")
        let margin = p.margin.map { "; margin \(SweepReport.seconds($0)) s" } ?? ""
        let tip = "\(grid.label(p.values)): \(p.verdict.jsonValue)\(violates)\(margin)"
        return "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" "
            + "fill=\"\(fill)\" stroke=\"#ffffff\"><title>\(escaped(tip))</title></rect>\n"
            + text(x + cellWidth / 2, y + cellHeight / 2 + 4, escaped(label),
                   extra: " text-anchor=\"middle\" font-size=\"11\" fill=\"\(ink)\"")
    }

    /// Three rows: the green scale with the safe margins at its ends, unsafe, incomplete.
    static func legend(_ margins: ClosedRange<Int64>?, top: Int) -> String {
        func swatch(_ y: Int, _ width: Int, _ fill: String) -> String {
            "<path d=\"M12 \(y)h\(width)v14h-\(width)z\" fill=\"\(fill)\" stroke=\"#808080\"/>\n"
        }
        let range = margins.map { m in
            let lo = SweepReport.seconds(.ms(m.lowerBound))
            return "\(lo) s to \(SweepReport.seconds(.ms(m.upperBound))) s"
        } ?? "none measured"
        return swatch(top, 120, "url(#margin)")
            + text(140, top + 11, escaped("safe: darker = more reconnect margin (\(range))"))
            + swatch(top + 20, 14, unsafeFill)
            + text(34, top + 31, "UNSAFE: a property is violated")
            + swatch(top + 40, 14, incompleteFill)
            + text(34, top + 51, "? incomplete: the check stopped first, nothing proven")
    }

    static func text(_ x: Int, _ y: Int, _ content: String, extra: String = "") -> String {
        "<text x=\"\(x)\" y=\"\(y)\"\(extra)>\(content)</text>\n"
    }

    static func hex(_ c: (r: Int, g: Int, b: Int)) -> String {
        String(format: "#%02x%02x%02x", c.r, c.g, c.b)
    }

    /// `text` as XML character data: the five special characters escaped, and the characters
    /// XML 1.0 forbids (control characters but tab and line feed) as `?`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
