/// Position-aware centrality for news: a PacSum-style directed graph in which a sentence
/// gains from its similarity to the sentences *after* it (an early sentence that later ones
/// elaborate is the one that introduces the story), combined with a lead prior and the
/// similarity to the title, with redundancy control.
///
/// score(i) = Σ_{j>i} sim(i, j) · forwardWeight + Σ_{j<i} sim(i, j) · backwardWeight,
/// normalised to [0, 1], plus `titleWeight · sim(i, title)` and `leadWeight / (1 + i)`.
public struct PositionalCentralitySummarizer: Summarizer {
    public let name = "positional"
    /// Weight of similarity to later sentences.
    public var forwardWeight: Double
    /// Weight of similarity to earlier sentences (PacSum uses a negative value).
    public var backwardWeight: Double
    /// Weight of the position prior 1 / (1 + i).
    public var leadWeight: Double
    /// Weight of the cosine similarity to the title.
    public var titleWeight: Double
    /// Weight of redundancy in the MMR selection.
    public var redundancyPenalty: Double

    /// Creates the ranker with its default weights.
    public init(forwardWeight: Double = 1, backwardWeight: Double = -0.3, leadWeight: Double = 1.0,
                titleWeight: Double = 0.3, redundancyPenalty: Double = 0.3) {
        self.forwardWeight = forwardWeight
        self.backwardWeight = backwardWeight
        self.leadWeight = leadWeight
        self.titleWeight = titleWeight
        self.redundancyPenalty = redundancyPenalty
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        scores(graph: SentenceGraph(sentences: sentences), sentences: sentences, title: title)
    }

    func scores(graph: SentenceGraph, sentences: [String], title: String?) -> [Double] {
        let n = graph.count
        var directed = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n where j != i {
                let similarity = Double(graph.similarity[i * n + j])
                sum += similarity * (j > i ? forwardWeight : backwardWeight)
            }
            directed[i] = sum
        }
        let low = directed.min() ?? 0, high = directed.max() ?? 0
        let span = high - low
        let titleSimilarity = titleSimilarities(graph: graph, title: title)
        var result = (0..<n).map { i -> Double in
            let centrality = span > 0 ? (directed[i] - low) / span : 0
            return centrality + leadWeight / Double(1 + i) + titleWeight * titleSimilarity[i]
        }
        result += [Double](repeating: -1, count: sentences.count - n)
        return result
    }

    /// Cosine similarity of each sentence row with the title's terms (weighted by the story idf).
    func titleSimilarities(graph: SentenceGraph, title: String?) -> [Double] {
        guard let title, !title.isEmpty, graph.termCount > 0 else { return [Double](repeating: 0, count: graph.count) }
        var vector = [Float](repeating: 0, count: graph.termCount)
        for word in TextAnalyzer(ngramRange: 1...1).words(title) {
            if let id = graph.termIndex[word] { vector[id] = graph.idf[id] }
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [Double](repeating: 0, count: graph.count) }
        return FixedOrderMatrix.product(graph.rows, rows: graph.count, columns: graph.termCount, vector, alpha: 1 / norm)
            .map(Double.init)
    }

    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let graph = SentenceGraph(sentences: sentences)
        let scores = scores(graph: graph, sentences: sentences, title: title)
        guard redundancyPenalty > 0 else { return Self.topIndices(scores, count: count) }
        return graph.maximalMarginalRelevance(relevance: Array(scores.prefix(graph.count)), count: count, penalty: redundancyPenalty)
    }
}
