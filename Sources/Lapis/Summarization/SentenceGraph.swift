import Foundation

/// TF-IDF vectors of a story's sentences and their cosine-similarity matrix.
///
/// Each sentence is a document of its own for the idf (idf over the story's sentences); rows
/// are L2-normalised, so the similarity matrix is the Gram matrix of the rows, built from
/// their nonzeros in a fixed order (``FixedOrderMatrix``) so that it is the same on every CPU.
struct SentenceGraph {
    /// Sentences taken into account; longer stories are cut to this window (first sentences).
    static let maximumSentences = 600
    /// Most floats the dense sentence-by-term matrix may hold (16 MB).
    static let denseBudget = 4_000_000

    let count: Int
    /// Row-major `count × count` cosine similarities (diagonal included).
    let similarity: [Float]
    /// The unit-length TF-IDF rows, row-major `count × termCount`.
    let rows: [Float]
    let termCount: Int
    /// Term ids of each sentence (after analysis; ids index the full story vocabulary), for other features.
    let sentenceTerms: [[Int]]
    /// Column of each term that has one.
    let termIndex: [String: Int]
    /// The idf of each column.
    let idf: [Float]
    /// The idf of every story term, indexed like `sentenceTerms`.
    let termIDF: [Float]

    init(sentences: [String], analyzer: TextAnalyzer = TextAnalyzer(ngramRange: 1...1)) {
        let (terms, windowIndex, documentFrequency) = Self.windowTerms(sentences, analyzer: analyzer)
        var index = windowIndex
        count = terms.count
        let sentenceCount = terms.count
        let allIDF = documentFrequency.map { TfidfWeighting.smoothedIDFSinglePrecision(documentCount: sentenceCount, documentFrequency: $0) }
        // The dense rows cost count × terms floats. Past the budget, only terms shared by two or
        // more sentences get a column: cosine similarities stay exact (a term in one sentence
        // never contributes to a dot product), norms still count every term, and only the
        // title and centroid similarities of such huge stories are approximate.
        var column = Array(0..<documentFrequency.count)
        var columnCount = documentFrequency.count
        if count * documentFrequency.count > Self.denseBudget {
            let shared = documentFrequency.indicesByDescendingValue().filter { documentFrequency[$0] >= 2 }
                .prefix(max(1, Self.denseBudget / max(count, 1)))
            column = [Int](repeating: -1, count: documentFrequency.count)
            for (position, term) in shared.enumerated() { column[term] = position }
            columnCount = shared.count
            var reducedIndex: [String: Int] = [:]
            for (term, id) in index where column[id] >= 0 { reducedIndex[term] = column[id] }
            index = reducedIndex
        }
        termIndex = index
        termIDF = allIDF
        sentenceTerms = terms
        termCount = columnCount
        var reducedIDF = [Float](repeating: 0, count: columnCount)
        for (term, position) in column.enumerated() where position >= 0 { reducedIDF[position] = allIDF[term] }
        idf = reducedIDF
        var rows = [Float](repeating: 0, count: count * termCount)
        var sparseRows = [[FixedOrderMatrix.Entry]](repeating: [], count: count)
        for (sentence, ids) in terms.enumerated() {
            var counts: [Int32: Int32] = [:]
            for id in ids { counts[Int32(id), default: 0] += 1 }
            // The norm counts every term of the sentence, with or without a column.
            let weighted = TfidfWeighting.normalizedRow(counts.map { ($0.key, $0.value) }, idf: allIDF, sublinearTF: true)
            for (id, value) in weighted where column[Int(id)] >= 0 {
                rows[sentence * termCount + column[Int(id)]] = value
                sparseRows[sentence].append(.init(column: column[Int(id)], value: value))
            }
            sparseRows[sentence].sort { $0.column < $1.column }
        }
        self.rows = rows
        similarity = FixedOrderMatrix.gram(rows, rows: count, columns: termCount, nonzeros: sparseRows)
    }

    /// The term ids of each sentence of the window (ids numbered by first occurrence), the id
    /// of each term, and each term's document frequency (sentences holding it).
    static func windowTerms(_ sentences: [String], analyzer: TextAnalyzer = TextAnalyzer(ngramRange: 1...1))
        -> (terms: [[Int]], index: [String: Int], documentFrequency: [Int]) {
        var index: [String: Int] = [:]
        var documentFrequency: [Int] = []
        var terms: [[Int]] = []
        for sentence in sentences.prefix(maximumSentences) {
            var ids: [Int] = []
            var seen = Set<Int>()
            for word in analyzer.words(sentence) {
                let id: Int
                if let existing = index[word] { id = existing } else {
                    id = index.count
                    index[word] = id
                    documentFrequency.append(0)
                }
                ids.append(id)
                if seen.insert(id).inserted { documentFrequency[id] += 1 }
            }
            terms.append(ids)
        }
        return (terms, index, documentFrequency)
    }

    /// Maximal marginal relevance: repeatedly takes the sentence with the best
    /// `relevance − penalty · (max similarity to those already taken)`.
    func maximalMarginalRelevance(relevance: [Double], count wanted: Int, penalty: Double) -> [Int] {
        var chosen: [Int] = []
        var available = Set(0..<min(count, relevance.count))
        while chosen.count < wanted, !available.isEmpty {
            let best = available.max { a, b in
                let scoreA = relevance[a] - penalty * redundancy(a, chosen)
                let scoreB = relevance[b] - penalty * redundancy(b, chosen)
                return scoreA != scoreB ? scoreA < scoreB : a > b
            }!
            chosen.append(best)
            available.remove(best)
        }
        return chosen.sorted()
    }

    private func redundancy(_ candidate: Int, _ chosen: [Int]) -> Double {
        chosen.map { Double(similarity[candidate * count + $0]) }.max() ?? 0
    }
}
