/// LexRank / TextRank-style centrality: sentences similar to many other sentences are
/// central. Similarities are cosines of sentence TF-IDF rows, scores come from power
/// iteration on the similarity graph (``SentenceGraph``), and the summary avoids near-repeats
/// by maximal marginal relevance.
public struct LexRankSummarizer: Summarizer {
    public let name: String
    /// Random-walk damping (probability of following an edge).
    public var damping: Float
    /// Edges with a cosine below this are dropped (0 keeps the continuous graph).
    public var similarityThreshold: Float
    /// Weight of redundancy in the MMR selection (0 disables it).
    public var redundancyPenalty: Double

    /// Creates the ranker.
    public init(damping: Float = 0.85, similarityThreshold: Float = 0.1, redundancyPenalty: Double = 0.5, name: String = "lexrank") {
        self.damping = damping
        self.similarityThreshold = similarityThreshold
        self.redundancyPenalty = redundancyPenalty
        self.name = name
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        let graph = SentenceGraph(sentences: sentences)
        return paddedScores(graph, total: sentences.count)
    }

    func paddedScores(_ graph: SentenceGraph, total: Int) -> [Double] {
        var weights = graph.similarity
        for row in 0..<graph.count {
            weights[row * graph.count + row] = 0
            for column in 0..<graph.count where weights[row * graph.count + column] < similarityThreshold {
                weights[row * graph.count + column] = 0
            }
        }
        let centrality = graph.centrality(weights: weights, damping: damping).map(Double.init)
        // Sentences beyond the graph window score below every sentence inside it.
        return centrality + [Double](repeating: -1, count: total - graph.count)
    }

    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let graph = SentenceGraph(sentences: sentences)
        let scores = paddedScores(graph, total: sentences.count)
        guard redundancyPenalty > 0 else { return Self.topIndices(scores, count: count) }
        let maximum = scores.max() ?? 1
        let relevance = scores.prefix(graph.count).map { maximum > 0 ? $0 / maximum : $0 }
        return graph.maximalMarginalRelevance(relevance: Array(relevance), count: count, penalty: redundancyPenalty)
    }
}
