import Foundation
import Testing
@testable import Lapis

@Suite("Threshold rules")
struct ThresholdRuleTests {
    @Test("a tuned threshold whose out-of-fold F1 is poor falls back to 0.5 (SCutFBR)")
    func fallback() {
        // The one positive ranks fourth: the best cut has F1 = 0.4.
        let scores = [0.9, 0.8, 0.7, 0.6, 0.1]
        let targets = [false, false, false, true, false]
        #expect(ThresholdSelection.bestF1Threshold(scores: scores, targets: targets, minimumF1: 0.5) == 0.5)
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: scores, targets: targets, minimumF1: 0) - 0.35) < 1e-6)
    }

    @Test("with beta above 1 the threshold maximises F-beta, which accepts more to recall a positive")
    func fBeta() {
        // Cutting after 0.9 gives P 1, R 1/2 (F1 0.667, F2 0.556); after 0.4, P 0.5, R 1
        // (F1 0.667, F2 0.833); ties in F1 keep the higher cut.
        let scores = [0.9, 0.7, 0.6, 0.4, 0.2]
        let targets = [true, false, false, true, false]
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: scores, targets: targets) - 0.8) < 1e-6)
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: scores, targets: targets, beta: 2) - 0.3) < 1e-6)
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: scores, targets: targets, beta: 0.5) - 0.8) < 1e-6)
    }

    @Test("options of a model file written before threshold_beta existed read as F1 (beta 1)")
    func optionsWithoutBeta() throws {
        var options = TopicClassifierOptions(thresholdBeta: 2)
        let encoded = try JSONEncoder().encode(options)
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["threshold_beta"] as? Double == 2)
        object.removeValue(forKey: "threshold_beta")
        let old = try JSONDecoder().decode(TopicClassifierOptions.self, from: JSONSerialization.data(withJSONObject: object))
        options.thresholdBeta = 1
        #expect(old == options)
        #expect(throws: LapisError.self) { try TopicClassifierOptions(thresholdBeta: 0).validate() }
    }

    @Test("over several cross-validation runs the threshold maximises the average F1, one cut for every run")
    func repeatedRuns() {
        let targets = [true, true, false, false]
        // Run A alone: the best cut accepts both positives (F1 1) between 0.6 and 0.5.
        let runA = [0.9, 0.6, 0.5, 0.1]
        // Run B alone: its second positive scores 0.2, below both negatives; best cut between 0.8 and 0.4 (F1 0.667).
        let runB = [0.8, 0.2, 0.4, 0.3]
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: runA, targets: targets) - 0.55) < 1e-6)
        #expect(abs(ThresholdSelection.bestF1Threshold(scores: runB, targets: targets) - 0.6) < 1e-6)
        // Together: cut at 0.55 (between 0.6 and 0.5) gives A 1.0 and B 0.667 (mean 0.833); a cut
        // at 0.7 gives A 0.667, B 0.667; a cut at 0.15 accepts all: 0.667 each. So 0.55 wins.
        #expect(abs(ThresholdSelection.bestF1Threshold(runs: [runA, runB], targets: targets) - 0.55) < 1e-6)
        // One run is the single-run rule, bit for bit.
        #expect(ThresholdSelection.bestF1Threshold(runs: [runB], targets: targets)
                == ThresholdSelection.bestF1Threshold(scores: runB, targets: targets))
    }

    @Test("cross-validation run 0 uses the seed itself; later runs get other fold assignments")
    func repeatSeeds() {
        #expect(CrossValidation.repeatSeed(42, run: 0) == 42)
        let seeds = (0..<5).map { CrossValidation.repeatSeed(42, run: $0) }
        #expect(Set(seeds).count == 5)
        let first = CrossValidation.foldAssignment(count: 60, folds: 3, seed: seeds[0])
        let second = CrossValidation.foldAssignment(count: 60, folds: 3, seed: seeds[1])
        #expect(first != second)
        #expect(CrossValidation.repeatSeed(42, run: 3) == CrossValidation.repeatSeed(42, run: 3))
    }

    @Test("options written before threshold_repeats and fold_iterations existed read as one run to convergence; defaults leave the keys out")
    func optionsWithoutRepeats() throws {
        let old = TopicClassifierOptions(thresholdRepeats: 1, foldIterations: nil)
        let encodedOld = try JSONSerialization.jsonObject(with: JSONEncoder().encode(old)) as? [String: Any]
        #expect(encodedOld?["threshold_repeats"] == nil && encodedOld?["fold_iterations"] == nil)
        let new = TopicClassifierOptions(thresholdRepeats: 3, foldIterations: 5)
        let data = try JSONEncoder().encode(new)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["threshold_repeats"] as? Int == 3 && object["fold_iterations"] as? Int == 5)
        #expect(try JSONDecoder().decode(TopicClassifierOptions.self, from: data) == new)
        #expect(throws: LapisError.self) { try TopicClassifierOptions(thresholdRepeats: 0).validate() }
        #expect(throws: LapisError.self) { try TopicClassifierOptions(foldIterations: 0).validate() }
    }

    @Test("repeated runs and capped fold fits change only the thresholds, never the weights")
    func repeatsChangeOnlyThresholds() throws {
        var documents: [Document] = []
        for index in 0..<60 {
            let topic = index % 3 == 0 ? "alpha" : "beta"
            let words = topic == "alpha" ? "tariff export customs quota" : "railway port freight ferry"
            documents.append(Document(id: "\(index)", text: "\(words) story number \(index) filler words \(index % 7)", labels: [topic]))
        }
        let plain = try TopicClassifierOptions(thresholdRepeats: 1, foldIterations: nil).fit(documents)
        let repeated = try TopicClassifierOptions().fit(documents)
        #expect(plain.model.weights == repeated.model.weights)
        #expect(plain.model.biases == repeated.model.biases)
        #expect(repeated.options.thresholdRepeats == 3 && repeated.options.foldIterations == 3)
    }

    @Test("when every training document has a label, at least the most probable one is predicted")
    func minimumLabels() {
        let model = MultiLabelLinearModel(labels: ["a", "b"], featureCount: 1, weights: [0, 0], biases: [0, 0],
                                          thresholds: [0.9, 0.9], minimumLabels: 1)
        #expect(model.predictedLabels(probabilities: [0.3, 0.6]) == ["b"])
        #expect(model.predictedLabels(probabilities: [0.95, 0.6]) == ["a"])
        var none = model
        none.minimumLabels = 0
        #expect(none.predictedLabels(probabilities: [0.3, 0.6]).isEmpty)
        // A document without a single known term gets no fallback label.
        #expect(model.predictedLabels(probabilities: [0.3, 0.6], hasEvidence: false).isEmpty)
    }
}

@Suite("Threshold selection against every cut")
struct ThresholdSelectionReferenceTests {
    /// Every distinct score tried as the lowest accepted one, by counting: the rule the walk
    /// over sorted scores must agree with.
    private func everyCut(runs: [[Double]], targets: [Bool], minimumF1: Double, beta: Double) -> Float {
        let positives = targets.filter { $0 }.count
        guard positives > 0 else { return 0.5 }
        let distinct = Set(runs.joined()).sorted(by: >)
        var best = 0.0, bestIndex = -1
        for (index, cut) in distinct.enumerated() {
            var sum = 0.0
            for run in runs {
                let predicted = run.filter { $0 >= cut }.count
                let truePositives = zip(run, targets).filter { $0 >= cut && $1 }.count
                sum += (1 + beta * beta) * Double(truePositives) / (Double(predicted) + beta * beta * Double(positives))
            }
            if sum / Double(runs.count) > best { best = sum / Double(runs.count); bestIndex = index }
        }
        guard bestIndex >= 0, best >= minimumF1 else { return 0.5 }
        let below = bestIndex + 1 < distinct.count ? distinct[bestIndex + 1] : 0
        return Float((distinct[bestIndex] + below) / 2)
    }

    @Test("the threshold is the best of every cut, with tied scores, several runs and any beta",
          arguments: [(1, 1.0), (3, 1.0), (3, 2.0), (2, 0.5)])
    func matchesEveryCut(runCount: Int, beta: Double) {
        var generator = SeededGenerator(seed: UInt64(runCount * 10) + UInt64(beta * 4))
        for trial in 0..<40 {
            let rows = 1 + trial % 23
            let targets = (0..<rows).map { _ in Double.random(in: 0..<1, using: &generator) < 0.35 }
            // Scores on a coarse grid, so ties within and across runs are common.
            let runs = (0..<runCount).map { _ in
                (0..<rows).map { row in (Double(Int.random(in: 0...8, using: &generator)) + (targets[row] ? 2 : 0)) / 11 }
            }
            for minimumF1 in [0.0, 0.6] {
                let walked = ThresholdSelection.bestF1Threshold(runs: runs, targets: targets, minimumF1: minimumF1, beta: beta)
                let reference = everyCut(runs: runs, targets: targets, minimumF1: minimumF1, beta: beta)
                #expect(walked.bitPattern == reference.bitPattern, "trial \(trial), minimum F1 \(minimumF1)")
            }
        }
    }
}
