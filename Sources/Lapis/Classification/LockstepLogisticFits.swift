import Foundation

/// Fits many binary logistic regressions on one matrix at once: each thread keeps four or
/// eight fits in flight ("lanes") and evaluates all their objectives in one pass over the
/// matrix, with a feature's weights for every lane side by side in memory.
///
/// Why: one fit's pass is bound by scattered memory reads (a weight and a gradient sum per
/// stored entry), not by arithmetic; reading four or eight adjacent weights costs about as
/// much as reading one. When a fit finishes, its lane takes the next
/// label, so lanes stay busy however unequal the fits' iteration counts are.
///
/// Eight lanes when every thread can fill them (Reuters' 90 labels on two threads), which
/// reads each stored entry once per eight fits instead of four; four otherwise, so a
/// four-label model does not evaluate four empty lanes. The lane count decides only which
/// fits share a pass, never a fit's arithmetic.
///
/// Every lane does exactly the arithmetic of ``LogisticRegression/fit(_:targets:initial:)``,
/// in the same order (its optimiser is the same ``LBFGS/Minimization``), so the models are
/// identical to the last bit to those of fitting the labels one by one.
enum LockstepLogisticFits {
    /// How many fits run at once when every lane can be filled: eight lanes on every thread.
    static var fitsInFlight: Int { SIMD8<Double>.scalarCount * Parallel.workerCount }

    /// One fit to run: its targets and an optional warm start.
    struct Task: Sendable {
        var targets: [Bool]
        var initial: LogisticRegression.Model?
    }

    /// Fits every task on the `rows` of `features` (ascending; all of them when nil) and hands
    /// each finished model to `finish`, on the thread that fitted it; returns `finish`'s results
    /// in task order. A task has one target per fitted row. The models are those of fitting on
    /// `features.selectingRows(rows)`, bit for bit, without that copy of the rows (a
    /// cross-validation fold would otherwise hold most of the matrix twice). `wideLanes`
    /// chooses eight lanes (true) or four (false) instead of the rule above; the models are
    /// the same either way.
    static func fit<R: Sendable>(_ logistic: LogisticRegression, features: SparseMatrix, rows: [Int]? = nil,
                                 tasks: [Task], wideLanes: Bool? = nil,
                                 finish: @Sendable (Int, LogisticRegression.Model) -> R) -> [R] {
        fit(logistic, features: features, rows: rows, taskCount: tasks.count, wideLanes: wideLanes, task: { tasks[$0] }, finish: finish)
    }

    /// Fits `taskCount` tasks as ``fit(_:features:rows:tasks:wideLanes:finish:)`` does, each made
    /// by `task` only when a lane takes it: a task's targets (a Boolean per fitted row) exist
    /// while it is fitted, not all of them for the whole run.
    /// At most `threads` threads run them (every core when nil), and eight lanes a thread
    /// are chosen when the tasks fill them.
    static func fit<R: Sendable>(_ logistic: LogisticRegression, features: SparseMatrix, rows: [Int]? = nil,
                                 taskCount: Int, wideLanes: Bool? = nil, threads: Int? = nil, task: @Sendable (Int) -> Task,
                                 finish: @Sendable (Int, LogisticRegression.Model) -> R) -> [R] {
        let threadCount = max(1, min(threads ?? Parallel.workerCount, Parallel.workerCount))
        let queue = TaskQueue(count: taskCount)
        let fittedRows = rows.map { $0.map { Int32(truncatingIfNeeded: $0) } } ?? (0..<features.rowCount).map { Int32(truncatingIfNeeded: $0) }
        assert(zip(fittedRows, fittedRows.dropFirst()).allSatisfy { $0 < $1 } && fittedRows.allSatisfy { $0 >= 0 && Int($0) < features.rowCount },
               "rows ascend and lie in the matrix")
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: taskCount)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let box = UncheckedSendable(results)
        let wide = wideLanes ?? (taskCount >= SIMD8<Double>.scalarCount * threadCount)
        let laneCount = wide ? SIMD8<Double>.scalarCount : SIMD4<Double>.scalarCount
        let workers = min(threadCount, max(1, (taskCount + laneCount - 1) / laneCount))
        Parallel.forEach(workers) { _ in
            if wide {
                var runner = Runner<SIMD8<Double>>(logistic: logistic, features: features, rows: fittedRows)
                runner.run(task: task, queue: queue) { index, model in box.value[index] = finish(index, model) }
            } else {
                var runner = Runner<SIMD4<Double>>(logistic: logistic, features: features, rows: fittedRows)
                runner.run(task: task, queue: queue) { index, model in box.value[index] = finish(index, model) }
            }
        }
        return results.map { $0! }
    }

    /// Hands out task indices to the threads, each once.
    final class TaskQueue: Sendable {
        private let next = Locked(0)
        private let count: Int

        init(count: Int) { self.count = count }

        func take() -> Int? {
            next.withLock { next in
                guard next < count else { return nil }
                next += 1
                return next - 1
            }
        }
    }

    /// One fit in a lane.
    struct Lane {
        var task: Int
        var minimization: LBFGS.Minimization
    }

    /// One thread's lanes and the packed buffers they share.
    struct Runner<Lanes: LogisticLanes> {
        let logistic: LogisticRegression
        let features: SparseMatrix
        /// The rows fitted, ascending: row `rows[i]` of `features` is the fit's row i.
        let rows: [Int32]
        /// Feature-major, each feature's weights then its gradient sums side by side:
        /// `packed[2f]` holds feature f's weight in every lane and `packed[2f + 1]` its gradient.
        /// The one pass reads a stored entry's weights and then adds to its gradient, so the
        /// second touch finds the line the first brought in (one 64-byte line with four lanes).
        var packed: [Lanes]
        /// Per row, bit `slot` set when lane `slot`'s target is positive. A lane's sign (±1) and
        /// loss weight C·cᵢ follow from its target alone, so a row needs a byte here, not two
        /// vectors (128 bytes a row and thread with eight lanes: 127 MB at half a million rows).
        var targetBits: [UInt8]
        /// For every pattern of target bits, each lane's sign and loss weight: the rows' values
        /// are looked up, not stored (the same numbers, so the same bits).
        var signsByBits: [Lanes]
        var rowWeightsByBits: [Lanes]

        init(logistic: LogisticRegression, features: SparseMatrix, rows: [Int32]) {
            self.logistic = logistic
            self.features = features
            self.rows = rows
            packed = [Lanes](repeating: .zero, count: 2 * features.columnCount)
            targetBits = [UInt8](repeating: 0, count: rows.count)
            signsByBits = [Lanes](repeating: .zero, count: 1 << Lanes.scalarCount)
            rowWeightsByBits = signsByBits
        }

        mutating func run(task makeTask: (Int) -> Task, queue: TaskQueue, finished: (Int, LogisticRegression.Model) -> Void) {
            let featureCount = features.columnCount
            var lanes = [Lane?](repeating: nil, count: Lanes.scalarCount)
            while true {
                for slot in lanes.indices where lanes[slot] == nil {
                    guard let index = queue.take() else { break }
                    let task = makeTask(index)
                    precondition(task.targets.count == rows.count, "one target per fitted row")
                    let classWeights = logistic.classWeights(for: task.targets)
                    let bit = UInt8(1) << slot
                    for row in 0..<rows.count {
                        if task.targets[row] { targetBits[row] |= bit } else { targetBits[row] &= ~bit }
                    }
                    for bits in signsByBits.indices {
                        let positive = bits & Int(bit) != 0
                        signsByBits[bits][slot] = positive ? 1 : -1
                        rowWeightsByBits[bits][slot] = logistic.c * (positive ? classWeights.positive : classWeights.negative)
                    }
                    lanes[slot] = Lane(task: index, minimization: LBFGS.Minimization(
                        logistic.optimiser, from: logistic.startingPoint(featureCount: featureCount, initial: task.initial)))
                }
                if lanes.allSatisfy({ $0 == nil }) { return }
                let values = evaluate(&lanes)
                for slot in lanes.indices {
                    guard var lane = lanes[slot] else { continue }
                    lanes[slot] = nil  // so the lane's arrays are not shared while it steps
                    if let result = lane.minimization.receive(value: values[slot]) {
                        finished(lane.task, logistic.model(from: result, featureCount: featureCount))
                        lanes[slot] = nil
                    } else {
                        lanes[slot] = lane
                    }
                }
            }
        }

        /// Evaluates every occupied lane's objective at its requested point, writing each
        /// gradient into the lane and returning the values. Empty lanes compute on zeros and
        /// are ignored.
        ///
        /// One pass over the rows: a row's margins from its entries' weights, its losses and
        /// slopes (the four lanes' in one vector call, lane by lane the one-label objective's
        /// arithmetic), then its slopes times its entries added to those entries' gradient
        /// sums. Each feature's sum starts at its weight and adds its rows in ascending order,
        /// the order of ``LogisticRegression``'s objective, so the bits are the same; no
        /// transpose of the matrix and no per-row slopes are kept.
        /// - Complexity: O(stored entries + features) per evaluation.
        mutating func evaluate(_ lanes: inout [Lane?]) -> [Double] {
            let featureCount = features.columnCount
            var valueSums = Lanes.zero
            var biases = Lanes.zero
            let occupied = lanes.indices.filter { lanes[$0] != nil }
            var occupiedMask = SIMDMask<Lanes.MaskStorage>()
            for slot in occupied { occupiedMask[slot] = true }
            let emptyMask = .!occupiedMask
            packed.withUnsafeMutableBufferPointer { packed in
                for slot in lanes.indices {
                    guard let lane = lanes[slot] else {
                        for feature in 0..<featureCount { packed[2 &* feature][slot] = 0 }
                        continue
                    }
                    lane.minimization.point.withUnsafeBufferPointer { point in
                        for feature in 0..<featureCount { packed[2 &* feature][slot] = point[feature] }
                        biases[slot] = point[featureCount]
                        // Regularisation term ½‖w‖², as LogisticRegression.objective computes it.
                        valueSums[slot] = 0.5 * FixedOrderVector.dot(point.baseAddress!, point.baseAddress!, count: featureCount)
                    }
                }
                // The gradient w + Xᵀ·slope: each sum starts at its weight.
                for feature in 0..<featureCount { packed[2 &* feature &+ 1] = packed[2 &* feature] }
            }
            var biasGradients = Lanes.zero
            packed.withUnsafeMutableBufferPointer { packed in
                targetBits.withUnsafeBufferPointer { targetBits in
                    signsByBits.withUnsafeBufferPointer { signs in
                        rowWeightsByBits.withUnsafeBufferPointer { rowWeights in
                            rows.withUnsafeBufferPointer { rows in
                                features.withUnsafeBuffers { starts, columns, entries in
                                    for position in 0..<rows.count {
                                        let row = Int(rows[position])
                                        let first = starts[row], end = starts[row + 1]
                                        var margins = biases
                                        for entry in first..<end {
                                            margins = margins + Lanes(repeating: Double(entries[entry])) * packed[2 &* Int(columns[entry])]
                                        }
                                        let bits = Int(targetBits[position])
                                        let (losses, rowSlopes) = Lanes.logisticLoss(margin: margins, sign: signs[bits], weight: rowWeights[bits])
                                        valueSums += losses
                                        let nonzero = rowSlopes .!= 0
                                        biasGradients.replace(with: biasGradients + rowSlopes, where: nonzero)
                                        if all(nonzero .| emptyMask) {
                                            for entry in first..<end {
                                                let sum = 2 &* Int(columns[entry]) &+ 1
                                                packed[sum] = packed[sum] + rowSlopes * Lanes(repeating: Double(entries[entry]))
                                            }
                                        } else {
                                            // A zero slope (a saturated row) adds nothing, as in
                                            // the one-label objective: its ±0 term could flip the
                                            // sign of a zero sum. Empty lanes' sums are never read.
                                            for entry in first..<end {
                                                let sum = 2 &* Int(columns[entry]) &+ 1
                                                packed[sum].replace(with: packed[sum] + rowSlopes * Lanes(repeating: Double(entries[entry])),
                                                                    where: nonzero)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            packed.withUnsafeBufferPointer { packed in
                for slot in occupied {
                    lanes[slot]!.minimization.gradientAtPoint.withUnsafeMutableBufferPointer { gradient in
                        for feature in 0..<featureCount { gradient[feature] = packed[2 &* feature &+ 1][slot] }
                        gradient[featureCount] = biasGradients[slot]
                    }
                }
            }
            return (0..<Lanes.scalarCount).map { valueSums[$0] }
        }
    }
}

/// Lanes of doubles the lockstep fits can run on: the one-example logistic loss and slope of
/// ``LogisticRegression`` for every lane at once, lane by lane its bits.
protocol LogisticLanes: SIMD where Scalar == Double {
    static func logisticLoss(margin: Self, sign: Self, weight: Self) -> (loss: Self, slope: Self)
}

extension SIMD4: LogisticLanes where Scalar == Double {
    @inline(__always)
    static func logisticLoss(margin: Self, sign: Self, weight: Self) -> (loss: Self, slope: Self) {
        LogisticRegression.loss(margin: margin, sign: sign, weight: weight)
    }
}

extension SIMD8: LogisticLanes where Scalar == Double {
    /// The four-lane loss on each half.
    @inline(__always)
    static func logisticLoss(margin: Self, sign: Self, weight: Self) -> (loss: Self, slope: Self) {
        let low = LogisticRegression.loss(margin: margin.lowHalf, sign: sign.lowHalf, weight: weight.lowHalf)
        let high = LogisticRegression.loss(margin: margin.highHalf, sign: sign.highHalf, weight: weight.highHalf)
        return (Self(lowHalf: low.loss, highHalf: high.loss), Self(lowHalf: low.slope, highHalf: high.slope))
    }
}
