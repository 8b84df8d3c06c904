/// A precision-recall curve of one label: precision and recall when every document whose
/// score reaches a threshold is predicted positive, at every distinct score.
public struct PrecisionRecallCurve: Sendable, Equatable {
    /// One cut of the ranking.
    public struct Point: Sendable, Equatable {
        /// Documents scoring at least this are predicted positive.
        public var threshold: Double
        /// Share of the predicted documents that are positive (1 at the start of the curve).
        public var precision: Double
        /// Share of the positive documents that are predicted.
        public var recall: Double
    }

    /// The curve from the highest threshold to the lowest; it starts at recall 0,
    /// precision 1 (threshold +∞, as scikit-learn's curve ends).
    public let points: [Point]
    /// Average precision, Σ (Rₙ − Rₙ₋₁) Pₙ over the points (scikit-learn's
    /// `average_precision_score`); 0 when there are no positives.
    public let averagePrecision: Double
    /// Number of true instances.
    public let positives: Int
    /// Number of documents.
    public let count: Int
    private let scores: [Double]
    private let targets: [Bool]

    /// The curve of `scores` against `targets` (one of each per document).
    public init(scores: [Double], targets: [Bool]) {
        precondition(scores.count == targets.count, "one target per score")
        self.scores = scores
        self.targets = targets
        count = scores.count
        let positives = targets.lazy.filter { $0 }.count
        self.positives = positives
        let order = scores.indicesByDescendingValue()
        var points = [Point(threshold: .infinity, precision: 1, recall: 0)]
        var truePositives = 0
        var average = 0.0
        var previousRecall = 0.0
        for (rank, index) in order.enumerated() {
            if targets[index] { truePositives += 1 }
            if rank + 1 < order.count && scores[order[rank + 1]] == scores[index] { continue }
            let precision = Double(truePositives) / Double(rank + 1)
            let recall = positives == 0 ? 0 : Double(truePositives) / Double(positives)
            average += (recall - previousRecall) * precision
            previousRecall = recall
            points.append(Point(threshold: scores[index], precision: precision, recall: recall))
        }
        self.points = points
        averagePrecision = positives == 0 ? 0 : average
    }

    /// Precision and recall when documents scoring at least `threshold` are predicted positive
    /// (precision 0 when none is, as in ``PrecisionRecallF1``).
    public func operatingPoint(threshold: Double) -> Point {
        var counts = ConfusionCounts()
        for (score, target) in zip(scores, targets) {
            switch (target, score >= threshold) {
            case (true, true): counts.truePositives += 1
            case (false, true): counts.falsePositives += 1
            case (true, false): counts.falseNegatives += 1
            case (false, false): counts.trueNegatives += 1
            }
        }
        let scores = PrecisionRecallF1(counts)
        return Point(threshold: threshold, precision: scores.precision, recall: scores.recall)
    }
}
