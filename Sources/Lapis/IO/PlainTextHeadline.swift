import Foundation

/// The headline of a plain-text story, when its first line is one.
///
/// Stories saved as `.txt` often start with their headline: wire copy in capitals
/// ("PORT STRIKE HALTS GRAIN EXPORTS"), or a short line set off by a blank line. Read as body
/// text, that line becomes a "sentence" that a summary may pick, and it counts for topics as
/// body text rather than as a title. The first non-blank line is taken as the title when the
/// story goes on after it and the line
/// - is written in capitals (at least three letters, none lower-case), or
/// - is followed by a blank line and does not end as a sentence does (. ! ? … : ; ,).
/// Either way it has at most ``maximumWords`` words. Anything else stays body text.
enum PlainTextHeadline {
    /// A longer first line is a paragraph, whatever its case or punctuation.
    static let maximumWords = 20

    /// The title and the rest of `text` (verbatim, from its first non-blank line) when the
    /// first line is a headline; nil otherwise.
    static func split(_ text: String) -> (title: String, body: String)? {
        guard let first = nextNonBlankLine(text, from: text.startIndex) else { return nil }
        let afterFirst = first.end == text.endIndex ? text.endIndex : text.index(after: first.end)
        guard let next = nextNonBlankLine(text, from: afterFirst) else { return nil }
        let headline = text[first.start..<first.end].trimmingCharacters(in: .whitespaces)
        let words = headline.split(whereSeparator: \.isWhitespace).count
        guard words >= 1, words <= maximumWords else { return nil }
        let letters = headline.filter(\.isLetter)
        let capitals = letters.count >= 3 && !letters.contains(where: \.isLowercase)
        // A blank line between them: a line break inside the skipped stretch besides the first's own.
        let setOff = text[afterFirst..<next.start].contains(where: \.isNewline)
        let endsLikeSentence = headline.last.map { ".!?…:;,".contains($0) } ?? false
        guard capitals || (setOff && !endsLikeSentence) else { return nil }
        return (headline, String(text[next.start...]))
    }

    /// The bounds of the first line at or after `start` holding something other than white
    /// space (`end` is its line break, or the end of the text).
    private static func nextNonBlankLine(_ text: String, from start: String.Index) -> (start: String.Index, end: String.Index)? {
        var lineStart = start
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(where: \.isNewline) ?? text.endIndex
            if text[lineStart..<lineEnd].contains(where: { !$0.isWhitespace }) { return (lineStart, lineEnd) }
            guard lineEnd < text.endIndex else { return nil }
            lineStart = text.index(after: lineEnd)
        }
        return nil
    }
}
