import Foundation
import Testing
@testable import Lapis

@Suite("Explanation and training progress")
struct ExplanationTests {
    func miniCorpus() throws -> [Document] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/mini-corpus", withExtension: "jsonl"))
        return try DocumentReader(path: url.path, fields: FieldNames(labels: "labels")).readAll()
    }

    func trained(folds: Int = 0, progress: ProgressHandler? = nil) throws -> TopicClassifier {
        let options = TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: folds)
        return try options.fit(try miniCorpus(), progress: progress)
    }

    let story = Document(id: "s", title: "Tariff row at the port",
                         text: "Customs officers raised tariffs on steel exports while ferry lines and freight trucks waited at the harbour.")

    @Test("listing every term: contributions plus bias equal the decision value, and probabilities match predict")
    func contributionsSumToDecision() throws {
        let classifier = try trained()
        let explanation = classifier.explain(story, terms: 10_000)
        let prediction = classifier.predict(story)
        #expect(explanation.labels.map(\.label) == classifier.labels)
        for label in explanation.labels {
            let sum = Double(label.bias) + (label.positive + label.negative).reduce(0.0) { $0 + Double($1.contribution) }
            #expect(abs(sum - Double(label.decisionValue)) < 1e-4, "\(label.label): \(sum) vs \(label.decisionValue)")
            #expect(abs(label.otherContribution) < 1e-5)
            #expect(abs(label.probability - (prediction.scores[label.label] ?? -1)) < 1e-6)
            #expect(label.isPredicted == prediction.labels.contains(label.label))
            #expect(!label.positive.isEmpty || !label.negative.isEmpty, "the story shares terms with the corpus")
            for term in label.positive + label.negative {
                #expect(abs(term.contribution - term.value * term.weight) < 1e-6)
                #expect(term.value > 0)
            }
        }
    }

    @Test("a short listing keeps the largest terms and puts the rest in otherContribution")
    func truncatedListing() throws {
        let classifier = try trained()
        let full = classifier.explain(story, terms: 10_000)
        let short = classifier.explain(story, terms: 2)
        for (all, top) in zip(full.labels, short.labels) {
            #expect(top.positive.count <= 2 && top.negative.count <= 2)
            #expect(top.positive == Array(all.positive.prefix(2)))
            #expect(top.negative == Array(all.negative.prefix(2)))
            #expect(zip(top.positive, top.positive.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
            let sum = Double(top.bias) + Double(top.otherContribution) + (top.positive + top.negative).reduce(0.0) { $0 + Double($1.contribution) }
            #expect(abs(sum - Double(top.decisionValue)) < 1e-4)
        }
        let transport = try #require(short.labels.first { $0.label == "transport" })
        let trade = try #require(short.labels.first { $0.label == "trade" })
        #expect(transport.positive.count == 2 && trade.positive.count == 2)
    }

    @Test("training reports its phases in order: vectorising, one fit per label, then the fold fits, each counting up to its total")
    func trainingProgress() throws {
        // The mini corpus three times over, so labels have the five positives that thresholds need.
        let documents = try miniCorpus()
        let tripled = (0..<3).flatMap { copy in documents.map { document in
            var renamed = document
            renamed.id += "-\(copy)"
            return renamed
        } }
        let options = TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 3)
        let updates = Locked<[ProgressUpdate]>([])
        let classifier = try options.fit(tripled) { update in updates.withValue { $0.append(update) } }
        let seen = updates.withValue { $0 }
        // One fit per label, then one per fold and cross-validation run for each label with
        // enough positives to tune.
        let tunable = classifier.labels.filter { (classifier.provenance.labelCounts[$0] ?? 0) >= OneVsRestClassifier().minimumPositivesForTuning }
        var phases: [String] = []
        for update in seen where phases.last != update.phase { phases.append(update.phase) }
        #expect(phases == ["vectorising", "fitting", "thresholds by cross-validation"])
        let fitting = seen.filter { $0.phase == "fitting" }
        #expect(fitting.map(\.completed) == Array(0...classifier.labels.count))
        #expect(fitting.allSatisfy { $0.total == classifier.labels.count && $0.unit == "labels" })
        let folds = seen.filter { $0.phase == "thresholds by cross-validation" }
        let foldFits = tunable.count * 3 * options.thresholdRepeats
        #expect(options.thresholdRepeats == 3)
        #expect(folds.map(\.completed) == Array(0...foldFits))
        #expect(folds.allSatisfy { $0.total == foldFits && $0.unit == "fold fits" })
        #expect(!tunable.isEmpty)
        // Progress reporting must not change the model.
        #expect(try options.fit(tripled) == classifier)
    }
}

/// A value shared by the test and a @Sendable callback.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withValue<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
