import Foundation
import LapisTestSupport
import Testing
@testable import Lapis

@Suite("SupervisedSummarizer")
struct SupervisedSummarizerTests {
    /// Stories whose second sentence is always the reference: a scorer must learn that position.
    static func stories() -> ([Document], [SupervisedSummarizer.Reference]) {
        let topics = ["port", "tariff", "border", "summit", "airline", "grain", "rail", "frigate", "budget", "museum"]
        var documents: [Document] = []
        for (index, topic) in topics.enumerated() {
            let text = "Officials spoke on Monday about the \(topic). The key \(topic) decision was announced by the minister. "
                + "Some residents were unsure. Analysts expect more news on the \(topic) soon. The weather was mild."
            documents.append(Document(id: "\(index)", text: text))
        }
        return (documents, documents.map { _ in .sentenceIndices([1]) })
    }

    @Test("learns from extractive references and picks the sentence they favour")
    func learnsPosition() throws {
        let (documents, references) = Self.stories()
        let summarizer = try SupervisedSummarizerOptions().fit(documents, references: references)
        let story = "Talks opened on Tuesday about the canal. The key canal decision was announced by the minister. Nobody objected. Later news is due. It rained."
        #expect(summarizer.summarize(story, count: 1) == ["The key canal decision was announced by the minister."])
    }

    @Test("the greedy ROUGE oracle picks the sentences closest to an abstractive reference")
    func oracle() {
        let sentences = ["The match ended late.", "Parliament approved the new trade law on Monday.", "Fans went home.", "Exporters welcomed the law."]
        let chosen = SupervisedSummarizer.greedyOracle(sentences: sentences, reference: "parliament approves trade law; exporters welcome it", count: 2)
        #expect(chosen == [1, 3])
    }

    @Test("extractive text references mark the sentences they contain")
    func extractiveText() {
        let sentences = ["First one here.", "Second sentence is kept.", "Third is not."]
        let positives = SupervisedSummarizer.positiveSentences(sentences: sentences, reference: .text("Second  sentence is kept. First one here."), count: 3)
        #expect(positives == [0, 1])
    }

    @Test("a saved scorer loads back and scores the same; a topic model is refused")
    func fileRoundTrip() throws {
        let (documents, references) = Self.stories()
        let summarizer = try SupervisedSummarizerOptions().fit(documents, references: references)
        let folder = TemporaryFolder()
        let path = folder.path + "/s.lapis"
        try summarizer.save(to: path)
        let loaded = try SupervisedSummarizer.load(path: path)
        let sentences = SentenceSplitter().sentences(documents[0].text)
        let before = summarizer.scores(sentences: sentences, title: nil), after = loaded.scores(sentences: sentences, title: nil)
        for (a, b) in zip(before, after) { #expect(abs(a - b) < 1e-4) }
        let topicModel = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0).fit(try TopicClassifierTests.miniCorpus())
        try topicModel.save(to: folder.path + "/t.lapis")
        #expect(throws: LapisError.self) { _ = try SupervisedSummarizer.load(path: folder.path + "/t.lapis") }
    }

    @Test("references that mark nothing cannot train a scorer")
    func emptyReferences() {
        let (documents, _) = Self.stories()
        #expect(throws: LapisError.self) {
            _ = try SupervisedSummarizerOptions().fit(documents, references: documents.map { _ in .sentenceIndices([]) })
        }
    }

    /// Stories whose reference holds two long and two short sentences in shuffled order, among
    /// two unrelated sentences: a two-sentence summary recovers most of it with the long pair.
    static func longReferenceStories() -> ([Document], [SupervisedSummarizer.Reference]) {
        let topics = ["harbour", "tariff", "border", "summit", "airline", "grain", "railway", "fishery", "budget", "museum", "pipeline", "vaccine"]
        var generator = SeededGenerator(seed: 5)
        var documents: [Document] = []
        var references: [SupervisedSummarizer.Reference] = []
        for (index, topic) in topics.enumerated() {
            let referenceSentences = [
                "The \(topic) committee agreed a detailed plan covering funding, staffing, deadlines and public reports for every district.",
                "Officials said the \(topic) plan would be reviewed each spring by independent auditors and published in full online.",
                "The \(topic) vote passed.",
                "Ministers praised it.",
            ]
            let others = ["Meanwhile the local football team lost again at home.", "Forecasters expect rain over the weekend."]
            let order = Array(0..<6).shuffled(using: &generator)
            let sentences = order.map { $0 < 4 ? referenceSentences[$0] : others[$0 - 4] }
            documents.append(Document(id: "\(index)", text: sentences.joined(separator: " ")))
            references.append(.sentenceIndices(order.indices.filter { order[$0] < 4 }))
        }
        return (documents, references)
    }

    @Test("selection weighs length by the exponent: equal scores go to the longer sentence only when it is above 0")
    func lengthExponentWeighsLength() throws {
        let (documents, references) = Self.stories()
        var summarizer = try SupervisedSummarizerOptions(lengthExponents: [0]).fit(documents, references: references)
        let sentences = ["Short one here.", "This sentence is a good deal longer than the first one is."]
        let graph = SentenceGraph(sentences: sentences)
        #expect(summarizer.lengthExponent == 0)
        #expect(summarizer.select(graph: graph, sentences: sentences, scores: [0, 0], count: 1) == [0])
        summarizer.lengthExponent = 1
        #expect(summarizer.select(graph: graph, sentences: sentences, scores: [0, 0], count: 1) == [1])
        // A much more probable short sentence still wins over a slightly longer one.
        #expect(summarizer.select(graph: graph, sentences: sentences, scores: [6, -6], count: 1) == [0])
    }

    @Test("cross-validated ROUGE picks a length exponent above 0 when long reference sentences recover more of the reference")
    func crossValidationPicksLengthExponent() throws {
        let (documents, references) = Self.longReferenceStories()
        let summarizer = try SupervisedSummarizerOptions(count: 2, lengthExponents: [0, 1]).fit(documents, references: references)
        #expect(summarizer.lengthExponent == 1)
        let story = "Forecasters expect rain over the weekend. The canal vote passed. "
            + "The canal committee agreed a detailed plan covering funding, staffing, deadlines and public reports for every district. "
            + "Ministers praised it. Officials said the canal plan would be reviewed each spring by independent auditors and published in full online."
        #expect(summarizer.select(sentences: SentenceSplitter().sentences(story), title: nil, count: 2) == [2, 4])
        let folder = TemporaryFolder()
        try summarizer.save(to: folder.path + "/s.lapis")
        #expect(try SupervisedSummarizer.load(path: folder.path + "/s.lapis").lengthExponent == 1)
    }

    @Test("a scorer file written before length weighting (no length_exponent) loads with exponent 0; a negative one is refused")
    func lengthExponentInOlderAndCorruptFiles() throws {
        let (documents, references) = Self.stories()
        let summarizer = try SupervisedSummarizerOptions().fit(documents, references: references)
        let folder = TemporaryFolder()
        func write(_ exponent: Double?, to name: String) throws -> String {
            let metadata = SummarizerMetadata(kind: SummarizerMetadata.kindName, features: SentenceFeatures.names, means: summarizer.means,
                                              deviations: summarizer.deviations, redundancyPenalty: summarizer.redundancyPenalty,
                                              trainingDocuments: documents.count, lengthExponent: exponent)
            let path = folder.path + "/" + name
            try ModelFile(metadata: metadata, arrays: [("weights", summarizer.weights.map(Float.init)), ("bias", [Float(summarizer.bias)])]).write(to: path)
            return path
        }
        let older = try write(nil, to: "older.lapis")
        #expect(try ModelFile.read(path: older).metadata["length_exponent"] == nil)
        #expect(try SupervisedSummarizer.load(path: older).lengthExponent == 0)
        #expect(try SupervisedSummarizer.load(path: try write(1.5, to: "new.lapis")).lengthExponent == 1.5)
        #expect(throws: LapisError.self) { _ = try SupervisedSummarizer.load(path: try write(-1, to: "negative.lapis")) }
    }

    @Test("when a cross-validation fold has no marked sentence, training still succeeds with the first exponent")
    func crossValidationFoldWithoutPositives() throws {
        let (documents, _) = Self.stories()
        let references: [SupervisedSummarizer.Reference] = documents.indices.map { $0 == 0 ? .sentenceIndices([1]) : .sentenceIndices([]) }
        let summarizer = try SupervisedSummarizerOptions(lengthExponents: [0.5, 1, 2]).fit(documents, references: references)
        #expect(summarizer.lengthExponent == 0.5)
    }
}
