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
        spaces), a blank line between stories. JSONL output: {"id": ..., "summary": ["sentence", ...]}
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
    var method: String = "default"

    @Option(name: .long, help: "A sentence-scorer model from `lapis train-summarizer` (implies the supervised method).")
    var model: String?

    @Option(name: .long, help: "text or jsonl.")
    var format: String = "text"

    @Flag(name: .long, help: "No progress line on standard error.")
    var quiet = false

    @OptionGroup var input: InputOptions

    @Argument(help: "Story files (.txt, .jsonl, .csv); standard input when none.")
    var files: [String] = []

    func validate() throws {
        guard (1...100).contains(sentences) else { throw ValidationError("--sentences must be a whole number from 1 to 100 (got \(sentences))") }
        guard SummarizerCatalog.names.contains(method) else {
            throw ValidationError("--method must be one of: \(SummarizerCatalog.names.joined(separator: ", ")) (got '\(method)')")
        }
        if model != nil && method != "default" { throw ValidationError("give either --model or --method, not both") }
        guard format == "text" || format == "jsonl" else { throw ValidationError("--format must be text or jsonl (got '\(format)')") }
    }

    func run() throws {
        let summarizer: any Summarizer = try model.map { try SupervisedSummarizer.load(path: $0) } ?? SummarizerCatalog.summarizer(named: method)!
        let writer = Output.Writer()
        var first = true
        let paths = files.isEmpty ? ["-"] : files
        let progress = ProgressLine.onStandardError(label: "summarize", unit: "stories", quiet: quiet, alsoNeedsStdoutRedirected: true)
        let total = progress == nil ? nil : ProgressLine.estimatedStoryCount(paths: paths, format: input.inputFormat)
        var done = 0
        defer { progress?.finish() }
        try input.forEachBatch(paths, size: 256) { batch in
                let summaries = summarizer.summarize(batch, count: sentences)
                for (document, summary) in zip(batch, summaries) {
                    if format == "jsonl" {
                        try writer.line("{\"id\": \(Output.json(document.id)), \"summary\": [\(summary.map(Output.json).joined(separator: ", "))]}")
                    } else {
                        if !first { try writer.line("") }
                        first = false
                        for sentence in summary { try writer.line(sentence.split(whereSeparator: \.isNewline).joined(separator: " ")) }
                    }
                }
                try writer.flush()
                done += batch.count
                progress?.update(completed: done, total: total)
        }
        try writer.flush()
    }
}
