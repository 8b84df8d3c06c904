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

/// Fragments ("The U.S.", "Photo: Reuters", a stray byline) can be central: they share their
/// few words with many sentences. The centrality rankers pass their scores through this, so a
/// sentence of fewer than `minimumWords` words is picked only when the story has too few
/// longer sentences to fill the summary.
public enum SentenceFragments {
    /// The default minimum, chosen on development data only (the first 1,000 stories of the
    /// CNN/DailyMail sample and our corpus; Evaluation/RESULTS.md, 2026-12-06): ROUGE of the
    /// default ranker rises from no minimum up to 8 words and is flat beyond.
    public static let defaultMinimumWords = 8

    /// Far below any score or MMR value a ranker produces (those lie within a few units of 0).
    static let demotedScore = -1_000.0

    /// `scores` (for the first `scores.count` sentences) with fragments demoted below every
    /// other sentence, keeping their order among themselves.
    static func demoting(_ scores: [Double], sentences: [String], minimumWords: Int) -> [Double] {
        guard minimumWords > 1 else { return scores }
        return scores.indices.map { index in
            wordCount(sentences[index]) < minimumWords ? demotedScore + scores[index] : scores[index]
        }
    }

    /// Words of `sentence`: white-space separated pieces holding a letter or digit.
    static func wordCount(_ sentence: String) -> Int {
        sentence.split(whereSeparator: \.isWhitespace).count { $0.contains { $0.isLetter || $0.isNumber } }
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
