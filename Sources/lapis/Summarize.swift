import ArgumentParser
import Foundation
import Lapis

struct Summarize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write extractive summaries: the best sentences, verbatim, in story order.",
        discussion: """
        Methods: \(SummarizerCatalog.names.joined(separator: ", ")). "default" is the position-aware centrality ranker (see the README for why); -m uses a sentence scorer trained with `lapis train-summarizer`. -n takes a count or a share of each story's sentences ("20%", as sumy's --length).

        Text output: the summary one sentence per line (line breaks inside a sentence become spaces), a blank line between stories, each headed "==> id <==" when the input can hold several stories (JSONL, CSV, TSV, lines, a folder, several files). JSONL output: {"id", "summary": ["sentence", ...]} with each sentence exactly as in the story; json: the same objects in one array. Stories are processed as a stream, so the command works as a filter, e.g. under Spark's RDD.pipe.

        A progress line (stories, rate, ETA) is shown on standard error when it is a terminal and the results go to a file or pipe; -q hides it.

        Examples:
          lapis summarize story.txt
          lapis summarize -n 2 --method lexrank story.txt
          lapis summarize -n 20% story.txt
          lapis summarize -f jsonl stories.jsonl > summaries.jsonl
          lapis summarize -m summarizer.lapis stories.jsonl -o summaries.txt
        """
    )

    @Option(name: [.customShort("n"), .long], parsing: .unconditional, help: ArgumentHelp("Sentences per summary: a count (1 to 100) or a share of the story's sentences (1% to 100%, at least one).", valueName: "n|p%"))
    var sentences: SummaryLength = .count(3)

    @Option(name: .long, help: "Ranking method.")
    var method: SummaryMethod = .default

    @OptionGroup var fragments: MinimumWordsOption

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("A sentence-scorer model from `lapis train-summarizer` (implies the supervised method).", valueName: "file"))
    var model: String?

    @Option(name: [.customShort("f"), .long], help: "Output format: one block or line per story (text, jsonl) or one JSON array (json).")
    var format: OutputFormat = .text

    @OptionGroup var results: ResultsOption

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    @OptionGroup var inputs: InputFiles

    func validate() throws {
        try sentences.validate()
        if model != nil && method != .default { throw ValidationError("give either --model or --method, not both") }
        try Destination.mustDiffer(results.output, flag: "--output", from: inputs.named + input.idLists + [("--model", model)])
    }

    func run() throws {
        execution.apply()
        let summarizer: any Summarizer = try model.map { try SupervisedSummarizer.load(path: $0) } ?? method.summarizer(minimumWords: fragments.minimumWords)
        let writer = try Output.Writer(to: results.output)
        var lists = SentenceListWriter(writer: writer, format: format, field: "summary")
        let splitter = SentenceSplitter()
        try input.streamStories(inputs.paths, fields: input.fields(), label: "summarize", size: 256, writer: writer,
                                writesToFile: results.output != nil) { batch, manyStories in
            for (document, summary) in zip(batch, sentences.summarize(batch, with: summarizer, splitter: splitter)) {
                try lists.write(document, summary, named: manyStories)
            }
        } finishing: {
            try lists.finish()
        }
    }
}
