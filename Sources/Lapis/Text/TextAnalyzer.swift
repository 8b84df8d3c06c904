/// The whole text pipeline that turns a story into the terms a model counts:
/// normalisation, tokenisation, phrase marking, stop-word removal, stemming and n-grams.
///
/// Numbers are replaced by a placeholder so that "1,200" and "3.5" count as the same term,
/// possessive "'s" is dropped, and single characters are skipped. With ``phraseGroups``, the
/// term `#name` follows every phrase of group `name` (see ``PhraseGroups``); it is a word like
/// the others for n-grams.
public struct TextAnalyzer: Sendable, Codable, Equatable {
    /// The n-gram sizes to produce, e.g. `1...2` for unigrams and bigrams.
    public var ngramRange: ClosedRange<Int>
    /// Whether stop words are removed (before n-grams are formed).
    public var removesStopWords: Bool
    /// Whether terms are stemmed with ``PorterStemmer``.
    public var stems: Bool
    /// Whether numbers become the placeholder term `#num` (otherwise they are dropped).
    public var keepsNumbers: Bool
    /// Phrases marked with a term of their group's (none by default).
    public var phraseGroups: PhraseGroups

    /// Creates an analyzer.
    public init(ngramRange: ClosedRange<Int> = 1...1, removesStopWords: Bool = true, stems: Bool = true, keepsNumbers: Bool = false,
                phraseGroups: PhraseGroups = .none) {
        self.ngramRange = ngramRange
        self.removesStopWords = removesStopWords
        self.stems = stems
        self.keepsNumbers = keepsNumbers
        self.phraseGroups = phraseGroups
    }

    /// The placeholder term for numbers.
    public static let numberTerm = "#num"

    /// The n-gram lengths Lapis supports: longer ones multiply the vocabulary for no gain on news.
    public static let supportedNgramLengths: ClosedRange<Int> = 1...3

    /// Checks a longest n-gram length before a range is built from it.
    /// - Throws: ``LapisError/invalidOption(_:value:allowed:)`` with ``OptionKey/ngrams``.
    public static func validate(longestNgram: Int) throws {
        guard supportedNgramLengths.contains(longestNgram) else {
            throw LapisError.invalidOption(.ngrams, value: "\(longestNgram)", allowed: "1, 2 or 3")
        }
    }

    /// The unigram terms of `text`, in order.
    public func words(_ text: String) -> [String] {
        var noMemo = TokenMemo<String?>(capacity: 0)
        return words(text, memo: &noMemo)
    }

    /// ``words(_:)``, remembering each token's fate in `memo` (same result, less work).
    @inline(__always)
    func words(_ text: String, memo: inout TokenMemo<String?>) -> [String] {
        var result: [String] = []
        result.reserveCapacity(text.utf8.count / 6)
        forEachToken(text) { token, kind in
            // Numbers all become one term (or none): not worth a memo entry each.
            let kept = kind == .number ? word(forToken: token, kind: kind) : memo.value(for: token) { word(forToken: token, kind: kind) }
            if let kept { result.append(kept) }
        }
        return result
    }

    /// Normalises `text` and passes on each raw token, and each phrase group's term after
    /// the phrase; ``word(forToken:kind:)`` says what a token becomes. Split in two so that
    /// callers can remember a token's fate (see ``TokenMemo``): the same words recur across stories.
    func forEachToken(_ text: String, _ body: (String, TokenKind) -> Void) {
        forEachTokenBytes(text) { token, kind in body(String(decoding: token, as: UTF8.self), kind) }
    }

    /// ``forEachToken(_:_:)`` with each token as its UTF-8 bytes (valid only during the call).
    func forEachTokenBytes(_ text: String, _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        var normalized = TextNormalizer().normalize(text)
        if phraseGroups.isEmpty {
            normalized.withUTF8 { Tokenizer().forEachTokenBytes(in: $0, body) }
            return
        }
        normalized.withUTF8 { phraseGroups.matcher.forEachToken(in: $0, body) }
    }

    /// The unigram term one normalised token becomes, or `nil` when it is dropped. Depends on
    /// the token alone, which is what makes memoising it sound.
    func word(forToken token: String, kind: TokenKind) -> String? {
        if kind == .number { return keepsNumbers ? Self.numberTerm : nil }
        // A phrase group's term (the tokenizer never yields '#'): kept as it is.
        if token.utf8.first == UInt8(ascii: "#") { return token }
        var word = token
        if word.hasSuffix("'s") { word.removeLast(2) }
        guard word.utf8.count > 1 else { return nil }
        if removesStopWords && StopWords.english.contains(word) { return nil }
        return stems ? PorterStemmer().stem(word) : word
    }

    /// The terms of `text`: unigrams and longer n-grams as configured.
    public func terms(_ text: String) -> [String] {
        let words = words(text)
        if ngramRange == 1...1 { return words }
        return NGrams.make(words, range: ngramRange)
    }

    /// Calls `body` with each term of `text`.
    public func forEachTerm(_ text: String, _ body: (String) -> Void) {
        NGrams.forEach(words(text), range: ngramRange, body)
    }

    enum CodingKeys: String, CodingKey {
        case ngramMin = "ngram_min", ngramMax = "ngram_max", removesStopWords = "stop_words", stems = "stemming", keepsNumbers = "numbers"
        case phraseGroups = "phrase_groups"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let minimum = try container.decode(Int.self, forKey: .ngramMin)
        let maximum = try container.decode(Int.self, forKey: .ngramMax)
        guard minimum >= 1, maximum >= minimum, Self.supportedNgramLengths.contains(maximum) else {
            throw DecodingError.dataCorruptedError(forKey: .ngramMax, in: container, debugDescription: "n-gram range \(minimum)...\(maximum) is invalid")
        }
        ngramRange = minimum...maximum
        removesStopWords = try container.decode(Bool.self, forKey: .removesStopWords)
        stems = try container.decode(Bool.self, forKey: .stems)
        keepsNumbers = try container.decode(Bool.self, forKey: .keepsNumbers)
        // Absent from models trained without phrase groups (and from every model before them).
        phraseGroups = try container.decodeIfPresent(PhraseGroups.self, forKey: .phraseGroups) ?? .none
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ngramRange.lowerBound, forKey: .ngramMin)
        try container.encode(ngramRange.upperBound, forKey: .ngramMax)
        try container.encode(removesStopWords, forKey: .removesStopWords)
        try container.encode(stems, forKey: .stems)
        try container.encode(keepsNumbers, forKey: .keepsNumbers)
        // Written only when there are groups, so that other models keep their bytes.
        if !phraseGroups.isEmpty { try container.encode(phraseGroups, forKey: .phraseGroups) }
    }
}
