/// Splits a story into sentences, returning each one verbatim.
///
/// A sentence ends at `.`, `!`, `?` or an ellipsis, together with any closing quotes or
/// brackets that follow, when whitespace and then a plausible sentence start come next.
/// What keeps it from splitting too eagerly:
/// - Titles and other abbreviations that never end a sentence ("Mr.", "Gen.", "e.g.").
/// - Initials ("J. Smith") and decimals ("3.5", which has no space after the point anyway).
/// - Abbreviations that *may* end a sentence ("Inc.", "U.S.", "a.m.", "Jan."): these end one
///   only when the next word is a common sentence opener ("The", "He", "But", ...).
/// - A following lower-case word means the sentence goes on ("...?" she asked).
///
/// A blank line always ends a sentence; a single line break ends one unless the next line
/// starts in lower case (a wrapped line). Text with no upper-case letters at all (lower-cased
/// corpora) is split at terminal punctuation alone.
///
/// Every non-whitespace character of the input belongs to exactly one sentence.
public struct SentenceSplitter: Sendable {
    /// Creates a sentence splitter.
    public init() {}

    /// The sentences of `text`, verbatim, in order, without surrounding whitespace.
    public func sentences(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            Self.boundaries(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        }
    }

    /// The byte ranges (UTF-8 offsets into `text`) of the sentences of `text`.
    public func sentenceByteRanges(_ text: String) -> [Range<Int>] {
        var text = text
        return text.withUTF8 { Self.boundaries($0) }
    }

    static func boundaries(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let count = bytes.count
        let caseless = !bytes.contains { $0 &- 0x41 < 26 }
        var result: [Range<Int>] = []
        var start = skipSpace(bytes, from: 0)

        func close(at end: Int, next: Int) {
            var trimmedEnd = end
            while trimmedEnd > start, isSpace(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
            if trimmedEnd > start { result.append(start..<trimmedEnd) }
            start = skipSpace(bytes, from: next)
        }

        var index = start
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                let next = skipSpace(bytes, from: index + 1)
                if next < count, breaksAtNewline(bytes, newline: index, next: next, caseless: caseless) {
                    close(at: index, next: next)
                    index = next
                    continue
                }
                index += 1
                continue
            }
            let markWidth = terminalMarkWidth(bytes, at: index)
            if markWidth == 0 {
                index += 1
                continue
            }
            // Take the whole run of terminal marks ("?!", "...") and closing quotes/brackets.
            var end = index + markWidth
            while end < count {
                let width = terminalMarkWidth(bytes, at: end)
                if width > 0 { end += width; continue }
                let closing = closingMarkWidth(bytes, at: end)
                if closing > 0 { end += closing; continue }
                break
            }
            guard end == count || isSpace(bytes[end]) else {
                index = end
                continue
            }
            let next = skipSpace(bytes, from: end)
            if next == count {
                break
            }
            let isSinglePeriod = byte == UInt8(ascii: ".") && end - index == 1
                || (byte == UInt8(ascii: ".") && closingOnly(bytes, from: index + 1, to: end))
            let quoteThenAttribution = byte != UInt8(ascii: ".") && closingOnly(bytes, from: index + markWidth, to: end)
                && end > index + markWidth && attributionFollows(bytes, from: next)
            if startsSentence(bytes, at: next, caseless: caseless), !quoteThenAttribution,
               !isSinglePeriod || periodEndsSentence(bytes, period: index, next: next, caseless: caseless) {
                close(at: end, next: next)
            }
            index = next
        }
        if start < count { close(at: count, next: count) }
        return result
    }

    // MARK: - Character classes

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.count {
            if isSpace(bytes[index]) { index += 1; continue }
            // No-break space (U+00A0) counts as space too.
            if bytes[index] == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 { index += 2; continue }
            break
        }
        return index
    }

    /// Width of ".", "!", "?" or "…" at `index`, else 0.
    @inline(__always) static func terminalMarkWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        switch bytes[index] {
        case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): return 1
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA6: return 3
        default: return 0
        }
    }

    /// Width of a closing quote or bracket at `index`, else 0.
    @inline(__always) static func closingMarkWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"): return 1
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
            && (bytes[index + 2] == 0x99 || bytes[index + 2] == 0x9D): return 3  // ’ ”
        case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0xBB: return 2  // »
        default: return 0
        }
    }

    static func closingOnly(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        var index = from
        while index < to {
            let width = closingMarkWidth(bytes, at: index)
            if width == 0 { return false }
            index += width
        }
        return true
    }

    /// Whether a sentence may start at `index`: a capital, a digit, or an opening quote or
    /// bracket (any letter in caseless text).
    static func startsSentence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, caseless: Bool) -> Bool {
        let byte = bytes[index]
        if isUpper(byte) || isDigit(byte) { return true }
        if caseless { return true }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: "["),
             UInt8(ascii: "$"), UInt8(ascii: "-"), UInt8(ascii: "*"):
            return true
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80:
            return bytes[index + 2] == 0x9C || bytes[index + 2] == 0x98 || bytes[index + 2] == 0x94  // “ ‘ —
        case 0xC2 where index + 1 < bytes.count:
            return bytes[index + 1] == 0xAB || bytes[index + 1] == 0xA3  // « £
        case 0x80...:
            return !isLower(byte) && !startsWithLowercaseScalar(bytes, at: index)
        default:
            return false
        }
    }

    static func startsWithLowercaseScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return scalar.properties.isLowercase
        }
        return false
    }

    static func breaksAtNewline(_ bytes: UnsafeBufferPointer<UInt8>, newline: Int, next: Int, caseless: Bool) -> Bool {
        // A blank line (two line breaks with only spaces between) is a paragraph break.
        var probe = newline + 1
        while probe < next {
            if bytes[probe] == UInt8(ascii: "\n") { return true }
            probe += 1
        }
        if caseless { return true }
        return !isLower(bytes[next]) && !startsWithLowercaseScalar(bytes, at: next)
    }

    // MARK: - Abbreviations

    /// Whether the period at `period` ends a sentence, given the word before it.
    static func periodEndsSentence(_ bytes: UnsafeBufferPointer<UInt8>, period: Int, next: Int, caseless: Bool) -> Bool {
        var wordStart = period
        while wordStart > 0 {
            let byte = bytes[wordStart - 1]
            if isUpper(byte) || isLower(byte) || byte == UInt8(ascii: ".") { wordStart -= 1 } else { break }
        }
        if wordStart == period { return true }  // "... rose 5." or " ." in tokenised text
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[wordStart..<period]), as: UTF8.self)
        let lower = word.lowercased()
        // Only the rarer cases below look at the next word: not built for every period.
        var nextWord: String { self.nextWord(bytes, from: next).lowercased() }
        let nextIsDigit = isDigit(bytes[next])

        if neverFinal.contains(lower) { return false }
        // A single capital is an initial ("J. Smith"); in caseless text we cannot tell.
        if word.utf8.count == 1, isUpper(bytes[wordStart]) { return false }
        // "No. 5", "Art. 12", "pp. 3" number things; "said no." ends a sentence.
        if numberingAbbreviations.contains(lower) { return !nextIsDigit }
        if months.contains(lower) {
            return nextIsDigit ? false : commonOpeners.contains(nextWord)
        }
        if word.contains(".") || mayBeFinal.contains(lower) {
            return commonOpeners.contains(nextWord)
        }
        return true
    }

    /// Whether a speech verb comes within the next few words: `"...now!" Smith said.` is one sentence.
    static func attributionFollows(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Bool {
        var position = index
        for _ in 0..<5 {
            let word = nextWord(bytes, from: position)
            if word.isEmpty { return false }
            let lower = word.lowercased()
            if speechVerbs.contains(lower) { return true }
            let isAbbreviation = neverFinal.contains(lower) || (word.utf8.count == 1 && isUpper(word.utf8.first!))
            // Advance past this word and the spaces after it; stop at sentence punctuation
            // other than an abbreviation's period ("Mr. Diaz said").
            while position < bytes.count, !isSpace(bytes[position]) {
                if terminalMarkWidth(bytes, at: position) > 0 && !(isAbbreviation && bytes[position] == UInt8(ascii: ".")) { return false }
                position += 1
            }
            position = skipSpace(bytes, from: position)
            if position >= bytes.count { return false }
        }
        return false
    }

    static let speechVerbs: Set<String> = [
        "said", "says", "asked", "asks", "added", "adds", "told", "tells", "shouted", "wrote", "writes",
        "replied", "insisted", "declared", "exclaimed", "recalled", "joked", "laughed", "warned", "cried",
    ]

    static func nextWord(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> String {
        var start = index
        while start < bytes.count, !(isUpper(bytes[start]) || isLower(bytes[start]) || isDigit(bytes[start])) {
            start += 1
            if start - index > 3 { return "" }
        }
        var end = start
        while end < bytes.count, isUpper(bytes[end]) || isLower(bytes[end]) { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Abbreviations that stand before a name or a number and never close a sentence.
    static let neverFinal: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "cmdr", "adm", "maj",
        "sen", "rep", "gov", "rev", "hon", "pres", "messrs", "mt", "ft", "st", "vs", "e.g", "i.e",
        "cf", "approx", "dept", "fig", "vol", "sec", "supt", "insp", "brig", "cpl", "pvt", "amb",
        "atty", "mme", "mlle", "gov't", "univ", "ave", "blvd", "rd", "est", "viz", "al", "retd", "eng",
        "gens", "adv", "arch", "fr", "sgt", "msgr", "hr",
    ]

    /// Abbreviations that can close a sentence as well as sit inside one.
    static let mayBeFinal: Set<String> = [
        "inc", "corp", "ltd", "co", "etc", "jr", "sr", "bros", "llc", "plc", "cos", "govt", "intl",
        "sdn", "bhd", "pty", "ag", "sa", "nv", "bv",
    ]

    static let numberingAbbreviations: Set<String> = ["no", "nos", "art", "p", "pp", "para"]

    static let months: Set<String> = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    /// Frequent first words of news sentences: after an ambiguous abbreviation they signal a new sentence.
    static let commonOpeners: Set<String> = [
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and", "in", "on",
        "at", "this", "that", "these", "those", "there", "his", "her", "its", "their", "our",
        "however", "meanwhile", "also", "after", "before", "while", "when", "if", "as", "for",
        "some", "many", "most", "officials", "analysts", "last", "earlier", "later", "separately",
        "under", "according", "since", "both", "one", "two", "three", "shares", "trading", "what",
        "why", "how", "who", "such", "no", "so", "yet", "then", "still", "other", "another",
        "during", "by", "with", "from", "to", "its", "all", "each", "neither", "nor", "not",
    ]
}
