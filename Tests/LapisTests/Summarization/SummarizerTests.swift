import Testing
@testable import Lapis

@Suite("Summarizers")
struct SummarizerTests {
    let story = """
    The central bank raised its main interest rate by half a point on Tuesday to fight inflation. \
    Inflation reached 9.1 percent in May, the highest in three decades. \
    The decision surprised some analysts, who had expected a smaller move. \
    Markets fell after the announcement, with bank shares leading the decline. \
    The central bank said inflation would stay high for several months. \
    Football fans celebrated a late winner at the national stadium. \
    The next rate decision is due in July.
    """

    @Test("every method returns the requested number of verbatim sentences in story order", arguments: SummarizerCatalog.names)
    func verbatimInOrder(method: String) throws {
        let summarizer = try #require(SummarizerCatalog.summarizer(named: method))
        let sentences = SentenceSplitter().sentences(story)
        let summary = summarizer.summarize(story, count: 3)
        #expect(summary.count == 3)
        let positions = summary.map { sentences.firstIndex(of: $0) }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.map { $0! } == positions.map { $0! }.sorted())
    }

    @Test("lead takes the first sentences")
    func lead() {
        #expect(LeadSummarizer().summarize(story, count: 2) == Array(SentenceSplitter().sentences(story).prefix(2)))
    }

    @Test("centrality ranks the off-topic sentence last")
    func centrality() {
        let sentences = SentenceSplitter().sentences(story)
        let scores = LexRankSummarizer().scores(sentences: sentences, title: nil)
        #expect(scores[5] == scores.min())
        #expect(scores[5] < scores[0] && scores[5] < scores[4])
    }

    @Test("redundancy control skips a near-repeat of a chosen sentence")
    func redundancy() {
        let sentences = [
            "Rebels seized the northern town of Kalo on Monday.",
            "Rebels seized the northern town of Kalo on Monday, officials said.",
            "Thousands of residents fled toward the capital.",
            "The army promised a counter-offensive within days.",
        ]
        // No minimum length: two of these sentences are shorter than the default eight words.
        let chosen = LexRankSummarizer(redundancyPenalty: 2, minimumWords: 0).select(sentences: sentences, title: nil, count: 2)
        #expect(!(chosen.contains(0) && chosen.contains(1)))
    }

    @Test("short, empty and whitespace stories")
    func degenerate() {
        let summarizer = PositionalCentralitySummarizer()
        #expect(summarizer.summarize("", count: 3).isEmpty)
        #expect(summarizer.summarize("   \n ", count: 3).isEmpty)
        #expect(summarizer.summarize("Only one sentence here.", count: 3) == ["Only one sentence here."])
    }

    @Test("a story longer than the graph window is summarised from its window")
    func longStory() {
        let sentences = (0..<(SentenceGraph.maximumSentences + 50)).map { "Sentence number \($0) mentions topic \($0 % 7)." }
        let summary = LexRankSummarizer().summarize(sentences.joined(separator: " "), count: 3)
        #expect(summary.count == 3)
        let indices = summary.compactMap { sentences.firstIndex(of: $0) }
        #expect(indices.allSatisfy { $0 < SentenceGraph.maximumSentences })
    }
}
