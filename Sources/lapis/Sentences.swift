import ArgumentParser
import Foundation
import Lapis

struct Sentences: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split stories into sentences (the splitter the summarizer uses).",
        discussion: """
        Text output: one sentence per line (line breaks inside a sentence become spaces), a blank line between stories. JSONL output: {"id", "sentences": ["...", ...]}, verbatim; json: the same objects in one array.

        Examples:
          lapis sentences story.txt
          lapis sentences -f jsonl stories.jsonl
        """
    )

    @Option(name: [.customShort("f"), .long], help: "Output format: one block or line per story (text, jsonl) or one JSON array (json).")
    var format: OutputFormat = .text

    @OptionGroup var results: ResultsOption

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    @OptionGroup var inputs: InputFiles

    func validate() throws {
        try Destination.mustDiffer(results.output, flag: "--output", from: inputs.named + input.idLists)
    }

    func run() throws {
        execution.apply()
        let splitter = SentenceSplitter()
        let writer = try Output.Writer(to: results.output)
        var lists = SentenceListWriter(writer: writer, format: format, field: "sentences")
        try input.streamStories(inputs.paths, fields: input.fields(), label: "sentences", size: 256, writer: writer,
                                writesToFile: results.output != nil) { batch, manyStories in
            for document in batch { try lists.write(document, splitter.sentences(document.text), named: manyStories) }
        } finishing: {
            try lists.finish()
        }
    }
}
