import Foundation
import Testing
@testable import Lapis

@Suite("Thresholds and one-vs-rest")
struct OneVsRestTests {
    @Test("the F1-optimal threshold sits between the accepted and rejected scores")
    func bestThreshold() {
        let scores = [0.9, 0.8, 0.35, 0.3, 0.1]
        let targets = [true, true, true, false, false]
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: scores, targets: targets) - 0.325) < 1e-6)
        #expect(ThresholdSelection.bestF1Threshold(scores: scores, targets: [false, false, false, false, false]) == 0.5)
    }

    @Test("a multi-label toy problem: every label learnt, any subset predicted")
    func multiLabel() {
        // Feature i signals label i; rows carry 0, 1 or 2 labels.
        var matrix = SparseMatrix(columnCount: 3)
        var sets: [Set<Int>] = []
        for i in 0..<60 {
            var labels = Set<Int>()
            if i % 2 == 0 { labels.insert(0) }
            if i % 3 == 0 { labels.insert(1) }
            var entries: [(Int32, Float)] = labels.sorted().map { (Int32($0), Float(1)) }
            entries.append((2, 0.5))
            matrix.appendRow(entries)
            sets.append(labels)
        }
        let model = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3).fit(matrix, labelSets: sets, labels: ["a", "b"])
        for row in 0..<60 {
            let predicted = Set(model.predictedLabels(probabilities: model.probabilities(matrix, row: row)))
            #expect(predicted == Set(sets[row].map { ["a", "b"][$0] }))
        }
    }
}

@Suite("Rank fallback on empty stories")
struct EmptyStoryFallbackTests {
    @Test("a model trained where every story has a label still gives an empty story no label")
    func emptyStory() throws {
        let documents = try TopicClassifierTests.miniCorpus().filter { !($0.labels ?? []).isEmpty }
        let classifier = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0).fit(documents)
        #expect(classifier.model.minimumLabels == 1)
        #expect(classifier.predict(Document(id: "e", text: "")).labels.isEmpty)
        #expect(classifier.predict(Document(id: "z", text: "zzz qqq")).labels.isEmpty)
        #expect(classifier.predict(Document(id: "p", text: "The port and ferry freight")).labels.count >= 1)
    }
}

@Suite("MultiLabelLinearModel decision values")
struct DecisionValueTests {
    /// The sum the model defines: bias, then each entry's value × weight, in entry order, one label at a time.
    private func reference(_ model: MultiLabelLinearModel, _ entries: [(Int32, Float)]) -> [Float] {
        (0..<model.labels.count).map { label in
            var sum = model.biases[label]
            for (column, value) in entries { sum += value * model.weights[Int(column) * model.labels.count + label] }
            return sum
        }
    }

    @Test("label counts below, at and past a multiple of eight give the bits of the one-label-at-a-time sum")
    func vectorisedSumsMatchTheScalarSumBitForBit() {
        var generator = SeededGenerator(seed: 19)
        for labelCount in [1, 4, 7, 8, 9, 16, 23, 90] {
            let featureCount = 50
            let weights = (0..<featureCount * labelCount).map { _ in Float.random(in: -3...3, using: &generator) }
            let biases = (0..<labelCount).map { _ in Float.random(in: -1...1, using: &generator) }
            let model = MultiLabelLinearModel(labels: (0..<labelCount).map { "l\($0)" }, featureCount: featureCount, weights: weights,
                                              biases: biases, thresholds: Array(repeating: 0.5, count: labelCount))
            var matrix = SparseMatrix(columnCount: featureCount)
            var rows: [[(Int32, Float)]] = []
            for _ in 0..<20 {
                let columns = (0..<featureCount).filter { _ in Bool.random(using: &generator) }
                let entries = columns.map { (Int32($0), Float.random(in: 0...1, using: &generator)) }
                matrix.appendRow(entries)
                rows.append(entries)
            }
            for (row, entries) in rows.enumerated() {
                let expected = reference(model, entries).map(\.bitPattern)
                #expect(model.decisionValues(matrix, row: row).map(\.bitPattern) == expected, "\(labelCount) labels, row \(row)")
                #expect(model.probabilities(row: entries) == model.probabilities(matrix, row: row))
            }
        }
    }
}
