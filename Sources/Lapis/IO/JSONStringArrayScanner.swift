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

    /// The range (in `json`'s indices) of the array, object or string that is the value of the top-level field
    /// `field` of the JSON object in `json`, which must be well-formed (the caller checks it,
    /// e.g. with ``strings(field:in:)`` or a full decoder); `nil` when there is no such field or
    /// its value is a number, boolean or null. On malformed input the range may be wrong but
    /// always lies inside `json`.
    /// The caller can then hand a full decoder the document without that value, which the
    /// decoder would otherwise scan in full only to skip it.
    ///
    /// - Complexity: O(*n*) in the length of `json`.
    static func valueRange(field: String, in json: Data) -> Range<Data.Index>? {
        let key = Array(field.utf8)
        let offsets = json.withUnsafeBytes { raw -> Range<Int>? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            func skipSpace(_ index: Int) -> Int {
                var index = index
                while index < count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
                return index
            }
            /// The index just past the string that opens at `index`.
            func endOfString(_ index: Int) -> Int {
                var index = index + 1
                while index < count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                return index + 1
            }
            var depth = 0
            var index = 0
            while index < count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    let end = endOfString(index)
                    let colon = skipSpace(end)
                    // At depth 1 a string followed by a colon is a key of the top-level object.
                    if depth == 1, colon < count, bytes[colon] == UInt8(ascii: ":"), end - index - 2 == key.count,
                       zip(bytes[(index + 1)..<(end - 1)], key).allSatisfy({ $0 == $1 }) {
                        let start = skipSpace(colon + 1)
                        guard start < count else { return nil }
                        if bytes[start] == UInt8(ascii: "\"") {
                            let end = endOfString(start)
                            return end <= count ? start..<end : nil
                        }
                        guard bytes[start] == UInt8(ascii: "[") || bytes[start] == UInt8(ascii: "{") else { return nil }
                        var inner = 0
                        var position = start
                        while position < count {
                            switch bytes[position] {
                            case UInt8(ascii: "\""): position = endOfString(position); continue
                            case UInt8(ascii: "["), UInt8(ascii: "{"): inner += 1
                            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                                inner -= 1
                                if inner == 0 { return start..<(position + 1) }
                            default: break
                            }
                            position += 1
                        }
                        return nil
                    }
                    index = end
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
                index += 1
            }
            return nil
        }
        return offsets.map { (json.startIndex + $0.lowerBound)..<(json.startIndex + $0.upperBound) }
    }
}
