/// LexRank / TextRank-style centrality: sentences similar to many other sentences are
/// central. Similarities are cosines of sentence TF-IDF rows, scores come from power
/// iteration on the similarity graph (`SentenceGraph`), and the summary avoids near-repeats
/// by maximal marginal relevance.
public struct LexRankSummarizer: Summarizer {
    public let name = "lexrank"
    /// Random-walk damping (probability of following an edge).
    public var damping: Float
    /// Edges with a cosine below this are dropped (0 keeps the continuous graph).
    public var similarityThreshold: Float
    /// Weight of redundancy in the MMR selection (0 disables it).
    public var redundancyPenalty: Double
    /// Sentences with fewer words are picked only when nothing longer is left (fragments such
    /// as "The U.S." share their words with many sentences and would rank high).
    public var minimumWords: Int

    /// Creates the ranker.
    public init(damping: Float = 0.85, similarityThreshold: Float = 0.1, redundancyPenalty: Double = 0.5,
                minimumWords: Int = SentenceFragments.defaultMinimumWords) {
        self.damping = damping
        self.similarityThreshold = similarityThreshold
        self.redundancyPenalty = redundancyPenalty
        self.minimumWords = minimumWords
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        let graph = SentenceGraph(sentences: sentences)
        return SentenceGraph.padded(graph.lexRankScores(damping: damping, similarityThreshold: similarityThreshold), to: sentences.count, with: -1)
    }

    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let graph = SentenceGraph(sentences: sentences)
        let scores = graph.lexRankScores(damping: damping, similarityThreshold: similarityThreshold)
        // Sentences beyond the graph window score below every sentence inside it.
        guard redundancyPenalty > 0 else {
            return Self.topIndices(SentenceGraph.padded(SentenceFragments.demoting(scores, sentences: sentences, minimumWords: minimumWords),
                                                        to: sentences.count, with: -1), count: count)
        }
        let maximum = scores.max() ?? 1
        let relevance = scores.map { maximum > 0 ? $0 / maximum : $0 }
        return graph.maximalMarginalRelevance(relevance: SentenceFragments.demoting(relevance, sentences: sentences, minimumWords: minimumWords),
                                              count: count, penalty: redundancyPenalty)
    }
}
