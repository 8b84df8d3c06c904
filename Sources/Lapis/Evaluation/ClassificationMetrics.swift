/// Precision, recall and F1 of one label or one average.
public struct PrecisionRecallF1: Sendable, Equatable, Codable {
    /// TP / (TP + FP); 0 when nothing was predicted.
    public var precision: Double
    /// TP / (TP + FN); 0 when there are no true instances.
    public var recall: Double
    /// Harmonic mean of precision and recall; 0 when both are 0.
    public var f1: Double

    /// Creates a score triple.
    public init(precision: Double, recall: Double, f1: Double) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
    }

    /// Scores from confusion counts.
    public init(_ counts: ConfusionCounts) {
        let predicted = counts.truePositives + counts.falsePositives
        let actual = counts.truePositives + counts.falseNegatives
        precision = predicted == 0 ? 0 : Double(counts.truePositives) / Double(predicted)
        recall = actual == 0 ? 0 : Double(counts.truePositives) / Double(actual)
        f1 = predicted + actual == 0 ? 0 : 2 * Double(counts.truePositives) / Double(predicted + actual)
    }
}

/// True/false positive/negative counts of one label.
public struct ConfusionCounts: Sendable, Equatable, Codable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0

    /// Creates counts.
    public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0, trueNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
    }

    /// Number of true instances (TP + FN).
    public var support: Int { truePositives + falseNegatives }

    static func + (lhs: ConfusionCounts, rhs: ConfusionCounts) -> ConfusionCounts {
        ConfusionCounts(truePositives: lhs.truePositives + rhs.truePositives, falsePositives: lhs.falsePositives + rhs.falsePositives,
                        falseNegatives: lhs.falseNegatives + rhs.falseNegatives, trueNegatives: lhs.trueNegatives + rhs.trueNegatives)
    }
}

/// Multi-label classification metrics: per-label scores, micro and macro averages.
///
/// Micro averages pool the confusion counts of all labels; macro averages take the plain
/// mean of the per-label precision, recall and F1 (labels with no support and no prediction
/// score 0, as in scikit-learn with `zero_division=0`).
public struct ClassificationReport: Sendable, Equatable {
    /// The labels, in report order.
    public let labels: [String]
    /// Confusion counts per label, in `labels` order.
    public let counts: [ConfusionCounts]
    /// Number of documents evaluated.
    public let documentCount: Int
    /// Documents whose predicted label set equals the true set exactly.
    public let exactMatches: Int
    /// True labels the model does not know (after `labels` in ``labels``): every instance of
    /// one is a miss (a false negative).
    public let labelsNotInModel: Set<String>
    /// Indices (into ``labels``) of the labels the micro and macro averages are taken over.
    public let averagedLabels: [Int]
    /// Whether every document carries exactly one true label (single-label data): then the
    /// exact-match rate is the usual accuracy.
    public let isSingleLabel: Bool
    /// Precision, recall and F1 of each document's predicted set against its true set,
    /// averaged over documents (scikit-learn's `average="samples"`; an empty set scores 0).
    public let samples: PrecisionRecallF1

    /// Scores predicted label sets against true ones, over the model's `labels` and every
    /// other label in `truth`, which the model can never predict (each instance a false
    /// negative). The averages cover all of them, as scikit-learn's `classification_report`
    /// does over the labels of the model and the data; with `averagesOverModelLabelsOnly`
    /// only the model's (the usual Reuters-90 convention). A label repeated inside one
    /// document's set counts once, as sets do.
    public init(labels: [String], truth: [Set<String>], predicted: [Set<String>], averagesOverModelLabelsOnly: Bool = false) {
        precondition(truth.count == predicted.count, "one prediction per document")
        let modelLabels = Set(labels)
        let outside = Set(truth.flatMap { $0 }).subtracting(modelLabels)
        labelsNotInModel = outside
        let labels = labels + outside.sorted()
        averagedLabels = Array(averagesOverModelLabelsOnly ? 0..<modelLabels.count : labels.indices)
        self.labels = labels
        documentCount = truth.count
        counts = labels.map { label in
            var counts = ConfusionCounts()
            for (actual, guess) in zip(truth, predicted) {
                switch (actual.contains(label), guess.contains(label)) {
                case (true, true): counts.truePositives += 1
                case (false, true): counts.falsePositives += 1
                case (true, false): counts.falseNegatives += 1
                case (false, false): counts.trueNegatives += 1
                }
            }
            return counts
        }
        let known = Set(labels)
        exactMatches = zip(truth, predicted).filter { $0.intersection(known) == $1.intersection(known) }.count
        isSingleLabel = !truth.isEmpty && truth.allSatisfy { $0.count == 1 }
        var sums = (precision: 0.0, recall: 0.0, f1: 0.0)
        for (actual, guess) in zip(truth, predicted) {
            let (t, p) = (actual.intersection(known), guess.intersection(known))
            let hits = Double(t.intersection(p).count)
            if !p.isEmpty { sums.precision += hits / Double(p.count) }
            if !t.isEmpty { sums.recall += hits / Double(t.count) }
            if !(t.isEmpty && p.isEmpty) { sums.f1 += 2 * hits / Double(t.count + p.count) }
        }
        let n = Double(max(truth.count, 1))
        samples = PrecisionRecallF1(precision: sums.precision / n, recall: sums.recall / n, f1: sums.f1 / n)
    }

    /// Share of documents whose predicted set is exactly the true set (subset accuracy; for
    /// single-label data, accuracy).
    public var exactMatchRate: Double { Double(exactMatches) / Double(max(documentCount, 1)) }

    /// Share of (document, label) pairs predicted wrongly, over every label of the report
    /// (scikit-learn's `hamming_loss`).
    public var hammingLoss: Double {
        let errors = counts.reduce(0) { $0 + $1.falsePositives + $1.falseNegatives }
        return Double(errors) / Double(max(documentCount * labels.count, 1))
    }

    /// Means of the averaged labels' scores weighted by their support (scikit-learn's
    /// `average="weighted"`; 0 when no averaged label has support).
    public var weighted: PrecisionRecallF1 {
        let all = perLabel
        let total = Double(averagedLabels.reduce(0) { $0 + counts[$1].support })
        guard total > 0 else { return PrecisionRecallF1(precision: 0, recall: 0, f1: 0) }
        func mean(_ value: (PrecisionRecallF1) -> Double) -> Double {
            averagedLabels.reduce(0.0) { $0 + value(all[$1]) * Double(counts[$1].support) } / total
        }
        return PrecisionRecallF1(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1))
    }

    /// Scores of each label, in `labels` order.
    public var perLabel: [PrecisionRecallF1] { counts.map(PrecisionRecallF1.init) }

    /// Scores from the pooled counts of the averaged labels.
    public var micro: PrecisionRecallF1 { PrecisionRecallF1(averagedLabels.map { counts[$0] }.reduce(ConfusionCounts(), +)) }

    /// Unweighted means of the averaged labels' scores.
    public var macro: PrecisionRecallF1 {
        let all = perLabel
        let scores = averagedLabels.map { all[$0] }
        guard !scores.isEmpty else { return PrecisionRecallF1(precision: 0, recall: 0, f1: 0) }
        let n = Double(scores.count)
        return PrecisionRecallF1(precision: scores.map(\.precision).reduce(0, +) / n,
                                 recall: scores.map(\.recall).reduce(0, +) / n,
                                 f1: scores.map(\.f1).reduce(0, +) / n)
    }
}
