import Foundation

/// A multi-label linear model: one logistic regression per label, each with its own decision
/// threshold on the probability.
public struct MultiLabelLinearModel: Sendable, Equatable {
    /// The label names, in model order.
    public let labels: [String]
    /// Number of input features.
    public let featureCount: Int
    /// Weights in feature-major order: the weight of feature *f* for label *l* is
    /// `weights[f * labels.count + l]`, so that one feature's weights are contiguous.
    public internal(set) var weights: [Float]
    /// One bias per label.
    public internal(set) var biases: [Float]
    /// One probability threshold per label: the label is predicted when P ≥ threshold.
    public internal(set) var thresholds: [Float]
    /// The fewest labels predicted per document: when fewer pass their thresholds, the most
    /// probable ones are added. 1 when every training document had a label, else 0.
    public internal(set) var minimumLabels: Int
    /// Single-label (multiclass) decisions: every document gets exactly its most probable
    /// label, and ``thresholds`` are not used.
    public internal(set) var singleLabel: Bool

    /// Creates a model from its parts.
    public init(labels: [String], featureCount: Int, weights: [Float], biases: [Float], thresholds: [Float], minimumLabels: Int = 0,
                singleLabel: Bool = false) {
        precondition(weights.count == featureCount * labels.count && biases.count == labels.count && thresholds.count == labels.count)
        self.labels = labels
        self.featureCount = featureCount
        self.weights = weights
        self.biases = biases
        self.thresholds = thresholds
        self.minimumLabels = minimumLabels
        self.singleLabel = singleLabel
    }

    /// The probability of each label for each row of `features` (`result[row][label]`).
    public func probabilities(_ features: SparseMatrix) -> [[Float]] {
        (0..<features.rowCount).map { probabilities(features, row: $0) }
    }

    /// The probability of each label for one row.
    public func probabilities(_ features: SparseMatrix, row: Int) -> [Float] {
        decisionValues(features, row: row).map { Float(sigmoid(Double($0))) }
    }

    /// The decision value w·x + b of each label for one row.
    public func decisionValues(_ features: SparseMatrix, row: Int) -> [Float] {
        let entries = features.rowStarts[row]..<features.rowStarts[row + 1]
        return decisionValues(entries: zip(features.columnIndices[entries], features.values[entries]))
    }

    /// ``probabilities(_:row:)`` of a row given as (column, value) pairs sorted by column (the
    /// same sums in the same order, so the same bits).
    func probabilities(row: [(Int32, Float)]) -> [Float] {
        decisionValues(entries: row).map { Float(sigmoid(Double($0))) }
    }

    /// The bias plus each (column, value) entry times its weight, per label, in entry order.
    ///
    /// Eight labels at a time: each label's sum still adds the same products in the same order
    /// (a multiply, then an add; no fused multiply-add), so the bits match one label at a time.
    /// The checked loop it replaces did not vectorise: 7-8% of `lapis classify` with 90 labels.
    private func decisionValues<Entries: Sequence>(entries: Entries) -> [Float] where Entries.Element == (Int32, Float) {
        let labelCount = labels.count
        let vectorEnd = labelCount & ~7
        var scores = biases
        weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { s in
                guard let weightBase = w.baseAddress, let scoreBase = s.baseAddress else { return }
                for (column, value) in entries {
                    let row = weightBase + Int(column) &* labelCount
                    let scale = SIMD8<Float>(repeating: value)
                    var label = 0
                    while label < vectorEnd {
                        let weight = UnsafeRawPointer(row + label).loadUnaligned(as: SIMD8<Float>.self)
                        let score = UnsafeRawPointer(scoreBase + label).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(scoreBase + label).storeBytes(of: score + scale * weight, as: SIMD8<Float>.self)
                        label &+= 8
                    }
                    while label < labelCount {
                        scoreBase[label] += value * row[label]
                        label &+= 1
                    }
                }
            }
        }
        return scores
    }

    /// The labels whose probability reaches their threshold. `hasEvidence` false (a document
    /// with no known term) turns off the rank fallback: an empty story gets no label.
    public func predictedLabels(probabilities: [Float], hasEvidence: Bool = true) -> [String] {
        predictedLabels(probabilities: probabilities, hasEvidence: hasEvidence, decision: .model)
    }

    /// The labels `decision` picks from `probabilities`; ``LabelDecision/model`` is the
    /// model's own rule (per-label thresholds with the rank fallback, or the most probable
    /// label for a ``singleLabel`` model). A document with no known term (`hasEvidence`
    /// false) gets no label from the model's rule.
    public func predictedLabels(probabilities: [Float], hasEvidence: Bool, decision: LabelDecision) -> [String] {
        switch decision {
        case .threshold(let threshold):
            return labels.indices.filter { probabilities[$0] >= threshold }.map { labels[$0] }
        case .top(let count, let minimumScore):
            return probabilities.indicesByDescendingValue().prefix(count).filter { probabilities[$0] >= minimumScore }.sorted().map { labels[$0] }
        case .model:
            break
        }
        if singleLabel {
            guard hasEvidence, let best = probabilities.indexOfLargest() else { return [] }
            return [labels[best]]
        }
        var chosen = labels.indices.filter { probabilities[$0] >= thresholds[$0] }
        if hasEvidence && chosen.count < minimumLabels {
            // Rank-based fallback: take the most probable labels until the minimum is met.
            let ranked = probabilities.indicesByDescendingValue()
            for label in ranked where chosen.count < minimumLabels && !chosen.contains(label) { chosen.append(label) }
            chosen.sort()
        }
        return chosen.map { labels[$0] }
    }
}

/// How predicted labels are chosen from a story's label probabilities.
public enum LabelDecision: Sendable, Equatable {
    /// The model's own rule: per-label thresholds, or the most probable label for a
    /// single-label model.
    case model
    /// Every label whose probability reaches this value (one threshold for all labels).
    case threshold(Float)
    /// The `count` most probable labels whose probability reaches `minimumScore` (fastText's
    /// `predict-prob k threshold`).
    case top(Int, minimumScore: Float)
}

/// Trains a ``MultiLabelLinearModel``: one ``LogisticRegression`` per label (one-vs-rest), the
/// labels in parallel, and per-label thresholds chosen by cross-validation on the training data.
public struct OneVsRestClassifier: Sendable {
    /// The binary trainer used for every label.
    public var logistic: LogisticRegression
    /// Folds used to choose thresholds from out-of-fold probabilities; 0 or 1 keeps 0.5.
    public var thresholdFolds: Int
    /// Seed of the fold assignment.
    public var seed: UInt64
    /// Labels with fewer training positives keep the 0.5 threshold: a threshold tuned on one
    /// or two out-of-fold positives is noise.
    public var minimumPositivesForTuning: Int
    /// A tuned threshold is kept only when its out-of-fold F1 (F-beta) reaches this (Yang's
    /// SCutFBR): a low threshold that buys a poor F1 mostly adds false positives.
    public var minimumTunedF1: Double = 0.5
    /// The β of the F-score that thresholds maximise on the out-of-fold probabilities: 1 is F1;
    /// larger values weigh recall β times as much as precision (see ``TopicClassifierOptions/thresholdBeta``).
    public var thresholdBeta: Double
    /// How many times the threshold cross-validation is run, each time with another fold
    /// assignment. A threshold is then the one with the best F-score averaged over the runs, so
    /// it no longer depends on the luck of one split (see ``TopicClassifierOptions/thresholdRepeats``).
    public var thresholdRepeats: Int
    /// The most L-BFGS iterations a fold model may take from its warm start (the full model's
    /// weights, whichever solver fitted it); `nil` runs every fold fit to convergence. Fold models only score their held-out
    /// rows for the thresholds, so a few iterations from the full solution are enough
    /// (see ``TopicClassifierOptions/foldIterations``).
    public var foldIterations: Int?

    /// Creates a trainer.
    public init(logistic: LogisticRegression = LogisticRegression(), thresholdFolds: Int = 3, seed: UInt64 = 42,
                minimumPositivesForTuning: Int = 5, thresholdBeta: Double = 1, thresholdRepeats: Int = 1,
                foldIterations: Int? = nil) {
        self.logistic = logistic
        self.thresholdFolds = thresholdFolds
        self.seed = seed
        self.minimumPositivesForTuning = minimumPositivesForTuning
        self.thresholdBeta = thresholdBeta
        self.thresholdRepeats = thresholdRepeats
        self.foldIterations = foldIterations
    }

    /// Fits one model per label. `labelSets[i]` holds the indices (into `labels`) of row *i*'s labels.
    /// They are consumed: a caller that passes its last reference has them freed once the
    /// per-label targets are made (a set is a heap allocation per row, held through every fit
    /// otherwise).
    ///
    /// `progress` is told of every fitted logistic regression, in two phases: "fitting" (one per
    /// label), then "thresholds by cross-validation" (one per label and fold) when thresholds
    /// are chosen that way.
    public func fit(_ features: SparseMatrix, labelSets: consuming [Set<Int>], labels: [String], progress: ProgressHandler? = nil) -> MultiLabelLinearModel {
        precondition(features.rowCount == labelSets.count, "one label set per row")
        let labelCount = labels.count
        let featureCount = features.columnCount
        let everyRowLabelled = labelSets.allSatisfy { !$0.isEmpty }
        let targets = LabelTargets(labelSets: consume labelSets, labelCount: labelCount)
        let tunesThresholds = thresholdFolds >= 2 && features.rowCount >= thresholdFolds * 2
        let positiveCounts = (0..<labelCount).map { targets.positiveCount($0) }
        let tunable = (0..<labelCount).filter { positiveCounts[$0] >= minimumPositivesForTuning }
        // Two phases, as a user follows them: one fit per label, then the fold fits that choose thresholds.
        let counter = ProgressCounter(phase: "fitting", total: labelCount, unit: "labels", handler: progress)
        counter.start()
        // Labels with the most positives first: they take the most iterations (on Reuters, 68
        // for the largest label against ~25 for one with a single positive), so the fits still
        // running when the queue empties are short ones and no core idles long at the end. The
        // order decides which fits share a pass, never a fit's arithmetic.
        let order = (0..<labelCount).sorted { (positiveCounts[$0], $1) > (positiveCounts[$1], $0) }
        var models: [LogisticRegression.Model]
        switch logistic.solver {
        case .lbfgs:
            let fitted = LockstepLogisticFits.fit(logistic, features: features, taskCount: labelCount,
                                                  task: { LockstepLogisticFits.Task(targets: targets.targets(order[$0]), initial: nil) }) { _, model in
                counter.advance()
                return model
            }
            models = fitted
            for (task, label) in order.enumerated() { models[label] = fitted[task] }
        case .dualCoordinateDescent:
            models = dualCoordinateDescentFits(features, targets: targets, order: order, counter: counter)
        }

        var thresholds = [Float](repeating: 0.5, count: labelCount)
        if tunesThresholds && !tunable.isEmpty {
            let repeats = max(1, thresholdRepeats)
            let foldCounter = ProgressCounter(phase: "thresholds by cross-validation", total: tunable.count * thresholdFolds * repeats,
                                              unit: "fold fits", handler: progress)
            foldCounter.start()
            let seeds = (0..<repeats).map { CrossValidation.repeatSeed(seed, run: $0) }
            let heldOutProbabilities = Self.heldOutProbabilities(features)
            // Many rows: a label's out-of-fold probabilities (8 bytes a row, per run) outweigh its
            // fold models' weights, 2 KiB a row for Reuters' 90 labels and three runs at half a
            // million rows (1 GiB, most of training's peak memory). Then the fold models are kept
            // instead, and each label's probabilities made from them only while its threshold is
            // chosen: the same decisions, so the same bits. And only for as many labels at once
            // as there are lanes to fit them: all 90 labels' 810 fold models were 134 MiB at half
            // a million rows, more than the rest of cross-validation's memory beside the matrix.
            let tuned = thresholdFolds * (featureCount + 1) < features.rowCount
                ? tunedThresholds(features, targets: targets, labels: tunable, warmStarts: models, seeds: seeds, counter: foldCounter,
                                  labelsPerGroup: LockstepLogisticFits.fitsInFlight,
                                  keep: { model, _ in model }, probabilities: heldOutProbabilities)
                : tunedThresholds(features, targets: targets, labels: tunable, warmStarts: models, seeds: seeds, counter: foldCounter,
                                  keep: heldOutProbabilities, probabilities: { probabilities, _ in probabilities })
            for (label, threshold) in zip(tunable, tuned) { thresholds[label] = threshold }
        }
        return Self.model(labels: labels, featureCount: featureCount, models: models, thresholds: thresholds,
                           everyRowLabelled: everyRowLabelled)
    }

    /// The multi-label model of one fitted model per label, its weights feature-major in Float.
    static func model(labels: [String], featureCount: Int, models: [LogisticRegression.Model], thresholds: [Float],
                      everyRowLabelled: Bool) -> MultiLabelLinearModel {
        let labelCount = labels.count
        var weights = [Float](repeating: 0, count: featureCount * labelCount)
        for label in 0..<labelCount {
            for feature in 0..<featureCount {
                weights[feature * labelCount + label] = Float(models[label].weights[feature])
            }
        }
        return MultiLabelLinearModel(labels: labels, featureCount: featureCount, weights: weights,
                                     biases: models.map { Float($0.bias) }, thresholds: thresholds,
                                     minimumLabels: everyRowLabelled ? 1 : 0)
    }

    /// A fold model's probabilities for its held-out rows of `features`.
    static func heldOutProbabilities(_ features: SparseMatrix) -> @Sendable (LogisticRegression.Model, [Int]) -> [Double] {
        { model, rows in rows.map { sigmoid(model.decision(features, row: $0)) } }
    }

    /// The threshold of each of `labels` from the out-of-fold probabilities of one cross-validation
    /// run per seed. Each fold fit leaves what `keep` makes of it, from which `probabilities`
    /// makes the held-out rows' probabilities when the label's threshold is chosen.
    ///
    /// The labels go through in groups of at most `labelsPerGroup` (all at once when nil): a group's
    /// fold fits, then its thresholds, and what its fits left is let go before the next group
    /// starts. Grouping decides only what is held at once, not a threshold's bits: a label's
    /// fold fits and threshold depend on nothing of another label's. Groups are made of labels
    /// whose full fits took similar numbers of iterations, so a group's fold fits end at about
    /// the same time and few lanes run empty at the end of a group.
    func tunedThresholds<Kept: Sendable>(_ features: SparseMatrix, targets: LabelTargets, labels: [Int], warmStarts: [LogisticRegression.Model],
                                         seeds: [UInt64], counter: ProgressCounter, labelsPerGroup: Int? = nil,
                                         keep: @escaping @Sendable (LogisticRegression.Model, [Int]) -> Kept,
                                         probabilities: @escaping @Sendable (Kept, [Int]) -> [Double]) -> [Float] {
        // As few groups as the limit allows, of equal size (90 labels in groups of at most 16
        // are six of 15, not five of 16 and one of 10).
        let groupCount = labelsPerGroup.map { (labels.count + max(1, $0) - 1) / max(1, $0) } ?? 1
        let byIterations = labels.indices.sorted {
            (warmStarts[labels[$0]].iterations, $1) > (warmStarts[labels[$1]].iterations, $0)
        }
        // Every group's folds are the same: made once (not per job, where two jobs starting
        // together each held a fold assignment and its rows, ~24 MB at half a million rows).
        let heldOutRows = groupCount > 1 ? seeds.map { foldHeldOutRows(rowCount: features.rowCount, seed: $0) } : []
        var thresholds = [Float](repeating: 0.5, count: labels.count)
        for groupIndex in 0..<groupCount {
            // What the last group (or, before the first, the full fits) freed stays resident
            // otherwise: blocks this size are below glibc's mmap threshold once larger ones have
            // been freed. Before the first group this was the 64× peak (380 MiB, 270 after).
            Memory.returnFreedPages()
            let group = Array(byIterations[groupIndex * labels.count / groupCount..<(groupIndex + 1) * labels.count / groupCount])
            let groupLabels = group.map { labels[$0] }
            let runs: [OutOfFoldFits<Kept>]
            if groupCount == 1 {
                runs = seeds.map { seed in
                    outOfFoldFits(features, targets: targets, labels: groupLabels, warmStarts: warmStarts, seed: seed, counter: counter, keep: keep)
                }
            } else {
                // A group's fold fits are few: all of one fold on each thread, every fold of every
                // run at once, so a thread's lanes are refilled from its fold's fits as they end
                // (sixteen fits on sixteen lanes of two threads left most lanes empty while the
                // last fits ran). Which fits share a pass changes no fit's arithmetic.
                let jobs = Array(0..<seeds.count * thresholdFolds)
                let fitted = Parallel.map(jobs, minimumChunk: 1) { job in
                    foldFits(features, targets: targets, labels: groupLabels, warmStarts: warmStarts,
                             heldOutRows: heldOutRows[job / thresholdFolds][job % thresholdFolds], counter: counter, threads: 1, keep: keep)
                }
                runs = seeds.indices.map { run in
                    OutOfFoldFits(heldOutRows: heldOutRows[run], results: Array(fitted[run * thresholdFolds..<(run + 1) * thresholdFolds]))
                }
            }
            // One label's threshold needs nothing of another's: all cores (this was a serial tail
            // of ~0.1 s on Reuters, with the second core idle).
            let tuned = Parallel.map(Array(groupLabels.enumerated()), minimumChunk: 1) { position, label in
                ThresholdSelection.bestF1Threshold(runCount: runs.count, targets: targets.targets(label),
                                                   minimumF1: minimumTunedF1, beta: thresholdBeta) { run in
                    runs[run].outOfFold(position, rowCount: features.rowCount, values: probabilities)
                }
            }
            for (position, threshold) in zip(group, tuned) { thresholds[position] = threshold }
        }
        return thresholds
    }

    /// For each of `labels`, the probability of every training row from a model that did not
    /// see it. Fold models start from the full model's weights (the objective is convex, so the
    /// start changes only how fast they converge, not where).
    func outOfFoldProbabilities(_ features: SparseMatrix, targets: LabelTargets, labels: [Int],
                                warmStarts: [LogisticRegression.Model], seed: UInt64, counter: ProgressCounter? = nil) -> [[Double]] {
        let fits = outOfFoldFits(features, targets: targets, labels: labels, warmStarts: warmStarts, seed: seed, counter: counter,
                                 keep: Self.heldOutProbabilities(features))
        return labels.indices.map { position in fits.outOfFold(position, rowCount: features.rowCount) { probabilities, _ in probabilities } }
    }

    /// What each fold's fit of each label left, made by `keep` from the fold model and the
    /// fold's held-out rows, as `results[fold][position]` for `labels[position]`.
    struct OutOfFoldFits<Kept: Sendable>: Sendable {
        /// Each fold's held-out rows, ascending.
        var heldOutRows: [[Int]]
        var results: [[Kept]]

        /// Label `position`'s value for every row, each from the fold that held it out: `values`
        /// turns a fold's kept result and held-out rows into one value per row.
        func outOfFold(_ position: Int, rowCount: Int, values: (Kept, [Int]) -> [Double]) -> [Double] {
            var outOfFold = [Double](repeating: 0, count: rowCount)
            for (fold, rows) in heldOutRows.enumerated() {
                for (row, value) in zip(rows, values(results[fold][position], rows)) { outOfFold[row] = value }
            }
            return outOfFold
        }
    }

    /// Fits each of `labels` on every fold's training rows (one fold assignment, from `seed`)
    /// and keeps what `keep` makes of each fold model and the fold's held-out rows.
    func outOfFoldFits<Kept: Sendable>(_ features: SparseMatrix, targets: LabelTargets, labels: [Int],
                                       warmStarts: [LogisticRegression.Model], seed: UInt64, counter: ProgressCounter? = nil,
                                       keep: @escaping @Sendable (LogisticRegression.Model, [Int]) -> Kept) -> OutOfFoldFits<Kept> {
        let heldOutRows = foldHeldOutRows(rowCount: features.rowCount, seed: seed)
        var results: [[Kept]] = []
        for rows in heldOutRows {
            results.append(foldFits(features, targets: targets, labels: labels, warmStarts: warmStarts, heldOutRows: rows,
                                    counter: counter, keep: keep))
            Memory.returnFreedPages()
        }
        return OutOfFoldFits(heldOutRows: heldOutRows, results: results)
    }

    /// Each fold's held-out rows, ascending, in the fold assignment from `seed`.
    func foldHeldOutRows(rowCount: Int, seed: UInt64) -> [[Int]] {
        let folds = CrossValidation.foldAssignment(count: rowCount, folds: thresholdFolds, seed: seed)
        var rows = [[Int]](repeating: [], count: thresholdFolds)
        for fold in rows.indices { rows[fold].reserveCapacity(rowCount / thresholdFolds + 1) }
        for (row, fold) in folds.enumerated() { rows[fold].append(row) }
        return rows
    }

    /// The rows `0..<rowCount` but `excluded` (ascending), ascending.
    static func rows(of rowCount: Int, without excluded: [Int]) -> [Int] {
        var rows: [Int] = []
        rows.reserveCapacity(rowCount - excluded.count)
        var next = 0
        for row in 0..<rowCount {
            if next < excluded.count && excluded[next] == row { next += 1 } else { rows.append(row) }
        }
        return rows
    }

    /// Fits each of `labels` on every row but `heldOutRows` (ascending), on at most `threads`
    /// threads (all when nil), and returns what `keep` makes of each fold model and those rows,
    /// in the order of `labels`.
    func foldFits<Kept: Sendable>(_ features: SparseMatrix, targets: LabelTargets, labels: [Int],
                                  warmStarts: [LogisticRegression.Model], heldOutRows testRows: [Int], counter: ProgressCounter?,
                                  threads: Int? = nil,
                                  keep: @escaping @Sendable (LogisticRegression.Model, [Int]) -> Kept) -> [Kept] {
        let trainRows = Self.rows(of: features.rowCount, without: testRows)
        // Fold fits are L-BFGS fits from the full model's weights whatever the full fits' solver:
        // the few iterations of ``foldIterations`` leave a fold model near the full one, and
        // thresholds placed on such models' held-out probabilities gave the best F1 on Reuters'
        // training split, with either solver's full fits; dual fold fits from the full fit's
        // dual variables (held-out rows out of the weights from the first epoch) gave 0.007
        // less micro- and macro-F1, as did L-BFGS fold fits run to 20 iterations
        // (`Evaluation/RESULTS.md`, "Dual coordinate descent in lapis").
        var foldTrainer = logistic
        if foldTrainer.solver != .lbfgs {
            foldTrainer.solver = .lbfgs
            foldTrainer.tolerance = LogisticRegression.Solver.lbfgs.defaultTolerance
        }
        if let foldIterations { foldTrainer.maxIterations = min(foldTrainer.maxIterations, foldIterations) }
        // Longest fits first (the full fits' iteration counts predict the folds'), so the
        // last lanes to finish are short ones and no core idles long at the end of a fold.
        let order = labels.indices.sorted {
            (warmStarts[labels[$0]].iterations, $1) > (warmStarts[labels[$1]].iterations, $0)
        }
        // One lockstep run: its lanes share a pass over the fold's rows, read in place from the
        // whole matrix (no copy of them).
        let fitted = LockstepLogisticFits.fit(foldTrainer, features: features, rows: trainRows, taskCount: order.count,
                                              threads: threads, task: { task in
            let label = labels[order[task]]
            return LockstepLogisticFits.Task(targets: targets.targets(label, rows: trainRows), initial: warmStarts[label])
        }) { _, model in
            counter?.advance()
            return keep(model, testRows)
        }
        var byPosition = [Kept?](repeating: nil, count: labels.count)
        for (task, position) in order.enumerated() { byPosition[position] = fitted[task] }
        return byPosition.map { $0! }
    }
}
