/// TextRank: centrality on the continuous similarity graph (no edge dropped), the best
/// sentences taken as they rank, without redundancy control.
public struct TextRankSummarizer: Summarizer {
    public let name = "textrank"
    /// Random-walk damping (probability of following an edge).
    public var damping: Float

    /// Creates the ranker.
    public init(damping: Float = 0.85) {
        self.damping = damping
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        let graph = SentenceGraph(sentences: sentences)
        // Sentences beyond the graph window score below every sentence inside it.
        return graph.padded(graph.lexRankScores(damping: damping, similarityThreshold: 0), to: sentences.count, with: -1)
    }
}
