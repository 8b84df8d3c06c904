import ArgumentParser
import Foundation
import Lapis

/// Options shared by the commands that read stories.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: ArgumentHelp("How to read the input: by file extension (.jsonl, .csv, .tsv, .html, a folder; else plain text) when auto; 'lines' is one story per line, its id the line number.", valueName: "format"))
    var inputFormat: InputFormatChoice = .auto

    @Option(name: .long, help: ArgumentHelp("Field separator of CSV/TSV input: one character, or 'tab' (default: ',' for CSV, tab for TSV).", valueName: "char"))
    var delimiter: String?

    @Option(name: .customLong("text-field"), help: ArgumentHelp("Field holding the story text (JSONL/CSV; default: the one the model was trained with, else 'text').", valueName: "name"))
    var textField: String?

    @Option(name: .customLong("title-field"), help: ArgumentHelp("Field holding the headline, if any (default: as the model was trained, else 'title').", valueName: "name"))
    var titleField: String?

    @Option(name: .customLong("id-field"), help: ArgumentHelp("Field holding the story id (default: as the model was trained, else 'id').", valueName: "name"))
    var idField: String?

    @Flag(name: .customLong("skip-invalid"), help: "Skip malformed records (counted on standard error) instead of stopping.")
    var skipInvalid = false

    @Option(name: .customLong("only-ids"), help: ArgumentHelp("Read only the stories whose ids are listed in this file (one per line).", valueName: "file"))
    var onlyIDs: String?

    @Option(name: .customLong("exclude-ids"), help: ArgumentHelp("Skip the stories whose ids are listed in this file (one per line).", valueName: "file"))
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

    /// The fields to read: each flag given, else the field `remembered` (a model's training
    /// fields), else the usual name.
    func fields(labels: String? = nil, extra: [String] = [], remembered: FieldNames? = nil) -> FieldNames {
        let usual = FieldNames()
        return FieldNames(id: idField ?? remembered?.id ?? usual.id, title: titleField ?? remembered?.title ?? usual.title,
                          text: textField ?? remembered?.text ?? usual.text, labels: labels, extra: extra)
    }

    /// Opens `path` ("-" for standard input) with the chosen or inferred format.
    func reader(_ path: String, fields: FieldNames) throws -> DocumentReader {
        let reader = try DocumentReader(path: path, format: inputFormat.format, fields: fields, skipsInvalid: skipInvalid,
                                        delimiter: delimiterScalar)
        if let note = reader.note { Output.note(note) }
        return reader
    }

    /// Reads every document of `paths`, applying --only-ids and --exclude-ids, with a
    /// "reading" phase on `progress`.
    func readAll(_ paths: [String], fields: FieldNames, progress: ProgressLine? = nil) throws -> ReadStories {
        var documents: [Document] = []
        var read = try readBatches(paths, fields: fields, size: 1 << 16, progress: progress) { documents.append(contentsOf: $0) }
        read.documents = documents
        return read
    }

    /// Reads the stories of `paths` that the id filters keep, parsed on all cores, and hands
    /// them to `body` in order, `size` at a time (the last batch may be smaller), for a command
    /// that works through them all without keeping them (training counts a batch's terms and
    /// lets its text go). Nothing waits on the reading, so it does not read ahead.
    ///
    /// - Throws: the reader's errors, `body`'s, and ``LapisError/noDocuments(path:reason:)``
    ///   when no story is left.
    func readBatches(_ paths: [String], fields: FieldNames, size: Int, progress: ProgressLine? = nil,
                     _ body: ([Document]) throws -> Void) throws -> ReadStories {
        precondition(size > 0)
        let filter = try idFilter()
        var read = ReadStories()
        var batch: [Document] = []
        for path in paths {
            let reader = try reader(path, fields: fields)
            reader.parsesInParallel = true
            read.hasFields = read.hasFields || reader.format.hasFields
            while let document = try reader.next() {
                guard filter.keeps(document) else { continue }
                batch.append(document)
                if batch.count == size {
                    read.count(batch)
                    try body(batch)
                    batch.removeAll()
                }
                if (read.stories + batch.count) % 1000 == 0 { progress?.phase("reading", unit: "stories", completed: read.stories + batch.count) }
            }
            reportSkipped(reader)
        }
        if !batch.isEmpty {
            read.count(batch)
            try body(batch)
        }
        guard read.stories > 0 else {
            throw LapisError.noDocuments(path: paths.joined(separator: ", "), reason: "no stories to use (check the file and any id filters)")
        }
        return read
    }

    /// Which stories --only-ids and --exclude-ids let through; reads both lists once.
    func idFilter() throws -> DocumentFilter {
        try DocumentFilter(onlyIDsFile: onlyIDs, excludedIDsFile: excludeIDs)
    }

    /// Streams the stories of `paths` in batches of `size` to `body`, flushing `writer` after
    /// each batch, with a progress line on standard error when it is a terminal and the results
    /// go elsewhere. `body` also hears whether the input can hold several stories (several
    /// files, or a format such as JSONL): then text output names each story. `finishing` writes
    /// any closing output before the writer puts a `-o` file in place.
    @discardableResult
    func streamStories(_ paths: [String], fields: FieldNames, label: String, size: Int, writer: Output.Writer, writesToFile: Bool,
                       _ body: ([Document], _ manyStories: Bool) throws -> Void,
                       finishing: () throws -> Void = {}) throws -> ReadStories {
        let progress = ProgressLine.onStandardError(label: label, unit: "stories", quiet: false, alsoNeedsStdoutRedirected: !writesToFile)
        let total = progress == nil ? nil : ProgressLine.estimatedStoryCount(paths: paths, format: inputFormat)
        var stats = ReadStories()
        defer { progress?.finish() }
        let filter = try idFilter()
        for path in paths {
            let reader = try reader(path, fields: fields)
            stats.hasFields = stats.hasFields || reader.format.hasFields
            let manyStories = paths.count > 1 || reader.format.holdsManyStories
            // The next batch is parsed while this one is worked on.
            try reader.forEachBatchReadingAhead(size: size, keeping: filter) { batch in
                try body(batch, manyStories)
                try writer.flush()
                stats.count(batch)
                progress?.update(completed: stats.stories, total: total)
            }
            reportSkipped(reader)
        }
        try finishing()
        try writer.finish()
        return stats
    }

    func reportSkipped(_ reader: DocumentReader) {
        guard reader.skipped > 0 else { return }
        Output.note("skipped \(reader.skipped) invalid record(s) in \(reader.path); first: \(reader.skippedExamples.first.map { "\($0)" } ?? "")")
    }

    /// Warns when a model trained mostly on stories with titles reads records none of which
    /// has one: usually the headline sits in a field of another name, and without it the
    /// model loses evidence (0.4 points of F1 on Reuters).
    func warnIfTitlesMissing(_ read: ReadStories, classifier: TopicClassifier, fields: FieldNames) {
        guard read.hasFields, read.stories > 0, read.storiesWithTitles == 0, classifier.provenance.trainedMostlyWithTitles else { return }
        Output.note("warning: the model was trained on stories with titles, but none of these \(read.stories) has a '\(fields.title)' field; give --title-field NAME if the headlines are in another field")
    }
}

/// What a command read: the stories (when kept) and counts for the checks after reading.
struct ReadStories {
    /// The stories, for commands that read them all; a streaming read leaves this empty.
    var documents: [Document] = []
    private(set) var stories = 0
    private(set) var storiesWithTitles = 0
    /// Whether any input had named fields (JSONL, CSV, TSV), where a title can be missing.
    var hasFields = false

    mutating func count(_ batch: [Document]) {
        stories += batch.count
        storiesWithTitles += batch.count { !($0.title ?? "").isEmpty }
    }
}

extension InputFormat {
    /// Whether records of this format have named fields.
    var hasFields: Bool { self == .jsonl || self == .csv || self == .tsv }
}

extension InputOptions {
    /// The data's name for a report title: the paths and any id filters.
    func describe(_ paths: [String]) -> String {
        paths.joined(separator: ", ") + (onlyIDs.map { " (only ids in \($0))" } ?? "") + (excludeIDs.map { " (without ids in \($0))" } ?? "")
    }

    /// The id-list files, for ``Destination/mustDiffer(_:flag:from:)``.
    var idLists: [(flag: String, path: String?)] { [("--only-ids", onlyIDs), ("--exclude-ids", excludeIDs)] }
}
