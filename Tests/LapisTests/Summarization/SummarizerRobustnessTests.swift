import Foundation
import Testing
@testable import Lapis

/// Summarizers on stories far beyond news length: the similarity graph is windowed to the
/// first ``SentenceGraph/maximumSentences`` sentences, so cost stays bounded.
@Suite("Summarizers: robustness")
struct SummarizerRobustnessTests {
    static func longStory(sentences: Int) -> (text: String, sentences: [String]) {
        let subjects = ["The port", "Ministers", "Troops", "The union", "Customs officers", "Freight lines"]
        let verbs = ["reviewed", "rejected", "announced", "delayed", "approved"]
        let objects = ["new tariffs", "the border plan", "rail contracts", "a security pact", "shipping fees"]
        let list = (0..<sentences).map { i in
            "\(subjects[i % subjects.count]) \(verbs[(i / 6) % verbs.count]) \(objects[(i / 30) % objects.count]) in round \(i)."
        }
        return (list.joined(separator: " "), list)
    }

    @Test("a 100,000-sentence story is summarised from its first 600 sentences", arguments: SummarizerCatalog.names)
    func hundredThousandSentences(method: String) {
        let story = Self.longStory(sentences: 100_000)
        let summarizer = SummarizerCatalog.summarizer(named: method)!
        let clock = ContinuousClock()
        var summary: [String] = []
        let elapsed = clock.measure { summary = summarizer.summarize(story.text, count: 3) }
        #expect(summary.count == 3)
        let window = Set(story.sentences.prefix(SentenceGraph.maximumSentences))
        #expect(summary.allSatisfy(window.contains), "\(summary)")
        #expect(elapsed < .seconds(120), "took \(elapsed)")
    }

    @Test("asking for more sentences than the window holds returns at most the window")
    func moreThanTheWindow() {
        let story = Self.longStory(sentences: 1_000)
        let summary = PositionalCentralitySummarizer().summarize(story.text, count: 700)
        #expect(summary.count == SentenceGraph.maximumSentences)
        let all = LeadSummarizer().summarize(story.text, count: 700)
        #expect(all == Array(story.sentences.prefix(700)))
    }

    @Test("a one-sentence story of a million tokens is returned whole, not ranked")
    func oneHugeSentence() {
        let text = String(repeating: "tariff port border ", count: 340_000) + "end"
        for method in SummarizerCatalog.names {
            let summary = SummarizerCatalog.summarizer(named: method)!.summarize(text, count: 3)
            #expect(summary == [text])
        }
    }
}

@Suite("Memory bounds on pathological stories")
struct MemoryBoundTests {
    @Test("a story with a huge vocabulary keeps the sentence matrix within its budget, with exact shared-term similarity")
    func hugeVocabulary() {
        // 300 sentences of 200 made-up words each, plus one shared word: 60,000 distinct terms.
        let sentences = (0..<300).map { s in (0..<200).map { "w\(s)x\($0)q" }.joined(separator: " ") + " harbour." }
        let graph = SentenceGraph(sentences: sentences)
        #expect(graph.count * graph.termCount <= SentenceGraph.denseBudget)
        #expect(graph.termCount >= 1)
        // Sentences share only "harbour": their cosine is positive and equal for every pair.
        #expect(graph.similarity[1] > 0 && abs(graph.similarity[1] - graph.similarity[2 * graph.count + 5]) < 1e-6)
        #expect(PositionalCentralitySummarizer().summarize(sentences.joined(separator: " "), count: 3).count == 3)
    }

    @Test("ROUGE on one very long sentence needs no quadratic table for ROUGE-L and caps ROUGE-Lsum")
    func longSentenceRouge() {
        let text = (0..<20_000).map { "token\($0 % 977)" }.joined(separator: " ")
        let scores = RougeScorer().score(candidate: text, reference: text)
        #expect(scores.rougeL.f1 == 1)
        #expect(scores.rougeLsum.f1 > 0)
    }
}
