import Foundation

/// The features a ``SupervisedSummarizer`` scores sentences by: position, length, centrality,
/// similarity to the title and to the whole story, TF-IDF mass, quotes and numbers.
///
/// All are computed from the story alone, so the same code serves training and prediction.
enum SentenceFeatures {
    /// Feature names, in vector order (stored in the model file for inspection).
    static let names = [
        "inverse_position", "relative_position", "is_first", "in_first_three", "log_length", "length_fraction",
        "lexrank_centrality", "directed_centrality", "title_similarity", "story_similarity", "tfidf_mass",
        "has_quote", "has_number", "capitalised_fraction", "is_short",
    ]

    /// One feature row per sentence (row-major, `names.count` columns) for the first
    /// `SentenceGraph.maximumSentences` sentences.
    static func matrix(graph: SentenceGraph, sentences: [String], title: String?) -> [[Double]] {
        let n = graph.count
        guard n > 0 else { return [] }
        let lexrankRanker = LexRankSummarizer()
        let lexrank = graph.lexRankScores(damping: lexrankRanker.damping, similarityThreshold: lexrankRanker.similarityThreshold)
        let maximumLexrank = max(lexrank.max() ?? 1, 1e-12)
        let positional = PositionalCentralitySummarizer()
        let directed = graph.directedCentrality(forwardWeight: positional.forwardWeight, backwardWeight: positional.backwardWeight)
        let titleSimilarity = graph.titleSimilarities(title)
        let storySimilarity = graph.centroidSimilarities()
        let lengths = graph.sentenceTerms.map { Double($0.count) }
        let longest = max(lengths.max() ?? 1, 1)
        return (0..<n).map { i in
            let sentence = sentences[i]
            let terms = graph.sentenceTerms[i]
            let mass = terms.reduce(0.0) { $0 + Double(graph.termIDF[$1]) } / Double(max(terms.count, 1))
            let words = sentence.split(whereSeparator: \.isWhitespace)
            let capitalised = words.filter { $0.first?.isUppercase == true }.count
            return [
                1 / Double(1 + i), Double(i) / Double(max(n - 1, 1)), i == 0 ? 1 : 0, i < 3 ? 1 : 0,
                PortableMath.log(1 + lengths[i]), lengths[i] / longest,
                lexrank[i] / maximumLexrank, directed[i], titleSimilarity[i], Double(storySimilarity[i]), mass,
                sentence.contains(where: { "\"“”«»".contains($0) }) ? 1 : 0,
                sentence.contains(where: \.isNumber) ? 1 : 0,
                Double(capitalised) / Double(max(words.count, 1)),
                lengths[i] < 5 ? 1 : 0,
            ]
        }
    }
}
