import Foundation

extension NSNull: NSNullLike {}

/// The input formats Lapis reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// One JSON object per line: `{"id", "title"?, "text", "labels"?}` (field names configurable).
    case jsonl
    /// Comma-separated values with a header row naming the fields.
    case csv
    /// A folder with one sub-folder per label holding `.txt` stories; a story in several
    /// label folders (same file name) carries all those labels.
    case folders
    /// One story per file (or standard input).
    case text

    /// The format implied by a path: a directory, `.jsonl`/`.ndjson`, `.csv`, else plain text.
    public static func inferred(from path: String) -> InputFormat {
        var isDirectory: ObjCBool = false
        if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return .folders
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        return .text
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

    private var lines: LineReader?
    private var csvHeader: [String]?
    private var pending: [Document] = []
    private var finished = false
    private let conversion: RecordConversion

    /// Opens `path` for reading ("-" is standard input). When `format` is nil it is inferred
    /// from the path; standard input is read as JSONL when it starts with "{" (or is empty or
    /// blank: no stories), else as one story.
    public init(path: String, format: InputFormat? = nil, fields: FieldNames = FieldNames(), skipsInvalid: Bool = false) throws {
        self.path = path
        self.fields = fields
        self.skipsInvalid = skipsInvalid
        self.conversion = RecordConversion(fields: fields, path: path)
        var resolved = format ?? InputFormat.inferred(from: path)
        if path == "-" {
            let input = try LineReader(path: path)
            if format == nil {
                // Empty (or all-blank) input is read as JSONL, i.e. no stories: a filter under
                // Spark's RDD.pipe gets an empty partition this way and must print nothing.
                let first = try input.peekFirstNonSpaceByte()
                resolved = first == nil || first == UInt8(ascii: "{") ? .jsonl : .text
            }
            lines = input
        }
        self.format = resolved
        switch resolved {
        case .jsonl, .csv:
            if lines == nil { lines = try LineReader(path: path) }
        case .text:
            let text = try lines.map { TextDecoding.repairing(try $0.readRemaining()) } ?? FileContents.text(path)
            lines = nil
            pending = [Document(id: RecordConversion.fileName(path), text: text, source: (path, 1))]
        case .folders:
            pending = try Self.readFolders(path)
        }
    }

    /// Reads documents from bytes already in memory (a received request body, a fuzzer's
    /// input) exactly as from a file of that `format`; `name` stands in for the path in
    /// errors and generated ids. Folders cannot be read this way.
    public init(bytes: [UInt8], name: String, format: InputFormat, fields: FieldNames = FieldNames(), skipsInvalid: Bool = false) throws {
        self.path = name
        self.fields = fields
        self.skipsInvalid = skipsInvalid
        self.conversion = RecordConversion(fields: fields, path: name)
        self.format = format
        switch format {
        case .jsonl, .csv:
            lines = LineReader(bytes: bytes)
        case .text:
            pending = [Document(id: RecordConversion.fileName(name), text: TextDecoding.repairing(bytes[...]), source: (name, 1))]
        case .folders:
            throw LapisError.invalidOption(name: "format", value: format.rawValue, allowed: "in-memory bytes can be read as jsonl, csv or text")
        }
    }

    /// Reads every remaining document.
    public func readAll() throws -> [Document] {
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
                case .jsonl:
                    guard let line = try lines.nextLine() else { finished = true; return nil }
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    return try jsonDocument(line, lineNumber: lines.lineNumber)
                case .csv:
                    guard let document = try nextCSVDocument(lines) else { finished = true; return nil }
                    return document
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

    private func jsonDocument(_ line: ArraySlice<UInt8>, lineNumber: Int) throws -> Document {
        let repaired = Data(TextDecoding.repairing(line).utf8)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: repaired, options: [.fragmentsAllowed])  // so "5" gets "expected a JSON object"
        } catch {
            throw LapisError.malformedRecord(path: path, line: lineNumber, reason: "not valid JSON (\(Self.jsonProblem(error)))")
        }
        guard let record = object as? [String: Any] else {
            throw LapisError.malformedRecord(path: path, line: lineNumber, reason: "expected a JSON object {...}")
        }
        return try conversion.document(from: record, line: lineNumber)
    }

    static func jsonProblem(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "syntax error"
    }

    // MARK: CSV

    private func nextCSVDocument(_ lines: LineReader) throws -> Document? {
        // A loop, not recursion: a file of a million blank lines must not exhaust the stack.
        while let (row, lineNumber) = try CSVParser.nextRecord(lines, path: path) {
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
        var record: [String: Any] = [:]
        for (name, value) in zip(header, row) { record[name] = value }
        if let labelField = fields.labels, let value = record[labelField] as? String, value.isEmpty { record[labelField] = [String]() }
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
        var byName: [String: Document] = [:]
        for label in labels {
            let folder = root + "/" + label
            let files = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
            for file in files {
                if var existing = byName[file] {
                    existing.labels!.append(label)
                    byName[file] = existing
                } else {
                    let path = folder + "/" + file
                    byName[file] = Document(id: String(file.dropLast(4)), text: try FileContents.text(path), labels: [label], source: (path, 1))
                }
            }
        }
        guard !byName.isEmpty else {
            throw LapisError.noDocuments(path: root, reason: "expected sub-folders named after labels holding .txt files")
        }
        return byName.keys.sorted().map { byName[$0]! }
    }
}

/// RFC 4180 CSV records: quoted fields may hold commas, doubled quotes and line breaks.
enum CSVParser {
    /// The next record and the line it starts on, reading more lines while a quote is open.
    static func nextRecord(_ lines: LineReader, path: String) throws -> ([String], Int)? {
        guard let first = try lines.nextLine() else { return nil }
        let startLine = lines.lineNumber
        var text = TextDecoding.repairing(first)
        while true {
            switch parse(text) {
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

    static func parse(_ text: String) -> Outcome {
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
            case ",":
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
