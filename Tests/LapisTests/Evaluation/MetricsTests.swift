import Testing
@testable import Lapis

@Suite("ClassificationReport")
struct ClassificationReportTests {
    // Hand-computed: label a has TP 2, FP 0, FN 1; label b has TP 1, FP 1, FN 1.
    let report = ClassificationReport(
        labels: ["a", "b"],
        truth: [["a"], ["a", "b"], [], ["b"], ["a"]],
        predicted: [["a"], ["a"], ["b"], ["b"], []]
    )

    @Test("per-label counts and scores match the hand-computed table")
    func perLabel() {
        #expect(report.counts[0] == ConfusionCounts(truePositives: 2, falsePositives: 0, falseNegatives: 1, trueNegatives: 2))
        #expect(report.counts[1] == ConfusionCounts(truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 2))
        #expect(abs(report.perLabel[0].precision - 1) < 1e-12)
        #expect(abs(report.perLabel[0].recall - 2.0 / 3) < 1e-12)
        #expect(abs(report.perLabel[0].f1 - 0.8) < 1e-12)
        #expect(abs(report.perLabel[1].f1 - 0.5) < 1e-12)
        #expect(report.counts[0].support == 3)
    }

    @Test("micro pools counts; macro averages label scores")
    func averages() {
        #expect(abs(report.micro.precision - 0.75) < 1e-12)
        #expect(abs(report.micro.recall - 0.6) < 1e-12)
        #expect(abs(report.micro.f1 - 2.0 / 3) < 1e-12)
        #expect(abs(report.macro.precision - 0.75) < 1e-12)
        #expect(abs(report.macro.recall - (2.0 / 3 + 0.5) / 2) < 1e-12)
        #expect(abs(report.macro.f1 - 0.65) < 1e-12)
        #expect(report.exactMatches == 2)
    }

    @Test("a label never predicted and never true scores zero, not NaN")
    func zeroDivision() {
        let empty = ClassificationReport(labels: ["x"], truth: [[]], predicted: [[]])
        #expect(empty.perLabel[0] == PrecisionRecallF1(precision: 0, recall: 0, f1: 0))
    }

    @Test("the JSON report has the documented fields")
    func json() throws {
        let text = report.json()
        #expect(text.contains("\"micro\": {\"precision\": 0.7500, \"recall\": 0.6000, \"f1\": 0.6667}"))
        #expect(text.contains("\"a\": {\"precision\": 1.0000, \"recall\": 0.6667, \"f1\": 0.8000, \"support\": 3"))
    }
}

@Suite("ROUGE")
struct RougeTests {
    let scorer = RougeScorer()

    @Test("ROUGE-1, -2 and -L on a hand-computed pair")
    func handComputed() {
        let scores = scorer.score(candidate: "the cat sat on the mat", reference: "the cat lay on the mat")
        #expect(abs(scores.rouge1.f1 - 5.0 / 6) < 1e-12)
        #expect(abs(scores.rouge2.precision - 0.6) < 1e-12 && abs(scores.rouge2.recall - 0.6) < 1e-12)
        #expect(abs(scores.rougeL.f1 - 5.0 / 6) < 1e-12)
    }

    @Test("tokens are lower-cased alphanumerics, stemmed when longer than three letters")
    func tokenisation() {
        #expect(scorer.tokens("Running QUICKLY, U.S.-made cars!") == ["run", "quickli", "u", "s", "made", "car"])
        #expect(abs(scorer.score(candidate: "running quickly", reference: "runs quick").rouge1.f1 - 0.5) < 1e-12)
    }

    @Test("ROUGE-Lsum matches sentences in any order, ROUGE-L does not")
    func summaryLevel() {
        let scores = scorer.score(candidate: "d e\na b", reference: "a b d e")
        #expect(abs(scores.rougeLsum.f1 - 1) < 1e-12)
        #expect(abs(scores.rougeL.f1 - 0.5) < 1e-12)
    }

    @Test("empty candidates or references score zero")
    func empty() {
        let scores = scorer.score(candidate: "", reference: "something here")
        #expect(scores.rouge1.f1 == 0 && scores.rougeL.f1 == 0 && scores.rougeLsum.f1 == 0)
    }
}

@Suite("CrossValidation")
struct CrossValidationTests {
    @Test("folds partition the items, differ in size by at most one, and are reproducible")
    func folds() {
        let assignment = CrossValidation.foldAssignment(count: 23, folds: 5, seed: 9)
        let sizes = (0..<5).map { fold in assignment.filter { $0 == fold }.count }
        #expect(sizes.max()! - sizes.min()! <= 1 && sizes.reduce(0, +) == 23)
        #expect(assignment == CrossValidation.foldAssignment(count: 23, folds: 5, seed: 9))
        #expect(assignment != CrossValidation.foldAssignment(count: 23, folds: 5, seed: 10))
        for split in CrossValidation.splits(count: 23, folds: 5, seed: 9) {
            #expect(Set(split.train).isDisjoint(with: split.test) && split.train.count + split.test.count == 23)
        }
    }
}
