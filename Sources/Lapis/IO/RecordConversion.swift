import Foundation

/// Turning a parsed record (JSON object or CSV row) into a ``Document``.
struct RecordConversion {
    let fields: FieldNames
    let path: String
    /// Reads JSON lines keeping only the fields above.
    let scanner: JSONRecordScanner

    init(fields: FieldNames, path: String) {
        self.fields = fields
        self.path = path
        self.scanner = JSONRecordScanner(fields: [fields.id, fields.title, fields.text] + (fields.labels.map { [$0] } ?? []) + fields.extra)
    }

    func document(from record: FieldRecord, line: Int) throws -> Document {
        func string(_ name: String, required: Bool) throws -> String? {
            switch record[name] {
            case nil, .null?:
                if required { throw LapisError.missingField(path: path, line: line, field: name, available: record.keys) }
                return nil
            case .string(let text)?: return text
            default: throw LapisError.wrongFieldType(path: path, line: line, field: name, expected: "a string")
            }
        }
        let text = try string(fields.text, required: fields.requiresText) ?? ""
        let id: String
        switch record[fields.id] {
        case .string(let value)?: id = value
        case nil, .null?: id = "\(Self.fileName(path)):\(line)"
        // Whole numbers up to 10^15 only: beyond that a JSON number has lost digits in parsing
        // (and Int(1e19) would trap), and true/false are not ids.
        case let value? where Self.integer(value) != nil: id = String(Self.integer(value)!)
        default:
            throw LapisError.wrongFieldType(path: path, line: line, field: fields.id,
                                            expected: "a string or a whole number below 10^15 (write longer ids as strings)")
        }
        var labels: [String]?
        if let labelField = fields.labels {
            switch record[labelField] {
            case nil:
                throw LapisError.missingField(path: path, line: line, field: labelField, available: record.keys)
            case .null?:
                labels = []
            case .list(let list)?:
                labels = try list.map {
                    guard case .string(let label) = $0 else {
                        throw LapisError.wrongFieldType(path: path, line: line, field: labelField, expected: "a list of strings")
                    }
                    return label
                }
            case .string(let joined)?:
                labels = Self.splitLabels(joined)
            default:
                throw LapisError.wrongFieldType(path: path, line: line, field: labelField, expected: "a list of strings or a string")
            }
            labels = labels.map { Array(Set($0.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty })).sorted() }
        }
        var extras: [String: String] = [:]
        var indexFields: [String: [Int]] = [:]
        for name in fields.extra {
            guard let value = record[name] else {
                throw LapisError.missingField(path: path, line: line, field: name, available: record.keys)
            }
            switch value {
            case .string(let text): extras[name] = text
            case .list(let list) where !list.isEmpty && list.allSatisfy({ Self.integer($0) != nil }):
                indexFields[name] = list.map { Self.integer($0)! }
            case .list(let list):
                extras[name] = try list.map {
                    guard case .string(let text) = $0 else {
                        throw LapisError.wrongFieldType(path: path, line: line, field: name, expected: "a string or a list of strings")
                    }
                    return text
                }.joined(separator: "\n")
            default:
                throw LapisError.wrongFieldType(path: path, line: line, field: name, expected: "a string or a list of strings")
            }
        }
        var document = Document(id: id, title: try string(fields.title, required: false), text: text, labels: labels,
                                extraFields: extras, source: (path, line))
        document.indexFields = indexFields
        return document
    }

    /// A JSON number that is a whole number (not a Boolean), as an Int.
    static func integer(_ value: FieldValue) -> Int? {
        guard case .number(let double) = value, double == double.rounded(), abs(double) < 1e15 else { return nil }
        return Int(double)
    }

    /// Labels written in one string, separated by commas, semicolons or vertical bars.
    static func splitLabels(_ joined: String) -> [String] {
        joined.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "|" }).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    static func fileName(_ path: String) -> String {
        path == "-" ? "stdin" : String(path.split(separator: "/").last ?? Substring(path))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
