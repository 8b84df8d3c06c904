import Foundation
import Testing
@testable import Lapis

@Suite("TopicClassifier")
struct TopicClassifierTests {
    static func miniCorpus() throws -> [Document] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/mini-corpus", withExtension: "jsonl"))
        return try DocumentReader(path: url.path, fields: FieldNames(labels: "labels")).readAll()
    }

    let options = TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0)

    @Test("training is deterministic: same data and options, same model bytes")
    func deterministic() throws {
        let documents = try Self.miniCorpus()
        let first = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 2).fit(documents)
        let second = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 2).fit(documents)
        #expect(try first.modelFile().serialized() == second.modelFile().serialized())
    }

    @Test("fits its training stories and gives probabilities for every label")
    func fitsTrainingData() throws {
        let documents = try Self.miniCorpus()
        let classifier = try options.fit(documents, labels: ["trade", "security", "transport", "multilateral"])
        #expect(classifier.labels == ["trade", "security", "transport", "multilateral"])
        for (document, prediction) in zip(documents, classifier.predict(documents)) {
            #expect(Set(prediction.labels) == Set(document.labels ?? []), "\(document.id)")
            #expect(prediction.scores.count == 4)
            #expect(prediction.scores.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    @Test("predict with a transform keeps document order over many stories, and scores match probabilities")
    func predictWithTransform() throws {
        let documents = try Self.miniCorpus()
        let classifier = try options.fit(documents, labels: ["trade", "security", "transport", "multilateral"])
        // Enough stories for several worker chunks.
        let many = (0..<40).flatMap { copy in documents.map { Document(id: "\(copy)-\($0.id)", title: $0.title, text: $0.text) } }
        let plain = classifier.predict(many)
        let transformed = classifier.predict(many) { document, prediction in (document.id, prediction) }
        #expect(transformed.map(\.0) == many.map(\.id))
        #expect(transformed.map(\.1) == plain)
        for prediction in plain.prefix(documents.count) {
            #expect(prediction.scores == Dictionary(uniqueKeysWithValues: zip(classifier.labels, prediction.probabilities)))
        }
        // A story's prediction does not depend on where it falls in the batch.
        for (index, prediction) in plain.enumerated() { #expect(prediction == plain[index % documents.count]) }
    }

    @Test("a label outside the given label set is an error naming the record")
    func unknownLabel() throws {
        let documents = try Self.miniCorpus()
        #expect(throws: LapisError.self) { try options.fit(documents, labels: ["trade"]) }
        do {
            _ = try options.fit(documents, labels: ["trade"])
        } catch let error as LapisError {
            #expect(error.description.contains("mini-corpus.jsonl:1"))
        }
    }

    @Test("invalid options are rejected with what is allowed")
    func invalidOptions() {
        var bad = TopicClassifierOptions()
        bad.logistic.c = -1
        #expect(throws: LapisError.self) { try bad.validate() }
        bad = TopicClassifierOptions(thresholdFolds: 1)
        #expect(throws: LapisError.self) { try bad.validate() }
    }

    @Test("option errors name the option by meaning, never by a command-line flag", arguments: [
        (TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: 1...4)), OptionKey.ngrams),
        (TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 0)), .minimumDocumentCount),
        (TopicClassifierOptions(vocabulary: VocabularyOptions(maxDocumentFraction: 0)), .maximumDocumentFraction),
        (TopicClassifierOptions(vocabulary: VocabularyOptions(maxTerms: 0)), .maximumTerms),
        (TopicClassifierOptions(logistic: LogisticRegression(c: 1e6)), .regularization),
        (TopicClassifierOptions(logistic: LogisticRegression(maxIterations: 0)), .maximumIterations),
        (TopicClassifierOptions(logistic: LogisticRegression(maxIterations: 10_001)), .maximumIterations),
        (TopicClassifierOptions(logistic: LogisticRegression(tolerance: 0)), .tolerance),
        (TopicClassifierOptions(logistic: LogisticRegression(tolerance: .nan)), .tolerance),
        (TopicClassifierOptions(logistic: LogisticRegression(tolerance: 2)), .tolerance),
        (TopicClassifierOptions(thresholdFolds: 21), .thresholdFolds),
        (TopicClassifierOptions(thresholdBeta: 11), .thresholdBeta),
        (TopicClassifierOptions(thresholdRepeats: 21), .thresholdRepeats),
        (TopicClassifierOptions(foldIterations: 0), .foldIterations),
        (TopicClassifierOptions(passageSentences: 0), .passageSentences),
        (TopicClassifierOptions(titleRepeats: -1), .titleRepeats),
    ])
    func optionErrorsNameKeys(options: TopicClassifierOptions, key: OptionKey) {
        do {
            try options.validate()
            Issue.record("\(key) should be refused")
        } catch LapisError.invalidOption(let found, _, _) {
            #expect(found == key)
        } catch {
            Issue.record("unexpected \(error)")
        }
        do { try options.validate() } catch {
            #expect(!"\(error)".contains("--"), "a library error names a flag: \(error)")
        }
    }

    @Test("the n-gram lengths the analyzer decodes are the ones options accept")
    func ngramRangesAgree() throws {
        for length in 1...5 {
            let json = Data("{\"ngram_min\": 1, \"ngram_max\": \(length), \"stop_words\": true, \"stemming\": true, \"numbers\": false}".utf8)
            let decoded = try? JSONDecoder().decode(TextAnalyzer.self, from: json)
            let accepted = (try? TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: 1...length)).validate()) != nil
            #expect((decoded != nil) == accepted, "length \(length)")
            #expect(accepted == TextAnalyzer.supportedNgramLengths.contains(length))
        }
    }
}

@Suite("TopicClassifierOptions.BatchedFit")
struct BatchedFitTests {
    static func story(_ line: Int, _ text: String, labels: [String]?) -> Document {
        Document(id: "s\(line)", title: nil, text: text, labels: labels, source: ("stories.jsonl", line))
    }

    @Test("stories added in batches of any size give the model bytes of fitting them all at once", arguments: [1, 3, 10, 1_000])
    func sameModelAsOneFit(batchSize: Int) throws {
        let documents = try TopicClassifierTests.miniCorpus()
        let options = TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 2)
        let atOnce = try options.fit(documents)
        var training = try options.batchedFit()
        for start in stride(from: 0, to: documents.count, by: batchSize) {
            try training.add(Array(documents[start..<min(start + batchSize, documents.count)]))
        }
        #expect(training.storyCount == documents.count)
        let batched = try training.finish()
        #expect(try batched.modelFile().serialized() == atOnce.modelFile().serialized())
        #expect(batched.provenance == atOnce.provenance)
        // Its counts are gone: it cannot be added to or finished again.
        #expect(throws: TopicClassifierOptions.BatchedFit.alreadyFinished) { try training.finish() }
        #expect(throws: TopicClassifierOptions.BatchedFit.alreadyFinished) { try training.add(documents) }
    }

    @Test("with labels given, a story naming another label is an error at once, naming its file and line")
    func unknownLabelAtOnce() throws {
        var training = try TopicClassifierOptions().batchedFit(labels: ["trade", "security"])
        try training.add([Self.story(1, "tariffs on steel", labels: ["trade"])])
        #expect(throws: LapisError.unknownLabels(path: "stories.jsonl", line: 2, labels: ["transport"], known: ["trade", "security"])) {
            try training.add([Self.story(2, "a port strike", labels: ["transport"])])
        }
    }

    @Test("a batch that throws changes nothing: the batches after it train as if it had never been added")
    func failedBatchLeavesNoTrace() throws {
        let documents = try TopicClassifierTests.miniCorpus()
        let options = TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 2)
        let labels = ["trade", "security", "transport", "multilateral"]
        let half = documents.count / 2
        var training = try options.batchedFit(labels: labels)
        try training.add(Array(documents[..<half]))
        // Good stories first, then one with a label outside the set: the batch is refused whole.
        #expect(throws: LapisError.self) {
            try training.add(Array(documents[half...]) + [Self.story(99, "tariffs and a port strike", labels: ["weather"])])
        }
        #expect(training.storyCount == half)
        try training.add(Array(documents[half...]))
        let batched = try training.finish()
        let atOnce = try options.fit(documents, labels: labels)
        #expect(try batched.modelFile().serialized() == atOnce.modelFile().serialized())
    }

    @Test("with labels found in the data, no labelled story is reported as such, and a story without labels by its line")
    func labelProblemsAtFinish() throws {
        var unlabelled = try TopicClassifierOptions().batchedFit()
        try unlabelled.add([Self.story(1, "tariffs on steel", labels: nil), Self.story(2, "a port strike", labels: nil)])
        #expect(throws: LapisError.cannotTrain(reason: "no document carries a label; check which field holds the labels")) {
            try unlabelled.finish()
        }
        var oneMissing = try TopicClassifierOptions().batchedFit()
        try oneMissing.add([Self.story(1, "tariffs on steel", labels: ["trade"])])
        try oneMissing.add([Self.story(2, "a port strike", labels: nil), Self.story(3, "navy drills", labels: ["security"])])
        #expect(throws: LapisError.missingField(path: "stories.jsonl", line: 2, field: "labels", available: [])) {
            try oneMissing.finish()
        }
        var empty = try TopicClassifierOptions().batchedFit()
        #expect(throws: LapisError.cannotTrain(reason: "no training documents")) { try empty.finish() }
    }
}
