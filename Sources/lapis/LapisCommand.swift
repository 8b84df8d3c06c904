import ArgumentParser
import Foundation
import Lapis

struct LapisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lapis",
        abstract: "Tag news stories with topics and write three-sentence summaries.",
        discussion: """
        Exit codes: 0 success, 1 error (bad data, runtime, lost output), 2 bad usage.
        Results go to standard output; messages and errors to standard error.

        Examples:
          lapis classify story.txt
          lapis summarize --format jsonl stories.jsonl
          lapis train --data corpus.jsonl --output topics.lapis
          lapis evaluate --model topics.lapis --data test.jsonl --json
        """,
        version: "0.1.0",
        subcommands: [Train.self, Classify.self, Summarize.self, Evaluate.self, Inspect.self, Sentences.self, TrainSummarizer.self]
    )
}

/// Options shared by the commands that read stories.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: ArgumentHelp("How to read the input. auto: by file extension (.jsonl, .csv, .tsv, .html, a folder; else text); standard input is JSONL when it starts with '{'. lines: one story per line, its id the line number.", valueName: "format"))
    var inputFormat: InputFormatChoice = .auto

    @Option(name: .long, help: ArgumentHelp("Field separator of CSV/TSV input: one character, or 'tab' (default: ',' for CSV, tab for TSV).", valueName: "char"))
    var delimiter: String?

    @Option(name: .customLong("text-field"), help: "Field holding the story text (JSONL/CSV).")
    var textField: String = "text"

    @Option(name: .customLong("title-field"), help: "Field holding the headline, if any (JSONL/CSV).")
    var titleField: String = "title"

    @Option(name: .customLong("id-field"), help: "Field holding the story id (JSONL/CSV).")
    var idField: String = "id"

    @Flag(name: .customLong("skip-invalid"), help: "Skip malformed records (counted on standard error) instead of stopping.")
    var skipInvalid = false

    @Option(name: .customLong("only-ids"), help: "Read only the stories whose ids are listed in this file (one per line).")
    var onlyIDs: String?

    @Option(name: .customLong("exclude-ids"), help: "Skip the stories whose ids are listed in this file (one per line).")
    var excludeIDs: String?

    func validate() throws {
        if let delimiter, delimiterScalar == nil {
            throw ValidationError("--delimiter must be one character or 'tab' (got '\(delimiter)')")
        }
    }

    /// The --delimiter character; nil when not given (or not one character).
    var delimiterScalar: Unicode.Scalar? {
        guard let delimiter else { return nil }
        if delimiter == "tab" || delimiter == "\\t" { return "\t" }
        let scalars = Array(delimiter.unicodeScalars)
        guard scalars.count == 1, scalars[0] != "\"", scalars[0] != "\n", scalars[0] != "\r" else { return nil }
        return scalars[0]
    }

    func fields(labels: String? = nil, extra: [String] = []) -> FieldNames {
        FieldNames(id: idField, title: titleField, text: textField, labels: labels, extra: extra)
    }

    /// Opens `path` ("-" for standard input) with the chosen or inferred format.
    func reader(_ path: String, labels: String? = nil, extra: [String] = [], requiresText: Bool = true) throws -> DocumentReader {
        var fields = fields(labels: labels, extra: extra)
        fields.requiresText = requiresText
        let reader = try DocumentReader(path: path, format: inputFormat.format, fields: fields, skipsInvalid: skipInvalid,
                                        delimiter: delimiterScalar)
        if let note = reader.note { Output.note(note) }
        return reader
    }

    /// Reads every document of `path`, applying --only-ids and --exclude-ids.
    func readAll(_ path: String, labels: String? = nil, extra: [String] = [], requiresText: Bool = true) throws -> [Document] {
        let reader = try reader(path, labels: labels, extra: extra, requiresText: requiresText)
        let filter = try idFilter()
        let documents = try reader.readAll().filter(filter.keeps)
        reportSkipped(reader)
        guard !documents.isEmpty else { throw LapisError.noDocuments(path: path, reason: "no stories to use (check the file and any id filters)") }
        return documents
    }

    /// Which stories --only-ids and --exclude-ids let through; reads both lists once.
    func idFilter() throws -> DocumentFilter {
        try DocumentFilter(onlyIDsFile: onlyIDs, excludedIDsFile: excludeIDs)
    }

    /// Streams the stories of `files` (standard input when none) in batches of `size` to
    /// `body`, flushing `writer` after each batch, with a progress line on standard error when
    /// it is a terminal and the results go elsewhere.
    /// `body` also hears whether the input can hold several stories (several files, or a format
    /// such as JSONL): then text output names each story.
    func streamStories(_ files: [String], label: String, size: Int, quiet: Bool, writer: Output.Writer,
                       _ body: ([Document], _ manyStories: Bool) throws -> Void) throws {
        let paths = files.isEmpty ? ["-"] : files
        let progress = ProgressLine.onStandardError(label: label, unit: "stories", quiet: quiet, alsoNeedsStdoutRedirected: true)
        let total = progress == nil ? nil : ProgressLine.estimatedStoryCount(paths: paths, format: inputFormat)
        var done = 0
        defer { progress?.finish() }
        try forEachBatch(paths, size: size) { batch, manyStories in
            try body(batch, manyStories)
            try writer.flush()
            done += batch.count
            progress?.update(completed: done, total: total)
        }
        try writer.flush()
    }

    /// Streams the stories of each of `paths` in batches of `size`, applying the id filters;
    /// `body` also hears whether the input can hold several stories.
    func forEachBatch(_ paths: [String], size: Int, _ body: ([Document], _ manyStories: Bool) throws -> Void) throws {
        let filter = try idFilter()
        for path in paths {
            let reader = try reader(path)
            let manyStories = paths.count > 1 || reader.format.holdsManyStories
            try reader.forEachBatch(size: size, keeping: filter) { try body($0, manyStories) }
            reportSkipped(reader)
        }
    }

    func reportSkipped(_ reader: DocumentReader) {
        guard reader.skipped > 0 else { return }
        Output.note("skipped \(reader.skipped) invalid record(s) in \(reader.path); first: \(reader.skippedExamples.first.map { "\($0)" } ?? "")")
    }
}

/// Options shared by commands that load a classifier.
struct ModelOption: ParsableArguments {
    @Option(name: .long, help: "Model file (default: the built-in four-topic model).")
    var model: String?

    func load() throws -> TopicClassifier {
        if let model { return try TopicClassifier.load(path: model) }
        return try TopicClassifier.loadDefault()
    }
}
