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
