import Foundation
import Testing
@testable import Lapis

@Suite("TextRank summarizer")
struct TextRankSummarizerTests {
    /// Terms (stems as written): [cold, night], [storm, flood, town], [storm, flood, river],
    /// [storm, wind], [town, market]. The first sentence shares nothing.
    let sentences = ["Cold night.", "Storm flood town.", "Storm flood river.", "Storm wind.", "Town market."]

    @Test("edge weights are the overlap similarity on term counts, normalised by log lengths")
    func overlapWeights() {
        let terms = SentenceGraph.windowTerms(sentences).terms
        #expect(terms.map(\.count) == [2, 3, 3, 2, 2])
        #expect(terms == SentenceGraph(sentences: sentences).sentenceTerms)
        let w = SentenceGraph.overlapWeights(terms)
        let ln2 = Foundation.log(2.0), ln3 = Foundation.log(3.0)
        var expected = [Double](repeating: 0, count: 25)
        func set(_ i: Int, _ j: Int, _ value: Double) { expected[i * 5 + j] = value; expected[j * 5 + i] = value }
        set(1, 2, 2 / (ln3 + ln3))   // storm, flood
        set(1, 3, 1 / (ln3 + ln2))   // storm
        set(1, 4, 1 / (ln3 + ln2))   // town
        set(2, 3, 1 / (ln3 + ln2))   // storm
        for index in 0..<25 { #expect(abs(w[index] - expected[index]) <= 1e-15, "w[\(index / 5)][\(index % 5)]") }
    }

    @Test("repeated terms count; two one-term sentences weigh their dot product")
    func countsAndOneTermSentences() {
        let w = SentenceGraph.overlapWeights(SentenceGraph.windowTerms(["Storm storm flood.", "Storm wind flood.", "Storm.", "Storm."]).terms)
        let ln3 = Foundation.log(3.0)
        #expect(abs(w[0 * 4 + 1] - 3 / (2 * ln3)) <= 1e-15)   // 2·1 (storm) + 1·1 (flood)
        #expect(abs(w[0 * 4 + 2] - 2 / ln3) <= 1e-15)         // ln 1 = 0 on the one-term side
        #expect(abs(w[1 * 4 + 2] - 1 / ln3) <= 1e-15)
        #expect(w[2 * 4 + 3] == 1)                             // denominator 0: the dot product
        #expect((0..<4).allSatisfy { w[$0 * 4 + $0] == 0 })
    }

    @Test("PageRank scores match the reference and the hub sentences win over the lead")
    func scoresAndSelection() {
        let scores = TextRankSummarizer().scores(sentences: sentences, title: nil)
        // sumy-style power iteration (p ← Mᵀp, stop at ‖Δp‖₂ ≤ 1e-4) computed independently
        // in numpy: the sentence without shared terms leaks mass, so the scores are small.
        let reference = [0.00022022400457723, 0.00265900537329145, 0.00191510686556178,
                         0.00149480462362015, 0.00085943487265157]
        for (score, value) in zip(scores, reference) { #expect(abs(score - value) <= 1e-9 * value) }
        #expect(scores.indicesByDescendingValue() == [1, 2, 3, 4, 0])
        #expect(TextRankSummarizer().select(sentences: sentences, title: nil, count: 3) == [1, 2, 3])
        #expect(TextRankSummarizer().summarize(sentences.joined(separator: " "), count: 3)
                == ["Storm flood town.", "Storm flood river.", "Storm wind."])
    }

    @Test("equal scores go to the earlier sentences")
    func ties() {
        let unrelated = ["Apples ripen.", "Bridges rust.", "Comets glow.", "Deserts bloom.", "Engines hum."]
        let scores = TextRankSummarizer().scores(sentences: unrelated, title: nil)
        #expect(Set(scores).count == 1)
        #expect(TextRankSummarizer().select(sentences: unrelated, title: nil, count: 3) == [0, 1, 2])
    }

    @Test("stories of at most three sentences come back whole")
    func shortStories() {
        let summarizer = TextRankSummarizer()
        #expect(summarizer.summarize("Cold night. Storm wind. Town market.", count: 3) == ["Cold night.", "Storm wind.", "Town market."])
        #expect(summarizer.summarize("Storm wind. Town market.", count: 3) == ["Storm wind.", "Town market."])
        #expect(summarizer.summarize("", count: 3).isEmpty)
    }

    @Test("sentences beyond the 600-sentence window score below all inside it")
    func window() {
        let many = (0..<(SentenceGraph.maximumSentences + 20)).map { "Storm number \($0) hit river town \($0 % 5)." }
        let scores = TextRankSummarizer().scores(sentences: many, title: nil)
        #expect(scores.count == many.count)
        let inside = scores.prefix(SentenceGraph.maximumSentences), beyond = scores.dropFirst(SentenceGraph.maximumSentences)
        #expect(beyond.allSatisfy { $0 == -1 })
        #expect(inside.allSatisfy { $0 > 0 })
    }

    @Test("a batch summarised on all cores equals the stories summarised one by one")
    func batchMatchesSequential() {
        let base = ["Storm flood town.", "Storm flood river.", "Storm wind.", "Town market.", "Cold night.",
                    "River town storm.", "Market flood."]
        let documents = (0..<40).map { k in
            Document(id: "\(k)", text: (0..<base.count).map { base[($0 * (k + 1)) % base.count] }.joined(separator: " "))
        }
        let summarizer = TextRankSummarizer()
        #expect(summarizer.summarize(documents, count: 3) == documents.map { summarizer.summarize($0.text, count: 3) })
    }
}
