import Foundation

/// Turning a parsed record (JSON object or CSV row) into a ``Document``.
struct RecordConversion {
    let fields: FieldNames
    let path: String

    func document(from record: [String: Any], line: Int) throws -> Document {
        func string(_ name: String, required: Bool) throws -> String? {
            guard let value = record[name], !(value is NSNullLike) else {
                if required { throw LapisError.missingField(path: path, line: line, field: name, available: Array(record.keys)) }
                return nil
            }
            if let text = value as? String { return text }
            throw LapisError.wrongFieldType(path: path, line: line, field: name, expected: "a string")
        }
        let text = try string(fields.text, required: fields.requiresText) ?? ""
        let id: String
        switch record[fields.id] {
        case let value as String: id = value
        case nil, is NSNullLike: id = "\(Self.fileName(path)):\(line)"
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
                throw LapisError.missingField(path: path, line: line, field: labelField, available: Array(record.keys))
            case is NSNullLike:
                labels = []
            case let list as [Any]:
                labels = try list.map {
                    guard let label = $0 as? String else {
                        throw LapisError.wrongFieldType(path: path, line: line, field: labelField, expected: "a list of strings")
                    }
                    return label
                }
            case let joined as String:
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
                throw LapisError.missingField(path: path, line: line, field: name, available: Array(record.keys))
            }
            switch value {
            case let text as String: extras[name] = text
            case let list as [Any] where !list.isEmpty && list.allSatisfy({ Self.integer($0) != nil }):
                indexFields[name] = list.map { Self.integer($0)! }
            case let list as [Any]:
                extras[name] = try list.map {
                    guard let text = $0 as? String else {
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
    static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 1e15 else { return nil }
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

/// Marker for JSON null (Foundation's NSNull).
protocol NSNullLike {}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
