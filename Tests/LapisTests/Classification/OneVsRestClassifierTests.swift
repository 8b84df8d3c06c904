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

    /// Noisy rows over few features, so that the rows outnumber the fold models' weights and
    /// thresholds are not trivially 0.5.
    private func noisyProblem(rows: Int, features: Int, labels: Int) -> (SparseMatrix, [Set<Int>]) {
        var generator = SeededGenerator(seed: 7)
        var matrix = SparseMatrix(columnCount: features)
        var sets: [Set<Int>] = []
        for _ in 0..<rows {
            let columns = (0..<features).filter { _ in Double.random(in: 0..<1, using: &generator) < 0.3 }
            matrix.appendRow(columns.map { (Int32($0), Float.random(in: 0.1...1, using: &generator)) })
            // Label l leans on feature l, with noise either way.
            sets.append(Set((0..<labels).filter { label in
                columns.contains(label) != (Double.random(in: 0..<1, using: &generator) < 0.2)
            }))
        }
        return (matrix, sets)
    }

    @Test("out-of-fold probabilities made later from kept fold models are the bits of those kept as made")
    func keptFoldModelsGiveTheSameProbabilities() {
        let (matrix, sets) = noisyProblem(rows: 240, features: 12, labels: 3)
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3, foldIterations: 3)
        let targets = (0..<3).map { label in sets.map { $0.contains(label) } }
        let full = targets.map { trainer.logistic.fit(matrix, targets: $0) }
        let kept = trainer.outOfFoldProbabilities(matrix, targets: targets, labels: [0, 1, 2], warmStarts: full, seed: 11)
        let fits = trainer.outOfFoldFits(matrix, targets: targets, labels: [0, 1, 2], warmStarts: full, seed: 11) { model, _ in model }
        for position in 0..<3 {
            let later = fits.outOfFold(position, rowCount: matrix.rowCount) { model, rows in
                rows.map { sigmoid(model.decision(matrix, row: $0)) }
            }
            #expect(later.map(\.bitPattern) == kept[position].map(\.bitPattern), "label \(position)")
            #expect(later.allSatisfy { $0 > 0 && $0 < 1 }, "every row held out once")
        }
    }

    @Test("with more rows than fold weights, thresholds are those of the probabilities kept as made")
    func thresholdsFromKeptFoldModels() {
        // 240 rows > 3 folds × 13 weights: fit keeps the fold models, not the probabilities.
        let (matrix, sets) = noisyProblem(rows: 240, features: 12, labels: 3)
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3, seed: 5,
                                          minimumPositivesForTuning: 5, thresholdRepeats: 3, foldIterations: 3)
        let model = trainer.fit(matrix, labelSets: sets, labels: ["a", "b", "c"])
        let targets = (0..<3).map { label in sets.map { $0.contains(label) } }
        let full = targets.map { trainer.logistic.fit(matrix, targets: $0) }
        let runs = (0..<3).map { run in
            trainer.outOfFoldProbabilities(matrix, targets: targets, labels: [0, 1, 2], warmStarts: full,
                                           seed: CrossValidation.repeatSeed(5, run: run))
        }
        for label in 0..<3 {
            let expected = ThresholdSelection.bestF1Threshold(runs: runs.map { $0[label] }, targets: targets[label],
                                                              minimumF1: trainer.minimumTunedF1, beta: 1)
            #expect(model.thresholds[label].bitPattern == expected.bitPattern, "label \(label)")
        }
        #expect(model.thresholds.contains { $0 != 0.5 }, "thresholds were tuned, not left at 0.5")
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
