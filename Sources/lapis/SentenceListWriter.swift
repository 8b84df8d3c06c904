import Lapis

/// Writes one list of sentences per story, as `summarize` and `sentences` print them: a JSON
/// object `{"id": ..., field: [sentence, ...]}` with each sentence exactly as in the story (one
/// per line for jsonl, array elements for json), or a text block of one sentence per line
/// (line breaks inside a sentence become spaces) with a blank line between stories, headed
/// `==> id <==` (as `head` names its files) when the input can hold several stories.
struct SentenceListWriter {
    let writer: Output.Writer
    let format: OutputFormat
    /// The JSON key of the list.
    let field: String
    private let records: Output.RecordWriter
    private var first = true

    init(writer: Output.Writer, format: OutputFormat, field: String) {
        self.writer = writer
        self.format = format
        self.field = field
        self.records = Output.RecordWriter(writer: writer, asArray: format == .json)
    }

    mutating func write(_ document: Document, _ sentences: [String], named: Bool) throws {
        if format.isJSON {
            try records.record("{\"id\": \(Output.json(document.id)), \(Output.json(field)): [\(sentences.map(Output.json).joined(separator: ", "))]}")
        } else {
            if !first { try writer.line("") }
            first = false
            if named { try writer.line("==> \(Output.field(document.id)) <==") }
            for sentence in sentences { try writer.line(sentence.split(whereSeparator: \.isNewline).joined(separator: " ")) }
        }
    }

    /// Closes a JSON array.
    func finish() throws {
        if format.isJSON { try records.finish() }
    }
}
