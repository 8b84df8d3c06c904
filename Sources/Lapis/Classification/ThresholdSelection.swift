/// Choosing a decision threshold from scores and true targets.
enum ThresholdSelection {
    /// The threshold that maximises F1 on (`scores`, `targets`), placed halfway between the
    /// lowest accepted score and the next score below it. Labels without positives, or whose
    /// best F1 is zero (or below `minimumF1`), keep 0.5. With `beta` ≠ 1 the F-beta score
    /// (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP) is maximised instead: recall counts β times as
    /// much as precision.
    static func bestF1Threshold(scores: [Double], targets: [Bool], minimumF1: Double = 0, beta: Double = 1) -> Float {
        bestF1Threshold(runs: [scores], targets: targets, minimumF1: minimumF1, beta: beta)
    }

    /// The threshold that maximises the F-beta score averaged over several runs of scores for
    /// the same rows (`runs[r][row]`, one run per cross-validation repeat): every run is cut at
    /// the same threshold, and the cut is placed halfway between the lowest accepted score and
    /// the next score below it among all runs' scores. With one run this is
    /// ``bestF1Threshold(scores:targets:minimumF1:beta:)``.
    ///
    /// - Complexity: O(*n* log *n*) for *n* = rows × runs.
    static func bestF1Threshold(runs: [[Double]], targets: [Bool], minimumF1: Double = 0, beta: Double = 1) -> Float {
        bestF1Threshold(runCount: runs.count, targets: targets, minimumF1: minimumF1, beta: beta) { runs[$0] }
    }

    /// ``bestF1Threshold(runs:targets:minimumF1:beta:)`` with each run's scores made by `scores`
    /// when needed and let go once sorted, so one run's scores are held at a time.
    ///
    /// Why sorted this way: a cut's F-beta needs, at each distinct score from the top, how
    /// many of each run's positives and negatives have that score, never which rows they are.
    /// So each run's positives' and negatives' scores are sorted on their own (8 bytes an
    /// entry) and walked together from the top, instead of sorting all runs' (score, position)
    /// pairs. At half a million rows and three runs that held, per label and with two labels
    /// at a time, every run's scores, a pooled copy, the pairs and the sorted positions (57 MiB
    /// besides the sort's scratch); now one run's scores while they are split and the sorted
    /// scores (15 MiB). The cuts, their scores and so the threshold are the same, to the last bit.
    ///
    /// - Complexity: O(*n* log *n*) for *n* = rows × runs.
    static func bestF1Threshold(runCount: Int, targets: [Bool], minimumF1: Double = 0, beta: Double = 1,
                                scores: (Int) -> [Double]) -> Float {
        precondition(runCount > 0, "at least one run of scores")
        let positives = targets.lazy.filter { $0 }.count
        guard positives > 0 else { return 0.5 }
        // Per run, its positives' scores then its negatives', each descending.
        var sortedScores: [(run: Int, positive: Bool, scores: [Double])] = []
        for run in 0..<runCount {
            let runScores = scores(run)
            precondition(runScores.count == targets.count, "one score per row in every run")
            var positiveScores: [Double] = [], negativeScores: [Double] = []
            positiveScores.reserveCapacity(positives)
            negativeScores.reserveCapacity(targets.count - positives)
            for (score, target) in zip(runScores, targets) {
                if target { positiveScores.append(score) } else { negativeScores.append(score) }
            }
            positiveScores.sort(by: >)
            negativeScores.sort(by: >)
            sortedScores.append((run, true, positiveScores))
            sortedScores.append((run, false, negativeScores))
        }
        let betaSquared = beta * beta
        var next = [Int](repeating: 0, count: sortedScores.count)
        var truePositives = [Int](repeating: 0, count: runCount)
        var predicted = [Int](repeating: 0, count: runCount)
        var bestF1 = 0.0
        var lowestAccepted: Double?
        var nextBelow = 0.0
        var awaitingNextBelow = false
        while true {
            // The highest score not yet accepted, among every run's.
            var score: Double?
            for (part, sorted) in sortedScores.enumerated() where next[part] < sorted.scores.count {
                let candidate = sorted.scores[next[part]]
                if score.map({ candidate > $0 }) ?? true { score = candidate }
            }
            guard let score else { break }
            if awaitingNextBelow {
                nextBelow = score
                awaitingNextBelow = false
            }
            // Only cut between distinct scores: accept every entry with this one.
            for (part, sorted) in sortedScores.enumerated() {
                while next[part] < sorted.scores.count && sorted.scores[next[part]] == score {
                    next[part] += 1
                    predicted[sorted.run] += 1
                    if sorted.positive { truePositives[sorted.run] += 1 }
                }
            }
            // Per run: TP + FP = predicted, TP + FN = positives. Summed in run order.
            var sum = 0.0
            for run in 0..<runCount {
                sum += (1 + betaSquared) * Double(truePositives[run]) / (Double(predicted[run]) + betaSquared * Double(positives))
            }
            let f1 = sum / Double(runCount)
            if f1 > bestF1 {
                bestF1 = f1
                lowestAccepted = score
                nextBelow = 0
                awaitingNextBelow = true
            }
        }
        guard let lowestAccepted, bestF1 >= minimumF1 else { return 0.5 }
        return Float((lowestAccepted + nextBelow) / 2)
    }
}
