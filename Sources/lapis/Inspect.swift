import ArgumentParser
import Foundation
import Lapis

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a model holds: labels, vocabulary, options, thresholds, top features, training data.",
        usage: "lapis inspect [-m <file>] [<options>]",
        discussion: """
        JSON output of a topic classifier: {"labels": [...], "vocabulary_size": N, "options": {...as stored in the model}, "training_data": {"documents", "fingerprint", "label_counts", "documents_with_titles"?, "fields"?}, "label_details": {"label": {"threshold", "bias", "support", "positive": [{"term", "weight"}], "negative": [...]}}}.

        A sentence-scorer model (from train-summarizer) shows its selection rule and feature weights instead; JSON: {"kind": "sentence-scorer", "length_exponent", "redundancy_penalty", "bias", "features": [{"name", "weight", "mean", "deviation"}]}, largest |weight| first.

        Examples:
          lapis inspect
          lapis inspect -m topics.lapis --top 20
          lapis inspect -m topics.lapis -f json
          lapis inspect -m summarizer.lapis
        """
    )

    @Option(name: [.customShort("m"), .customLong("model")], help: ArgumentHelp("Model file, either kind (default: the built-in model).", valueName: "file"))
    var modelOption: String?

    @Argument(help: .hidden)
    var modelArgument: String?

    @Option(name: .long, help: "Features to list per label and direction.")
    var top: Int = 10

    @OptionGroup var format: ReportFormatOption

    @OptionGroup var results: ResultsOption

    /// `-m FILE`, or the positional model of earlier versions.
    var model: String? { modelOption ?? modelArgument }

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
        if modelOption != nil && modelArgument != nil { throw ValidationError("give the model once (-m FILE)") }
        try Destination.mustDiffer(results.output, flag: "--output", from: [("--model", model)])
    }

    func run() throws {
        let loaded = try model.map(AnyLapisModel.load(path:)) ?? .topicClassifier(TopicClassifier.loadDefault())
        let summary = format.isJSON ? try loaded.model.summaryJSON(top: top) : loaded.model.summaryText(top: top, path: model)
        try Output.result(summary + "\n", to: results.output)
    }
}
