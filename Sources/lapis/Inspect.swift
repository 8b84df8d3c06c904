import ArgumentParser
import Foundation
import Lapis

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a model holds: labels, vocabulary, options, thresholds, top features, training data.",
        discussion: """
        A sentence-scorer model (from train-summarizer) shows its selection rule and feature
        weights instead; --json: {"kind": "sentence-scorer", "length_exponent", "redundancy_penalty",
        "bias", "features": [{"name", "weight", "mean", "deviation"}]}, largest |weight| first.

        --json prints {"labels": [...], "vocabulary_size": N, "options": {...as stored in the model},
        "training_data": {"documents", "fingerprint", "label_counts"}, "label_details": {"label":
        {"threshold", "bias", "support", "positive": [{"term", "weight"}], "negative": [...]}}}.

        Examples:
          lapis inspect              (the built-in model)
          lapis inspect topics.lapis --top 20
          lapis inspect topics.lapis --json | jq '.label_details.trade.positive'
          lapis inspect summarizer.lapis
        """
    )

    @Argument(help: "Model file (default: the built-in model).")
    var model: String?

    @Option(name: .long, help: "Features to list per label and direction.")
    var top: Int = 10

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let classifier: TopicClassifier
        do {
            classifier = try model.map { try TopicClassifier.load(path: $0) } ?? TopicClassifier.loadDefault()
        } catch LapisError.invalidModel(let path, .wrongKind(let found, _)) where found == "sentence-scorer" {
            let summarizer = try SupervisedSummarizer.load(path: path)
            try Output.standardOutput((json ? summarizerJSON(summarizer) : summarizerText(summarizer)) + "\n")
            return
        }
        try Output.standardOutput((json ? try jsonSummary(classifier) : ModelSummary(classifier).text(topFeatures: top)) + "\n")
    }

    /// Features by weight, largest magnitude first (weights are on standardised features, so comparable).
    func rankedFeatures(_ summarizer: SupervisedSummarizer) -> [Int] {
        summarizer.weights.indices.sorted { abs(summarizer.weights[$0]) > abs(summarizer.weights[$1]) }
    }

    func summarizerText(_ summarizer: SupervisedSummarizer) -> String {
        let names = SupervisedSummarizer.featureNames
        let width = names.map(\.count).max() ?? 0
        var lines = [
            "sentence scorer (lapis train-summarizer), used by: lapis summarize --model \(model ?? "")",
            "selection:     P(summary) × words^\(Output.number(summarizer.lengthExponent, decimals: 2)), MMR redundancy penalty \(Output.number(summarizer.redundancyPenalty, decimals: 2))",
            "bias:          \(Output.number(summarizer.bias))",
            "feature weights (standardised features), largest first:",
        ]
        for index in rankedFeatures(summarizer) {
            let name = names[index].padding(toLength: width, withPad: " ", startingAt: 0)
            let weight = summarizer.weights[index]
            lines.append("  \(name)  \(weight >= 0 ? "+" : "")\(Output.number(weight))   (mean \(Output.number(summarizer.means[index])), sd \(Output.number(summarizer.deviations[index])))")
        }
        return lines.joined(separator: "\n")
    }

    func summarizerJSON(_ summarizer: SupervisedSummarizer) -> String {
        let names = SupervisedSummarizer.featureNames
        let features = rankedFeatures(summarizer).map { index in
            "{\"name\": \(Output.json(names[index])), \"weight\": \(Output.number(summarizer.weights[index])), "
                + "\"mean\": \(Output.number(summarizer.means[index])), \"deviation\": \(Output.number(summarizer.deviations[index]))}"
        }
        return "{\"kind\": \"sentence-scorer\", \"length_exponent\": \(Output.number(summarizer.lengthExponent)), "
            + "\"redundancy_penalty\": \(Output.number(summarizer.redundancyPenalty)), \"bias\": \(Output.number(summarizer.bias)), "
            + "\"features\": [\(features.joined(separator: ", "))]}"
    }

    func jsonSummary(_ classifier: TopicClassifier) throws -> String {
        let summary = ModelSummary(classifier)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let options = String(decoding: try encoder.encode(classifier.options), as: UTF8.self)
        let provenance = classifier.provenance
        func features(_ list: [(String, Float)]) -> String {
            "[" + list.map { "{\"term\": \(Output.json($0.0)), \"weight\": \(Output.number(Double($0.1)))}" }.joined(separator: ", ") + "]"
        }
        let details = classifier.labels.enumerated().map { index, label in
            let (positive, negative) = summary.topFeatures(label: label, count: top)
            return "\(Output.json(label)): {\"threshold\": \(Output.number(Double(classifier.model.thresholds[index]))), "
                + "\"bias\": \(Output.number(Double(classifier.model.biases[index]))), \"support\": \(provenance.labelCounts[label] ?? 0), "
                + "\"positive\": \(features(positive)), \"negative\": \(features(negative))}"
        }
        let counts = classifier.labels.map { "\(Output.json($0)): \(provenance.labelCounts[$0] ?? 0)" }
        return "{\"labels\": [\(classifier.labels.map(Output.json).joined(separator: ", "))], "
            + "\"vocabulary_size\": \(classifier.vectorizer.vocabulary.count), \"options\": \(options), "
            + "\"training_data\": {\"documents\": \(provenance.documents), \"fingerprint\": \(Output.json(provenance.dataFingerprint)), \"label_counts\": {\(counts.joined(separator: ", "))}}, "
            + "\"label_details\": {\(details.joined(separator: ", "))}}"
    }
}
