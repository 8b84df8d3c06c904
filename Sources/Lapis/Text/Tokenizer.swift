/// The kind of a token produced by ``Tokenizer``.
public enum TokenKind: Sendable, Equatable {
    /// Letters, possibly with internal apostrophes or hyphens ("don't", "state-owned").
    case word
    /// Digits, possibly with internal decimal points or thousands separators ("3.5", "1,200").
    case number
}

/// A token: its text and its kind.
public struct Token: Sendable, Equatable, CustomStringConvertible {
    /// The token's text as it appears in the (normalised) input.
    public var text: String
    /// What the token is.
    public var kind: TokenKind

    /// Creates a token.
    public init(_ text: String, kind: TokenKind) {
        self.text = text
        self.kind = kind
    }

    public var description: String { text }
}

/// Splits text into word and number tokens.
///
/// Rules, in the order they matter:
/// - A token is a run of letters and digits. Punctuation and symbols separate tokens.
/// - An apostrophe or a hyphen *between* two alphanumerics joins them: "don't", "o'neill",
///   "state-owned", "covid-19". A possessive "'s" is kept ("china's"); ``TextAnalyzer`` strips it.
/// - A period or comma between two digits joins them: "3.5", "1,200,000".
/// - Dotted acronyms keep their inner periods: "u.s.", "e.g." become "u.s" and "e.g".
/// - A token of digits only (with its separators) is a ``TokenKind/number``.
///
/// The tokenizer does not normalise: run ``TextNormalizer`` first.
public struct Tokenizer: Sendable {
    /// Creates a tokenizer.
    public init() {}

    /// Returns the tokens of `text`.
    public func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        forEachToken(in: text) { result.append(Token($0, kind: $1)) }
        return result
    }

    /// Calls `body` with each token of `text` in order, without building an array.
    public func forEachToken(in text: String, _ body: (String, TokenKind) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            Self.scan(bytes) { token, kind in body(String(decoding: token, as: UTF8.self), kind) }
        }
    }

    /// Calls `body` with the UTF-8 bytes of each token of `text` (a part of `text`, valid only
    /// during the call): callers that look tokens up by their bytes build no String for them.
    func forEachTokenBytes(in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        Self.scan(text, body)
    }

    // The scanner works on UTF-8 bytes; non-ASCII bytes are decoded only to ask whether
    // the scalar is alphanumeric, which keeps the common ASCII path allocation-free.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        let count = bytes.count
        var index = 0
        while index < count {
            let (isAlnum, width) = alphanumeric(bytes, at: index)
            if !isAlnum {
                index += width
                continue
            }
            let start = index
            var allDigits = true
            var position = index
            scanning: while position < count {
                let (alnum, w) = alphanumeric(bytes, at: position)
                if alnum {
                    if !isDigit(bytes[position]) { allDigits = false }
                    position += w
                    continue
                }
                let byte = bytes[position]
                let next = position + w
                guard next < count else { break }
                let (nextIsAlnum, _) = alphanumeric(bytes, at: next)
                let previous = bytes[position - 1]
                switch byte {
                case UInt8(ascii: "'"), UInt8(ascii: "-"):
                    if nextIsAlnum { position = next; continue scanning }
                case UInt8(ascii: "."), UInt8(ascii: ","):
                    if isDigit(previous) && isDigit(bytes[next]) { position = next; continue scanning }
                    // Dotted acronym: single letters separated by periods ("u.s.", "e.g.").
                    if byte == UInt8(ascii: "."), nextIsAlnum, isLetter(previous),
                       position - 1 == start || bytes[position - 2] == UInt8(ascii: "."),
                       next + 1 >= count || bytes[next + 1] == UInt8(ascii: ".") {
                        position = next
                        continue scanning
                    }
                default:
                    break
                }
                break scanning
            }
            body(UnsafeBufferPointer(rebasing: bytes[start..<position]), allDigits ? .number : .word)
            index = position
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// Whether the scalar starting at `index` is a letter, mark or digit, and its width in bytes.
    @inline(__always)
    private static func alphanumeric(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Bool, Int) {
        let byte = bytes[index]
        if byte < 0x80 { return (isDigit(byte) || isLetter(byte), 1) }
        return nonASCIIAlphanumeric(bytes, at: index)
    }

    // Kept out of line so the ASCII test above inlines into the scanner's loops.
    @inline(never)
    private static func nonASCIIAlphanumeric(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Bool, Int) {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
            let width = UTF8.width(scalar)
            let properties = scalar.properties
            let isAlnum = properties.isAlphabetic || properties.numericType == .decimal
                || properties.generalCategory == .nonspacingMark
            return (isAlnum, width)
        case .emptyInput, .error:
            return (false, 1)
        }
    }
}
