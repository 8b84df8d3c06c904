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

    @Option(name: .long, help: "text or jsonl.")
    var format: String = "text"

    @OptionGroup var input: InputOptions

    @Argument(help: "Story files (.txt, .jsonl, .csv); standard input when none.")
    var files: [String] = []

    func validate() throws {
        guard format == "text" || format == "jsonl" else { throw ValidationError("--format must be text or jsonl (got '\(format)')") }
    }

    func run() throws {
        let splitter = SentenceSplitter()
        let writer = Output.Writer()
        var first = true
        try input.forEachBatch(files.isEmpty ? ["-"] : files, size: 256) { batch in
            for document in batch {
                let sentences = splitter.sentences(document.text)
                if format == "jsonl" {
                    try writer.line("{\"id\": \(Output.json(document.id)), \"sentences\": [\(sentences.map(Output.json).joined(separator: ", "))]}")
                } else {
                    if !first { try writer.line("") }
                    first = false
                    for sentence in sentences { try writer.line(sentence.split(whereSeparator: \.isNewline).joined(separator: " ")) }
                }
            }
            try writer.flush()
        }
        try writer.flush()
    }
}
