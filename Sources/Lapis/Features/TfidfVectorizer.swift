import Foundation

/// Turns texts into TF-IDF feature vectors.
///
/// For a term *t* in document *d* of a training collection of *n* documents, with *c(t, d)*
/// occurrences and *df(t)* documents containing *t*:
///
///     tf(t, d)  = 1 + ln c(t, d)                  (sublinear, the default; c(t, d) otherwise)
///     idf(t)    = ln((1 + n) / (1 + df(t))) + 1   (smoothed: as if one extra document held every term)
///     x(t, d)   = tf(t, d) · idf(t) / ‖tf(·, d) · idf(·)‖₂
///
/// Terms come from a ``TextAnalyzer``; the vocabulary from ``VocabularyOptions``. Unknown
/// terms are ignored at transform time. Feature order is the vocabulary's lexicographic order.
public struct TfidfVectorizer: Sendable, Equatable {
    /// The text pipeline that produces terms.
    public let analyzer: TextAnalyzer
    /// The vocabulary learnt by fitting.
    public let vocabulary: Vocabulary
    /// The inverse document frequency of each vocabulary term.
    public let idf: [Float]
    /// Whether term frequency is sublinear (1 + ln count).
    public let sublinearTF: Bool
    /// What tokens became in earlier calls, kept across calls (a stream's batches) and
    /// shared by copies; not part of the vectorizer's value.
    private let memos: (columns: TokenMemoPool<Int32>, words: TokenMemoPool<String?>)

    /// Creates a fitted vectorizer from its parts (e.g. read from a model file).
    public init(analyzer: TextAnalyzer, vocabulary: Vocabulary, idf: [Float], sublinearTF: Bool = true) {
        precondition(vocabulary.count == idf.count, "one idf value per vocabulary term")
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.idf = idf
        self.sublinearTF = sublinearTF
        self.memos = (TokenMemoPool(), TokenMemoPool())
    }

    /// Learns the vocabulary and idf from `texts` and returns the fitted vectorizer with the
    /// TF-IDF matrix of those same texts (one row per text).
    public static func fitTransform(
        _ texts: [String],
        analyzer: TextAnalyzer = TextAnalyzer(),
        options: VocabularyOptions = VocabularyOptions(),
        sublinearTF: Bool = true
    ) -> (TfidfVectorizer, SparseMatrix) {
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
        let vocabulary = Vocabulary(kept.keys)
        let idf = vocabulary.terms.map { term -> Float in
            Float(PortableMath.log(Double(1 + documentCount) / Double(1 + documentFrequency[term]!)) + 1)
        }
        let vectorizer = TfidfVectorizer(analyzer: analyzer, vocabulary: vocabulary, idf: idf, sublinearTF: sublinearTF)
        let rows: [[(Int32, Float)]] = Parallel.map(counts, minimumChunk: 16) { document in
            var columnCounts: [(Int32, Int32)] = []
            columnCounts.reserveCapacity(document.count)
            for (term, count) in document {
                if let column = vocabulary.index(of: term) { columnCounts.append((Int32(column), count)) }
            }
            return vectorizer.weightedRow(columnCounts)
        }
        return (vectorizer, assemble(rows, columnCount: vocabulary.count))
    }

    /// The TF-IDF matrix of `texts` (one row per text).
    public func transform(_ texts: [String]) -> SparseMatrix {
        let rows: [[(Int32, Float)]] = Parallel.mapChunks(texts, minimumChunk: 16) { chunk in
            self.withMemos { columns, words in chunk.map { self.row(for: $0, columns: &columns, words: &words) } }
        }
        return Self.assemble(rows, columnCount: vocabulary.count)
    }

    /// The TF-IDF row of one text as (column, value) pairs sorted by column.
    public func row(for text: String) -> [(Int32, Float)] {
        withMemos { columns, words in row(for: text, columns: &columns, words: &words) }
    }

    /// ``row(for:)`` with memos: for unigrams a token's column (-1: none), else its word.
    func row(for text: String, columns: inout TokenMemo<Int32>, words: inout TokenMemo<String?>) -> [(Int32, Float)] {
        var counts: [Int32: Int32] = [:]
        if analyzer.ngramRange == 1...1 {
            // Numbers all become one term (or none): not worth a memo entry each.
            let numberColumn = analyzer.keepsNumbers ? vocabulary.index(of: TextAnalyzer.numberTerm).map { Int32($0) } ?? -1 : -1
            analyzer.forEachToken(text) { token, kind in
                let column = kind == .number ? numberColumn : columns.value(for: token) {
                    analyzer.word(forToken: token, kind: kind).flatMap { vocabulary.index(of: $0) }.map { Int32($0) } ?? -1
                }
                if column >= 0 { counts[column, default: 0] += 1 }
            }
        } else {
            analyzer.forEachTerm(text, memo: &words) { term in
                if let column = vocabulary.index(of: term) { counts[Int32(column), default: 0] += 1 }
            }
        }
        return weightedRow(counts.map { ($0.key, $0.value) })
    }

    private func withMemos<R>(_ body: (inout TokenMemo<Int32>, inout TokenMemo<String?>) -> R) -> R {
        memos.columns.withMemo { columns in memos.words.withMemo { words in body(&columns, &words) } }
    }

    func weightedRow(_ columnCounts: [(Int32, Int32)]) -> [(Int32, Float)] {
        var row = columnCounts.map { column, count -> (Int32, Float) in
            let tf = sublinearTF ? 1 + Float(PortableMath.log(Double(count))) : Float(count)
            return (column, tf * idf[Int(column)])
        }
        row.sort { $0.0 < $1.0 }
        var squaredNorm: Float = 0
        for (_, value) in row { squaredNorm += value * value }
        if squaredNorm > 0 {
            let scale = 1 / squaredNorm.squareRoot()
            for index in row.indices { row[index].1 *= scale }
        }
        return row
    }

    static func assemble(_ rows: [[(Int32, Float)]], columnCount: Int) -> SparseMatrix {
        var matrix = SparseMatrix(columnCount: columnCount)
        for row in rows { matrix.appendRow(row) }
        return matrix
    }

    public static func == (lhs: TfidfVectorizer, rhs: TfidfVectorizer) -> Bool {
        lhs.analyzer == rhs.analyzer && lhs.vocabulary == rhs.vocabulary && lhs.idf == rhs.idf && lhs.sublinearTF == rhs.sublinearTF
    }
}
