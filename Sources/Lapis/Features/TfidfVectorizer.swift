import Foundation

/// Turns texts into TF-IDF feature vectors.
///
/// For a term *t* in document *d* of a training collection of *n* documents, with *c(t, d)*
/// occurrences and *df(t)* documents containing *t*, the weighting is `TfidfWeighting`'s:
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
    private let memos: (columns: TokenMemoPool<TokenIDMemo>, words: TokenMemoPool<NgramColumnMemo>)

    /// Creates a fitted vectorizer from its parts (e.g. read from a model file).
    public init(analyzer: TextAnalyzer, vocabulary: Vocabulary, idf: [Float], sublinearTF: Bool = true) {
        precondition(vocabulary.count == idf.count, "one idf value per vocabulary term")
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.idf = idf
        self.sublinearTF = sublinearTF
        self.memos = (TokenMemoPool { TokenIDMemo() }, TokenMemoPool { NgramColumnMemo() })
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

    /// ``row(for:)`` with memos: for unigrams a token's column (-1: none), else its word id
    /// and n-grams' columns.
    func row(for text: String, columns: inout TokenIDMemo, words: inout NgramColumnMemo) -> [(Int32, Float)] {
        var counts: [Int32: Int32] = [:]
        if analyzer.ngramRange == 1...1 {
            // Numbers all become one term (or none): not worth a memo entry each.
            let numberColumn = analyzer.keepsNumbers ? vocabulary.index(of: TextAnalyzer.numberTerm).map { Int32($0) } ?? -1 : -1
            analyzer.forEachTokenBytes(text) { token, kind in
                let column = kind == .number ? numberColumn : columns.value(for: token) {
                    analyzer.word(forToken: String(decoding: token, as: UTF8.self), kind: kind).flatMap { vocabulary.index(of: $0) }.map { Int32($0) } ?? -1
                }
                if column >= 0 { counts[column, default: 0] += 1 }
            }
        } else {
            words.startAfreshIfFull()
            var ids: [Int32] = []
            words.words.appendWords(of: text, analyzer: analyzer, to: &ids)
            counts = gramCounts(ids, words: &words)
        }
        return weightedRow(counts.map { ($0.key, $0.value) })
    }

    /// The column counts of the n-grams of a word-id sequence.
    private func gramCounts(_ ids: [Int32], words: inout NgramColumnMemo) -> [Int32: Int32] {
        var counts: [Int32: Int32] = [:]
        gramColumns(ids, range: analyzer.ngramRange, words: &words) { counts[$0, default: 0] += 1 }
        return counts
    }

    /// The TF-IDF rows of a story's passages: for every run of `window` consecutive
    /// `sentences` (all of them when there are no more than `window`), the row that
    /// ``row(for:)`` gives `prefix` followed by those sentences joined by spaces. Each sentence
    /// is analysed once and its words reused by every passage that holds it.
    ///
    /// - Complexity: O(*w* · *n*) for *n* words in the story and windows of *w* sentences.
    public func passageRows(prefix: String, sentences: [String], window: Int) -> [[(Int32, Float)]] {
        precondition(window >= 1, "a passage holds at least one sentence")
        let starts = sentences.count > window ? Array(0...(sentences.count - window)) : [0]
        let width = min(window, sentences.count)
        return withMemos { columns, words in
            if analyzer.ngramRange == 1...1 {
                // Each piece's columns (-1: none); a passage counts those of its pieces.
                let numberColumn = analyzer.keepsNumbers ? vocabulary.index(of: TextAnalyzer.numberTerm).map { Int32($0) } ?? -1 : -1
                func pieceColumns(_ text: String) -> [Int32] {
                    var result: [Int32] = []
                    analyzer.forEachTokenBytes(text) { token, kind in
                        let column = kind == .number ? numberColumn : columns.value(for: token) {
                            analyzer.word(forToken: String(decoding: token, as: UTF8.self), kind: kind).flatMap { vocabulary.index(of: $0) }.map { Int32($0) } ?? -1
                        }
                        if column >= 0 { result.append(column) }
                    }
                    return result
                }
                let prefixColumns = pieceColumns(prefix)
                let sentenceColumns = sentences.map(pieceColumns)
                return starts.map { start in
                    var counts: [Int32: Int32] = [:]
                    for column in prefixColumns { counts[column, default: 0] += 1 }
                    for piece in sentenceColumns[start..<(start + width)] {
                        for column in piece { counts[column, default: 0] += 1 }
                    }
                    return weightedRow(counts.map { ($0.key, $0.value) })
                }
            }
            words.startAfreshIfFull()
            var prefixIDs: [Int32] = []
            words.words.appendWords(of: prefix, analyzer: analyzer, to: &prefixIDs)
            let sentenceIDs = sentences.map { sentence -> [Int32] in
                var ids: [Int32] = []
                words.words.appendWords(of: sentence, analyzer: analyzer, to: &ids)
                return ids
            }
            guard analyzer.ngramRange == 1...2 else {
                return starts.map { start in
                    var ids = prefixIDs
                    for piece in sentenceIDs[start..<(start + width)] { ids.append(contentsOf: piece) }
                    let counts = gramCounts(ids, words: &words)
                    return weightedRow(counts.map { ($0.key, $0.value) })
                }
            }
            // Unigrams and bigrams: a passage's terms are its pieces' own terms (words and the
            // bigrams inside each piece, found once per piece) plus one bigram across each seam
            // between consecutive pieces that hold words, so no passage is counted from scratch.
            let pieces = [prefixIDs] + sentenceIDs
            let pieceColumns = pieces.map { ids -> [Int32] in
                var result: [Int32] = []
                gramColumns(ids, range: 1...2, words: &words) { result.append($0) }
                return result
            }
            return starts.map { start in
                var counts: [Int32: Int32] = [:]
                var previousLast: Int32?
                // Piece 0 is the prefix; sentence k is piece k + 1 (a story without sentences has only the prefix).
                for index in [0] + Array((start + 1)..<(start + 1 + width)) {
                    for column in pieceColumns[index] { counts[column, default: 0] += 1 }
                    guard let first = pieces[index].first else { continue }
                    if let previousLast {
                        gramColumns([previousLast, first], range: 2...2, words: &words) { counts[$0, default: 0] += 1 }
                    }
                    previousLast = pieces[index].last
                }
                return weightedRow(counts.map { ($0.key, $0.value) })
            }
        }
    }

    /// Calls `body` with the column of every n-gram of `ids` (n in `range`) that the vocabulary
    /// holds. The n-gram memo is moved out while it runs, so that a new n-gram's column can be
    /// looked up in `words`.
    private func gramColumns(_ ids: [Int32], range: ClosedRange<Int>, words: inout NgramColumnMemo, _ body: (Int32) -> Void) {
        var grams = words.grams
        words.grams = WordIDGrams()
        grams.forEach(ids, range: range, unigram: { words.column(of: $0, in: vocabulary) }, compute: { gram in
            vocabulary.index(of: gram.map { words.words.words[Int($0)] }.joined(separator: " ")).map { Int32($0) } ?? -1
        }) { column in
            if column >= 0 { body(column) }
        }
        words.grams = grams
    }

    private func withMemos<R>(_ body: (inout TokenIDMemo, inout NgramColumnMemo) -> R) -> R {
        memos.columns.withMemo { columns in memos.words.withMemo { words in body(&columns, &words) } }
    }

    func weightedRow(_ columnCounts: [(Int32, Int32)]) -> [(Int32, Float)] {
        TfidfWeighting.normalizedRow(columnCounts, idf: idf, sublinearTF: sublinearTF)
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

/// What a vectorizer with n-grams remembers across stories: each token's word id, each word's
/// column, each n-gram's column (-1: not in the vocabulary). Starts afresh past `capacity`
/// entries, like ``TokenMemo``, so a long stream cannot grow it without bound.
struct NgramColumnMemo {
    var words = WordIDMemo()
    var grams = WordIDGrams()
    private var columnOfWord: [Int32] = []
    let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// Forgets everything when full; called between stories, never while ids are in use.
    mutating func startAfreshIfFull() {
        if words.count + grams.count >= capacity { self = NgramColumnMemo(capacity: capacity) }
    }

    /// The column of word `word` as a unigram (-1: none).
    mutating func column(of word: Int32, in vocabulary: Vocabulary) -> Int32 {
        while columnOfWord.count <= Int(word) { columnOfWord.append(-2) }
        if columnOfWord[Int(word)] == -2 {
            columnOfWord[Int(word)] = vocabulary.index(of: words.words[Int(word)]).map { Int32($0) } ?? -1
        }
        return columnOfWord[Int(word)]
    }
}
