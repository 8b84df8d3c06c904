import Foundation
import Testing
@testable import Lapis

@Suite("Label decisions and single-label models")
struct LabelDecisionTests {
    static let model = MultiLabelLinearModel(labels: ["a", "b", "c"], featureCount: 1, weights: [0, 0, 0], biases: [0, 0, 0],
                                             thresholds: [0.5, 0.9, 0.2], minimumLabels: 0)

    @Test("a threshold override ignores per-label thresholds; top K with a minimum score keeps only confident labels")
    func overrides() {
        let probabilities: [Float] = [0.6, 0.7, 0.1]
        #expect(Self.model.predictedLabels(probabilities: probabilities) == ["a"])
        #expect(Self.model.predictedLabels(probabilities: probabilities, hasEvidence: true, decision: .threshold(0.05)) == ["a", "b", "c"])
        #expect(Self.model.predictedLabels(probabilities: probabilities, hasEvidence: true, decision: .top(1, minimumScore: 0)) == ["b"])
        #expect(Self.model.predictedLabels(probabilities: probabilities, hasEvidence: true, decision: .top(2, minimumScore: 0.65)) == ["b"])
        #expect(Self.model.predictedLabels(probabilities: probabilities, hasEvidence: true, decision: .top(3, minimumScore: 0.99)).isEmpty)
    }

    @Test("a single-label model predicts exactly the most probable label (ties to model order), none without evidence")
    func singleLabel() {
        var model = Self.model
        model.singleLabel = true
        #expect(model.predictedLabels(probabilities: [0.6, 0.7, 0.1]) == ["b"])
        #expect(model.predictedLabels(probabilities: [0.3, 0.3, 0.1]) == ["a"])
        #expect(model.predictedLabels(probabilities: [0.3, 0.3, 0.1], hasEvidence: false).isEmpty)
    }

    static func story(_ id: String, _ text: String, _ labels: [String]) -> Document {
        Document(id: id, text: text, labels: labels, source: ("single.jsonl", Int(id)!))
    }

    static let singleLabelStories: [Document] = [
        story("1", "Tariffs on steel imports rose and exporters complained about quotas.", ["trade"]),
        story("2", "The trade ministers cut tariffs on grain exports and import quotas.", ["trade"]),
        story("3", "Exporters welcomed lower tariffs on machinery imports.", ["trade"]),
        story("4", "Troops and the navy patrolled the border after the attack.", ["security"]),
        story("5", "The army sent troops after militants attacked a border post.", ["security"]),
        story("6", "Navy frigates escorted ships after the militant attack.", ["security"]),
        story("7", "Rail freight and trucks jammed the port after the strike.", ["transport"]),
        story("8", "Airlines cut flights and the railway delayed freight trains.", ["transport"]),
        story("9", "The port reopened and trucks resumed freight runs by rail.", ["transport"]),
    ]

    @Test("multiclass training gives a single-label model that round-trips through its file; multi-label options keep their bytes")
    func multiclassTraining() throws {
        let options = TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), multiclass: true)
        let classifier = try options.fit(Self.singleLabelStories)
        #expect(classifier.model.singleLabel)
        for prediction in classifier.predict(Self.singleLabelStories) { #expect(prediction.labels.count == 1) }
        let again = try TopicClassifier.load(bytes: classifier.modelFile().serialized(), name: "m")
        #expect(again.model.singleLabel && again == classifier)
        let encoder = JSONEncoder()
        #expect(!String(decoding: try encoder.encode(TopicClassifierOptions()), as: UTF8.self).contains("multiclass"))
        #expect(String(decoding: try encoder.encode(options), as: UTF8.self).contains("\"multiclass\":true"))
    }

    @Test("multiclass training refuses a story with two labels, naming its file and line")
    func multiclassRefusesMultiLabel() {
        var stories = Self.singleLabelStories
        stories[4] = Self.story("5", "Troops guarded the port after the attack.", ["security", "transport"])
        do {
            _ = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), multiclass: true).fit(stories)
            Issue.record("a two-label story must be refused")
        } catch {
            #expect("\(error)".contains("single.jsonl:5") && "\(error)".contains("exactly one label"))
        }
    }
}

@Suite("Classification report averages")
struct ClassificationAveragesTests {
    @Test("weighted and samples averages, Hamming loss and accuracy match hand counts")
    func averages() {
        // Three documents, labels a and b.
        let truth: [Set<String>] = [["a"], ["a", "b"], ["b"]]
        let predicted: [Set<String>] = [["a"], ["a"], ["a", "b"]]
        let report = ClassificationReport(labels: ["a", "b"], truth: truth, predicted: predicted)
        // a: TP 2, FP 1, FN 0 → P 2/3, R 1, F1 0.8 (support 2); b: TP 1, FP 0, FN 1 → P 1, R 0.5, F1 2/3 (support 2).
        #expect(abs(report.weighted.f1 - (0.8 + 2.0 / 3) / 2) < 1e-12)
        // samples: doc1 P1 R1 F1 1; doc2 P 1, R .5, F1 2/3; doc3 P .5, R 1, F1 2/3.
        #expect(abs(report.samples.precision - 2.5 / 3) < 1e-12 && abs(report.samples.recall - 2.5 / 3) < 1e-12)
        #expect(abs(report.samples.f1 - (1 + 4.0 / 3) / 3) < 1e-12)
        #expect(abs(report.hammingLoss - 2.0 / 6) < 1e-12)
        #expect(report.exactMatches == 1 && !report.isSingleLabel)
        let single = ClassificationReport(labels: ["a", "b"], truth: [["a"], ["b"]], predicted: [["a"], ["a"]])
        #expect(single.isSingleLabel && single.exactMatchRate == 0.5)
    }

    @Test("precision@k and recall@k count hits among each story's k most probable labels")
    func atK() {
        let atOne = RankingAtK(k: 1, labels: ["a", "b", "c"], probabilities: [[0.9, 0.5, 0.1], [0.2, 0.3, 0.8]], truth: [["a", "b"], ["b"]])
        #expect(atOne.precision == 0.5 && abs(atOne.recall - 0.25) < 1e-12)
        let atTwo = RankingAtK(k: 2, labels: ["a", "b", "c"], probabilities: [[0.9, 0.5, 0.1], [0.2, 0.3, 0.8]], truth: [["a", "b"], ["b"]])
        #expect(atTwo.precision == 0.75 && atTwo.recall == 1)
    }
}
