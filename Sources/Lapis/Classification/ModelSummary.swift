import Foundation

/// A readable account of a trained ``TopicClassifier``.
public struct ModelSummary: Sendable {
    let classifier: TopicClassifier

    /// Summarises `classifier`.
    public init(_ classifier: TopicClassifier) { self.classifier = classifier }

    /// The features with the largest positive and negative weights for `label`.
    public func topFeatures(label: String, count: Int) -> (positive: [(String, Float)], negative: [(String, Float)]) {
        guard let labelIndex = classifier.labels.firstIndex(of: label) else { return ([], []) }
        let labelCount = classifier.labels.count
        let terms = classifier.vectorizer.vocabulary.terms
        let weighted = terms.indices.map { (terms[$0], classifier.model.weights[$0 * labelCount + labelIndex]) }
        let sorted = weighted.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return (Array(sorted.prefix(count).filter { $0.1 > 0 }), Array(sorted.reversed().prefix(count).filter { $0.1 < 0 }))
    }

    /// The whole summary as text.
    public func text(topFeatures count: Int) -> String {
        let options = classifier.options
        let analyzer = options.analyzer
        var lines = [
            "labels:        \(classifier.labels.joined(separator: ", "))",
            "vocabulary:    \(classifier.vectorizer.vocabulary.count) terms (n-grams \(analyzer.ngramRange.lowerBound)-\(analyzer.ngramRange.upperBound), stemming \(analyzer.stems ? "on" : "off"), stop words \(analyzer.removesStopWords ? "removed" : "kept"))",
            "options:       C=\(options.logistic.c), class weight \(options.logistic.classWeighting.rawValue)\(Self.stoppingRule(options.logistic)), min_df \(options.vocabulary.minDocumentCount), max_df \(options.vocabulary.maxDocumentFraction), threshold folds \(options.thresholdFolds)\(options.thresholdRepeats == 1 ? "" : " × \(options.thresholdRepeats) runs")\(options.foldIterations.map { " (fold fits ≤ \($0) iterations)" } ?? ""), threshold beta \(options.thresholdBeta), title weight \(options.titleRepeats), seed \(options.seed)\(options.passageSentences.map { ", passages of \($0) sentences averaged with the whole story" } ?? "")",
            "training data: \(classifier.provenance.documents) documents, fingerprint \(classifier.provenance.dataFingerprint)",
        ]
        if !analyzer.phraseGroups.isEmpty {
            let groups = analyzer.phraseGroups.groups.map { "\($0.term) (\($0.phrases.count) phrases)" }
            lines.append("phrases:       \(groups.joined(separator: ", ")) marked by their group's term")
        }
        if let titled = classifier.provenance.documentsWithTitles {
            lines.append("titles:        \(titled) of \(classifier.provenance.documents) training documents had one")
        }
        if let fields = classifier.provenance.fields {
            lines.append("fields:        id '\(fields.id)', title '\(fields.title)', text '\(fields.text)'" + (fields.labels.map { ", labels '\($0)'" } ?? "")
                         + " (classify and evaluate read these unless told otherwise)")
        }
        if classifier.model.singleLabel {
            lines.append("decision:      the most probable label (single-label, --multiclass); thresholds unused")
        }
        lines += classifier.labelWarnings.map { "warning:       " + $0 }
        lines.append("")
        for (index, label) in classifier.labels.enumerated() {
            let support = classifier.provenance.labelCounts[label] ?? 0
            lines.append("\(label): threshold \(String(format: "%.3f", classifier.model.thresholds[index])), bias \(String(format: "%.3f", classifier.model.biases[index])), \(support) training documents")
            if count > 0 {
                let (positive, negative) = topFeatures(label: label, count: count)
                lines.append("  + " + positive.map { "\($0.0) (\(String(format: "%.2f", $0.1)))" }.joined(separator: ", "))
                lines.append("  - " + negative.map { "\($0.0) (\(String(format: "%.2f", $0.1)))" }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The optimiser's stopping rule when it is not the default one (so summaries of models
    /// trained with the defaults read as they always have).
    static func stoppingRule(_ logistic: LogisticRegression) -> String {
        let defaults = LogisticRegression(solver: logistic.solver)
        var parts: [String] = []
        if logistic.solver != .lbfgs { parts.append("solver \(logistic.solver.rawValue)") }
        if logistic.maxIterations != defaults.maxIterations { parts.append("≤ \(logistic.maxIterations) iterations") }
        if logistic.tolerance != defaults.tolerance { parts.append("tolerance \(logistic.tolerance)") }
        return parts.isEmpty ? "" : ", fits " + parts.joined(separator: ", ")
    }

    /// The whole summary as one JSON object: {"labels", "vocabulary_size", "options" (as stored
    /// in the model), "training_data": {"documents", "fingerprint", "label_counts",
    /// "documents_with_titles"?, "fields"?},
    /// "label_details": {label: {"threshold", "bias", "support", "positive", "negative"}}}.
    public func json(topFeatures count: Int) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let options = String(decoding: try encoder.encode(classifier.options), as: UTF8.self)
        let provenance = classifier.provenance
        func features(_ list: [(String, Float)]) -> String {
            "[" + list.map { "{\"term\": \(JSONText.string($0.0)), \"weight\": \(JSONText.number(Double($0.1)))}" }.joined(separator: ", ") + "]"
        }
        let details = classifier.labels.enumerated().map { index, label in
            let (positive, negative) = topFeatures(label: label, count: count)
            return "\(JSONText.string(label)): {\"threshold\": \(JSONText.number(Double(classifier.model.thresholds[index]))), "
                + "\"bias\": \(JSONText.number(Double(classifier.model.biases[index]))), \"support\": \(provenance.labelCounts[label] ?? 0), "
                + "\"positive\": \(features(positive)), \"negative\": \(features(negative))}"
        }
        let counts = classifier.labels.map { "\(JSONText.string($0)): \(provenance.labelCounts[$0] ?? 0)" }
        var trainingData = "\"documents\": \(provenance.documents), \"fingerprint\": \(JSONText.string(provenance.dataFingerprint)), \"label_counts\": {\(counts.joined(separator: ", "))}"
        if let titled = provenance.documentsWithTitles { trainingData += ", \"documents_with_titles\": \(titled)" }
        if let fields = provenance.fields {
            trainingData += ", \"fields\": {\"id\": \(JSONText.string(fields.id)), \"title\": \(JSONText.string(fields.title)), \"text\": \(JSONText.string(fields.text))"
                + (fields.labels.map { ", \"labels\": \(JSONText.string($0))" } ?? "") + "}"
        }
        return "{\"labels\": [\(classifier.labels.map(JSONText.string).joined(separator: ", "))], "
            + "\"vocabulary_size\": \(classifier.vectorizer.vocabulary.count), \"options\": \(options), "
            + "\"training_data\": {\(trainingData)}, "
            + "\"label_details\": {\(details.joined(separator: ", "))}}"
    }
}
