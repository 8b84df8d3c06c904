import ArgumentParser
import Foundation
import Lapis

struct LapisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lapis",
        abstract: "Tag news stories with topics and write three-sentence summaries.",
        discussion: """
        Exit codes: 0 success, 1 bad data or a runtime error, 2 bad usage.
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

/// A runtime failure with a ready message (exit code 1).
struct CommandFailure: Error {
    let message: String
}

enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("lapis: error: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("lapis: " + message + "\n").utf8))
    }

    /// Buffered standard output: lines are collected and written in large blocks.
    final class Writer {
        private var buffer = [UInt8]()

        func line(_ text: String) {
            buffer.append(contentsOf: text.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 { flush() }
        }

        func flush() {
            guard !buffer.isEmpty else { return }
            FileHandle.standardOutput.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }

        deinit { flush() }
    }

    static func json(_ text: String) -> String { JSONText.string(text) }

    static func number(_ value: Double, decimals: Int = 4) -> String { JSONText.number(value, decimals: decimals) }
}

/// Options shared by the commands that read stories.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: "auto, jsonl, csv, text or folders. auto: by file extension; standard input is JSONL when it starts with '{'.")
    var inputFormat: String = "auto"

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
        guard inputFormat == "auto" || InputFormat(rawValue: inputFormat) != nil else {
            throw ValidationError("--input-format must be one of: auto, jsonl, csv, text, folders (got '\(inputFormat)')")
        }
    }

    func fields(labels: String? = nil, extra: [String] = []) -> FieldNames {
        FieldNames(id: idField, title: titleField, text: textField, labels: labels, extra: extra)
    }

    /// Opens `path` ("-" for standard input) with the chosen or inferred format.
    func reader(_ path: String, labels: String? = nil, extra: [String] = []) throws -> DocumentReader {
        try DocumentReader(path: path, format: InputFormat(rawValue: inputFormat), fields: fields(labels: labels, extra: extra), skipsInvalid: skipInvalid)
    }

    /// Reads every document of `path`, applying --only-ids and --exclude-ids.
    func readAll(_ path: String, labels: String? = nil, extra: [String] = [], requiresText: Bool = true) throws -> [Document] {
        var fields = fields(labels: labels, extra: extra)
        fields.requiresText = requiresText
        let reader = try DocumentReader(path: path, format: InputFormat(rawValue: inputFormat), fields: fields, skipsInvalid: skipInvalid)
        var documents = try reader.readAll()
        reportSkipped(reader)
        if let onlyIDs {
            let keep = try Self.idList(onlyIDs)
            documents = documents.filter { keep.contains($0.id) }
        }
        if let excludeIDs {
            let drop = try Self.idList(excludeIDs)
            documents = documents.filter { !drop.contains($0.id) }
        }
        guard !documents.isEmpty else { throw LapisError.noDocuments(path: path, reason: "no stories to use (check the file and any id filters)") }
        return documents
    }

    static func idList(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
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
