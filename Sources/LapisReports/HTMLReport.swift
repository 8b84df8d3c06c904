import Foundation
import Lapis

/// A classifier evaluation as one self-contained HTML page: the per-label table, a
/// precision-recall curve per label with the model's threshold marked, a true × predicted
/// label heat map, and the worst false positives and false negatives.
///
/// The page has no scripts and loads nothing (its Content-Security-Policy forbids it); the
/// charts are inline SVG, and every string from the data is escaped.
///
/// ```swift
/// let predictions = classifier.predict(documents)
/// let page = ClassificationHTMLReport(classifier: classifier, documents: documents, predictions: predictions,
///                                     metadata: ReportMetadata(model: "topics.lapis", data: "test.jsonl"))
/// try AtomicFile.write(page.render(), to: "report.html")
/// ```
public struct ClassificationHTMLReport: Sendable {
    /// The scores shown in the table.
    public var report: ClassificationReport
    /// Each label's decision threshold, in `report.labels` order.
    public var thresholds: [Double]
    /// The evaluated documents with their probabilities.
    package var documents: [ScoredDocument]
    /// Model, data and date for the title.
    public var metadata: ReportMetadata
    /// How many false positives and false negatives to list.
    public var worstCount: Int

    /// Creates a report from its parts. `documents[i].probabilities` and `thresholds` follow
    /// `report.labels`; `report` should score the same documents' predicted label sets.
    package init(report: ClassificationReport, thresholds: [Double], documents: [ScoredDocument], metadata: ReportMetadata, worstCount: Int = 12) {
        precondition(thresholds.count == report.labels.count, "one threshold per label")
        precondition(documents.allSatisfy { $0.probabilities.count == report.labels.count }, "one probability per label")
        self.report = report
        self.thresholds = thresholds
        self.documents = documents
        self.metadata = metadata
        self.worstCount = worstCount
    }

    /// Creates the report of `classifier`'s `predictions` for labelled `documents` (one
    /// prediction per document, in order).
    ///
    /// True labels the model does not know are listed after the model's, each marked as not in
    /// the model: probability 0 for every story (the model never gives them) and an infinite
    /// threshold, shown as "–".
    public init(classifier: TopicClassifier, documents: [Document], predictions: [TopicPrediction], metadata: ReportMetadata,
                worstCount: Int = 12, averagesOverModelLabelsOnly: Bool = false) {
        precondition(documents.count == predictions.count, "one prediction per document")
        let report = ClassificationReport(labels: classifier.labels, truth: documents.map { Set($0.labels ?? []) },
                                          predicted: predictions.map { Set($0.labels) }, averagesOverModelLabelsOnly: averagesOverModelLabelsOnly)
        let missing = [Double](repeating: 0, count: report.labelsNotInModel.count)
        let scored = zip(documents, predictions).map { document, prediction in
            ScoredDocument(id: document.id, title: document.title, text: document.text, truth: Set(document.labels ?? []),
                           predicted: Set(prediction.labels), probabilities: prediction.probabilities.map(Double.init) + missing)
        }
        self.init(report: report, thresholds: classifier.model.thresholds.map(Double.init) + missing.map { _ in .infinity },
                  documents: scored, metadata: metadata, worstCount: worstCount)
    }

    /// The precision-recall curve of each label, in label order.
    public var curves: [PrecisionRecallCurve] {
        report.labels.indices.map(curve)
    }

    func curve(_ l: Int) -> PrecisionRecallCurve {
        PrecisionRecallCurve(scores: documents.map { $0.probabilities[l] }, targets: documents.map { $0.truth.contains(report.labels[l]) })
    }

    /// Above this many labels the heat map shows only the labels with the most documents,
    /// and the most confused pairs are listed; the page stays a few megabytes at most.
    static let heatMapLabelLimit = 20
    /// Above this many labels only the curves of the labels with the most documents are drawn.
    static let curveLabelLimit = 24

    /// Indices of the `limit` labels with the most true documents (ties: more errors first,
    /// then label order), in label order; every label when there are no more than `limit`.
    func busiestLabels(limit: Int) -> [Int] {
        let labels = report.labels.indices
        guard labels.count > limit else { return Array(labels) }
        let ranked = labels.sorted { a, b in
            let ca = report.counts[a], cb = report.counts[b]
            return (ca.support, ca.falsePositives + ca.falseNegatives, b) > (cb.support, cb.falsePositives + cb.falseNegatives, a)
        }
        return ranked.prefix(limit).sorted()
    }

    /// True × predicted label counts over the documents.
    public var confusion: LabelSetConfusion {
        LabelSetConfusion(labels: report.labels, truth: documents.map(\.truth), predicted: documents.map(\.predicted))
    }

    /// The whole page.
    public func render() -> String {
        let labels = report.labels
        // Every label's average precision goes in the table, but only the drawn curves are
        // kept: with a thousand labels all curves together would hold millions of points.
        let curveLabels = busiestLabels(limit: Self.curveLabelLimit)
        var drawnCurves: [(label: Int, curve: PrecisionRecallCurve)] = []
        var averagePrecision: [Double?] = []
        let drawn = Set(curveLabels)
        for l in labels.indices {
            let curve = curve(l)
            averagePrecision.append(curve.positives == 0 ? nil : curve.averagePrecision)
            if drawn.contains(l) { drawnCurves.append((l, curve)) }
        }
        let scores = report.perLabel
        var body = HTMLPage.header(kind: "Classification report", metadata: metadata)

        let total = max(report.documentCount, 1)
        body += "<section class=\"tiles\">"
            + HTMLPage.tile("documents", "\(report.documentCount)")
            + HTMLPage.tile("micro F1", String(format: "%.3f", report.micro.f1))
            + HTMLPage.tile("macro F1", String(format: "%.3f", report.macro.f1))
            + HTMLPage.tile("exact label set", String(format: "%.1f%%", 100 * Double(report.exactMatches) / Double(total)))
            + "</section>"

        body += "<section id=\"table\"><h2>Per label</h2>"
            + HTMLPage.how("precision is the share of predicted labels that were right, recall the share of true labels that were found, F1 their harmonic mean; support counts the documents truly carrying the label. AP (average precision) sums up the whole precision-recall curve, independent of the threshold.")
        body += "<table class=\"scores\"><thead><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>TP</th><th>FP</th><th>FN</th><th>threshold</th><th>AP</th></tr></thead><tbody>"
        for (l, label) in labels.enumerated() {
            let c = report.counts[l]
            let name = HTMLText.escape(label) + (report.labelsNotInModel.contains(label) ? " <small>(not in the model)</small>" : "")
            body += "<tr><th scope=\"row\">\(name)</th>" + HTMLPage.scoreCells(scores[l])
                + "<td>\(c.support)</td><td>\(c.truePositives)</td><td>\(c.falsePositives)</td><td>\(c.falseNegatives)</td>"
                + "<td>\(HTMLPage.threshold(thresholds[l]))</td><td>\(averagePrecision[l].map { String(format: "%.3f", $0) } ?? "–")</td></tr>"
        }
        let support = report.averagedLabels.reduce(0) { $0 + report.counts[$1].support }
        let meanAP = averagePrecision.compactMap { $0 }
        body += "</tbody><tfoot>"
            + "<tr><th scope=\"row\">micro average</th>" + HTMLPage.scoreCells(report.micro) + "<td>\(support)</td><td colspan=\"5\"></td></tr>"
            + "<tr><th scope=\"row\">macro average</th>" + HTMLPage.scoreCells(report.macro) + "<td>\(support)</td><td colspan=\"4\"></td>"
            + "<td>\(meanAP.isEmpty ? "–" : String(format: "%.3f", meanAP.reduce(0, +) / Double(meanAP.count)))</td></tr>"
            + "</tfoot></table></section>"

        body += "<section id=\"curves\"><h2>Precision-recall curves</h2>"
            + HTMLPage.how("each curve shows precision against recall as the probability threshold moves from 1 down to 0; up and to the right is better. The orange diamond is the model's own threshold (the table's precision and recall); the dashed line is a classifier with no skill (precision = the label's share of documents).")
            + "<div class=\"grid\">"
        for (l, curve) in drawnCurves {
            body += "<figure>" + SVGChart.precisionRecall(label: labels[l], curve: curve, threshold: thresholds[l]) + "</figure>"
        }
        body += "</div>"
        if curveLabels.count < labels.count {
            body += "<p class=\"how\">Curves of the \(curveLabels.count) labels with the most documents; the other \(labels.count - curveLabels.count) labels' average precision is in the table.</p>"
        }
        body += "</section>"

        body += "<section id=\"heatmap\"><h2>True versus predicted labels: where the errors go</h2>"
            + HTMLPage.how("each row is a true label, each column a predicted label, and a cell counts the documents of the row's label that got the column's label; its colour is that count's share of the row's documents. The outlined diagonal holds correct labels (its share is the label's recall); off the diagonal are only wrong labels, so a dark cell there is a confusion worth a look. \u{201C}none\u{201D} is a document with no true label (row) or given no label at all (column); a story with two true labels counts in both rows.")
        let confusion = self.confusion
        let mapLabels = busiestLabels(limit: Self.heatMapLabelLimit)
        if mapLabels.count < labels.count {
            body += "<p class=\"how\">The map shows the \(mapLabels.count) labels with the most documents of \(labels.count); the table below lists the most confused pairs among all of them.</p>"
        }
        body += "<div class=\"heat\">" + SVGChart.labelHeatMap(confusion.restricted(to: mapLabels)) + SVGChart.heatLegend() + "</div>"
        if mapLabels.count < labels.count {
            let names = labels + ["none"]
            body += "<table class=\"errors\"><thead><tr><th class=\"text\">true label</th><th class=\"text\">predicted label</th><th>documents</th><th>share of the true label's documents</th></tr></thead><tbody>"
            for cell in confusion.mostConfused(limit: 30) {
                let share = Double(cell.documents) / Double(max(confusion.rowDocuments[cell.trueLabel], 1))
                body += "<tr><td class=\"text\">\(HTMLText.escape(names[cell.trueLabel]))</td><td class=\"text\">\(HTMLText.escape(names[cell.predictedLabel]))</td>"
                    + "<td>\(cell.documents)</td><td>\(String(format: "%.0f%%", 100 * share))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "</section>"

        for kind in [LabelError.Kind.falsePositive, .falseNegative] {
            let errors = LabelError.worst(kind, documents: documents, labels: labels, thresholds: thresholds, limit: worstCount)
            let isFP = kind == .falsePositive
            body += "<section id=\"\(isFP ? "false-positives" : "false-negatives")\"><h2>Worst false \(isFP ? "positives" : "negatives")</h2>"
                + HTMLPage.how(isFP
                    ? "labels the model gave but the data does not have, the most confident first: score is the model's probability for the label, at or above its threshold."
                    : "labels the data has but the model missed, the least confident first: score is the model's probability for the label, below its threshold.")
            if errors.isEmpty {
                body += "<p class=\"empty\">None.</p></section>"
                continue
            }
            body += "<table class=\"errors\"><thead><tr><th>id</th><th class=\"text\">label</th><th>score</th><th>threshold</th><th class=\"text\">true labels</th><th class=\"text\">predicted</th><th class=\"text\">headline or first words</th></tr></thead><tbody>"
            for error in errors {
                let document = documents[error.document]
                body += "<tr><td class=\"id\">\(HTMLText.escape(document.id))</td><td class=\"text\"><b>\(HTMLText.escape(labels[error.label]))</b></td>"
                    + "<td class=\"score\">\(HTMLPage.scoreBar(error.score, threshold: error.threshold))</td><td>\(HTMLPage.threshold(error.threshold))</td>"
                    + "<td class=\"text\">\(HTMLPage.labelList(document.truth, order: labels))</td><td class=\"text\">\(HTMLPage.labelList(document.predicted, order: labels))</td>"
                    + "<td class=\"text caption\">\(HTMLText.escape(document.caption()))</td></tr>"
            }
            body += "</tbody></table></section>"
        }
        return HTMLPage.document(title: "Classification report: \(metadata.model) on \(metadata.data)", body: body)
    }
}

/// A summarizer evaluation as one self-contained HTML page: ROUGE per method (table and
/// bars) and a few stories with each method's picked sentences highlighted in place.
public struct SummaryHTMLReport: Sendable {
    /// ROUGE of every method over the same stories.
    public var rouge: RougeReport
    /// The stories shown with highlights.
    var stories: [HighlightedStory]
    /// Methods (or candidate field), data and date for the title.
    public var metadata: ReportMetadata

    /// Creates a report from ready highlighted stories.
    init(rouge: RougeReport, stories: [HighlightedStory], metadata: ReportMetadata) {
        self.rouge = rouge
        self.stories = stories
        self.metadata = metadata
    }

    /// Creates a report and chooses `storyCount` stories to show: the best, the worst and
    /// evenly spaced ones between, ranked by ROUGE-1 F1 averaged over the methods.
    /// `summaries[system][story]` and `references[story]` hold one sentence per line.
    public init(rouge: RougeReport, documents: [Document], summaries: [[String]], references: [String], metadata: ReportMetadata, storyCount: Int = 3) {
        precondition(summaries.count == rouge.systems.count && references.count == documents.count, "one summary per system and story")
        let splitter = SentenceSplitter()
        let stories = Self.featuredStories(rouge, count: storyCount).map { index in
            let document = documents[index]
            return HighlightedStory(id: document.id, title: document.title, sentences: splitter.sentences(document.text),
                                    summaries: rouge.systems.indices.map { (method: rouge.systems[$0].name, lines: Self.lines(summaries[$0][index])) },
                                    reference: Self.lines(references[index]))
        }
        self.init(rouge: rouge, stories: stories, metadata: metadata)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Indices of the stories to show, best first.
    static func featuredStories(_ rouge: RougeReport, count: Int) -> [Int] {
        let n = rouge.ids.count
        guard n > 0, count > 0, !rouge.systems.isEmpty else { return [] }
        let mean = (0..<n).map { story in rouge.systems.map { $0.scores[story].rouge1.f1 }.reduce(0, +) / Double(rouge.systems.count) }
        let ranked = mean.indicesByDescendingValue()
        // With one story to show (or one story at all) there is no spread to sample: k/(m − 1)
        // below would be 0/0.
        guard count > 1, n > 1 else { return [ranked[0]] }
        var picked: [Int] = []
        for k in 0..<min(count, n) {
            let position = Int((Double(k) * Double(n - 1) / Double(min(count, n) - 1)).rounded())
            if !picked.contains(ranked[position]) { picked.append(ranked[position]) }
        }
        return picked
    }

    /// The whole page.
    public func render() -> String {
        var body = HTMLPage.header(kind: "Summary report", metadata: metadata, modelLabel: "methods")
        let means = rouge.systems.map { RougeScores.mean($0.scores) }
        let metricNames = ["ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum"]
        let paths: [KeyPath<RougeScores, PrecisionRecallF1>] = [\.rouge1, \.rouge2, \.rougeL, \.rougeLsum]
        let f1s = means.map { mean in paths.map { mean[keyPath: $0].f1 } }

        body += "<section class=\"tiles\">" + HTMLPage.tile("stories", "\(rouge.ids.count)") + HTMLPage.tile("methods", "\(rouge.systems.count)")
        if let best = means.indices.max(by: { means[$0].rouge1.f1 < means[$1].rouge1.f1 }) {
            body += HTMLPage.tile("best ROUGE-1 F1", String(format: "%.2f", 100 * means[best].rouge1.f1), note: rouge.systems[best].name)
        }
        body += "</section>"

        body += "<section id=\"rouge\"><h2>ROUGE per method</h2>"
            + HTMLPage.how("each score compares a method's summaries with the reference summaries (F1 × 100, mean over the stories; higher is better). ROUGE-1 and ROUGE-2 count shared words and word pairs, ROUGE-L the longest common word sequence, ROUGE-Lsum the same sentence by sentence. The best score in each column is bold.")
            + "<table class=\"scores\"><thead><tr><th>method</th>" + metricNames.map { "<th>\($0) F1</th>" }.joined()
            + "<th>ROUGE-1 recall</th><th>ROUGE-1 precision</th></tr></thead><tbody>"
        for (k, system) in rouge.systems.enumerated() {
            body += "<tr><th scope=\"row\">\(HTMLPage.methodSwatch(k))\(HTMLText.escape(system.name))</th>"
            for m in paths.indices {
                let isBest = f1s.allSatisfy { $0[m] <= f1s[k][m] }
                body += "<td>\(isBest ? "<b>" : "")\(String(format: "%.2f", 100 * f1s[k][m]))\(isBest ? "</b>" : "")</td>"
            }
            body += "<td>\(String(format: "%.2f", 100 * means[k].rouge1.recall))</td><td>\(String(format: "%.2f", 100 * means[k].rouge1.precision))</td></tr>"
        }
        body += "</tbody></table>"
            + "<figure class=\"wide\">" + SVGChart.rougeBars(methods: rouge.systems.map(\.name), metrics: metricNames, values: f1s) + "</figure></section>"

        body += "<section id=\"stories\"><h2>Stories with the picked sentences</h2>"
            + HTMLPage.how("the best, the worst and middling stories by ROUGE-1. Each story is shown whole; a sentence a method picked is shaded (darker when more methods agree) and tagged with the methods' coloured tags; reference sentences are underlined and tagged \u{201C}ref\u{201D}.")
            + "<p class=\"legend\">" + rouge.systems.indices.map { HTMLPage.methodTag($0, rouge.systems[$0].name) }.joined(separator: " ")
            + " <span class=\"tag ref\">ref</span> reference sentence</p>"
        for story in stories {
            let index = rouge.ids.firstIndex(of: story.id)
            body += "<article class=\"story\"><h3>\(HTMLText.escape(story.title ?? story.id))</h3><p class=\"story-meta\">id <code>\(HTMLText.escape(story.id))</code>"
            if let index {
                body += " · ROUGE-1 F1: " + rouge.systems.map { "\(HTMLText.escape($0.name)) \(String(format: "%.1f", 100 * $0.scores[index].rouge1.f1))" }.joined(separator: ", ")
            }
            body += "</p><p class=\"story-text\">"
            let methodCount = max(story.picks.count, 1)
            for (s, sentence) in story.sentences.enumerated() {
                let pickers = story.picks.indices.filter { story.picks[$0].sentences.contains(s) }
                let isReference = story.reference.contains(s)
                var classes = ["s"]
                // Shade: one method, several, or all of them (when there are several).
                if !pickers.isEmpty { classes.append("picked p\(pickers.count == 1 ? 1 : pickers.count == methodCount ? 3 : 2)") }
                if isReference { classes.append("in-ref") }
                let tags = pickers.map { HTMLPage.methodTag($0, story.picks[$0].method) }.joined()
                    + (isReference ? "<span class=\"tag ref\">ref</span>" : "")
                let text = HTMLText.escape(sentence)
                body += pickers.isEmpty && !isReference
                    ? "<span class=\"s\">\(text)</span> "
                    : "<mark class=\"\(classes.joined(separator: " "))\">\(text)\(tags.isEmpty ? "" : "<span class=\"tags\">\(tags)</span>")</mark> "
            }
            body += "</p>"
            if !story.unmatched.isEmpty {
                body += "<p class=\"unmatched\">Not sentences of the story as split: "
                    + story.unmatched.map { "<b>\(HTMLText.escape($0.source))</b>: \u{201C}\(HTMLText.escape($0.line))\u{201D}" }.joined(separator: "; ") + "</p>"
            }
            body += "</article>"
        }
        if stories.isEmpty { body += "<p class=\"empty\">No stories to show.</p>" }
        body += "</section>"
        return HTMLPage.document(title: "Summary report: \(metadata.model) on \(metadata.data)", body: body)
    }
}

/// The page frame and the small HTML pieces both reports share.
enum HTMLPage {
    static let style = """
    :root{color-scheme:light}
    *{box-sizing:border-box}
    body{margin:0;background:#f4f5f7;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans","DejaVu Sans",Arial,sans-serif}
    main{max-width:1200px;margin:0 auto;padding:26px 32px 40px}
    header h1{font-size:26px;margin:0 0 2px;letter-spacing:-.01em}
    header .meta{margin:0;color:#4b5563}
    header .meta b{color:#1f2328;font-weight:600;word-break:break-all}
    section{background:#fff;border:1px solid #dfe2e7;border-radius:10px;padding:18px 22px;margin-top:16px}
    section.tiles{display:flex;gap:14px;background:none;border:0;padding:0}
    .tile{flex:1;background:#fff;border:1px solid #dfe2e7;border-radius:10px;padding:12px 16px}
    .tile .k{color:#4b5563;font-size:13px;text-transform:uppercase;letter-spacing:.04em}
    .tile .v{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
    .tile .n{color:#4b5563;font-size:13px;margin-left:6px}
    h2{font-size:19px;margin:0 0 2px}
    h3{font-size:16px;margin:0}
    p.how{color:#4b5563;margin:0 0 12px;font-size:13.5px;max-width:980px}
    p.how b{color:#1f2328}
    table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
    th,td{padding:6px 10px;border-bottom:1px solid #eceef1;text-align:right;vertical-align:top}
    thead th{font-size:13px;color:#4b5563;font-weight:600;border-bottom:2px solid #d0d4da}
    tbody th,tfoot th{text-align:left;font-weight:600}
    tfoot th,tfoot td{border-bottom:0;color:#374151}
    tfoot tr:first-child th,tfoot tr:first-child td{border-top:2px solid #d0d4da}
    th:first-child,td:first-child,.text{text-align:left}
    td.id{white-space:nowrap;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px}
    td.caption{color:#374151}
    td.score{white-space:nowrap}
    .f1bar{display:inline-block;height:8px;background:#0072B2;border-radius:2px;margin-left:8px;vertical-align:middle}
    .sbar{display:inline-block;position:relative;width:70px;height:8px;background:#eceef1;border-radius:2px;margin-left:8px;vertical-align:middle}
    .sbar i{position:absolute;left:0;top:0;bottom:0;background:#56B4E9;border-radius:2px}
    .sbar u{position:absolute;top:-3px;bottom:-3px;width:2px;background:#D55E00}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:8px 24px}
    figure{margin:0}
    svg.chart{max-width:100%;height:auto;font-family:inherit;display:block}
    .heat{display:flex;flex-wrap:wrap;align-items:flex-end;gap:24px}
    .empty{color:#4b5563}
    .legend{font-size:13.5px;color:#374151}
    .tag{display:inline-block;font-size:11px;font-weight:700;line-height:1;padding:3px 5px;border-radius:4px;color:#fff;margin-left:3px;vertical-align:2px;font-style:normal}
    .tag.ref{background:#fff;color:#1f2328;border:1.5px solid #1f2328;padding:2px 4px}
    .legend .tag{margin:0 4px 0 10px}
    .swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px}
    article.story{border-top:1px solid #eceef1;padding-top:12px;margin-top:12px}
    .story-meta{margin:0 0 6px;color:#4b5563;font-size:13px}
    .story-text{margin:0;max-width:1020px;line-height:1.75}
    mark{background:none;color:inherit;padding:1px 0}
    mark.p1{background:#fdf1c7}
    mark.p2{background:#f9dc84}
    mark.p3{background:#f2c14e}
    mark.in-ref{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px}
    .unmatched{font-size:13px;color:#4b5563}
    footer{color:#6b7280;font-size:12.5px;margin-top:18px}
    """

    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <main>
        \(body)
        <footer>Written by <code>lapis evaluate --report</code>. One self-contained file: no scripts, nothing loaded from elsewhere.</footer>
        </main>
        </body>
        </html>

        """
    }

    static func header(kind: String, metadata: ReportMetadata, modelLabel: String = "model") -> String {
        "<header><h1>\(HTMLText.escape(kind))</h1><p class=\"meta\">\(modelLabel) <b class=\"model\">\(HTMLText.escape(metadata.model))</b> · data <b class=\"data\">\(HTMLText.escape(metadata.data))</b> · <time>\(metadata.dateText)</time></p></header>"
    }

    static func how(_ text: String) -> String {
        "<p class=\"how\"><b>How to read this:</b> \(HTMLText.escape(text))</p>"
    }

    static func tile(_ key: String, _ value: String, note: String? = nil) -> String {
        "<div class=\"tile\"><div class=\"k\">\(HTMLText.escape(key))</div><div class=\"v\">\(HTMLText.escape(value))"
            + (note.map { "<span class=\"n\">\(HTMLText.escape($0))</span>" } ?? "") + "</div></div>"
    }

    static func scoreCells(_ scores: PrecisionRecallF1) -> String {
        "<td>\(String(format: "%.3f", scores.precision))</td><td>\(String(format: "%.3f", scores.recall))</td>"
            + "<td>\(String(format: "%.3f", scores.f1))<span class=\"f1bar\" style=\"width:\(SVG.n(60 * min(max(scores.f1, 0), 1)))px\"></span></td>"
    }

    /// The score as a number and a small bar with the threshold as a tick.
    /// A threshold to three decimals; "–" for a label the model does not have (infinite).
    static func threshold(_ value: Double) -> String {
        value.isFinite ? String(format: "%.3f", value) : "–"
    }

    static func scoreBar(_ score: Double, threshold: Double) -> String {
        String(format: "%.3f", score) + "<span class=\"sbar\"><i style=\"width:\(SVG.n(70 * min(max(score, 0), 1)))px\"></i>"
            + "<u style=\"left:\(SVG.n(70 * min(max(threshold, 0), 1) - 1))px\"></u></span>"
    }

    static func labelList(_ labels: Set<String>, order: [String]) -> String {
        let known = order.filter(labels.contains) + labels.subtracting(order).sorted()
        return known.isEmpty ? "<span class=\"empty\">none</span>" : HTMLText.escape(known.joined(separator: ", "))
    }

    static func methodColour(_ index: Int) -> String { Palette.categorical[index % Palette.categorical.count] }

    static func methodSwatch(_ index: Int) -> String {
        "<span class=\"swatch\" style=\"background:\(methodColour(index))\"></span>"
    }

    /// A method's tag; text is black on the light Okabe-Ito colours, white on the dark ones.
    static func methodTag(_ index: Int, _ name: String) -> String {
        let colour = methodColour(index)
        let light = ["#E69F00", "#56B4E9", "#F0E442", "#CC79A7"].contains(colour)
        return "<span class=\"tag\" style=\"background:\(colour);color:\(light ? "#111" : "#fff")\" title=\"\(HTMLText.escape(name))\">\(HTMLText.escape(name))</span>"
    }
}
