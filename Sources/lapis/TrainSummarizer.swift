import ArgumentParser
import Foundation
import Lapis

struct TrainSummarizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-summarizer",
        abstract: "Learn a sentence scorer from reference summaries.",
        usage: "lapis train-summarizer <file> ... --reference-field <name> -o <file>",
        discussion: """
        The reference field holds sentence indices into the story (extractive, like TrainingData's summary_sentences), or text: extractive when its sentences occur in the story, else abstractive (e.g. highlights), in which case a greedy ROUGE oracle picks the story sentences to learn from. Use the model with `lapis summarize -m`.

        Summaries rank sentences by P(summary) × words^e; the length exponent e is the one of \(SupervisedSummarizer.candidateLengthExponents.map { "\($0)" }.joined(separator: ", ")) whose summaries score the best ROUGE-1 + ROUGE-2 against the references in 3-fold cross-validation on the training stories (long references reward long sentences); with fewer than 6 stories it is 0.

        Examples:
          lapis train-summarizer TrainingData/corpus.jsonl \\
            --reference-field summary_sentences -o summarizer.lapis
          lapis summarize -m summarizer.lapis story.txt
        """
    )

    @OptionGroup var inputs: InputFiles

    @Option(name: .customLong("reference-field"), help: "Field holding the reference summary.")
    var referenceField: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write the model (written atomically).", valueName: "file"))
    var output: String

    @Option(name: [.customShort("C"), .customLong("c")], help: "Inverse regularisation strength.")
    var c: Double = 1

    @Flag(name: .long, help: "Label training sentences with the greedy ROUGE oracle even when the reference is extractive.")
    var oracle = false

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        try validatingOptions { try options.validate() }
        try inputs.requireData("the stories with reference summaries")
        try Destination.mustDiffer(output, flag: "--output", from: inputs.named + input.idLists)
    }

    var options: SupervisedSummarizerOptions { SupervisedSummarizerOptions(c: c, oracleLabels: oracle) }

    func run() throws {
        execution.apply()
        let started = Date()
        let progress = ProgressLine.onStandardError(label: "train-summarizer", unit: "stories", quiet: false)
        progress?.phase("reading", unit: "stories")
        let documents = try input.readAll(inputs.paths, fields: input.fields(extra: [referenceField]), progress: progress).documents
        let references = documents.map { SupervisedSummarizer.Reference(document: $0, field: referenceField) }
        let summarizer = try options.fit(documents, references: references, progress: progress?.handler)
        progress?.finish()
        try summarizer.save(to: output)
        Output.note("trained a sentence scorer on \(documents.count) stories (length exponent \(summarizer.lengthExponent)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; wrote \(output)")
    }
}
