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
        let loaded = try model.map(AnyLapisModel.load(path:)) ?? .topicClassifier(TopicClassifier.loadDefault())
        let summary = json ? try loaded.model.summaryJSON(top: top) : loaded.model.summaryText(top: top, path: model)
        try Output.standardOutput(summary + "\n")
    }
}
