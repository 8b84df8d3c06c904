import ArgumentParser
import Foundation
import Lapis

struct Summarize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write extractive summaries: the best sentences, verbatim, in story order.",
        discussion: """
        Methods: \(SummarizerCatalog.names.joined(separator: ", ")). "default" is the
        position-aware centrality ranker (see the README for why); --model uses a sentence scorer
        trained with `lapis train-summarizer`.

        Text output: the summary one sentence per line (line breaks inside a sentence become
        spaces), a blank line between stories, each headed "==> id <==" when the input can hold
        several stories (JSONL, CSV, TSV, lines, a folder, several files). JSONL output: {"id": ..., "summary": ["sentence", ...]}
        with each sentence exactly as in the story. JSONL is processed as a stream (one line out per
        story, in order), so the command works as a filter, e.g. under Spark's RDD.pipe.

        A progress line (stories, rate, ETA) is shown on standard error when it is a terminal and
        the results go to a file or pipe; --quiet hides it.

        Examples:
          lapis summarize story.txt
          lapis summarize --sentences 2 --method lexrank story.txt
          lapis summarize --format jsonl stories.jsonl > summaries.jsonl
        """
    )

    @Option(name: .long, parsing: .unconditional, help: "Number of sentences (1 to 100).")
    var sentences: Int = 3

    @Option(name: .long, help: "Ranking method.")
    var method: SummaryMethod = .default

    @Option(name: .long, help: "A sentence-scorer model from `lapis train-summarizer` (implies the supervised method).")
    var model: String?

    @Option(name: .long, help: "Output format.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "No progress line on standard error.")
    var quiet = false

    @OptionGroup var input: InputOptions

    @Argument(help: "Story files (.txt, .html, .jsonl, .csv, .tsv) or folders of them; standard input when none.")
    var files: [String] = []

    func validate() throws {
        guard (1...100).contains(sentences) else { throw ValidationError("--sentences must be a whole number from 1 to 100 (got \(sentences))") }
        if model != nil && method != .default { throw ValidationError("give either --model or --method, not both") }
    }

    func run() throws {
        let summarizer: any Summarizer = try model.map { try SupervisedSummarizer.load(path: $0) } ?? method.summarizer
        let writer = Output.Writer()
        var lists = SentenceListWriter(writer: writer, format: format, field: "summary")
        try input.streamStories(files, label: "summarize", size: 256, quiet: quiet, writer: writer) { batch, manyStories in
            for (document, summary) in zip(batch, summarizer.summarize(batch, count: sentences)) {
                try lists.write(document, summary, named: manyStories)
            }
        }
    }
}
