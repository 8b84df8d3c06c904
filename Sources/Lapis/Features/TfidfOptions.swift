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
        // Each chunk counts into ids of its own (one chunk per thread); the chunks' terms are
        // then merged into global ids by string, once per distinct term of each chunk.
        let runs: [TermCounts] = Parallel.mapChunks(texts, minimumChunk: 16) { chunk in [TermCounts(chunk, analyzer: analyzer)] }
        var globalID: [String: Int32] = [:]
        var globalTerms: [String] = []
        let globalOfLocal: [[Int32]] = runs.map { run in
            run.terms.map { term in
                if let known = globalID[term] { return known }
                let id = Int32(globalTerms.count)
                globalTerms.append(term)
                globalID[term] = id
                return id
            }
        }
        var documentFrequency = [Int](repeating: 0, count: globalTerms.count)
        var totalFrequency = [Int](repeating: 0, count: globalTerms.count)
        for (run, globals) in zip(runs, globalOfLocal) {
            for (local, count) in zip(run.termIDs, run.counts) {
                let id = Int(globals[Int(local)])
                documentFrequency[id] += 1
                totalFrequency[id] += Int(count)
            }
        }
        let documentCount = texts.count
        let maxDocuments = options.maxDocumentFraction >= 1 ? Int.max
            : Int((options.maxDocumentFraction * Double(documentCount)).rounded(.down))
        var kept = globalTerms.indices.filter { documentFrequency[$0] >= options.minDocumentCount && documentFrequency[$0] <= maxDocuments }
        if let maxTerms = options.maxTerms, kept.count > maxTerms {
            kept.sort {
                let (a, b) = (totalFrequency[$0], totalFrequency[$1])
                return a != b ? a > b : globalTerms[$0].utf8.lexicographicallyPrecedes(globalTerms[$1].utf8)
            }
            kept = Array(kept.prefix(maxTerms))
        }
        let learnt = Vocabulary(kept.map { globalTerms[$0] })
        var columnOfGlobal = [Int32](repeating: -1, count: globalTerms.count)
        var columnFrequency = [Int](repeating: 0, count: learnt.count)
        for id in kept {
            let column = learnt.index(of: globalTerms[id])!
            columnOfGlobal[id] = Int32(column)
            columnFrequency[column] = documentFrequency[id]
        }
        let idf = columnFrequency.map { TfidfWeighting.smoothedIDF(documentCount: documentCount, documentFrequency: $0) }
        let vectorizer = TfidfVectorizer(analyzer: analyzer, vocabulary: learnt, idf: idf, sublinearTF: sublinearTF)
        let columnOfLocal = globalOfLocal.map { globals in globals.map { columnOfGlobal[Int($0)] } }
        let rows: [[(Int32, Float)]] = Parallel.mapChunks(Array(zip(runs, columnOfLocal)), chunks: runs.count, minimumChunk: 1) { pairs in
            pairs.flatMap { run, columns in
                (0..<run.documentCount).map { document in
                    var columnCounts: [(Int32, Int32)] = []
                    columnCounts.reserveCapacity(run.documentStarts[document + 1] - run.documentStarts[document])
                    for entry in run.documentStarts[document]..<run.documentStarts[document + 1] {
                        let column = columns[Int(run.termIDs[entry])]
                        if column >= 0 { columnCounts.append((column, run.counts[entry])) }
                    }
                    return vectorizer.weightedRow(columnCounts)
                }
            }
        }
        return (vectorizer, TfidfVectorizer.assemble(rows, columnCount: learnt.count))
    }

}
