import Foundation
import Lapis

/// Escaping for HTML text and attribute values. Everything that came from data (ids, titles,
/// story text, label and method names, file names) goes through it.
enum HTMLText {
    /// `text` with `& < > " '` replaced by entities and characters that HTML forbids (NUL and
    /// other C0/C1 controls except tab, line feed and carriage return) by U+FFFD.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Colours that stay distinguishable with the common colour-vision deficiencies.
enum Palette {
    /// Okabe & Ito's eight colours, without black (kept for text), most distinct first.
    static let categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
    static let curve = "#0072B2"
    static let marker = "#D55E00"
    static let grid = "#e3e3e3"
    static let ink = "#222222"
    static let muted = "#666666"

    /// Viridis, sampled at ten points; `t` in 0...1 from dark purple to yellow.
    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 73, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (110, 206, 88), (181, 222, 43), (253, 231, 37),
    ]

    static func viridis(_ t: Double) -> (r: Int, g: Int, b: Int) {
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(viridis.count - 1)
        let i = min(Int(x), viridis.count - 2)
        let f = x - Double(i)
        let a = viridis[i], b = viridis[i + 1]
        return (Int((a.0 + (b.0 - a.0) * f).rounded()), Int((a.1 + (b.1 - a.1) * f).rounded()), Int((a.2 + (b.2 - a.2) * f).rounded()))
    }

    /// A heat-map fill for a share in 0...1: reversed viridis (light yellow for little, dark
    /// purple for most), and a text colour readable on it.
    static func heat(_ share: Double) -> (fill: String, text: String) {
        let clamped = min(max(share.isFinite ? share : 0, 0), 1)
        let c = viridis(1 - clamped)
        // Washed towards white for small shares, so that a 2 % cell does not shout; lightness
        // still falls steadily with the share.
        let alpha = 0.3 + 0.7 * clamped
        func mix(_ v: Int) -> Int { Int((255 + (Double(v) - 255) * alpha).rounded()) }
        let r = mix(c.r), g = mix(c.g), b = mix(c.b)
        let luminance = 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)
        return (String(format: "#%02x%02x%02x", r, g, b), luminance > 140 ? "#111111" : "#ffffff")
    }
}

/// Small builders of inline SVG: no scripts, no external references, every text escaped.
enum SVG {
    /// A coordinate or length with one decimal, no trailing ".0".
    static func n(_ value: Double) -> String {
        // A non-finite coordinate (a 0/0 upstream) must not trap in Int(_:); 0 keeps the SVG valid.
        guard value.isFinite, abs(value) < 1e12 else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "middle", size: Double = 12, weight: String? = nil,
                     fill: String = Palette.ink, extra: String = "") -> String {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(n(size))\" fill=\"\(fill)\""
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if !extra.isEmpty { attributes += " " + extra }
        return "<text \(attributes)>\(HTMLText.escape(content))</text>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil, extra: String = "") -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + (extra.isEmpty ? "" : " " + extra) + "/>"
    }

    /// The opening tag of a responsive chart with an accessible title.
    static func open(width: Double, height: Double, title: String, className: String) -> String {
        "<svg class=\"\(className)\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\">"
            + "<title>\(HTMLText.escape(title))</title>"
    }
}

/// A plot area with its margins, mapping data coordinates to SVG coordinates.
struct PlotFrame {
    var width: Double
    var height: Double
    var left = 58.0, right = 18.0, top = 30.0, bottom = 50.0
    var xRange: ClosedRange<Double> = 0...1
    var yRange: ClosedRange<Double> = 0...1

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func x(_ value: Double) -> Double {
        left + (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }

    func y(_ value: Double) -> Double {
        top + plotHeight - (value - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
    }

    /// Grid lines, tick labels and axis titles; `xTicks` nil draws no vertical grid (bar charts).
    func axes(xTicks: [Double]?, yTicks: [Double], xLabel: String, yLabel: String, format: (Double) -> String) -> String {
        var parts: [String] = []
        for tick in yTicks {
            parts.append(SVG.line(left, y(tick), left + plotWidth, y(tick), stroke: Palette.grid))
            parts.append(SVG.text(format(tick), x: left - 7, y: y(tick) + 4, anchor: "end", size: 11, fill: Palette.muted))
        }
        for tick in xTicks ?? [] {
            parts.append(SVG.line(x(tick), top, x(tick), top + plotHeight, stroke: Palette.grid))
            parts.append(SVG.text(format(tick), x: x(tick), y: top + plotHeight + 16, size: 11, fill: Palette.muted))
        }
        parts.append(SVG.line(left, top + plotHeight, left + plotWidth, top + plotHeight, stroke: Palette.ink))
        parts.append(SVG.line(left, top, left, top + plotHeight, stroke: Palette.ink))
        parts.append(SVG.text(xLabel, x: left + plotWidth / 2, y: height - 10, size: 12.5, weight: "600", extra: "class=\"axis-label\""))
        let cy = top + plotHeight / 2
        parts.append(SVG.text(yLabel, x: 16, y: cy, size: 12.5, weight: "600", extra: "class=\"axis-label\" transform=\"rotate(-90 16 \(SVG.n(cy)))\""))
        return parts.joined()
    }
}

enum SVGChart {
    static let unitTicks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]

    /// A precision-recall curve with the operating threshold marked, the no-skill line
    /// (precision = share of positives) dashed, and a legend with the average precision.
    static func precisionRecall(label: String, curve: PrecisionRecallCurve, threshold: Double) -> String {
        var frame = PlotFrame(width: 520, height: 400)
        frame.top = 58
        var parts = [SVG.open(width: frame.width, height: frame.height, title: "Precision-recall curve of \(label)", className: "chart pr")]
        parts.append(SVG.text(label, x: frame.left, y: 19, anchor: "start", size: 15, weight: "700"))
        parts.append(frame.axes(xTicks: unitTicks, yTicks: unitTicks, xLabel: "Recall", yLabel: "Precision") { String(format: "%.1f", $0) })
        guard curve.positives > 0 else {
            parts.append(SVG.text("no true instances of this label in the data", x: frame.x(0.5), y: frame.y(0.5), size: 12, fill: Palette.muted))
            return parts.joined() + "</svg>"
        }
        let prevalence = Double(curve.positives) / Double(max(curve.count, 1))
        parts.append(SVG.line(frame.x(0), frame.y(prevalence), frame.x(1), frame.y(prevalence), stroke: Palette.muted, width: 1, dash: "4 4", extra: "class=\"baseline\""))
        // Points closer than half a pixel add bytes, not information.
        var coordinates: [String] = []
        var last: (Double, Double)?
        for (i, point) in curve.points.enumerated() {
            let p = (frame.x(point.recall), frame.y(point.precision))
            if let last, i < curve.points.count - 1, abs(last.0 - p.0) < 0.5 && abs(last.1 - p.1) < 0.5 { continue }
            coordinates.append("\(SVG.n(p.0)),\(SVG.n(p.1))")
            last = p
        }
        parts.append("<polyline class=\"pr-curve\" points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"\(Palette.curve)\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>")
        let point = curve.operatingPoint(threshold: threshold)
        let mx = frame.x(point.recall), my = frame.y(point.precision)
        parts.append(SVG.line(mx, my, mx, frame.y(0), stroke: Palette.marker, width: 1, dash: "2 3"))
        parts.append(SVG.line(frame.x(0), my, mx, my, stroke: Palette.marker, width: 1, dash: "2 3"))
        parts.append("<path class=\"threshold-marker\" d=\"M\(SVG.n(mx)) \(SVG.n(my - 7))L\(SVG.n(mx + 7)) \(SVG.n(my))L\(SVG.n(mx)) \(SVG.n(my + 7))L\(SVG.n(mx - 7)) \(SVG.n(my))Z\" fill=\"\(Palette.marker)\" stroke=\"#ffffff\" stroke-width=\"1.5\">"
                     + "<title>threshold \(HTMLPage.threshold(threshold)): precision \(String(format: "%.3f", point.precision)), recall \(String(format: "%.3f", point.recall))</title></path>")
        // Legend, above the plot so it never hides the curve.
        let ly = 40.0
        var lx = frame.left
        parts.append(SVG.line(lx, ly - 4, lx + 22, ly - 4, stroke: Palette.curve, width: 2.2))
        parts.append(SVG.text("AP \(String(format: "%.3f", curve.averagePrecision))", x: lx + 27, y: ly, anchor: "start", size: 12, extra: "class=\"legend-ap\""))
        lx += 102
        parts.append("<path d=\"M\(SVG.n(lx + 6)) \(SVG.n(ly - 10))L\(SVG.n(lx + 12)) \(SVG.n(ly - 4))L\(SVG.n(lx + 6)) \(SVG.n(ly + 2))L\(SVG.n(lx)) \(SVG.n(ly - 4))Z\" fill=\"\(Palette.marker)\"/>")
        parts.append(SVG.text("threshold \(threshold.isFinite ? String(format: "%.2f", threshold) : "–")", x: lx + 17, y: ly, anchor: "start", size: 12))
        lx += 118
        parts.append(SVG.line(lx, ly - 4, lx + 22, ly - 4, stroke: Palette.muted, dash: "4 4"))
        parts.append(SVG.text("no skill", x: lx + 27, y: ly, anchor: "start", size: 12))
        return parts.joined() + "</svg>"
    }

    /// The true × predicted label heat map; cells are coloured by their share of the row's
    /// documents and print the count.
    static func labelHeatMap(_ confusion: LabelSetConfusion) -> String {
        let names = confusion.labels + ["none"]
        let shown = names.map { $0.count > 18 ? String($0.prefix(17)) + "…" : $0 }
        let longest = Double(shown.map(\.count).max() ?? 4)
        let cell = min(150, max(76, 7.4 * longest + 16))
        let left = max(96, 26 + 7.5 * longest), top = 78.0
        let width = left + cell * Double(names.count) + 20, height = top + cell * Double(names.count) + 20
        var parts = [SVG.open(width: width, height: height, title: "True label by predicted label, document counts", className: "chart heatmap")]
        parts.append(SVG.text("predicted label →", x: left + cell * Double(names.count) / 2, y: 18, size: 12.5, weight: "600", extra: "class=\"axis-label\""))
        let cy = top + cell * Double(names.count) / 2
        parts.append(SVG.text("true label →", x: 16, y: cy, size: 12.5, weight: "600", extra: "class=\"axis-label\" transform=\"rotate(-90 16 \(SVG.n(cy)))\""))
        for (j, name) in shown.enumerated() {
            let x = left + cell * (Double(j) + 0.5)
            parts.append(SVG.text(name, x: x, y: top - 12, size: 12, weight: j == names.count - 1 ? nil : "600",
                                  fill: j == names.count - 1 ? Palette.muted : Palette.ink))
        }
        for (i, name) in names.enumerated() {
            let y = top + cell * Double(i)
            parts.append(SVG.text(shown[i], x: left - 10, y: y + cell / 2 - 2, anchor: "end", size: 12, weight: i == names.count - 1 ? nil : "600",
                                  fill: i == names.count - 1 ? Palette.muted : Palette.ink))
            parts.append(SVG.text("\(confusion.rowDocuments[i]) docs", x: left - 10, y: y + cell / 2 + 13, anchor: "end", size: 10.5, fill: Palette.muted))
            for j in names.indices {
                let count = confusion.counts[i][j]
                let share = confusion.rowDocuments[i] == 0 ? 0 : Double(count) / Double(confusion.rowDocuments[i])
                let colours = count == 0 ? (fill: "#f4f4f4", text: "#9a9a9a") : Palette.heat(share)
                let x = left + cell * Double(j)
                parts.append("<g class=\"cell\" data-row=\"\(HTMLText.escape(name))\" data-column=\"\(HTMLText.escape(names[j]))\" data-count=\"\(count)\">"
                             + "<rect x=\"\(SVG.n(x + 1))\" y=\"\(SVG.n(y + 1))\" width=\"\(SVG.n(cell - 2))\" height=\"\(SVG.n(cell - 2))\" rx=\"3\" fill=\"\(colours.fill)\""
                             + (i == j ? " stroke=\"\(Palette.ink)\" stroke-width=\"1.5\"" : "") + "/>"
                             + "<title>true \(HTMLText.escape(name)), predicted \(HTMLText.escape(names[j])): \(count) of \(confusion.rowDocuments[i]) documents</title>"
                             + SVG.text("\(count)", x: x + cell / 2, y: y + cell / 2 + 2, size: 16, weight: "700", fill: colours.text)
                             + SVG.text(count == 0 ? "" : String(format: "%.0f%%", 100 * share), x: x + cell / 2, y: y + cell / 2 + 18, size: 10.5, fill: colours.text)
                             + "</g>")
            }
        }
        return parts.joined() + "</svg>"
    }

    /// A colour key for the heat map: share of the row's documents, 0 to 100 %.
    static func heatLegend() -> String {
        let width = 260.0, height = 44.0
        var parts = [SVG.open(width: width, height: height, title: "Colour key: share of the row's documents", className: "chart key")]
        let steps = 20
        for k in 0..<steps {
            let share = (Double(k) + 0.5) / Double(steps)
            parts.append("<rect x=\"\(SVG.n(10 + Double(k) * 12))\" y=\"4\" width=\"12\" height=\"14\" fill=\"\(Palette.heat(share).fill)\"/>")
        }
        for (share, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100% of row")] {
            parts.append(SVG.text(label, x: 10 + share * 240, y: 34, anchor: share == 0 ? "start" : share == 1 ? "end" : "middle", size: 11, fill: Palette.muted))
        }
        return parts.joined() + "</svg>"
    }

    /// Grouped bars: for each metric, one bar per method (F1 × 100), values printed on the bars.
    static func rougeBars(methods: [String], metrics: [String], values: [[Double]]) -> String {
        let top = (values.flatMap { $0 }.max() ?? 0) * 100
        let yMax = max(10, (top / 10).rounded(.up) * 10)
        let groupWidth = Double(methods.count) * 30 + 28
        var frame = PlotFrame(width: max(420, 58 + 18 + groupWidth * Double(metrics.count)), height: 330)
        frame.top = 26 + 20 * ((Double(methods.count) / 4).rounded(.up))
        frame.yRange = 0...yMax
        var parts = [SVG.open(width: frame.width, height: frame.height, title: "ROUGE F1 by method", className: "chart rouge")]
        let ticks = stride(from: 0.0, through: yMax, by: yMax > 50 ? 20 : 10).map { $0 }
        parts.append(frame.axes(xTicks: nil, yTicks: ticks, xLabel: "ROUGE variant", yLabel: "F1 × 100") { String(format: "%.0f", $0) })
        let slot = frame.plotWidth / Double(max(metrics.count, 1))
        let bar = min(30, (slot - 20) / Double(max(methods.count, 1)))
        for (m, metric) in metrics.enumerated() {
            let start = frame.left + slot * Double(m) + (slot - bar * Double(methods.count)) / 2
            for (k, method) in methods.enumerated() {
                let value = values[k][m] * 100
                let x = start + bar * Double(k)
                let y = frame.y(value)
                parts.append("<rect class=\"bar\" x=\"\(SVG.n(x + 1))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(bar - 2))\" height=\"\(SVG.n(frame.y(0) - y))\" fill=\"\(Palette.categorical[k % Palette.categorical.count])\">"
                             + "<title>\(HTMLText.escape(method)) \(HTMLText.escape(metric)): \(String(format: "%.2f", value))</title></rect>")
                parts.append(SVG.text(String(format: "%.1f", value), x: x + bar / 2, y: y - 4, size: 9.5, fill: Palette.ink))
            }
            parts.append(SVG.text(metric, x: frame.left + slot * (Double(m) + 0.5), y: frame.y(0) + 16, size: 11.5, fill: Palette.ink))
        }
        for (k, method) in methods.enumerated() {
            let x = frame.left + Double(k % 4) * 110, y = 18 + 20 * Double(k / 4)
            parts.append("<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y - 10))\" width=\"12\" height=\"12\" fill=\"\(Palette.categorical[k % Palette.categorical.count])\"/>")
            parts.append(SVG.text(method, x: x + 17, y: y, anchor: "start", size: 12))
        }
        return parts.joined() + "</svg>"
    }
}
