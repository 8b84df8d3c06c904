/// TextRank (Mihalcea & Tarau 2004): PageRank on a graph whose edges count the terms two
/// sentences share, the best sentences taken as they rank, without redundancy control.
///
/// For each story, with Cᵢ the term-count vector of sentence i (``TextAnalyzer``'s default
/// terms: stop words removed, Porter stems, numbers dropped) and Lᵢ = Σ Cᵢ its number of terms:
///
/// - edge weights wᵢⱼ = (Cᵢ·Cⱼ) / (ln max(Lᵢ, 1) + ln max(Lⱼ, 1)) for i ≠ j — the original
///   TextRank overlap similarity, on counts, as sumy computes it; Cᵢ·Cⱼ when the denominator is
///   0; wᵢᵢ = 0;
/// - rows normalised, Wᵢⱼ = wᵢⱼ / (Σⱼ wᵢⱼ + 10⁻⁷);
/// - PageRank with damping d: from the uniform vector, p ← Mᵀp with M = (1 − d)/n + d·W until
///   ‖Δp‖₂ ≤ 10⁻⁴;
/// - the summary is the top `count` scores (ties to the earlier sentence), in story order,
///   sentences shorter than ``minimumWords`` taken last; a story with no more sentences than
///   that is returned whole.
///
/// Arithmetic is in double precision in a fixed order, with portable logarithms (not the
/// platform's libm), so the summary is the same on every CPU. Stories longer than 600 sentences
/// are ranked within their first 600; later sentences score below all of them.
///
/// Rada Mihalcea and Paul Tarau, "TextRank: Bringing Order into Texts", Proceedings of
/// EMNLP 2004, pp. 404–411.
public struct TextRankSummarizer: Summarizer {
    public let name = "textrank"
    /// Random-walk damping (probability of following an edge).
    public var damping: Float
    /// Sentences with fewer words are picked only when nothing longer is left (see
    /// ``LexRankSummarizer/minimumWords``); their scores are unchanged.
    public var minimumWords: Int

    /// Creates the ranker.
    public init(damping: Float = 0.85, minimumWords: Int = SentenceFragments.defaultMinimumWords) {
        self.damping = damping
        self.minimumWords = minimumWords
    }

    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let scores = scores(sentences: sentences, title: title)
        return Self.topIndices(SentenceFragments.demoting(scores, sentences: sentences, minimumWords: minimumWords), count: count)
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        let terms = SentenceGraph.windowTerms(sentences).terms
        // The decimal the Float stands for (0.85, not 0.8500000238…): the walk stops at
        // ‖Δp‖₂ ≤ 10⁻⁴, short of convergence, so even that last digit moves near-ties.
        let damping = Double(damping.description) ?? Double(damping)
        return SentenceGraph.padded(SentenceGraph.overlapTextRankScores(terms, damping: damping), to: sentences.count, with: -1)
    }
}
