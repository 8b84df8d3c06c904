import ArgumentParser
import Foundation
import Lapis

struct TrainSummarizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-summarizer",
        abstract: "Learn a sentence scorer from reference summaries.",
        discussion: """
        The reference field holds sentence indices into the story (extractive, like
        TrainingData's summary_sentences), or text: extractive when its sentences occur in the
        story, else abstractive (e.g. highlights), in which case a greedy ROUGE oracle picks the
        story sentences to learn from. Use the model with `lapis summarize --model`.

        Summaries rank sentences by P(summary) × words^e; the length exponent e is the one of
        \(SupervisedSummarizer.candidateLengthExponents.map { "\($0)" }.joined(separator: ", ")) whose summaries score the best
        ROUGE-1 + ROUGE-2 against the references in 3-fold cross-validation on the training
        stories (long references reward long sentences); with fewer than 6 stories it is 0.

        Examples:
          lapis train-summarizer --data TrainingData/corpus.jsonl --reference-field summary_sentences --output summarizer.lapis
          lapis train-summarizer --data cnndm.jsonl --reference-field highlights --only-ids train-ids.txt --output cnndm.lapis
        """
    )

    @Option(name: .long, help: "Stories with reference summaries.")
    var data: String

    @Option(name: .customLong("reference-field"), help: "Field holding the reference summary.")
    var referenceField: String

    @Option(name: .long, help: "Where to write the model (written atomically).")
    var output: String

    @Option(name: [.customShort("C"), .customLong("c")], help: "Inverse regularisation strength.")
    var c: Double = 1

    @Flag(name: .long, help: "Label training sentences with the greedy ROUGE oracle even when the reference is extractive.")
    var oracle = false

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        try validatingOptions { try options.validate() }
        try Destination.mustDiffer(output, flag: "--output", from: [("--data", data), ("--only-ids", input.onlyIDs), ("--exclude-ids", input.excludeIDs)])
    }

    var options: SupervisedSummarizerOptions { SupervisedSummarizerOptions(c: c, oracleLabels: oracle) }

    func run() throws {
        let started = Date()
        let documents = try input.readAll(data, extra: [referenceField])
        let references = documents.map { SupervisedSummarizer.Reference(document: $0, field: referenceField) }
        let summarizer = try options.fit(documents, references: references)
        try summarizer.save(to: output)
        if !quiet {
            Output.note("trained a sentence scorer on \(documents.count) stories (length exponent \(summarizer.lengthExponent)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; wrote \(output)")
        }
    }
}
