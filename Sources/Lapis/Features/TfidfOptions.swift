/// How a ``TfidfVectorizer`` is fitted: the estimator. ``fit(_:)`` learns the vocabulary and
/// idf from texts and returns the fitted vectorizer, which transforms.
///
/// ```swift
/// let vectorizer = TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...2)).fit(texts)
/// let features = vectorizer.transform(moreTexts)
/// ```
public struct TfidfOptions: Sendable, Equatable {
    /// The text pipeline that produces terms.
    public var analyzer: TextAnalyzer
    /// How the vocabulary is chosen.
    public var vocabulary: VocabularyOptions
    /// Sublinear term frequency (1 + ln count).
    public var sublinearTF: Bool

    /// Creates the estimator; the defaults are the topic classifier's.
    public init(analyzer: TextAnalyzer = TextAnalyzer(), vocabulary: VocabularyOptions = VocabularyOptions(), sublinearTF: Bool = true) {
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.sublinearTF = sublinearTF
    }

    /// Learns the vocabulary and idf from `texts`.
    public func fit(_ texts: [String]) -> TfidfVectorizer {
        fitTransform(texts).0
    }

    /// Learns the vocabulary and idf from `texts` and returns the fitted vectorizer with the
    /// TF-IDF matrix of those same texts (one row per text).
    ///
    /// - Complexity: O(total terms) plus sorting the vocabulary.
    public func fitTransform(_ texts: [String]) -> (TfidfVectorizer, SparseMatrix) {
        fitTransform(texts) { $0 }
    }

    /// ``fitTransform(_:)`` on the texts `text` makes of `items`, each made when its chunk is
    /// counted and dropped after: a trainer whose texts are built from its documents (a title
    /// prepended) never holds a second copy of all the stories' text. The items are consumed:
    /// once counted they are let go (and their freed memory handed back to the system), so
    /// a caller that passed its last reference no longer holds them while the matrix is built.
    func fitTransform<Item: Sendable>(_ items: consuming [Item], text: @escaping @Sendable (Item) -> String) -> (TfidfVectorizer, SparseMatrix) {
        var batches = TermCountBatches(options: self)
        batches.add(consume items, text: text)
        return batches.fitTransform()
    }
}
