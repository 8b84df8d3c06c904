import Lapis

/// Writes one list of sentences per story, as `summarize` and `sentences` print them: a JSONL
/// object `{"id": ..., field: [sentence, ...]}` with each sentence exactly as in the story, or
/// a text block of one sentence per line (line breaks inside a sentence become spaces) with a
/// blank line between stories, headed `==> id <==` (as `head` names its files) when the input
/// can hold several stories.
struct SentenceListWriter {
    let writer: Output.Writer
    let format: OutputFormat
    /// The JSONL key of the list.
    let field: String
    private var first = true

    init(writer: Output.Writer, format: OutputFormat, field: String) {
        self.writer = writer
        self.format = format
        self.field = field
    }

    mutating func write(_ document: Document, _ sentences: [String], named: Bool) throws {
        if format == .jsonl {
            try writer.line("{\"id\": \(Output.json(document.id)), \(Output.json(field)): [\(sentences.map(Output.json).joined(separator: ", "))]}")
        } else {
            if !first { try writer.line("") }
            first = false
            if named { try writer.line("==> \(Output.field(document.id)) <==") }
            for sentence in sentences { try writer.line(sentence.split(whereSeparator: \.isNewline).joined(separator: " ")) }
        }
    }
}
