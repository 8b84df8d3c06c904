import Foundation

/// Named lists of phrases that a ``TextAnalyzer`` marks: each place where a phrase of a group
/// ends adds one extra term, `#` followed by the group's name, after the phrase's own words.
///
/// A group gathers many surface forms of one idea ("United Nations", "IMF", "Group of Seven")
/// so that a model sees them as one term as well as their words: a label that LABELS.md
/// defines by a list of named bodies can then lean on the list instead of on the generic words
/// that accompany its members ("member", "meeting", "fund").
///
/// Phrases are matched on the analyzer's normalised tokens, before stop words are removed and
/// before stemming, so they are written as text is: "International Monetary Fund", "U.N.",
/// "G-7". A `*` stands for exactly one token ("International * Organization"). A phrase
/// matches only within a run of tokens separated by spaces: punctuation or a line break
/// between two tokens ends every phrase in progress, so no phrase spans two sentences. A
/// possessive "'s" on a token is ignored ("NATO's" is "NATO").
///
/// The file format (``read(contentsOf:)``): a line `[name]` starts a group; each other line
/// is one phrase of the group above it; blank lines and lines starting with `#` are skipped.
///
/// ```
/// # international bodies and formats of three or more states
/// [international-body]
/// United Nations
/// International * Organization
/// ```
public struct PhraseGroups: Sendable, Equatable {
    /// One named group of phrases.
    public struct Group: Sendable, Equatable {
        /// The group's name; its term is `#name`.
        public var name: String
        /// The phrases, each as its tokens (`*`: any one token).
        public var phrases: [[String]]

        /// Creates a group.
        public init(name: String, phrases: [[String]]) {
            self.name = name
            self.phrases = phrases
        }

        /// The term the analyzer adds where a phrase of this group ends.
        public var term: String { "#" + name }
    }

    /// The groups, in the order they were given.
    public let groups: [Group]
    /// The groups compiled for matching; not part of the value.
    let matcher: PhraseMatcher

    /// No groups: the analyzer adds nothing.
    public static let none = PhraseGroups(validated: [])

    /// Whether there are no groups.
    public var isEmpty: Bool { groups.isEmpty }

    /// Creates phrase groups, checking them.
    /// - Throws: ``LapisError/invalidPhraseList(path:line:reason:)`` (path `"phrase groups"`,
    ///   line 0) for an empty or badly named group or an empty phrase.
    public init(_ groups: [Group]) throws {
        for group in groups {
            if let problem = Self.problem(withName: group.name) ?? (group.phrases.isEmpty ? "group '\(group.name)' has no phrases" : nil) {
                throw LapisError.invalidPhraseList(path: "phrase groups", line: 0, reason: problem)
            }
            for phrase in group.phrases {
                if let problem = Self.problem(withPhrase: phrase) {
                    throw LapisError.invalidPhraseList(path: "phrase groups", line: 0, reason: "group '\(group.name)': \(problem)")
                }
            }
        }
        if let repeated = Self.firstRepeatedName(groups.map(\.name)) {
            throw LapisError.invalidPhraseList(path: "phrase groups", line: 0, reason: "group '\(repeated)' is given twice")
        }
        self.init(validated: groups)
    }

    private init(validated groups: [Group]) {
        self.groups = groups
        matcher = PhraseMatcher(groups: groups)
    }

    /// Reads phrase groups from a file in the format described above.
    /// - Throws: ``LapisError/unreadableFile(path:reason:)``, or
    ///   ``LapisError/invalidPhraseList(path:line:reason:)`` naming the line at fault.
    public static func read(contentsOf path: String) throws -> PhraseGroups {
        // FileContents names the problem plainly: no such file, a directory, permission denied.
        let bytes = try FileContents.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LapisError.invalidPhraseList(path: path, line: 1, reason: "the file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses phrase groups from text in the format described above; `path` names the source
    /// in errors.
    /// - Throws: ``LapisError/invalidPhraseList(path:line:reason:)`` naming the line at fault.
    public static func parse(_ text: String, path: String) throws -> PhraseGroups {
        var groups: [Group] = []
        var firstLine: [String: Int] = [:]
        // "\r\n" is one Character, so CRLF files count their lines right too.
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = offset + 1
            let content = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]"), content.count >= 2 else {
                    throw LapisError.invalidPhraseList(path: path, line: line, reason: "a group header is '[name]'; this one has no closing ']'")
                }
                let name = String(content.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if let problem = problem(withName: name) { throw LapisError.invalidPhraseList(path: path, line: line, reason: problem) }
                if let earlier = firstLine[name] {
                    throw LapisError.invalidPhraseList(path: path, line: line, reason: "group '\(name)' was already started on line \(earlier); give each group once")
                }
                firstLine[name] = line
                groups.append(Group(name: name, phrases: []))
                continue
            }
            guard !groups.isEmpty else {
                throw LapisError.invalidPhraseList(path: path, line: line, reason: "a phrase before any '[name]' group header; start the file with a group header")
            }
            let phrase = tokens(ofPhrase: content)
            if let problem = problem(withPhrase: phrase) {
                throw LapisError.invalidPhraseList(path: path, line: line, reason: "'\(content)': \(problem)")
            }
            groups[groups.count - 1].phrases.append(phrase)
        }
        if let empty = groups.first(where: { $0.phrases.isEmpty }) {
            throw LapisError.invalidPhraseList(path: path, line: firstLine[empty.name]!, reason: "group '\(empty.name)' has no phrases")
        }
        guard !groups.isEmpty else {
            throw LapisError.invalidPhraseList(path: path, line: 1, reason: "no groups; write a '[name]' header followed by one phrase per line")
        }
        return PhraseGroups(validated: groups)
    }

    /// The tokens of a phrase as written: each space-separated piece normalised and tokenised
    /// as story text is (a piece may give several tokens, or none), `*` kept as the wildcard.
    public static func tokens(ofPhrase phrase: String) -> [String] {
        phrase.split(whereSeparator: { $0 == " " || $0 == "\t" }).flatMap { piece -> [String] in
            if piece == "*" { return ["*"] }
            return Tokenizer().tokens(TextNormalizer().normalize(String(piece))).map { token in
                token.text.hasSuffix("'s") ? String(token.text.dropLast(2)) : token.text
            }
        }
    }

    /// What is wrong with a group name, or nil: names become terms, so they are kept plain.
    static func problem(withName name: String) -> String? {
        let allowed = name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        guard !name.isEmpty, allowed, name.utf8.first! >= UInt8(ascii: "a") else {
            return "group name '\(name)' must start with a lower-case letter and hold only a-z, 0-9, '-' and '_'"
        }
        // `#num` is the analyzer's number placeholder.
        if "#" + name == TextAnalyzer.numberTerm { return "group name '\(name)' is reserved" }
        return nil
    }

    /// What is wrong with a phrase's tokens, or nil.
    static func problem(withPhrase phrase: [String]) -> String? {
        if phrase.allSatisfy({ $0 == "*" }) { return "a phrase needs at least one word (letters or digits)" }
        if phrase.first == "*" || phrase.last == "*" { return "'*' may stand only between two words" }
        return nil
    }

    private static func firstRepeatedName(_ names: [String]) -> String? {
        var seen: Set<String> = []
        return names.first { !seen.insert($0).inserted }
    }

    public static func == (lhs: PhraseGroups, rhs: PhraseGroups) -> Bool {
        lhs.groups == rhs.groups
    }
}

extension PhraseGroups: Codable {
    private struct StoredGroup: Codable {
        var name: String
        var phrases: [[String]]
    }

    public init(from decoder: any Decoder) throws {
        let stored = try decoder.singleValueContainer().decode([StoredGroup].self)
        do {
            try self.init(stored.map { Group(name: $0.name, phrases: $0.phrases) })
        } catch let error as LapisError {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(groups.map { StoredGroup(name: $0.name, phrases: $0.phrases) })
    }
}
