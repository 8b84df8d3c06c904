import ArgumentParser
import Foundation
import Lapis

struct Sentences: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split stories into sentences (the splitter the summarizer uses).",
        discussion: """
        Text output: one sentence per line (line breaks inside a sentence become spaces), a blank
        line between stories. JSONL output: {"id": ..., "sentences": ["...", ...]}, verbatim.

        Examples:
          lapis sentences story.txt
          lapis sentences --format jsonl stories.jsonl
        """
    )

    @Option(name: .long, help: "Output format.")
    var format: OutputFormat = .text

    @OptionGroup var input: InputOptions

    @Argument(help: "Story files (.txt, .html, .jsonl, .csv, .tsv) or folders of them; standard input when none.")
    var files: [String] = []

    func run() throws {
        let splitter = SentenceSplitter()
        let writer = Output.Writer()
        var lists = SentenceListWriter(writer: writer, format: format, field: "sentences")
        try input.forEachBatch(files.isEmpty ? ["-"] : files, size: 256) { batch, manyStories in
            for document in batch { try lists.write(document, splitter.sentences(document.text), named: manyStories) }
            try writer.flush()
        }
        try writer.flush()
    }
}
