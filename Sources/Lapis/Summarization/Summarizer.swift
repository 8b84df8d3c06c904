/// An extractive summarizer: it scores the sentences of a story, and the summary is the
/// best `count` sentences, returned in story order.
public protocol Summarizer: Sendable {
    /// The method's name, as `lapis summarize --method` spells it.
    var name: String { get }

    /// One score per sentence (higher is better). `sentences` are the story's sentences in order.
    func scores(sentences: [String], title: String?) -> [Double]

    /// Which sentences to take: indices in story order. The default takes the `count` best
    /// scores (ties to the earlier sentence); rankers with redundancy control override it.
    func select(sentences: [String], title: String?, count: Int) -> [Int]
}

extension Summarizer {
    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let scores = scores(sentences: sentences, title: title)
        return Self.topIndices(scores, count: count)
    }

    /// The summary of `text`: at most `count` sentences, verbatim, in story order.
    public func summarize(_ text: String, title: String? = nil, count: Int = 3) -> [String] {
        let sentences = SentenceSplitter().sentences(text)
        guard count > 0, !sentences.isEmpty else { return [] }
        if sentences.count <= count { return sentences }
        return select(sentences: sentences, title: title, count: count).map { sentences[$0] }
    }

    /// The indices of the `count` highest scores (ties to the earlier sentence), in story order.
    static func topIndices(_ scores: [Double], count: Int) -> [Int] {
        scores.indicesByDescendingValue().prefix(count).sorted()
    }
}

/// The summarizers `lapis summarize --method` knows, by name.
public enum SummarizerCatalog {
    /// Method names, the default first.
    public static let names = ["default", "lead", "lexrank", "textrank", "positional"]

    /// The summarizer called `name`, or nil when the name is unknown. "default" is the
    /// position-aware centrality ranker: the best summarizer here on real news without
    /// training data (see the README).
    public static func summarizer(named name: String) -> (any Summarizer)? {
        switch name {
        case "default", "positional": return PositionalCentralitySummarizer()
        case "lead": return LeadSummarizer()
        case "lexrank": return LexRankSummarizer()
        case "textrank": return TextRankSummarizer()
        default: return nil
        }
    }
}

extension Summarizer {
    /// Summaries of many documents (title used where present), computed on all cores.
    public func summarize(_ documents: [Document], count: Int = 3) -> [[String]] {
        Parallel.map(documents, minimumChunk: 8) { summarize($0.text, title: $0.title, count: count) }
    }
}
