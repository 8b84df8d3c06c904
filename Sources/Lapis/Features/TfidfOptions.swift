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
        let options = vocabulary
        let counts: [[String: Int32]] = Parallel.mapChunks(texts, minimumChunk: 16) { chunk in
            var memo = TokenMemo<String?>()
            return chunk.map { text in
                var counts: [String: Int32] = [:]
                analyzer.forEachTerm(text, memo: &memo) { counts[$0, default: 0] += 1 }
                return counts
            }
        }
        var documentFrequency: [String: Int] = [:]
        var totalFrequency: [String: Int] = [:]
        for document in counts {
            for (term, count) in document {
                documentFrequency[term, default: 0] += 1
                totalFrequency[term, default: 0] += Int(count)
            }
        }
        let documentCount = texts.count
        let maxDocuments = options.maxDocumentFraction >= 1 ? Int.max
            : Int((options.maxDocumentFraction * Double(documentCount)).rounded(.down))
        var kept = documentFrequency.filter { $0.value >= options.minDocumentCount && $0.value <= maxDocuments }
        if let maxTerms = options.maxTerms, kept.count > maxTerms {
            let ranked = kept.keys.sorted {
                let (a, b) = (totalFrequency[$0]!, totalFrequency[$1]!)
                return a != b ? a > b : $0.utf8.lexicographicallyPrecedes($1.utf8)
            }
            let keep = Set(ranked.prefix(maxTerms))
            kept = kept.filter { keep.contains($0.key) }
        }
        let learnt = Vocabulary(kept.keys)
        let idf = learnt.terms.map { TfidfWeighting.smoothedIDF(documentCount: documentCount, documentFrequency: documentFrequency[$0]!) }
        let vectorizer = TfidfVectorizer(analyzer: analyzer, vocabulary: learnt, idf: idf, sublinearTF: sublinearTF)
        let rows: [[(Int32, Float)]] = Parallel.map(counts, minimumChunk: 16) { document in
            var columnCounts: [(Int32, Int32)] = []
            columnCounts.reserveCapacity(document.count)
            for (term, count) in document {
                if let column = learnt.index(of: term) { columnCounts.append((Int32(column), count)) }
            }
            return vectorizer.weightedRow(columnCounts)
        }
        return (vectorizer, TfidfVectorizer.assemble(rows, columnCount: learnt.count))
    }

}
