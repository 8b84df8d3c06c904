import Foundation

/// Fits many binary logistic regressions on one matrix at once: each thread keeps four or
/// eight fits in flight ("lanes") and evaluates all their objectives in one pass over the
/// matrix, with a feature's weights for every lane side by side in memory.
///
/// Why: one fit's passes are bound by scattered memory reads (a weight per stored entry,
/// then a row slope per stored entry), not by arithmetic; reading four or eight adjacent
/// weights costs about as much as reading one. When a fit finishes, its lane takes the next
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
    /// One fit to run: its targets and an optional warm start.
    struct Task: Sendable {
        var targets: [Bool]
        var initial: LogisticRegression.Model?
    }

    /// Fits every task on `features` (whose transpose is `transposed`) and hands each finished
    /// model to `finish`, on the thread that fitted it; returns `finish`'s results in task order.
    /// `wideLanes` chooses eight lanes (true) or four (false) instead of the rule above; the
    /// models are the same either way.
    ///
    /// `gradientBlockRows` overrides how many rows' slopes the gradient pass reads per sweep over
    /// the features (see ``Runner/gradientBlockRows``); for tests, the models are the same
    /// whatever it is.
    static func fit<R: Sendable>(_ logistic: LogisticRegression, features: SparseMatrix, transposed: SparseMatrix,
                                 tasks: [Task], wideLanes: Bool? = nil, gradientBlockRows: Int? = nil,
                                 finish: @Sendable (Int, LogisticRegression.Model) -> R) -> [R] {
        let queue = TaskQueue(count: tasks.count)
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: tasks.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let box = UncheckedSendable(results)
        let wide = wideLanes ?? (tasks.count >= SIMD8<Double>.scalarCount * Parallel.workerCount)
        let laneCount = wide ? SIMD8<Double>.scalarCount : SIMD4<Double>.scalarCount
        let workers = min(Parallel.workerCount, max(1, (tasks.count + laneCount - 1) / laneCount))
        Parallel.forEach(workers) { _ in
            if wide {
                var runner = Runner<SIMD8<Double>>(logistic: logistic, features: features, transposed: transposed,
                                                   gradientBlockRows: gradientBlockRows)
                runner.run(tasks: tasks, queue: queue) { index, model in box.value[index] = finish(index, model) }
            } else {
                var runner = Runner<SIMD4<Double>>(logistic: logistic, features: features, transposed: transposed,
                                                   gradientBlockRows: gradientBlockRows)
                runner.run(tasks: tasks, queue: queue) { index, model in box.value[index] = finish(index, model) }
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
        let transposed: SparseMatrix
        /// Feature-major weights: `packedWeights[f][lane]`.
        var packedWeights: [Lanes]
        var packedGradient: [Lanes]
        /// Per row, each lane's slope dℓ/dmargin.
        var packedSlopes: [Lanes]
        /// Per row, bit `slot` set when lane `slot`'s target is positive. A lane's sign (±1) and
        /// loss weight C·cᵢ follow from its target alone, so a row needs a byte here, not two
        /// vectors (128 bytes a row and thread with eight lanes: 127 MB at half a million rows).
        var targetBits: [UInt8]
        /// For every pattern of target bits, each lane's sign and loss weight: the rows' values
        /// are looked up, not stored (the same numbers, so the same bits).
        var signsByBits: [Lanes]
        var rowWeightsByBits: [Lanes]
        /// The gradient pass sweeps the features once per block of this many rows, reading
        /// only that block's slopes, so they stay in cache. Without blocks the pass reads every
        /// row's slopes in each feature's column: at half a million rows those are 32 MB per
        /// thread, past this machine's 32 MiB L3 for two threads, and a training's CPU per story
        /// doubled from 16× to 64× Reuters with only 13% more objective evaluations. Each
        /// feature's sum still adds its rows in ascending order, block after block: the same
        /// bits whatever the block. Blocks cost a sweep over the gradient each, so there are
        /// none while the slopes fit (8 MB at 16× Reuters ran 16% slower in 1 MiB blocks).
        let gradientBlockRows: Int
        /// Per feature, the first entry of its column not yet summed (scratch for the blocks).
        var blockCursors: [Int] = []

        init(logistic: LogisticRegression, features: SparseMatrix, transposed: SparseMatrix, gradientBlockRows: Int? = nil) {
            self.logistic = logistic
            self.features = features
            self.transposed = transposed
            // Blocks of 4 MiB of slopes, and only once the slopes pass 16 MiB.
            let rowsPerBlock = (4 << 20) / MemoryLayout<Lanes>.stride
            let blocks = features.rowCount * MemoryLayout<Lanes>.stride > 16 << 20
            self.gradientBlockRows = max(1, gradientBlockRows ?? (blocks ? rowsPerBlock : Int.max))
            packedWeights = [Lanes](repeating: .zero, count: features.columnCount)
            packedGradient = packedWeights
            packedSlopes = [Lanes](repeating: .zero, count: features.rowCount)
            targetBits = [UInt8](repeating: 0, count: features.rowCount)
            signsByBits = [Lanes](repeating: .zero, count: 1 << Lanes.scalarCount)
            rowWeightsByBits = signsByBits
        }

        mutating func run(tasks: [Task], queue: TaskQueue, finished: (Int, LogisticRegression.Model) -> Void) {
            let featureCount = features.columnCount
            var lanes = [Lane?](repeating: nil, count: Lanes.scalarCount)
            while true {
                for slot in lanes.indices where lanes[slot] == nil {
                    guard let index = queue.take() else { break }
                    let task = tasks[index]
                    precondition(task.targets.count == features.rowCount, "one target per row")
                    let classWeights = logistic.classWeights(for: task.targets)
                    let bit = UInt8(1) << slot
                    for row in 0..<features.rowCount {
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
        mutating func evaluate(_ lanes: inout [Lane?]) -> [Double] {
            let featureCount = features.columnCount
            let rowCount = features.rowCount
            var valueSums = Lanes.zero
            var biases = Lanes.zero
            let occupied = lanes.indices.filter { lanes[$0] != nil }
            var occupiedMask = SIMDMask<Lanes.MaskStorage>()
            for slot in occupied { occupiedMask[slot] = true }
            packedWeights.withUnsafeMutableBufferPointer { packed in
                for slot in lanes.indices {
                    guard let lane = lanes[slot] else {
                        for feature in 0..<featureCount { packed[feature][slot] = 0 }
                        continue
                    }
                    lane.minimization.point.withUnsafeBufferPointer { point in
                        for feature in 0..<featureCount { packed[feature][slot] = point[feature] }
                        biases[slot] = point[featureCount]
                        // Regularisation term ½‖w‖², as LogisticRegression.objective computes it.
                        valueSums[slot] = 0.5 * FixedOrderVector.dot(point.baseAddress!, point.baseAddress!, count: featureCount)
                    }
                }
            }
            var biasGradients = Lanes.zero
            var anyZeroSlope = false
            // Pass 1, over the rows: margins, losses and slopes, the four lanes' losses in one
            // vector call (lane by lane the one-label objective's arithmetic). Empty lanes
            // compute on zero weights and are never read; only occupied lanes can flag a zero slope.
            packedWeights.withUnsafeBufferPointer { w in
                packedSlopes.withUnsafeMutableBufferPointer { slopes in
                    targetBits.withUnsafeBufferPointer { targetBits in
                        signsByBits.withUnsafeBufferPointer { signs in
                            rowWeightsByBits.withUnsafeBufferPointer { rowWeights in
                                features.withUnsafeBuffers { starts, columns, entries in
                                    for row in 0..<rowCount {
                                        var margins = biases
                                        for entry in starts[row]..<starts[row + 1] {
                                            margins = margins + Lanes(repeating: Double(entries[entry])) * w[Int(columns[entry])]
                                        }
                                        let bits = Int(targetBits[row])
                                        let (losses, rowSlopes) = Lanes.logisticLoss(margin: margins, sign: signs[bits], weight: rowWeights[bits])
                                        valueSums += losses
                                        let nonzero = rowSlopes .!= 0
                                        biasGradients.replace(with: biasGradients + rowSlopes, where: nonzero)
                                        if any(occupiedMask .& .!nonzero) { anyZeroSlope = true }
                                        slopes[row] = rowSlopes
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Pass 2, over the columns: gradient w + Xᵀ·slope, rows in ascending order, in
            // blocks of rows when there are many (see gradientBlockRows).
            if rowCount > gradientBlockRows && blockCursors.count != featureCount {
                blockCursors = [Int](repeating: 0, count: featureCount)
            }
            var blockStart = 0
            repeat {
                let blockEnd = rowCount - blockStart > gradientBlockRows ? blockStart + gradientBlockRows : rowCount
                gradientBlock(rows: blockStart..<blockEnd, of: rowCount, skippingZeroSlopes: anyZeroSlope)
                blockStart = blockEnd
            } while blockStart < rowCount
            packedGradient.withUnsafeBufferPointer { packed in
                for slot in occupied {
                    lanes[slot]!.minimization.gradientAtPoint.withUnsafeMutableBufferPointer { gradient in
                        for feature in 0..<featureCount { gradient[feature] = packed[feature][slot] }
                        gradient[featureCount] = biasGradients[slot]
                    }
                }
            }
            return (0..<Lanes.scalarCount).map { valueSums[$0] }
        }

        /// Adds to each feature's gradient sum (starting from its weight in the first block) the
        /// products of its column's entries in `block`, one of the consecutive blocks that cover
        /// the `rowCount` rows; ``blockCursors`` carries each column's position from one block to
        /// the next. A zero slope (a saturated row) is skipped when `skippingZeroSlopes`, as in
        /// the one-label objective: adding its ±0 term could flip the sign of a zero sum. Without
        /// zero slopes the mask would keep every term of the occupied lanes (empty lanes' sums
        /// are never read), and the blend it costs was ~4% of training on Reuters.
        private mutating func gradientBlock(rows block: Range<Int>, of rowCount: Int, skippingZeroSlopes: Bool) {
            let featureCount = features.columnCount
            let first = block.lowerBound == 0, last = block.upperBound == rowCount
            let end = Int32(truncatingIfNeeded: block.upperBound)
            packedWeights.withUnsafeBufferPointer { w in
                packedSlopes.withUnsafeBufferPointer { slopes in
                    packedGradient.withUnsafeMutableBufferPointer { gradient in
                        blockCursors.withUnsafeMutableBufferPointer { cursors in
                            transposed.withUnsafeBuffers { starts, rows, entries in
                                for feature in 0..<featureCount {
                                    var sum = first ? w[feature] : gradient[feature]
                                    var entry = first ? starts[feature] : cursors[feature]
                                    // The block's part of the column: its rows ascend, so it ends
                                    // at the first row at or past the block's end.
                                    var stop = starts[feature + 1]
                                    if !last {
                                        let columnEnd = stop
                                        stop = entry
                                        while stop < columnEnd && rows[stop] < end { stop &+= 1 }
                                    }
                                    if skippingZeroSlopes {
                                        while entry < stop {
                                            let rowSlopes = slopes[Int(rows[entry])]
                                            sum.replace(with: sum + rowSlopes * Lanes(repeating: Double(entries[entry])), where: rowSlopes .!= 0)
                                            entry &+= 1
                                        }
                                    } else {
                                        while entry < stop {
                                            sum = sum + slopes[Int(rows[entry])] * Lanes(repeating: Double(entries[entry]))
                                            entry &+= 1
                                        }
                                    }
                                    if !last { cursors[feature] = entry }
                                    gradient[feature] = sum
                                }
                            }
                        }
                    }
                }
            }
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
