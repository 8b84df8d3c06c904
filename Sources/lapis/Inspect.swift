import ArgumentParser
import Foundation
import Lapis

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a model holds: labels, vocabulary, options, thresholds, top features, training data.",
        discussion: """
        Examples:
          lapis inspect              (the built-in model)
          lapis inspect topics.lapis --top 20
        """
    )

    @Argument(help: "Model file (default: the built-in model).")
    var model: String?

    @Option(name: .long, help: "Features to list per label and direction.")
    var top: Int = 10

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let classifier = try model.map { try TopicClassifier.load(path: $0) } ?? TopicClassifier.loadDefault()
        print(ModelSummary(classifier).text(topFeatures: top))
    }
}
