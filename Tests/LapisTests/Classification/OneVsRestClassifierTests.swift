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
        let (matrix, sets) = toyMultiLabelProblem()
        let model = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3).fit(matrix, labelSets: sets, labels: ["a", "b"])
        for row in 0..<60 {
            let predicted = Set(model.predictedLabels(probabilities: model.probabilities(matrix, row: row)))
            #expect(predicted == Set(sets[row].map { ["a", "b"][$0] }))
        }
    }


    @Test("out-of-fold probabilities made later from kept fold models are the bits of those kept as made")
    func keptFoldModelsGiveTheSameProbabilities() {
        let (matrix, sets) = noisyProblem(rows: 240, features: 12, labels: 3)
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3, foldIterations: 3)
        let targets = (0..<3).map { label in sets.map { $0.contains(label) } }
        let full = targets.map { trainer.logistic.fit(matrix, targets: $0) }
        let kept = trainer.outOfFoldProbabilities(matrix, targets: LabelTargets(targets), labels: [0, 1, 2], warmStarts: full, seed: 11)
        let fits = trainer.outOfFoldFits(matrix, targets: LabelTargets(targets), labels: [0, 1, 2], warmStarts: full, seed: 11) { model, _ in model }
        for position in 0..<3 {
            let later = fits.outOfFold(position, rowCount: matrix.rowCount) { model, rows in
                rows.map { sigmoid(model.decision(matrix, row: $0)) }
            }
            #expect(later.map(\.bitPattern) == kept[position].map(\.bitPattern), "label \(position)")
            #expect(later.allSatisfy { $0 > 0 && $0 < 1 }, "every row held out once")
        }
    }

    @Test("a fold's fits are fits on every row but the fold's held-out rows, which are the fold assignment's")
    func foldFitsLeaveOutTheFold() {
        let (matrix, sets) = noisyProblem(rows: 90, features: 8, labels: 2)
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3, foldIterations: 3)
        let heldOut = trainer.foldHeldOutRows(rowCount: 90, seed: 9)
        let assignment = CrossValidation.foldAssignment(count: 90, folds: 3, seed: 9)
        #expect(heldOut == (0..<3).map { fold in (0..<90).filter { assignment[$0] == fold } })
        let targets = LabelTargets(labelSets: sets, labelCount: 2)
        let full = (0..<2).map { trainer.logistic.fit(matrix, targets: targets.targets($0)) }
        var foldTrainer = trainer.logistic
        foldTrainer.maxIterations = 3
        for rows in heldOut {
            let models = trainer.foldFits(matrix, targets: targets, labels: [1, 0], warmStarts: full, heldOutRows: rows,
                                          counter: nil, threads: 1) { model, _ in model }
            let kept = (0..<90).filter { !rows.contains($0) }
            for (position, label) in [1, 0].enumerated() {
                let alone = foldTrainer.fit(matrix.selectingRows(kept), targets: kept.map { sets[$0].contains(label) }, initial: full[label])
                #expect(models[position].weights.map(\.bitPattern) == alone.weights.map(\.bitPattern), "label \(label)")
                #expect(models[position].bias.bitPattern == alone.bias.bitPattern)
            }
        }
    }

    @Test("thresholds chosen label group by label group are those of all labels at once", arguments: [1, 2, 4])
    func thresholdsInLabelGroups(labelsPerGroup: Int) {
        let (matrix, sets) = noisyProblem(rows: 240, features: 12, labels: 5)
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3, foldIterations: 3)
        let targets = LabelTargets(labelSets: sets, labelCount: 5)
        let full = (0..<5).map { trainer.logistic.fit(matrix, targets: targets.targets($0)) }
        let seeds: [UInt64] = [3, 4]
        func thresholds(_ group: Int?) -> [Float] {
            trainer.tunedThresholds(matrix, targets: targets, labels: [4, 0, 2, 1, 3], warmStarts: full, seeds: seeds,
                                    counter: ProgressCounter(phase: "test", total: nil, handler: nil), labelsPerGroup: group,
                                    keep: { model, _ in model }, probabilities: OneVsRestClassifier.heldOutProbabilities(matrix))
        }
        let grouped = thresholds(labelsPerGroup), together = thresholds(nil)
        #expect(grouped.map(\.bitPattern) == together.map(\.bitPattern))
        #expect(together.contains { $0 != 0.5 }, "thresholds were tuned, not left at 0.5")
    }

    @Test("with more rows than fold weights, thresholds are those of the probabilities kept as made")
    func thresholdsFromKeptFoldModels() {
        // More labels than fits run at once, so fit chooses them a label group at a time; 240
        // rows > 3 folds × (features + 1) weights: fit keeps the fold models, not the probabilities.
        let labelCount = LockstepLogisticFits.fitsInFlight + 3
        let (matrix, sets) = noisyProblem(rows: 240, features: labelCount + 2, labels: labelCount)
        #expect(240 > 3 * (matrix.columnCount + 1))
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10), thresholdFolds: 3, seed: 5,
                                          minimumPositivesForTuning: 5, thresholdRepeats: 3, foldIterations: 3)
        let model = trainer.fit(matrix, labelSets: sets, labels: (0..<labelCount).map { "label \($0)" })
        let targets = (0..<labelCount).map { label in sets.map { $0.contains(label) } }
        let full = targets.map { trainer.logistic.fit(matrix, targets: $0) }
        let runs = (0..<3).map { run in
            trainer.outOfFoldProbabilities(matrix, targets: LabelTargets(targets), labels: Array(0..<labelCount), warmStarts: full,
                                           seed: CrossValidation.repeatSeed(5, run: run))
        }
        for label in 0..<labelCount {
            let expected = targets[label].filter { $0 }.count < trainer.minimumPositivesForTuning ? 0.5
                : ThresholdSelection.bestF1Threshold(runs: runs.map { $0[label] }, targets: targets[label],
                                                     minimumF1: trainer.minimumTunedF1, beta: 1)
            #expect(model.thresholds[label].bitPattern == expected.bitPattern, "label \(label)")
        }
        #expect(model.thresholds.filter { $0 != 0.5 }.count > LockstepLogisticFits.fitsInFlight, "thresholds were tuned in more than one group")
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

@Suite("OneVsRestClassifier with dual coordinate descent")
struct DualCoordinateDescentClassifierTests {

    @Test("the models have the same bits whatever the block size (and so the thread count)")
    func sameBitsForEveryBlockSize() {
        let (matrix, sets) = noisyProblem(rows: 300, features: 14, labels: 11)
        let trainer = OneVsRestClassifier(logistic: LogisticRegression(c: 10, solver: .dualCoordinateDescent))
        let targets = LabelTargets(labelSets: sets, labelCount: 11)
        let order = Array((0..<11).reversed())
        let reference = trainer.dualCoordinateDescentFits(matrix, targets: targets, order: order, lanesPerBlock: 64)
        #expect(Set(reference.map(\.iterations)).count > 1, "the labels stopped at different epochs")
        for lanes in [1, 8, 16] {
            #expect(trainer.dualCoordinateDescentFits(matrix, targets: targets, order: order, lanesPerBlock: lanes) == reference,
                    "\(lanes) lanes per block")
        }
        #expect(trainer.dualCoordinateDescentFits(matrix, targets: targets, order: Array(0..<11), lanesPerBlock: 8) == reference,
                "another order of the labels")
        // LogisticRegression.fit alone visits the rows in the order of seed 42, the trainer's default.
        for label in [0, 10] {
            #expect(trainer.logistic.fit(matrix, targets: targets.targets(label)) == reference[label], "label \(label) fitted alone")
        }
    }

    @Test("a multi-label toy problem: every label learnt, any subset predicted")
    func multiLabel() {
        let (matrix, sets) = toyMultiLabelProblem()
        let updates = Lapis.Locked([ProgressUpdate]())
        let model = OneVsRestClassifier(logistic: LogisticRegression(c: 10, solver: .dualCoordinateDescent), thresholdFolds: 3)
            .fit(matrix, labelSets: sets, labels: ["a", "b"]) { update in updates.withLock { $0.append(update) } }
        let progress = updates.withLock { $0 }
        for row in 0..<60 {
            let predicted = Set(model.predictedLabels(probabilities: model.probabilities(matrix, row: row)))
            #expect(predicted == Set(sets[row].map { ["a", "b"][$0] }))
        }
        // The phases of L-BFGS training: the full fits, then the (L-BFGS) fold fits.
        #expect(progress.filter { $0.phase == "fitting" }.last?.completed == 2)
        #expect(progress.last?.phase == "thresholds by cross-validation" && progress.last?.completed == 2 * 3)
    }
}

/// Sixty rows where feature i signals label i and rows carry 0, 1 or 2 of the two labels.
func toyMultiLabelProblem() -> (SparseMatrix, [Set<Int>]) {
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
    return (matrix, sets)
}

/// Noisy rows over few features, so that the rows outnumber the fold models' weights and
/// thresholds are not trivially 0.5.
func noisyProblem(rows: Int, features: Int, labels: Int) -> (SparseMatrix, [Set<Int>]) {
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
