import Foundation

/// The input formats Lapis reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// One JSON object per line: `{"id", "title"?, "text", "labels"?}` (field names configurable).
    case jsonl
    /// Comma-separated values with a header row naming the fields (another delimiter with
    /// `delimiter`, e.g. `;`).
    case csv
    /// Tab-separated values with a header row naming the fields.
    case tsv
    /// One story per line (fastText's convention); a story's id is its line number.
    case lines
    /// A folder with one sub-folder per label holding `.txt` stories; a story in several
    /// label folders (same file name, same contents) carries all those labels. A folder of
    /// `.txt` (and `.html`) files without sub-folders is one unlabelled story per file.
    case folders
    /// One story per file (or standard input).
    case text
    /// One HTML page per file: tags, scripts and styles dropped, `<title>` as the title,
    /// paragraphs kept as sentence boundaries.
    case html

    /// The format implied by a path: a directory, `.jsonl`/`.ndjson`, `.csv`, `.tsv`/`.tab`,
    /// `.html`/`.htm`, else plain text.
    public static func inferred(from path: String) -> InputFormat {
        var isDirectory: ObjCBool = false
        if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return .folders
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return .html }
        return .text
    }

    /// Whether the format holds any number of stories (a single text or HTML file holds one).
    public var holdsManyStories: Bool {
        switch self {
        case .jsonl, .csv, .tsv, .lines, .folders: return true
        case .text, .html: return false
        }
    }
}

/// Reads documents one at a time from a file in any ``InputFormat``.
///
/// Malformed records raise a ``LapisError`` naming the file and line, unless `skipsInvalid`
/// is set: then they are counted in ``skipped`` (with the first few errors kept) and reading
/// goes on.
public final class DocumentReader {
    /// The file being read ("-" for standard input).
    public let path: String
    /// The format being read.
    public let format: InputFormat
    /// Which fields hold what.
    public let fields: FieldNames
    /// Whether malformed records are skipped instead of raising an error.
    public let skipsInvalid: Bool
    /// How many records were skipped as invalid.
    public private(set) var skipped = 0
    /// The first errors of skipped records (at most 10), for reporting.
    public private(set) var skippedExamples: [LapisError] = []
    /// Something the user should hear about how the input was read (a multi-line file taken as
    /// one story because nothing said otherwise), or nil.
    public private(set) var note: String?
    /// Whether JSON lines are parsed ahead, a batch of lines at a time on all cores, instead
    /// of one line per ``next()``. Documents, errors and ``skipped`` are the same either way
    /// and come in the same order; only the reading runs ahead of the caller. Set it for a file
    /// read whole (training, evaluation); leave it off for a stream read as it arrives, where
    /// a batch would wait for lines that have not been written yet.
    public var parsesInParallel = false

    private var lines: LineReader?
    private var csvHeader: [String]?
    private var pending: [Document] = []
    private var finished = false
    let conversion: RecordConversion
    /// With ``parsesInParallel``: the lines read and parsed ahead, in order, and the next to hand out.
    var parsedAhead: [ParsedLine] = []
    var parsedAheadNext = 0
    /// With ``parsesInParallel``: the error reading the input raised after the lines in
    /// ``parsedAhead``, raised when they have been handed out.
    var readFailureAhead: (any Error)?
    /// The field separator of CSV and TSV records.
    private let delimiter: Unicode.Scalar

    /// Opens `path` for reading ("-" is standard input). When `format` is nil it is inferred
    /// from the path; standard input is read as JSONL when it starts with "{" (or is empty or
    /// blank: no stories), else as one story.
    /// `delimiter` separates the fields of CSV and TSV records (default `,` and tab).
    public init(path: String, format: InputFormat? = nil, fields: FieldNames = FieldNames(), skipsInvalid: Bool = false,
                delimiter: Unicode.Scalar? = nil) throws {
        self.path = path
        self.fields = fields
        self.skipsInvalid = skipsInvalid
        self.conversion = RecordConversion(fields: fields, path: path)
        var resolved = format ?? InputFormat.inferred(from: path)
        self.delimiter = delimiter ?? (resolved == .tsv ? "\t" : ",")
        if format == nil && resolved == .text {
            // Not named by its extension: the content decides, for files and standard input alike.
            let input = try LineReader(path: path)
            resolved = try Self.sniffedFormat(input, emptyIsJSONL: path == "-")
            lines = input
        }
        self.format = resolved
        switch resolved {
        case .jsonl, .csv, .tsv, .lines:
            if lines == nil { lines = try LineReader(path: path) }
        case .text:
            let text = try lines.map { TextDecoding.repairing(try $0.readRemaining()) } ?? FileContents.text(path)
            lines = nil
            if format == nil { note = Self.oneStoryNote(text, name: path == "-" ? "standard input" : path) }
            pending = [Self.textDocument(text, path: path)]
        case .html:
            pending = [Self.htmlDocument(try FileContents.text(path), path: path)]
        case .folders:
            pending = try Self.readFolders(path)
        }
    }

    /// One plain-text story: a headline on its first line becomes the title (see
    /// ``PlainTextHeadline``), the rest is the text.
    static func textDocument(_ text: String, path: String) -> Document {
        let id = RecordConversion.fileName(path)
        if let (title, body) = PlainTextHeadline.split(text) { return Document(id: id, title: title, text: body, source: (path, 1)) }
        return Document(id: id, text: text, source: (path, 1))
    }

    /// One HTML page as a story: its text, and its `<title>` as the title.
    static func htmlDocument(_ html: String, path: String) -> Document {
        let page = HTMLExtraction.extract(html)
        return Document(id: RecordConversion.fileName(path), title: page.title, text: page.text, source: (path, 1))
    }

    /// Reads documents from bytes already in memory (a received request body, a fuzzer's
    /// input) exactly as from a file of that `format`; `name` stands in for the path in
    /// errors and generated ids. A nil `format` is decided from the content as for standard
    /// input: JSONL when it starts with "{" or is blank, else one story. Folders cannot be
    /// read this way.
    public init(bytes: [UInt8], name: String, format: InputFormat?, fields: FieldNames = FieldNames(), skipsInvalid: Bool = false,
                delimiter: Unicode.Scalar? = nil) throws {
        self.path = name
        self.fields = fields
        self.skipsInvalid = skipsInvalid
        self.conversion = RecordConversion(fields: fields, path: name)
        let input = LineReader(bytes: bytes, name: name)
        let resolved = try format ?? Self.sniffedFormat(input, emptyIsJSONL: true)
        self.format = resolved
        self.delimiter = delimiter ?? (resolved == .tsv ? "\t" : ",")
        switch resolved {
        case .jsonl, .csv, .tsv, .lines:
            lines = input
        case .html:
            pending = [Self.htmlDocument(TextDecoding.repairing(bytes[...]), path: name)]
        case .text:
            let text = TextDecoding.repairing(bytes[...])
            if format == nil { note = Self.oneStoryNote(text, name: name) }
            pending = [Self.textDocument(text, path: name)]
        case .folders:
            throw LapisError.invalidOption(.inputFormat, value: resolved.rawValue, allowed: "jsonl, csv or text for bytes in memory")
        }
    }

    /// The format of input not named by its extension: JSON lines start with "{" (after any
    /// byte-order mark and white space); blank input is JSONL (no stories) when
    /// `emptyIsJSONL`, so a filter under Spark's `RDD.pipe` prints nothing for an empty
    /// partition; anything else is one text story.
    static func sniffedFormat(_ input: LineReader, emptyIsJSONL: Bool) throws -> InputFormat {
        switch try input.peekFirstNonSpaceByte() {
        case UInt8(ascii: "{"): return .jsonl
        case nil where emptyIsJSONL: return .jsonl
        default: return .text
        }
    }

    /// The note for a multi-line input read as a single story, or nil for one line.
    static func oneStoryNote(_ text: String, name: String) -> String? {
        let lineCount = text.split(whereSeparator: \.isNewline).filter { $0.contains { !$0.isWhitespace } }.count
        guard lineCount > 1 else { return nil }
        return "\(name) is read as one story (\(lineCount) lines); "
            + "give --input-format to read it otherwise, or --input-format text to keep this without the note"
    }

    /// Reads every remaining document (JSON lines parsed on all cores, as with
    /// ``parsesInParallel``).
    public func readAll() throws -> [Document] {
        parsesInParallel = true
        var documents: [Document] = []
        while let document = try next() { documents.append(document) }
        return documents
    }

    /// The next document, or nil at the end.
    public func next() throws -> Document? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard let lines, !finished else { return nil }
        while true {
            do {
                switch format {
                case .jsonl where parsesInParallel:
                    if parsedAheadNext == parsedAhead.count {
                        if let failure = readFailureAhead {
                            readFailureAhead = nil
                            throw failure
                        }
                        parseAhead(lines)
                        // Nothing parsed: the end, or a read error to raise next time round.
                        if parsedAhead.isEmpty {
                            if readFailureAhead == nil { finished = true; return nil }
                            continue
                        }
                    }
                    parsedAheadNext += 1
                    switch parsedAhead[parsedAheadNext - 1] {
                    case .document(let document): return document
                    case .failure(let error): throw error
                    }
                case .jsonl:
                    guard let line = try lines.nextLine() else { finished = true; return nil }
                    if Self.isBlank(line) { continue }
                    return try Self.jsonDocument(line, lineNumber: lines.lineNumber, conversion: conversion)
                case .csv, .tsv:
                    guard let document = try nextCSVDocument(lines) else { finished = true; return nil }
                    return document
                case .lines:
                    guard let line = try lines.nextLine() else { finished = true; return nil }
                    let text = TextDecoding.repairing(line)
                    if text.allSatisfy(\.isWhitespace) { continue }
                    let number = lines.lineNumber
                    return Document(id: String(number), text: text, source: (path, number))
                default:
                    return nil
                }
            } catch let error as LapisError {
                guard skipsInvalid, Self.isRecordError(error) else { throw error }
                skipped += 1
                if skippedExamples.count < 10 { skippedExamples.append(error) }
            }
        }
    }

    static func isRecordError(_ error: LapisError) -> Bool {
        switch error {
        case .malformedRecord, .missingField, .wrongFieldType, .unknownLabels: return true
        default: return false
        }
    }

    /// Whether a JSON line holds only spaces, tabs and carriage returns (no record).
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    static func jsonDocument(_ line: ArraySlice<UInt8>, lineNumber: Int, conversion: RecordConversion) throws -> Document {
        let path = conversion.path
        var line = line
        // As TextDecoding.repairing has it for every input: a byte-order mark and NUL bytes are
        // not part of the text (invalid UTF-8 is repaired inside strings by the scanner).
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.contains(0) { line = ArraySlice(line.filter { $0 != 0 }) }
        let parsed = line.withUnsafeBufferPointer { conversion.scanner.record($0) }
        switch parsed {
        case .success(let record):
            return try conversion.document(from: record, line: lineNumber)
        case .failure(.notAnObject):
            throw LapisError.malformedRecord(path: path, line: lineNumber, reason: "expected a JSON object {...}")
        case .failure(.invalid(let problem)):
            throw LapisError.malformedRecord(path: path, line: lineNumber, reason: "not valid JSON (\(problem))")
        }
    }

    // MARK: CSV

    private func nextCSVDocument(_ lines: LineReader) throws -> Document? {
        // A loop, not recursion: a file of a million blank lines must not exhaust the stack.
        while let (row, lineNumber) = try CSVParser.nextRecord(lines, path: path, delimiter: delimiter) {
            // A blank or white-space-only line is no record (nor a header).
            if row.count == 1 && row[0].trimmingWhitespace().isEmpty { continue }
            guard let header = csvHeader else {
                let names = row.map { $0.trimmingWhitespace() }
                if Set(names).count != names.count {
                    throw LapisError.malformedRecord(path: path, line: lineNumber, reason: "the header names a column twice")
                }
                csvHeader = names
                continue
            }
            return try csvDocument(row, header: header, lineNumber: lineNumber)
        }
        return nil
    }

    private func csvDocument(_ row: [String], header: [String], lineNumber: Int) throws -> Document {
        guard row.count == header.count else {
            throw LapisError.malformedRecord(path: path, line: lineNumber,
                                             reason: "\(row.count) fields where the header has \(header.count)")
        }
        var record = FieldRecord(keys: header)
        for (name, value) in zip(header, row) { record.values[name] = .string(value) }
        if let labelField = fields.labels, record[labelField] == .string("") { record.values[labelField] = .list([]) }
        return try conversion.document(from: record, line: lineNumber)
    }

    // MARK: Folders

    static func readFolders(_ root: String) throws -> [Document] {
        let manager = FileManager.default
        let labels: [String]
        do {
            labels = try manager.contentsOfDirectory(atPath: root).filter { name in
                var isDirectory: ObjCBool = false
                return !name.hasPrefix(".") && manager.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
            }.sorted()
        } catch {
            throw LapisError.unreadableFile(path: root, reason: error.localizedDescription)
        }
        // Files of the same name in several label folders are one story with all those labels
        // only when their contents are identical; otherwise (the usual 001.txt numbering in
        // each folder) they are different stories, told apart as "label/name".
        var byName: [String: [(label: String, path: String, text: String)]] = [:]
        for label in labels {
            let folder = root + "/" + label
            let files = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
            for file in files {
                let path = folder + "/" + file
                byName[file, default: []].append((label, path, try FileContents.text(path)))
            }
        }
        guard !byName.isEmpty else {
            let flat = try readFlatFolder(root)
            guard !flat.isEmpty else {
                throw LapisError.noDocuments(path: root, reason: "expected .txt or .html files, or sub-folders named after labels holding .txt files")
            }
            return flat
        }
        var documents: [Document] = []
        for file in byName.keys.sorted() {
            let copies = byName[file]!
            let stem = String(file.dropLast(4))
            var groups: [(text: String, copies: [(label: String, path: String, text: String)])] = []
            for copy in copies {
                if let index = groups.firstIndex(where: { $0.text == copy.text }) { groups[index].copies.append(copy) } else { groups.append((copy.text, [copy])) }
            }
            for group in groups {
                let first = group.copies[0]
                let id = groups.count == 1 ? stem : first.label + "/" + stem
                let headline = PlainTextHeadline.split(group.text)
                documents.append(Document(id: id, title: headline?.title, text: headline?.body ?? group.text, labels: group.copies.map(\.label),
                                          source: (first.path, 1)))
            }
        }
        return documents
    }
}

extension DocumentReader {
    /// A folder of story files without label sub-folders: one unlabelled story per `.txt` or
    /// `.html`/`.htm` file, in file-name order, its id the file name.
    static func readFlatFolder(_ root: String) throws -> [Document] {
        let names = try FileManager.default.contentsOfDirectory(atPath: root).filter { name in
            let lower = name.lowercased()
            return !name.hasPrefix(".") && (lower.hasSuffix(".txt") || lower.hasSuffix(".html") || lower.hasSuffix(".htm"))
        }.sorted()
        return try names.map { name in
            let path = root + "/" + name
            let text = try FileContents.text(path)
            if InputFormat.inferred(from: path) == .html { return htmlDocument(text, path: path) }
            var document = textDocument(text, path: path)
            document.id = name
            return document
        }
    }
}

/// RFC 4180 CSV records: quoted fields may hold commas, doubled quotes and line breaks.
enum CSVParser {
    /// The next record and the line it starts on, reading more lines while a quote is open.
    static func nextRecord(_ lines: LineReader, path: String, delimiter: Unicode.Scalar = ",") throws -> ([String], Int)? {
        guard let first = try lines.nextLine() else { return nil }
        let startLine = lines.lineNumber
        var text = TextDecoding.repairing(first)
        while true {
            switch parse(text, delimiter: delimiter) {
            case .complete(let fields):
                return (fields, startLine)
            case .openQuote:
                guard let more = try lines.nextLine() else {
                    throw LapisError.malformedRecord(path: path, line: startLine, reason: "a quoted field is never closed")
                }
                text += "\n" + TextDecoding.repairing(more)
            case .strayQuote(let column):
                throw LapisError.malformedRecord(path: path, line: startLine, reason: "unexpected quote in field \(column + 1)")
            }
        }
    }

    enum Outcome { case complete([String]), openQuote, strayQuote(Int) }

    static func parse(_ text: String, delimiter: Unicode.Scalar = ",") -> Outcome {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldStartedQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var lookahead: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let scalar = lookahead { lookahead = nil; return scalar }
            return iterator.next()
        }
        while let scalar = nextScalar() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = iterator.next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; lookahead = following }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case delimiter:
                fields.append(field); field = ""; fieldStartedQuoted = false
            case "\"":
                if field.isEmpty && !fieldStartedQuoted { inQuotes = true; fieldStartedQuoted = true } else { return .strayQuote(fields.count) }
            default:
                if fieldStartedQuoted { return .strayQuote(fields.count) }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { return .openQuote }
        fields.append(field)
        return .complete(fields)
    }
}
