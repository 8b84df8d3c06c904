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
    /// Sentences with fewer words are picked only when nothing longer is left (see
    /// ``LexRankSummarizer/minimumWords``).
    public var minimumWords: Int

    /// Creates the ranker with its default weights.
    public init(forwardWeight: Double = 1, backwardWeight: Double = -0.3, leadWeight: Double = 1.0,
                titleWeight: Double = 0.3, redundancyPenalty: Double = 0.3, minimumWords: Int = SentenceFragments.defaultMinimumWords) {
        self.forwardWeight = forwardWeight
        self.backwardWeight = backwardWeight
        self.leadWeight = leadWeight
        self.titleWeight = titleWeight
        self.redundancyPenalty = redundancyPenalty
        self.minimumWords = minimumWords
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        let graph = SentenceGraph(sentences: sentences)
        return SentenceGraph.padded(scores(graph: graph, title: title), to: sentences.count, with: -1)
    }

    /// The scores of the graph's window.
    func scores(graph: SentenceGraph, title: String?) -> [Double] {
        let centrality = graph.directedCentrality(forwardWeight: forwardWeight, backwardWeight: backwardWeight)
        let titleSimilarity = graph.titleSimilarities(title)
        return (0..<graph.count).map { i in
            centrality[i] + leadWeight / Double(1 + i) + titleWeight * titleSimilarity[i]
        }
    }

    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let graph = SentenceGraph(sentences: sentences)
        let scores = SentenceFragments.demoting(scores(graph: graph, title: title), sentences: sentences, minimumWords: minimumWords)
        guard redundancyPenalty > 0 else { return Self.topIndices(SentenceGraph.padded(scores, to: sentences.count, with: -1), count: count) }
        return graph.maximalMarginalRelevance(relevance: scores, count: count, penalty: redundancyPenalty)
    }
}
