import Foundation

/// Reads one string-array field of a JSON object straight from its bytes: the vocabulary of a
/// large model (tens of thousands of terms) takes JSONDecoder about 3,000 instructions per
/// string, this scanner a few dozen, which is most of a large model's load time.
///
/// It is a fast path, never the only one: it returns `nil` whenever the input is anything but
/// the plain case (no such field, the field twice, an element that is not a string, a lone
/// UTF-16 surrogate escape, malformed JSON), and the caller then decodes normally. Callers
/// also validate the whole document with a full JSON decoder, so the scanner only has to be
/// right on well-formed JSON.
enum JSONStringArrayScanner {
    /// The strings of the top-level field `field` of the JSON object in `json`, or `nil`.
    ///
    /// - Complexity: O(*n*) in the length of `json`.
    static func strings(field: String, in json: Data) -> [String]? {
        // The scanner that reads JSON lines checks the whole object and builds only this field.
        let parsed = json.withUnsafeBytes { raw in JSONRecordScanner(fields: [field]).record(raw.bindMemory(to: UInt8.self)) }
        guard case .success(let record) = parsed, record.keys.lazy.filter({ $0 == field }).count == 1,
              case .list(let elements)? = record[field] else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let string) = element else { return nil }
            strings.append(string)
        }
        return strings
    }
}
