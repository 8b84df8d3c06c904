import Foundation
import Testing
@testable import Lapis

/// The centrality rankers take a fragment ("The U.S.") or any sentence shorter than their
/// minimum (8 words by default) only when nothing longer is left
/// (issue 20, point 8): a fragment shares its few words with many sentences and ranks high.
@Suite("Summarizers: fragments are taken last")
struct SentenceFragmentsTests {
    /// A story where "The U.S." shares its one content word with most other sentences.
    static let sentences = [
        "The U.S. and Canada signed a trade deal on Monday after two years of talks.",
        "The U.S.",
        "Officials said the U.S. would cut tariffs on Canadian lumber by half.",
        "Canada agreed to open its dairy market to U.S. farmers over five years.",
        "Critics in the U.S. Congress said the deal gave away too much.",
        "Markets in Toronto rose sharply on the news of the signing.",
    ]

    @Test("word counts count pieces with a letter or digit", arguments: [("The U.S.", 2), ("Photo: Reuters / 2024 — ", 3), ("", 0)])
    func wordCount(sentence: String, words: Int) {
        #expect(SentenceFragments.wordCount(sentence) == words)
    }

    @Test("lexrank, textrank and the default ranker skip a sentence shorter than the minimum", arguments: ["lexrank", "textrank", "default"])
    func fragmentSkipped(method: String) throws {
        let summarizer = try #require(SummarizerCatalog.summarizer(named: method))
        for count in 1...4 {
            let picked = summarizer.select(sentences: Self.sentences, title: nil, count: count)
            #expect(picked.count == count)
            #expect(!picked.contains(1), "\(method) picked the fragment for \(count) sentences")
        }
        // Asked for every sentence but one, the fragment is what is left out.
        #expect(!summarizer.select(sentences: Self.sentences, title: nil, count: 5).contains(1))
    }

    @Test("a fragment is still taken when the story has too few longer sentences")
    func fragmentTakenWhenNeeded() {
        let short = ["Tariffs were cut on steel and aluminium imports from Canada.", "The U.S.", "Canada welcomed the move on steel tariffs."]
        for summarizer in [LexRankSummarizer(), TextRankSummarizer(), PositionalCentralitySummarizer()] as [any Summarizer] {
            let picked = summarizer.select(sentences: short, title: nil, count: 3)
            #expect(Set(picked) == [0, 1, 2], "\(summarizer.name)")
        }
    }

    @Test("demoting keeps every other score and the fragments' own order")
    func demotion() {
        let scores = SentenceFragments.demoting([0.5, 0.9, 0.2, 0.8], sentences: ["One two three four.", "Hi.", "Five six seven eight.", "Yes."], minimumWords: 4)
        #expect(scores[0] == 0.5 && scores[2] == 0.2)
        #expect(scores[1] < scores[2] && scores[3] < scores[2])
        #expect(scores[1] > scores[3])
        #expect(SentenceFragments.demoting([0.5, 0.9], sentences: ["A b.", "C."], minimumWords: 0) == [0.5, 0.9])
    }
}
