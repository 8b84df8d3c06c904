import Foundation
import Testing
@testable import Lapis
@testable import LapisReports

/// The text between `start` and the next `end` after it, for every occurrence.
private func slices(_ text: String, from start: String, to end: String) -> [String] {
    var result: [String] = []
    var rest = text[...]
    while let open = rest.range(of: start) {
        rest = rest[open.upperBound...]
        guard let close = rest.range(of: end) else { break }
        result.append(String(rest[..<close.lowerBound]))
        rest = rest[close.upperBound...]
    }
    return result
}

@Suite("HTML report: precision-recall curves")
struct PrecisionRecallCurveTests {
    // Ranked: 0.9 T, 0.8 F, 0.7 T, 0.6 F, 0.5 F. Hand-computed points (recall, precision):
    // (0, 1), (.5, 1), (.5, .5), (1, 2/3), (1, .5), (1, .4); AP = .5·1 + .5·(2/3) = 5/6,
    // which is also scikit-learn's average_precision_score for this input.
    let curve = PrecisionRecallCurve(scores: [0.7, 0.5, 0.9, 0.6, 0.8], targets: [true, false, true, false, false])

    @Test("points at every distinct score and scikit-learn's average precision")
    func points() {
        #expect(curve.points.map(\.recall) == [0, 0.5, 0.5, 1, 1, 1])
        let expected = [1, 1, 0.5, 2.0 / 3, 0.5, 0.4]
        for (point, precision) in zip(curve.points, expected) { #expect(abs(point.precision - precision) < 1e-12) }
        #expect(curve.points.map(\.threshold).dropFirst() == [0.9, 0.8, 0.7, 0.6, 0.5])
        #expect(abs(curve.averagePrecision - 5.0 / 6) < 1e-12)
        #expect(curve.positives == 2 && curve.count == 5)
    }

    @Test("tied scores make one point; no positives give AP 0")
    func ties() {
        let tied = PrecisionRecallCurve(scores: [0.5, 0.5, 0.2], targets: [true, false, false])
        #expect(tied.points.count == 3)
        #expect(tied.points[1].precision == 0.5 && tied.points[1].recall == 1)
        #expect(abs(tied.averagePrecision - 0.5) < 1e-12)
        #expect(PrecisionRecallCurve(scores: [0.3, 0.1], targets: [false, false]).averagePrecision == 0)
    }

    @Test("the operating point is the precision and recall of score ≥ threshold")
    func operatingPoint() {
        let point = curve.operatingPoint(threshold: 0.75)
        #expect(point.precision == 0.5 && point.recall == 0.5)
        let none = curve.operatingPoint(threshold: 0.95)
        #expect(none.precision == 0 && none.recall == 0)
        #expect(curve.operatingPoint(threshold: 0.5).recall == 1)
    }

    @Test("the SVG has labelled axes with ticks, AP in the legend, and the threshold marker on the curve")
    func svg() throws {
        let svg = SVGChart.precisionRecall(label: "trade", curve: curve, threshold: 0.75)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains(">Recall</text>") && svg.contains(">Precision</text>"))
        for tick in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] { #expect(svg.contains(">\(tick)</text>")) }
        #expect(svg.contains(">AP 0.833</text>"))
        #expect(svg.contains(">threshold 0.75</text>"))
        #expect(svg.contains("precision 0.500, recall 0.500"))
        // The marker's centre must be a vertex of the drawn curve: (recall .5, precision .5).
        let markerPath = try #require(slices(svg, from: "class=\"threshold-marker\" d=\"M", to: "\"").first)
        let numbers = markerPath.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) }
        let centre = (numbers[0], numbers[1] + 7)
        let polyline = try #require(slices(svg, from: "class=\"pr-curve\" points=\"", to: "\"").first)
        let vertices = polyline.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        #expect(vertices.count == curve.points.count)
        let index = try #require(vertices.firstIndex { abs($0[0] - centre.0) < 0.01 && abs($0[1] - centre.1) < 0.01 })
        #expect(curve.points[index].recall == 0.5 && curve.points[index].precision == 0.5)
        // And the first vertex (recall 0, precision 1) is the plot's top-left corner, left of and above the marker.
        #expect(vertices[0][0] < centre.0 && vertices[0][1] < centre.1)
    }

    @Test("a label with no true instances says so instead of drawing a curve")
    func noPositives() {
        let svg = SVGChart.precisionRecall(label: "x", curve: PrecisionRecallCurve(scores: [0.2], targets: [false]), threshold: 0.5)
        #expect(svg.contains("no true instances"))
        #expect(!svg.contains("pr-curve"))
    }
}

@Suite("HTML report: label heat map and worst errors")
struct LabelHeatMapTests {
    let truth: [Set<String>] = [["a"], ["a", "b"], [], ["b"], ["a"], ["b"]]
    let predicted: [Set<String>] = [["a"], ["a"], ["b"], ["b"], [], ["a", "b"]]

    @Test("counts: correct labels on the diagonal, wrong ones off it, none row and column")
    func counts() {
        let confusion = LabelSetConfusion(labels: ["a", "b"], truth: truth, predicted: predicted)
        // a: docs 1, 2 correct, doc 5 got nothing. b: docs 4, 6 correct, doc 6 also wrongly got a;
        // doc 2's b was missed (only lowers b's diagonal share). none: doc 3 wrongly got b.
        #expect(confusion.counts == [[2, 0, 1], [1, 2, 0], [0, 1, 0]])
        #expect(confusion.rowDocuments == [3, 3, 1])
    }

    @Test("the SVG prints every count in its cell, with label and none headings")
    func svg() {
        let svg = SVGChart.labelHeatMap(LabelSetConfusion(labels: ["a", "b"], truth: truth, predicted: predicted))
        #expect(svg.contains("data-row=\"a\" data-column=\"a\" data-count=\"2\""))
        #expect(svg.contains("data-row=\"a\" data-column=\"none\" data-count=\"1\""))
        #expect(svg.contains("data-row=\"b\" data-column=\"a\" data-count=\"1\""))
        #expect(svg.contains("data-row=\"none\" data-column=\"b\" data-count=\"1\""))
        #expect(slices(svg, from: "<g class=\"cell\"", to: "</g>").count == 9)
        #expect(svg.contains(">predicted label →</text>") && svg.contains(">true label →</text>"))
        #expect(svg.contains(">67%</text>"))
    }

    @Test("heat colours darken steadily with the share; text stays readable")
    func colours() {
        func luminance(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            return 0.2126 * Double(v >> 16) + 0.7152 * Double((v >> 8) & 255) + 0.0722 * Double(v & 255)
        }
        let shares = stride(from: 0.0, through: 1.0, by: 0.05).map { Palette.heat($0) }
        for (lighter, darker) in zip(shares, shares.dropFirst()) { #expect(luminance(lighter.fill) > luminance(darker.fill)) }
        for colour in shares { #expect(abs(luminance(colour.fill) - luminance(colour.text)) > 60) }
    }

    @Test("worst false positives have the highest scores, worst false negatives the lowest")
    func worst() {
        let documents = [
            ScoredDocument(id: "1", text: "one", truth: ["a"], predicted: ["a", "b"], probabilities: [0.9, 0.6]),
            ScoredDocument(id: "2", text: "two", truth: [], predicted: ["b"], probabilities: [0.1, 0.95]),
            ScoredDocument(id: "3", text: "three", truth: ["a", "b"], predicted: [], probabilities: [0.3, 0.05]),
        ]
        let fp = LabelError.worst(.falsePositive, documents: documents, labels: ["a", "b"], thresholds: [0.5, 0.5], limit: 10)
        #expect(fp.map(\.document) == [1, 0] && fp.map(\.score) == [0.95, 0.6])
        let fn = LabelError.worst(.falseNegative, documents: documents, labels: ["a", "b"], thresholds: [0.5, 0.5], limit: 1)
        #expect(fn.count == 1 && fn[0].label == 1 && fn[0].score == 0.05)
    }
}

@Suite("HTML report: pages")
struct HTMLReportPageTests {
    static let hostile = "<script>alert('x')</script> & \"quoted\""
    let metadata = ReportMetadata(model: "m<1>.lapis", data: "test & more.jsonl", date: Date(timeIntervalSince1970: 1_704_164_640))

    var classification: ClassificationHTMLReport {
        let documents = [
            ScoredDocument(id: "d1", title: Self.hostile, text: "Body one.", truth: ["trade"], predicted: ["trade", "security"], probabilities: [0.9, 0.7]),
            ScoredDocument(id: "d2", text: "No headline here, so the first words <img src=x onerror=alert(1)> stand in.", truth: ["security"], predicted: [], probabilities: [0.2, 0.3]),
            ScoredDocument(id: "d3", title: "Plain", text: "Body three.", truth: ["trade", "security"], predicted: ["trade", "security"], probabilities: [0.8, 0.6]),
        ]
        let report = ClassificationReport(labels: ["trade", "security"], truth: documents.map(\.truth), predicted: documents.map(\.predicted))
        return ClassificationHTMLReport(report: report, thresholds: [0.5, 0.5], documents: documents, metadata: metadata)
    }

    @Test("HTMLText escapes markup and replaces control characters")
    func escaping() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("a\u{0}b\u{7}c\td") == "a\u{FFFD}b\u{FFFD}c\td")
        #expect(HTMLText.escape("Düsseldorf — 東京") == "Düsseldorf — 東京")
    }

    @Test("the classification page: title with model, data and date, all sections, self-contained, user text escaped")
    func classificationPage() {
        let page = classification.render()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<title>Classification report: m&lt;1&gt;.lapis on test &amp; more.jsonl</title>"))
        #expect(page.contains("<time>2024-01-02 03:04 UTC</time>"))
        #expect(page.contains("default-src 'none'"))
        #expect(slices(page, from: "<svg class=\"chart pr\"", to: "</svg>").count == 2)
        #expect(page.contains("<svg class=\"chart heatmap\""))
        #expect(page.components(separatedBy: "How to read this:").count - 1 == 5)
        // Nothing executable or fetched: no script element, no URL, no src attribute.
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<img") && !page.contains("<link") && !page.contains("url("))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test("the classification page lists the worst errors with score and threshold")
    func worstErrors() throws {
        let page = classification.render()
        let fpSection = try #require(slices(page, from: "<section id=\"false-positives\">", to: "</section>").first)
        #expect(fpSection.contains(">d1</td>") && fpSection.contains("<b>security</b>") && fpSection.contains("0.700"))
        let fnSection = try #require(slices(page, from: "<section id=\"false-negatives\">", to: "</section>").first)
        let rows = slices(fnSection, from: "<tr><td class=\"id\">", to: "</td>")
        #expect(rows == ["d2"])  // only d2's security (0.3) was missed
        #expect(fnSection.contains("No headline here, so the first words"))
    }

    @Test("with four hundred labels the page stays small: the busiest labels in the map and curves, the most confused pairs listed")
    func manyLabels() throws {
        let labels = (0..<400).map { "label\($0)" }
        // Label k has 1 + k % 7 true documents; each is predicted as the next label too.
        var documents: [ScoredDocument] = []
        for (k, label) in labels.enumerated() {
            for copy in 0...(k % 7) {
                var probabilities = [Double](repeating: 0, count: labels.count)
                probabilities[k] = 0.9
                probabilities[(k + 1) % labels.count] = 0.6
                documents.append(ScoredDocument(id: "\(k)-\(copy)", text: "Story.", truth: [label], predicted: [label, labels[(k + 1) % labels.count]], probabilities: probabilities))
            }
        }
        let report = ClassificationReport(labels: labels, truth: documents.map(\.truth), predicted: documents.map(\.predicted))
        let page = ClassificationHTMLReport(report: report, thresholds: [Double](repeating: 0.5, count: labels.count), documents: documents, metadata: metadata).render()
        #expect(page.utf8.count < 1_500_000, "\(page.utf8.count) bytes")
        #expect(slices(page, from: "<svg class=\"chart pr\"", to: "</svg>").count == ClassificationHTMLReport.curveLabelLimit)
        let map = try #require(slices(page, from: "<svg class=\"chart heatmap\"", to: "</svg>").first)
        // The heat map holds limit + 1 rows of limit + 1 cells ("none" included); label6 (7 documents) is among them.
        #expect(slices(map, from: "<g class=\"cell\"", to: "</g>").count == (ClassificationHTMLReport.heatMapLabelLimit + 1) * (ClassificationHTMLReport.heatMapLabelLimit + 1))
        #expect(map.contains("data-row=\"label6\"") && !map.contains("data-row=\"label0\""))
        // Every label is still in the table (beside the micro and macro rows), and the most confused pairs are listed.
        let table = try #require(slices(page, from: "<section id=\"table\">", to: "</section>").first)
        #expect(slices(table, from: "<tr><th scope=\"row\">", to: "</th>").count == labels.count + 2)
        let heat = try #require(slices(page, from: "<section id=\"heatmap\">", to: "</section>").first)
        #expect(heat.contains("<tr><td class=\"text\">label6</td><td class=\"text\">label7</td><td>7</td><td>100%</td></tr>"))
    }

    @Test("the table shows each label's scores, support and threshold")
    func table() throws {
        let page = classification.render()
        let table = try #require(slices(page, from: "<section id=\"table\">", to: "</section>").first)
        // security: TP 1 (d3), FP 1 (d1), FN 1 (d2) → precision .5, recall .5, support 2.
        #expect(table.contains("<tr><th scope=\"row\">security</th><td>0.500</td><td>0.500</td><td>0.500"))
        #expect(table.contains("<td>2</td><td>1</td><td>1</td><td>1</td><td>0.500</td>"))
    }

    @Test("summary stories: picked and reference sentences are found and highlighted in place")
    func summaryPage() throws {
        let sentences = ["First sentence here.", "Second <script>evil()</script> one.", "Third and last."]
        let story = HighlightedStory(id: "s1", title: "A <b>story</b>", sentences: sentences,
                                     summaries: [(method: "lead", lines: ["First  sentence\there.", "Not in the story."]),
                                                 (method: "other", lines: ["Third and last."])],
                                     reference: ["Third and last."])
        #expect(story.picks[0].sentences == [0])
        #expect(story.picks[1].sentences == [2])
        #expect(story.reference == [2])
        #expect(story.unmatched.map(\.source) == ["lead"] && story.unmatched.map(\.line) == ["Not in the story."])

        let scores = RougeScorer().score(candidate: "First sentence here.", reference: "Third and last.")
        let rouge = RougeReport(ids: ["s1"], systems: [.init(name: "lead", scores: [scores]), .init(name: "other", scores: [scores])])
        let page = SummaryHTMLReport(rouge: rouge, stories: [story], metadata: metadata).render()
        #expect(!page.lowercased().contains("<script"))
        #expect(page.contains("Second &lt;script&gt;evil()&lt;/script&gt; one."))
        #expect(page.contains("<h3>A &lt;b&gt;story&lt;/b&gt;</h3>"))
        #expect(page.contains("<mark class=\"s picked p1\">First sentence here.<span class=\"tags\">"))
        #expect(page.contains("<mark class=\"s picked p1 in-ref\">Third and last."))
        #expect(page.contains("<span class=\"s\">Second &lt;script&gt;"))
        #expect(page.contains("<svg class=\"chart rouge\""))
        #expect(page.contains(">F1 × 100</text>") && page.contains(">ROUGE variant</text>"))
        #expect(page.contains("Not in the story."))
    }

    @Test("featured stories: best, middle and worst by mean ROUGE-1 F1")
    func featured() {
        func scores(_ f1: Double) -> RougeScores {
            let s = PrecisionRecallF1(precision: f1, recall: f1, f1: f1)
            return RougeScores(rouge1: s, rouge2: s, rougeL: s, rougeLsum: s)
        }
        let rouge = RougeReport(ids: ["a", "b", "c", "d", "e"], systems: [.init(name: "m", scores: [0.5, 0.9, 0.1, 0.3, 0.7].map(scores))])
        #expect(SummaryHTMLReport.featuredStories(rouge, count: 3) == [1, 0, 2])
        #expect(SummaryHTMLReport.featuredStories(rouge, count: 1) == [1])
        #expect(SummaryHTMLReport.featuredStories(rouge, count: 10).count == 5)
    }
}
