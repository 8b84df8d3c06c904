/// Plain text from an HTML page, for summarising and tagging web pages: tags, comments,
/// scripts and styles dropped, character references decoded, each block element (paragraph,
/// list item, table row, line break) ending its paragraph, so that paragraphs stay sentence
/// boundaries. The `<title>` (else the first `<h1>`) is the story's title; headings are not
/// story sentences (a headline or crosshead is no summary sentence).
enum HTMLExtraction {
    /// Elements whose content is not text.
    static let hiddenElements: Set<String> = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]
    /// Elements that end a paragraph where they open or close.
    /// Heading elements: their text is left out of the body.
    static let headingElements: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    static let blockElements: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
        "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl", "figcaption", "main", "aside", "nav", "td", "th",
    ]

    /// The page's title (white space collapsed; nil when absent or empty) and its text:
    /// paragraphs separated by blank lines, white space inside them collapsed.
    ///
    /// - Complexity: O(*n*) in the page's length.
    static func extract(_ html: String) -> (title: String?, text: String) {
        let scalars = Array(html.unicodeScalars)
        var paragraphs: [String] = []
        var current = ""
        var title: String?
        var titleText: String?
        var hidden: String?  // the hidden element being skipped
        var heading: String?  // the heading being read, and its text
        var headingText = ""
        var firstHeading: String?
        var index = 0
        func endParagraph() {
            let collapsed = collapse(current)
            if !collapsed.isEmpty { paragraphs.append(collapsed) }
            current = ""
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            // "<" opens markup only before a letter, "/", "!" or "?": "3 < 4" is text, as browsers read it.
            if scalar == "<", next.properties.isAlphabetic || next == "/" || next == "!" || next == "?" {
                // Comments and declarations.
                if matches(scalars, at: index, "<!--") {
                    index = find(scalars, "-->", from: index + 4).map { $0 + 3 } ?? scalars.count
                    continue
                }
                guard let close = find(scalars, ">", from: index + 1) else { break }
                let tag = parseTag(scalars[(index + 1)..<close])
                index = close + 1
                guard let tag else { continue }
                if let skipping = hidden {
                    if tag.closing && tag.name == skipping { hidden = nil }
                    continue
                }
                if tag.name == "title" {
                    if tag.closing {
                        if let text = titleText { title = collapse(decode(text)) }
                        titleText = nil
                    } else {
                        titleText = ""
                    }
                    continue
                }
                if !tag.closing && !tag.selfClosing && hiddenElements.contains(tag.name) {
                    hidden = tag.name
                    continue
                }
                if headingElements.contains(tag.name) {
                    if tag.closing, heading == tag.name {
                        if firstHeading == nil, tag.name == "h1" { firstHeading = collapse(decode(headingText)) }
                        heading = nil
                    } else if !tag.closing {
                        heading = tag.name
                        headingText = ""
                    }
                }
                if blockElements.contains(tag.name) { endParagraph() }
                continue
            }
            if hidden == nil {
                if titleText != nil {
                    titleText!.unicodeScalars.append(scalar)
                } else if heading != nil {
                    headingText.unicodeScalars.append(scalar)
                } else {
                    current.unicodeScalars.append(scalar)
                }
            }
            index += 1
        }
        endParagraph()
        let text = paragraphs.map(decode).map(collapse).filter { !$0.isEmpty }.joined(separator: "\n\n")
        let chosenTitle = [title, firstHeading].compactMap { $0 }.first { !$0.isEmpty }
        return (chosenTitle, text)
    }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
    }

    /// The element name of the text between `<` and `>`, lower-cased; nil for declarations
    /// (`<!DOCTYPE>`), processing instructions and malformed tags.
    static func parseTag(_ inside: ArraySlice<Unicode.Scalar>) -> Tag? {
        var slice = inside[...]
        var closing = false
        if slice.first == "/" { closing = true; slice = slice.dropFirst() }
        guard let first = slice.first, first.properties.isAlphabetic else { return nil }
        var name = ""
        for scalar in slice {
            guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" else { break }
            name.unicodeScalars.append(scalar)
        }
        return Tag(name: name.lowercased(), closing: closing, selfClosing: inside.last == "/")
    }

    static func matches(_ scalars: [Unicode.Scalar], at index: Int, _ pattern: String) -> Bool {
        let pattern = Array(pattern.unicodeScalars)
        guard index + pattern.count <= scalars.count else { return false }
        return (0..<pattern.count).allSatisfy { scalars[index + $0] == pattern[$0] }
    }

    static func find(_ scalars: [Unicode.Scalar], _ pattern: String, from start: Int) -> Int? {
        var index = start
        while index < scalars.count {
            if matches(scalars, at: index, pattern) { return index }
            index += 1
        }
        return nil
    }

    /// White space runs (spaces, tabs, line breaks, no-break spaces) as one space, trimmed.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static let namedReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "mdash": "\u{2014}",
        "ndash": "\u{2013}", "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "hellip": "\u{2026}", "eacute": "\u{E9}", "copy": "\u{A9}", "pound": "\u{A3}", "euro": "\u{20AC}",
    ]

    /// Decodes character references (`&amp;`, `&#233;`, `&#xE9;`); unknown ones stay as written.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = ""
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let end = (index + 1..<min(scalars.count, index + 12)).first(where: { scalars[$0] == ";" }) {
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                var decoded: Unicode.Scalar?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
                } else {
                    decoded = namedReferences[name]
                }
                if let decoded, decoded.value != 0 {
                    result.unicodeScalars.append(decoded)
                    index = end + 1
                    continue
                }
            }
            result.unicodeScalars.append(scalars[index])
            index += 1
        }
        return result
    }
}
