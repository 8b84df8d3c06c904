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
