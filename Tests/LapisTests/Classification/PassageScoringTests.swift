import Foundation
import Testing
@testable import Lapis

@Suite("Passage scoring")
struct PassageScoringTests {
    /// Stories of two kinds, each clearly about one topic, so the two labels' models learn
    /// their words; a longer test story then holds one topic in a single sentence.
    static func documents() -> [Document] {
        let tradeWords = ["tariff", "export", "customs", "quota", "import", "duties"]
        let sportWords = ["striker", "goal", "league", "coach", "match", "season"]
        return (0..<40).map { index in
            let trade = index % 2 == 0
            let words = trade ? tradeWords : sportWords
            let text = (0..<4).map { sentence in
                "The \(words[(index + sentence) % 6]) and the \(words[(index + sentence + 2) % 6]) were reported in item \(index) part \(sentence)."
            }.joined(separator: " ")
            return Document(id: "\(index)", text: text, labels: [trade ? "trade" : "sport"])
        }
    }

    /// Ten sentences of football; one sentence in the middle about tariffs.
    let longStory = Document(id: "long", title: "Weekend round-up", text: (0..<10).map { sentence in
        sentence == 5 ? "Customs officers said the tariff on steel exports and the import quota rise next month."
                      : "The striker scored a late goal as the coach praised the league match number \(sentence)."
    }.joined(separator: " "))

    @Test("a story is read in every run of k consecutive sentences, each with its title; a short story is one passage")
    func windows() {
        let passages = TopicClassifier.passages(of: longStory, sentences: 3)
        #expect(passages.count == 8)
        #expect(passages.allSatisfy { $0.title == "Weekend round-up" })
        let sentences = SentenceSplitter().sentences(longStory.text)
        #expect(passages[2].text == sentences[2...4].joined(separator: " "))
        let short = Document(id: "s", text: "One sentence here. And a second one.")
        #expect(TopicClassifier.passages(of: short, sentences: 3).map(\.text) == ["One sentence here. And a second one."])
    }

    @Test("a label's probability is the mean of the whole story's and its best passage's; weights and thresholds are unchanged")
    func meanOfWholeAndBestPassage() throws {
        let whole = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1)).fit(Self.documents())
        let passages = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), passageSentences: 3).fit(Self.documents())
        #expect(whole.model.weights == passages.model.weights)
        #expect(whole.model.thresholds == passages.model.thresholds)
        let wholeScore = whole.predict(longStory).probabilities
        let passageScores = TopicClassifier.passages(of: longStory, sentences: 3).map { whole.predict($0).probabilities }
        let combined = passages.predict(longStory).probabilities
        for label in whole.labels.indices {
            let best = passageScores.map { $0[label] }.max()!
            // The passages are scored with running sums (PassageScorer): equal to single precision.
            #expect(abs(combined[label] - (wholeScore[label] + best) / 2) < 1e-6)
        }
        // The trade sentence is diluted among nine football sentences in the whole story, not
        // in the passages that hold it.
        let trade = try #require(whole.labels.firstIndex(of: "trade"))
        #expect(combined[trade] > wholeScore[trade])
    }

    @Test("passage scoring is stored with the model only when used; older files read as whole-story scoring")
    func storedInTheModel() throws {
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TopicClassifierOptions())) as? [String: Any]
        #expect(plain?["passage_sentences"] == nil)
        let options = TopicClassifierOptions(passageSentences: 3)
        let data = try JSONEncoder().encode(options)
        #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["passage_sentences"] as? Int == 3)
        #expect(try JSONDecoder().decode(TopicClassifierOptions.self, from: data) == options)
        let classifier = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), passageSentences: 2).fit(Self.documents())
        let reloaded = try TopicClassifier(checking: try ModelFile.parse(try classifier.modelFile().serialized(), path: "memory"), path: "memory")
        #expect(reloaded.options.passageSentences == 2)
        #expect(ModelSummary(reloaded).text(topFeatures: 1).contains("passages of 2 sentences averaged with the whole story"))
        #expect(!ModelSummary(try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1)).fit(Self.documents()))
            .text(topFeatures: 1).contains("passages"))
        #expect(reloaded.predict(longStory) == classifier.predict(longStory))
        #expect(throws: LapisError.self) { try TopicClassifierOptions(passageSentences: 0).validate() }
        #expect(throws: LapisError.self) { try TopicClassifierOptions(multiclass: true, passageSentences: 3).validate() }
    }

    @Test("an explanation of a passage model reports the probability classify uses and the best passage's")
    func explanation() throws {
        let classifier = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), passageSentences: 3).fit(Self.documents())
        let explanation = classifier.explain(longStory)
        let prediction = classifier.predict(longStory)
        for (index, label) in explanation.labels.enumerated() {
            #expect(label.probability == prediction.probabilities[index])
            #expect(label.passageProbability != nil)
            #expect(label.isPredicted == prediction.labels.contains(label.label))
        }
    }

    @Test("the sliding-window scorer gives each passage row's probability, and the whole story's row is the transform's, on corpus stories",
          arguments: [1...1, 1...2])
    func slidingScorerMatchesPassageRows(ngrams: ClosedRange<Int>) throws {
        let stories = Array(try DocumentReader(path: PassageRowsTests.corpusPath, fields: FieldNames(labels: "labels")).readAll().prefix(120))
        let classifier = try TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: ngrams), vocabulary: VocabularyOptions(minDocumentCount: 2),
                                                    thresholdFolds: 0, passageSentences: 3).fit(stories)
        let hostile = [Document(id: "empty", title: "Port strike", text: ""), Document(id: "marks", text: "... !!! ?"),
                       Document(id: "short", title: "", text: "Grain exports rose. Ports reopened."),
                       Document(id: "accents", title: "Café tariff", text: "Le café coûte plus. Customs duties rose. Ships waited. Port fees fell.")]
        for story in stories + hostile {
            let scored = classifier.passageScores(story, sentences: 3)
            let text = TopicClassifier.featureText(story, titleRepeats: classifier.options.titleRepeats)
            let expectedWhole = classifier.vectorizer.row(for: text)
            #expect(scored.whole.map(\.0) == expectedWhole.map(\.0) && scored.whole.map(\.1) == expectedWhole.map(\.1), "\(story.id)")
            let prefix = TopicClassifier.featureText(Document(id: story.id, title: story.title, text: ""), titleRepeats: classifier.options.titleRepeats)
            let rows = classifier.vectorizer.passageRows(prefix: prefix, sentences: SentenceSplitter().sentences(story.text), window: 3)
            for label in classifier.labels.indices {
                let best = rows.map { classifier.model.probabilities(row: $0)[label] }.max()!
                #expect(abs(scored.bestPassage[label] - best) < 1e-5, "\(story.id) \(classifier.labels[label])")
            }
        }
    }
}
