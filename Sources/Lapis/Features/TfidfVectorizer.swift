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
    /// The vocabulary's n-gram columns by word ids, built the first time a story is
    /// transformed with n-grams; shared by copies.
    private let ngramIndex: Locked<NgramColumnIndex?>

    /// Creates a fitted vectorizer from its parts (e.g. read from a model file).
    public init(analyzer: TextAnalyzer, vocabulary: Vocabulary, idf: [Float], sublinearTF: Bool = true) {
        precondition(vocabulary.count == idf.count, "one idf value per vocabulary term")
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.idf = idf
        self.sublinearTF = sublinearTF
        self.memos = (TokenMemoPool { TokenIDMemo() }, TokenMemoPool { NgramColumnMemo() })
        self.ngramIndex = Locked(nil)
    }

    /// Starts building, on another thread, what transforming with n-grams needs (the
    /// vocabulary's ``NgramColumnIndex``), so that loading a model overlaps with reading the
    /// first stories; the first transform waits for it if it has not finished.
    func prepareInBackground() {
        guard analyzer.ngramRange != 1...1 else { return }
        DispatchQueue.global().async { _ = self.columnIndex() }
    }

    /// The vocabulary's ``NgramColumnIndex``, built by the first caller.
    private func columnIndex() -> NgramColumnIndex {
        ngramIndex.withLock { index in
            if index == nil { index = NgramColumnIndex(vocabulary: vocabulary) }
            return index!
        }
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
        if analyzer.ngramRange == 1...1 {
            forEachUnigramColumn(of: text, columns: &columns) { words.counter.add($0) }
            return weightedRow(words.counter.take())
        }
        var ids: [Int32] = []
        appendWordIDs(of: text, words: &words, to: &ids)
        let index = words.index!
        ids.withUnsafeBufferPointer { index.forEachColumn($0, range: analyzer.ngramRange) { words.counter.add($0) } }
        return weightedRow(words.counter.take())
    }

    /// Calls `body` with the column of each token of `text` that is a vocabulary term, for a
    /// unigram vectorizer; `columns` remembers each distinct token's column (-1: none).
    private func forEachUnigramColumn(of text: String, columns: inout TokenIDMemo, _ body: (Int32) -> Void) {
        // Numbers all become one term (or none): not worth a memo entry each.
        let numberColumn = analyzer.keepsNumbers ? vocabulary.index(of: TextAnalyzer.numberTerm).map { Int32($0) } ?? -1 : -1
        analyzer.forEachTokenBytes(text) { token, kind in
            let column = kind == .number ? numberColumn : columns.value(for: token) {
                analyzer.word(forToken: String(decoding: token, as: UTF8.self), kind: kind).flatMap { vocabulary.index(of: $0) }.map { Int32($0) } ?? -1
            }
            if column >= 0 { body(column) }
        }
    }

    /// Appends the ``NgramColumnIndex`` word id of each token of `text` that the analyzer
    /// keeps, in order (``NgramColumnIndex/unknownWord`` for a kept word that no term holds,
    /// which still separates its neighbours).
    private func appendWordIDs(of text: String, words: inout NgramColumnMemo, to ids: inout [Int32]) {
        let index = words.index!
        // Numbers all become one word (or none): not worth a memo entry each.
        let numberWord = analyzer.keepsNumbers ? index.id(of: TextAnalyzer.numberTerm) : NgramColumnMemo.dropped
        analyzer.forEachTokenBytes(text) { token, kind in
            let word = kind == .number ? numberWord : words.tokens.value(for: token) {
                analyzer.word(forToken: String(decoding: token, as: UTF8.self), kind: kind).map { index.id(of: $0) } ?? NgramColumnMemo.dropped
            }
            if word != NgramColumnMemo.dropped { ids.append(word) }
        }
    }

    /// The TF-IDF rows of a story's passages: for every run of `window` consecutive
    /// `sentences` (all of them when there are no more than `window`), the row that
    /// ``row(for:)`` gives `prefix` followed by those sentences joined by spaces. Each sentence
    /// is analysed once and its words reused by every passage that holds it.
    ///
    /// - Complexity: O(*w* · *n*) for *n* words in the story and windows of *w* sentences.
    public func passageRows(prefix: String, sentences: [String], window: Int) -> [[(Int32, Float)]] {
        storyRows(prefix: prefix, sentences: sentences, window: window).passages
    }

    /// ``passageRows(prefix:sentences:window:)`` and, from the same analysis, the row of the
    /// whole story: `prefix` followed by all `sentences` joined by spaces (which is the row of
    /// `prefix` followed by the text the sentences were split from: the splitter drops only
    /// the white space between them).
    func storyRows(prefix: String, sentences: [String], window: Int) -> (whole: [(Int32, Float)], passages: [[(Int32, Float)]]) {
        precondition(window >= 1, "a passage holds at least one sentence")
        let width = min(window, sentences.count)
        // Each passage's sentence range; the last range is the whole story.
        let ranges = (sentences.count > window ? (0...(sentences.count - window)).map { $0..<($0 + width) } : [0..<width])
            + [0..<sentences.count]
        let rows: [[(Int32, Float)]] = withMemos { columns, words in
            if let pieces = pieces(prefix: prefix, sentences: sentences, columns: &columns, words: &words) {
                return ranges.map { range in
                    pieces.forEachColumn(in: range) { words.counter.add($0) }
                    return weightedRow(words.counter.take())
                }
            }
            // Trigrams: a passage's words are counted afresh.
            let index = words.index!
            let (prefixIDs, sentenceIDs) = wordIDs(prefix: prefix, sentences: sentences, words: &words)
            return ranges.map { range in
                var ids = prefixIDs
                for piece in sentenceIDs[range] { ids.append(contentsOf: piece) }
                ids.withUnsafeBufferPointer { index.forEachColumn($0, range: analyzer.ngramRange) { words.counter.add($0) } }
                return weightedRow(words.counter.take())
            }
        }
        return (rows[rows.count - 1], Array(rows.dropLast()))
    }

    /// The word ids of `prefix` and of each sentence (see ``appendWordIDs(of:words:to:)``).
    private func wordIDs(prefix: String, sentences: [String], words: inout NgramColumnMemo) -> (prefix: [Int32], sentences: [[Int32]]) {
        var prefixIDs: [Int32] = []
        appendWordIDs(of: prefix, words: &words, to: &prefixIDs)
        let sentenceIDs = sentences.map { sentence -> [Int32] in
            var ids: [Int32] = []
            appendWordIDs(of: sentence, words: &words, to: &ids)
            return ids
        }
        return (prefixIDs, sentenceIDs)
    }

    /// The story's ``StoryPieces`` in vocabulary columns, for unigram and unigram-and-bigram
    /// vectorizers; `nil` for other n-gram ranges.
    private func pieces(prefix: String, sentences: [String], columns: inout TokenIDMemo, words: inout NgramColumnMemo) -> StoryPieces? {
        if analyzer.ngramRange == 1...1 {
            func pieceColumns(_ text: String) -> [Int32] {
                var result: [Int32] = []
                forEachUnigramColumn(of: text, columns: &columns) { result.append($0) }
                return result
            }
            // Unigrams have no seams: whether a sentence holds words matters to no passage.
            return StoryPieces(prefix: pieceColumns(prefix), sentences: sentences.map(pieceColumns))
        }
        guard analyzer.ngramRange == 1...2 else { return nil }
        let index = words.index!
        let (prefixIDs, sentenceIDs) = wordIDs(prefix: prefix, sentences: sentences, words: &words)
        func ownColumns(_ ids: [Int32]) -> [Int32] {
            var result: [Int32] = []
            ids.withUnsafeBufferPointer { index.forEachColumn($0, range: 1...2) { result.append($0) } }
            return result
        }
        var pieces = StoryPieces(prefix: ownColumns(prefixIDs), sentences: sentenceIDs.map(ownColumns))
        // The bigrams across seams: between consecutive sentences that hold words, and from the
        // prefix's last word to each sentence's first (used by the passage it starts).
        var previous = -1
        for (sentence, ids) in sentenceIDs.enumerated() {
            guard let first = ids.first else { continue }
            if previous >= 0 {
                pieces.seamBefore[sentence] = index.column(sentenceIDs[previous].last!, first)
            }
            if let last = prefixIDs.last { pieces.seamFromPrefix[sentence] = index.column(last, first) }
            previous = sentence
        }
        // A sentence of unknown words has no columns but still holds words: seams skip only empty ones.
        pieces.hasWords = sentenceIDs.map { !$0.isEmpty }
        return pieces
    }

    /// The story as ``StoryPieces`` (each sentence analysed once) with the row of the whole
    /// story, for unigram and unigram-and-bigram vectorizers (`nil` for other n-gram ranges).
    /// The pieces' columns are renumbered `0..<m` in order of first occurrence (the story's
    /// `m` distinct columns), so that a scorer keeps its per-column state in arrays of the
    /// story's size; ``StoryPieces/columns`` maps them back.
    func localStoryPieces(prefix: String, sentences: [String]) -> (whole: [(Int32, Float)], pieces: StoryPieces)? {
        withMemos { columns, words in
            guard var pieces = pieces(prefix: prefix, sentences: sentences, columns: &columns, words: &words) else { return nil }
            pieces.forEachColumn(in: 0..<sentences.count) { words.counter.add($0) }
            let whole = weightedRow(words.counter.take())
            pieces.renumber(using: &words.localColumns)
            return (whole, pieces)
        }
    }

    private func withMemos<R>(_ body: (inout TokenIDMemo, inout NgramColumnMemo) -> R) -> R {
        memos.columns.withMemo { columns in
            memos.words.withMemo { words in
                words.counter.reserve(columns: vocabulary.count)
                if words.localColumns.count < vocabulary.count { words.localColumns = [Int32](repeating: -1, count: vocabulary.count) }
                if analyzer.ngramRange != 1...1 && words.index == nil { words.index = columnIndex() }
                return body(&columns, &words)
            }
        }
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

/// A story analysed once for passage scoring: the columns of the terms inside each piece (the
/// prefix, each sentence) and of the bigrams across the seams between pieces, from which the
/// terms of any run of consecutive sentences with the prefix follow without analysing again.
struct StoryPieces: Sendable {
    /// The columns of the prefix's own terms (words, and bigrams inside it).
    private(set) var prefix: [Int32]
    /// The columns of each sentence's own terms.
    private(set) var sentences: [[Int32]]
    /// Per sentence: whether it holds any word the analyzer keeps.
    var hasWords: [Bool]
    /// Per sentence: the column of the bigram from the previous sentence holding words to this
    /// one (-1: none, or not in the vocabulary).
    var seamBefore: [Int32]
    /// Per sentence: the column of the bigram from the prefix's last word to this sentence's
    /// first (-1: none).
    var seamFromPrefix: [Int32]

    /// After ``renumber(using:)``, the vocabulary column of each local column id; empty before.
    private(set) var columns: [Int32] = []

    init(prefix: [Int32], sentences: [[Int32]]) {
        self.prefix = prefix
        self.sentences = sentences
        hasWords = sentences.map { !$0.isEmpty }
        seamBefore = Array(repeating: -1, count: sentences.count)
        seamFromPrefix = Array(repeating: -1, count: sentences.count)
    }

    /// Renumbers every column `0..<m` in order of first occurrence and records the vocabulary
    /// column of each in ``columns``. `scratch` maps vocabulary columns (all -1, and left so).
    mutating func renumber(using scratch: inout [Int32]) {
        var columns: [Int32] = []
        func local(_ column: Int32) -> Int32 {
            if column < 0 { return column }
            if scratch[Int(column)] < 0 {
                scratch[Int(column)] = Int32(columns.count)
                columns.append(column)
            }
            return scratch[Int(column)]
        }
        prefix = prefix.map(local)
        sentences = sentences.map { $0.map(local) }
        seamBefore = seamBefore.map(local)
        seamFromPrefix = seamFromPrefix.map(local)
        for column in columns { scratch[Int(column)] = -1 }
        self.columns = columns
    }

    /// Calls `body` with the columns of the seams of the passage of sentences `range`: from
    /// the prefix to its first sentence holding words, and between its sentences.
    func forEachSeam(in range: Range<Int>, _ body: (Int32) -> Void) {
        var first = true
        for sentence in range where hasWords[sentence] {
            if first {
                if seamFromPrefix[sentence] >= 0 { body(seamFromPrefix[sentence]) }
                first = false
            } else if seamBefore[sentence] >= 0 {
                body(seamBefore[sentence])
            }
        }
    }

    /// Calls `body` with the column of every term of the passage of sentences `range` with the
    /// prefix (`0..<sentences.count`: the whole story), each as often as it occurs.
    func forEachColumn(in range: Range<Int>, _ body: (Int32) -> Void) {
        for column in prefix { body(column) }
        for sentence in range {
            for column in sentences[sentence] { body(column) }
        }
        forEachSeam(in: range, body)
    }
}

/// What a vectorizer keeps per worker across stories: a column counter and, with n-grams, what
/// each distinct token became (its ``NgramColumnIndex`` word id, or ``dropped``). The token
/// memo starts afresh past `capacity` entries (see ``TokenIDMemo``), so a long stream cannot
/// grow it without bound.
struct NgramColumnMemo {
    /// The value of a token the analyzer drops (a stop word, a one-letter word).
    static let dropped: Int32 = -2
    var tokens: TokenIDMemo
    var counter = ColumnCounter()
    /// A vocabulary-sized scratch map for ``StoryPieces/renumber(using:)`` (all -1 between uses).
    var localColumns: [Int32] = []
    /// The vectorizer's index, handed over when the memo is first used.
    var index: NgramColumnIndex?

    init(capacity: Int = 50_000) {
        tokens = TokenIDMemo(capacity: capacity)
    }
}

/// Counts occurrences of columns in a dense array, remembering which were touched, so that
/// counting a story costs one array update per term instead of a dictionary update.
struct ColumnCounter {
    private var counts: [Int32] = []
    private var touched: [Int32] = []

    /// Makes room for columns `0..<columns`.
    mutating func reserve(columns: Int) {
        if counts.count < columns { counts = [Int32](repeating: 0, count: columns) }
    }

    /// Counts one occurrence of `column` (below the reserved count).
    @inline(__always)
    mutating func add(_ column: Int32) {
        if counts[Int(column)] == 0 { touched.append(column) }
        counts[Int(column)] += 1
    }

    /// The (column, count) pairs counted since the last call, sorted by column; counting
    /// starts again from nothing.
    mutating func take() -> [(Int32, Int32)] {
        touched.sort()
        let result = touched.map { ($0, counts[Int($0)]) }
        for column in touched { counts[Int(column)] = 0 }
        touched.removeAll(keepingCapacity: true)
        return result
    }
}
