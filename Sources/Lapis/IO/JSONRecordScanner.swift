/// A record field's value as read from JSON or CSV: the shapes ``RecordConversion`` tells apart.
enum FieldValue: Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([FieldValue])
    /// A JSON object (checked for well-formedness, contents not kept: no field is one).
    case object
}

/// A record as read from one JSON line or CSV row: the values of the fields asked for, and
/// the names of all fields (for the "available fields" of an error).
struct FieldRecord: Equatable {
    var values: [String: FieldValue] = [:]
    var keys: [String] = []

    subscript(name: String) -> FieldValue? { values[name] }
}

/// Reads one JSON-lines record straight from its bytes, keeping only the fields Lapis asks for.
///
/// Foundation's `JSONSerialization` built a dictionary of boxed values for every field of
/// every line (dates, places, ...) and spent most of reading a corpus doing it; this scanner
/// validates the whole line as RFC 8259 JSON but builds Strings only for the wanted fields.
/// What it accepts and rejects matches `JSONSerialization` on every case the tests compare
/// (every escape, `\uXXXX` surrogate pairs, lone surrogates, control characters, nesting,
/// trailing text); a repeated field keeps its last value, as the dictionary did, and a
/// trailing comma before `}` or `]` is allowed, as Foundation's parser allows it.
struct JSONRecordScanner {
    /// The UTF-8 names of the fields whose values are kept.
    private let wanted: [[UInt8]]
    /// Deeper nesting than this is an error, as in Foundation's parser, so that hostile input
    /// cannot cost unbounded work per byte.
    static let maximumDepth = 512

    init(fields: [String]) {
        wanted = Array(Set(fields)).map { Array($0.utf8) }
    }

    /// Why a line is not a record: not JSON at all, or JSON that is not an object.
    enum Problem: Error, Equatable {
        case invalid(String)
        case notAnObject
    }

    /// The record on `line`, or the problem with it. The line has had its byte-order mark and
    /// NUL bytes removed (see ``TextDecoding``); invalid UTF-8 inside strings becomes U+FFFD.
    func record(_ line: UnsafeBufferPointer<UInt8>) -> Result<FieldRecord, Problem> {
        var parser = Parser(bytes: line, wanted: wanted)
        return parser.record()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let wanted: [[UInt8]]
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>, wanted: [[UInt8]]) {
            self.bytes = bytes
            self.wanted = wanted
        }

        mutating func record() -> Result<FieldRecord, Problem> {
            do {
                skipSpace()
                guard position < bytes.count else { throw Problem.invalid("the line is empty") }
                guard bytes[position] == UInt8(ascii: "{") else {
                    // Valid JSON that is not an object gets its own message ("5", "[1, 2]").
                    try skipValue()
                    try expectEnd()
                    return .failure(.notAnObject)
                }
                position += 1
                var record = FieldRecord()
                skipSpace()
                if !take(UInt8(ascii: "}")) {
                    while true {
                        skipSpace()
                        guard peek() == UInt8(ascii: "\"") else { throw problem("expected a field name in quotes") }
                        let key = try string()
                        skipSpace()
                        guard take(UInt8(ascii: ":")) else { throw problem("expected ':' after the field name") }
                        skipSpace()
                        record.keys.append(key)
                        if wanted.contains(where: { key.utf8.elementsEqual($0) }) {
                            record.values[key] = try value(depth: 1)
                        } else {
                            try skipValue(depth: 1)
                        }
                        skipSpace()
                        if take(UInt8(ascii: ",")) {
                            skipSpace()
                            if take(UInt8(ascii: "}")) { break }  // a trailing comma, which Foundation accepted
                            continue
                        }
                        guard take(UInt8(ascii: "}")) else { throw problem("expected ',' or '}' after a value") }
                        break
                    }
                }
                try expectEnd()
                return .success(record)
            } catch let problem as Problem {
                return .failure(problem)
            } catch {
                return .failure(.invalid("syntax error"))
            }
        }

        func problem(_ what: String) -> Problem {
            guard position < bytes.count else { return .invalid("\(what), found the end of the line") }
            let byte = bytes[position]
            let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16, uppercase: true)
            return .invalid("\(what), found \(shown) at byte \(position + 1)")
        }

        mutating func expectEnd() throws {
            skipSpace()
            if position < bytes.count { throw problem("unexpected text after the value") }
        }

        @inline(__always)
        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        @inline(__always)
        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        @inline(__always)
        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        /// A kept value: strings, numbers, literals and lists are built, objects only checked.
        mutating func value(depth: Int) throws -> FieldValue {
            guard let byte = peek() else { throw problem("expected a value") }
            switch byte {
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "["):
                guard depth < JSONRecordScanner.maximumDepth else { throw problem("nested too deeply") }
                position += 1
                var elements: [FieldValue] = []
                skipSpace()
                if take(UInt8(ascii: "]")) { return .list(elements) }
                while true {
                    skipSpace()
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    if take(UInt8(ascii: ",")) {
                        skipSpace()
                        if take(UInt8(ascii: "]")) { return .list(elements) }  // a trailing comma
                        continue
                    }
                    guard take(UInt8(ascii: "]")) else { throw problem("expected ',' or ']' in a list") }
                    return .list(elements)
                }
            case UInt8(ascii: "{"):
                try skipValue(depth: depth)
                return .object
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                return try literal()
            default:
                return .number(try number())
            }
        }

        /// Checks a value without keeping it. Nesting is followed with a stack of what each
        /// open bracket is (true: an object), not recursion.
        mutating func skipValue(depth: Int = 0) throws {
            var open: [Bool] = []
            while true {
                // At the start of a value.
                guard let byte = peek() else { throw problem("expected a value") }
                switch byte {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    guard depth + open.count < JSONRecordScanner.maximumDepth else { throw problem("nested too deeply") }
                    position += 1
                    let isObject = byte == UInt8(ascii: "{")
                    skipSpace()
                    if !take(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        open.append(isObject)
                        if isObject { try skipMemberName() }
                        continue
                    }
                case UInt8(ascii: "\""): try skipString()
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): _ = try literal()
                default: _ = try number()
                }
                // After a value: a separator, or the end of one or more containers.
                while true {
                    guard let isObject = open.last else { return }
                    skipSpace()
                    if take(UInt8(ascii: ",")) {
                        skipSpace()
                        if take(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {  // a trailing comma
                            open.removeLast()
                            continue
                        }
                        if isObject { try skipMemberName() }
                        break
                    }
                    guard take(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                        throw problem(isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in a list")
                    }
                    open.removeLast()
                }
            }
        }

        /// `"name" :` inside a skipped object, leaving the position at its value.
        mutating func skipMemberName() throws {
            guard peek() == UInt8(ascii: "\"") else { throw problem("expected a field name in quotes") }
            try skipString()
            skipSpace()
            guard take(UInt8(ascii: ":")) else { throw problem("expected ':' after the field name") }
            skipSpace()
        }

        mutating func literal() throws -> FieldValue {
            let (word, value): (StaticString, FieldValue)
            switch peek() {
            case UInt8(ascii: "t"): (word, value) = ("true", .bool(true))
            case UInt8(ascii: "f"): (word, value) = ("false", .bool(false))
            default: (word, value) = ("null", .null)
            }
            let count = word.utf8CodeUnitCount
            guard bytes.count - position >= count,
                  UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[position..<position + count]) else {
                throw problem("expected a value")
            }
            position += count
            return value
        }

        /// A number as RFC 8259 writes it (`-? int frac? exp?`, no leading zeros), as a Double.
        mutating func number() throws -> Double {
            let start = position
            _ = take(UInt8(ascii: "-"))
            guard let first = peek(), isDigit(first) else { throw problem("expected a value") }
            position += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if take(UInt8(ascii: ".")) {
                guard let digit = peek(), isDigit(digit) else { throw problem("expected a digit after the decimal point") }
                skipDigits()
            }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard let digit = peek(), isDigit(digit) else { throw problem("expected a digit in the exponent") }
                skipDigits()
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else {
                position = start
                throw problem("a number too large to represent")
            }
            return value
        }

        @inline(__always)
        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

        mutating func skipDigits() {
            while let byte = peek(), isDigit(byte) { position += 1 }
        }

        /// Checks a string and moves past it without building it.
        mutating func skipString() throws {
            position += 1  // the opening quote
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { position += 1; return }
                if byte == UInt8(ascii: "\\") {
                    position += 1
                    _ = try escapedScalar()
                    continue
                }
                if byte < 0x20 { throw problem("a control character inside a string (write it as an escape)") }
                position += 1
            }
            throw Problem.invalid("a string is not closed before the end of the line")
        }

        /// The string at the current position (its opening quote), unescaped.
        mutating func string() throws -> String {
            position += 1
            let start = position
            // Most strings have no escapes: one pass to find the closing quote, one decode.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    defer { position += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw problem("a control character inside a string (write it as an escape)") }
                position += 1
            }
            guard position < bytes.count else { throw Problem.invalid("a string is not closed before the end of the line") }
            // Escaped characters are written as UTF-8 between the raw bytes. Raw bytes that are
            // not UTF-8 stay as they are for the final decode to replace with U+FFFD: an escape
            // always yields a complete sequence, never a continuation byte, so a broken raw
            // sequence cannot merge with it into a valid one.
            var utf8 = Array(bytes[start..<position])
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return String(decoding: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    position += 1
                    UTF8.encode(try escapedScalar()) { utf8.append($0) }
                default:
                    if byte < 0x20 { throw problem("a control character inside a string (write it as an escape)") }
                    utf8.append(byte)
                    position += 1
                }
            }
            throw Problem.invalid("a string is not closed before the end of the line")
        }

        /// The character of one escape (after its backslash).
        mutating func escapedScalar() throws -> Unicode.Scalar {
            guard let byte = peek() else { throw Problem.invalid("a string is not closed before the end of the line") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"): return try unicodeEscape()
            default:
                position -= 1
                throw problem("an unknown escape in a string")
            }
        }

        /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair;
        /// a surrogate without its partner is an error, as in Foundation's parser.
        mutating func unicodeEscape() throws -> Unicode.Scalar {
            let high = try hex4()
            switch high {
            case 0xD800..<0xDC00:
                guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw problem("a \\u escape of a high surrogate without its low surrogate")
                }
                position += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw problem("a \\u escape of a high surrogate without its low surrogate")
                }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            case 0xDC00..<0xE000:
                throw problem("a \\u escape of a low surrogate without its high surrogate")
            default:
                return Unicode.Scalar(high)!
            }
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek() else { throw problem("expected four hex digits after \\u") }
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw problem("expected four hex digits after \\u")
                }
                position += 1
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
