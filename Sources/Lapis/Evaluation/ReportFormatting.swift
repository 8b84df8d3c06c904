import Foundation

extension ClassificationReport {
    /// A table for people: one row per label with precision, recall, F1, support and confusion
    /// counts, then the micro and macro averages.
    public func table() -> String {
        let width = max(12, (labels.map(\.count).max() ?? 0) + 2)
        func pad(_ text: String, _ size: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return left ? text + padding : padding + text
        }
        func row(_ name: String, _ scores: PrecisionRecallF1, support: Int?, counts: ConfusionCounts?) -> String {
            var line = pad(name, width, left: true)
            for value in [scores.precision, scores.recall, scores.f1] { line += pad(String(format: "%.3f", value), 10) }
            line += pad(support.map(String.init) ?? "", 9)
            if let counts {
                line += pad("\(counts.truePositives)", 7) + pad("\(counts.falsePositives)", 7) + pad("\(counts.falseNegatives)", 7)
            }
            return line
        }
        var lines = [pad("label", width, left: true) + pad("precision", 10) + pad("recall", 10) + pad("f1", 10)
                     + pad("support", 9) + pad("TP", 7) + pad("FP", 7) + pad("FN", 7)]
        for (index, label) in labels.enumerated() {
            var line = row(label, perLabel[index], support: counts[index].support, counts: counts[index])
            if labelsNotInModel.contains(label) { line += "  (not in the model)" }
            lines.append(line)
        }
        lines.append("")
        let totalSupport = averagedLabels.reduce(0) { $0 + counts[$1].support }
        lines.append(row("micro avg", micro, support: totalSupport, counts: nil))
        lines.append(row("macro avg", macro, support: totalSupport, counts: nil))
        lines.append(row("weighted avg", weighted, support: totalSupport, counts: nil))
        lines.append(row("samples avg", samples, support: totalSupport, counts: nil))
        lines.append("")
        if !labelsNotInModel.isEmpty {
            lines.append(averagedLabels.count == labels.count
                         ? "averages over the model's labels and the \(labelsNotInModel.count) label(s) of the data it does not know"
                         : "averages over the model's \(averagedLabels.count) labels only")
        }
        lines.append("\(documentCount) documents, \(exactMatches) with exactly the true label set (\(String(format: "%.1f", 100 * exactMatchRate))%)")
        lines.append(isSingleLabel
                     ? "accuracy \(String(format: "%.4f", exactMatchRate)) (every document has one true label)"
                     : "exact match \(String(format: "%.4f", exactMatchRate)), Hamming loss \(String(format: "%.4f", hammingLoss))")
        return lines.joined(separator: "\n")
    }

    /// The report as JSON: `{"micro", "macro", "weighted", "samples": {"precision", "recall",
    /// "f1"}, "labels": {name: {...}}, "documents", "exact_matches", "accuracy" (the exact-match
    /// rate), "hamming_loss", "single_label", "averaged_labels"}`. With `ranking` (each label's
    /// average precision and threshold, by name) those are added to the labels' entries.
    public func json(ranking: [String: LabelRanking] = [:]) -> String {
        func triple(_ scores: PrecisionRecallF1) -> String {
            "\"precision\": \(JSONText.number(scores.precision)), \"recall\": \(JSONText.number(scores.recall)), \"f1\": \(JSONText.number(scores.f1))"
        }
        let labelEntries = labels.indices.map { index -> String in
            let c = counts[index]
            return "\(JSONText.string(labels[index])): {\(triple(perLabel[index])), \"support\": \(c.support), "
                + "\"true_positives\": \(c.truePositives), \"false_positives\": \(c.falsePositives), \"false_negatives\": \(c.falseNegatives), "
                + "\"in_model\": \(!labelsNotInModel.contains(labels[index]))"
                + (ranking[labels[index]].map { ", \"average_precision\": \(JSONText.number($0.averagePrecision)), \"threshold\": \(JSONText.number($0.threshold))" } ?? "")
                + "}"
        }
        let averaged = "[" + averagedLabels.map { JSONText.string(labels[$0]) }.joined(separator: ", ") + "]"
        return "{\"micro\": {\(triple(micro))}, \"macro\": {\(triple(macro))}, \"weighted\": {\(triple(weighted))}, \"samples\": {\(triple(samples))}, "
            + "\"labels\": {\(labelEntries.joined(separator: ", "))}, \"documents\": \(documentCount), \"exact_matches\": \(exactMatches), "
            + "\"accuracy\": \(JSONText.number(exactMatchRate)), \"hamming_loss\": \(JSONText.number(hammingLoss)), \"single_label\": \(isSingleLabel), "
            + "\"averaged_labels\": \(averaged)}"
    }
}

/// ROUGE results of one or more summarizers over the same stories.
public struct RougeReport: Sendable {
    /// One summarizer's scores, one per story.
    public struct System: Sendable {
        public var name: String
        public var scores: [RougeScores]

        /// Creates a system's results.
        public init(name: String, scores: [RougeScores]) {
            self.name = name
            self.scores = scores
        }
    }

    /// Story ids, in order.
    public var ids: [String]
    /// The systems compared.
    public var systems: [System]

    /// Creates a report.
    public init(ids: [String], systems: [System]) {
        self.ids = ids
        self.systems = systems
    }

    /// A table of mean F1 × 100 per system.
    public func table() -> String {
        let width = max(12, (systems.map(\.name.count).max() ?? 0) + 2)
        func pad(_ text: String, _ size: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return left ? text + padding : padding + text
        }
        var lines = [pad("method", width, left: true) + pad("ROUGE-1", 10) + pad("ROUGE-2", 10) + pad("ROUGE-L", 10) + pad("ROUGE-Lsum", 12)]
        for system in systems {
            let mean = RougeScores.mean(system.scores)
            lines.append(pad(system.name, width, left: true)
                         + [mean.rouge1, mean.rouge2, mean.rougeL].map { pad(String(format: "%.2f", 100 * $0.f1), 10) }.joined()
                         + pad(String(format: "%.2f", 100 * mean.rougeLsum.f1), 12))
        }
        lines.append("")
        lines.append("F1 × 100, mean over \(ids.count) stories; rouge-score tokenisation with Porter stemming")
        return lines.joined(separator: "\n")
    }

    /// JSON: `{"methods": {name: {"rouge1": {...}, ..., "stories_count", "stories": [...]?}}}`
    /// for any number of systems; with exactly one, its figures are repeated at the top level
    /// (the shape of earlier versions, kept so their scripts keep working).
    public func json(perStory: Bool) -> String {
        func triple(_ s: PrecisionRecallF1) -> String {
            "{\"precision\": \(JSONText.number(s.precision, decimals: 8)), \"recall\": \(JSONText.number(s.recall, decimals: 8)), \"f1\": \(JSONText.number(s.f1, decimals: 8))}"
        }
        func scores(_ s: RougeScores) -> String {
            "\"rouge1\": \(triple(s.rouge1)), \"rouge2\": \(triple(s.rouge2)), \"rougeL\": \(triple(s.rougeL)), \"rougeLsum\": \(triple(s.rougeLsum))"
        }
        func body(_ system: System) -> String {
            var text = "{" + scores(RougeScores.mean(system.scores)) + ", \"stories_count\": \(system.scores.count)"
            if perStory {
                let stories = zip(ids, system.scores).map { "{\"id\": \(JSONText.string($0.0)), \(scores($0.1))}" }
                text += ", \"stories\": [" + stories.joined(separator: ", ") + "]"
            }
            return text + "}"
        }
        let methods = "\"methods\": {" + systems.map { "\(JSONText.string($0.name)): \(body($0))" }.joined(separator: ", ") + "}"
        // One shape whatever the number of systems: "methods". With one system its figures also
        // stay at the top level, where versions before 0.2 put them (scripts read them there).
        guard systems.count == 1 else { return "{" + methods + "}" }
        return "{" + methods + ", " + body(systems[0]).dropFirst()

    }
}

/// How well one label's scores rank the documents that carry it: its average precision, and
/// the threshold the model applies to it.
public struct LabelRanking: Sendable, Equatable {
    /// Average precision of the label's scores (area under its precision-recall curve).
    public var averagePrecision: Double
    /// The model's decision threshold for the label.
    public var threshold: Double

    /// Creates the figures.
    public init(averagePrecision: Double, threshold: Double) {
        self.averagePrecision = averagePrecision
        self.threshold = threshold
    }

    /// Each model label's ranking figures from the documents' probabilities (`probabilities[d][l]`
    /// in `labels` order) and true label sets.
    public static func of(labels: [String], thresholds: [Float], probabilities: [[Float]], truth: [Set<String>]) -> [String: LabelRanking] {
        var result: [String: LabelRanking] = [:]
        for (index, label) in labels.enumerated() {
            let curve = PrecisionRecallCurve(scores: probabilities.map { Double($0[index]) }, targets: truth.map { $0.contains(label) })
            result[label] = LabelRanking(averagePrecision: curve.averagePrecision, threshold: Double(thresholds[index]))
        }
        return result
    }
}

/// Ranking quality at a cut-off: how many of each document's `k` most probable labels are
/// true (precision@k), and how many of its true labels they find (recall@k).
public struct RankingAtK: Sendable, Equatable {
    /// The cut-off.
    public let k: Int
    /// Mean over documents of |top k ∩ truth| / k.
    public let precision: Double
    /// Mean over documents with a true label of |top k ∩ truth| / |truth|.
    public let recall: Double

    /// Measures `probabilities[d][l]` (in `labels` order) against true label sets.
    public init(k: Int, labels: [String], probabilities: [[Float]], truth: [Set<String>]) {
        precondition(k >= 1 && probabilities.count == truth.count, "k ≥ 1 and one truth per document")
        self.k = k
        var precisionSum = 0.0, recallSum = 0.0, withTruth = 0
        for (scores, actual) in zip(probabilities, truth) {
            let top = Set(scores.indicesByDescendingValue().prefix(k).map { labels[$0] })
            let hits = Double(top.intersection(actual).count)
            precisionSum += hits / Double(k)
            if !actual.isEmpty { recallSum += hits / Double(actual.count); withTruth += 1 }
        }
        precision = probabilities.isEmpty ? 0 : precisionSum / Double(probabilities.count)
        recall = withTruth == 0 ? 0 : recallSum / Double(withTruth)
    }
}
