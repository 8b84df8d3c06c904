/// Fits many binary logistic regressions at once on one thread by dual coordinate descent
/// (Yu, Huang & Lin 2011, the method of LIBLINEAR's `-s 7`): the solver of
/// ``LogisticRegression/Solver/dualCoordinateDescent``.
///
/// The problem is LIBLINEAR's: minimise ½‖w‖² + ½b² + Σᵢ Cᵢ·log(1 + exp(−yᵢ(w·xᵢ + b))), the
/// bias a weight on a constant feature 1. Its dual has one variable αᵢ ∈ (0, Cᵢ) per story, and
/// w = Σᵢ αᵢyᵢxᵢ. An epoch visits the stories in a seeded random order; for each it reads the
/// story's decision values, solves each fit's one-variable dual problem by Newton steps, and
/// adds the changes times the story to the weights. A fit stops after the epoch whose largest
/// dual gradient is below the tolerance.
///
/// Why many in step ("lanes", in vectors of eight): a story's decision values and its update
/// read and write one feature's weights for every lane, side by side in memory, so the
/// scattered reads that bound a sparse pass are shared by all the fits (with Reuters' 90
/// labels on one thread, one scattered read of a feature's weights per stored entry instead of ninety).
///
/// Each lane's arithmetic depends on nothing of another lane's (the visiting order is drawn
/// from the seed alone, the same for every lane, and a lane that did not move adds nothing),
/// so a label's model has the same bits whichever labels share its block and however many
/// threads run the blocks. ``PortableMath`` gives the logarithms the same bits on every CPU.
struct DualCoordinateDescentFits {
    typealias Vector = SIMD8<Double>
    typealias Mask = SIMDMask<Vector.MaskStorage>
    /// Lanes per vector.
    static let vectorWidth = Vector.scalarCount

    let features: SparseMatrix
    /// Per row, xᵢ·xᵢ + 1 (the bias feature): the curvature of the row's dual variable.
    let curvatures: [Double]
    /// The rows fitted, ascending.
    let rows: [Int32]
    /// Vectors of lanes: `lanes` = 8 × `vectors`.
    let vectors: Int
    /// How many lanes hold a fit (the rest idle).
    let occupied: Int
    /// Per fitted row, per vector, bit `slot` set when lane 8·vector + slot's target is positive.
    let targetBits: [UInt8]
    /// Each lane's upper bound Cᵢ for a negative and for a positive row: C times the class weight.
    let negativeBounds: [Vector], positiveBounds: [Vector]

    /// Feature-major weights, the bias last: feature f's lanes are `weights[f·vectors ..< (f + 1)·vectors]`.
    private(set) var weights: [Vector]
    /// Per fitted row, each lane's αᵢ and Cᵢ − αᵢ (`alphas[position · lanes + lane]`), both kept
    /// so that whichever is small is exact (LIBLINEAR's device: log(α / (C − α)) needs it precisely).
    private(set) var alphas: [Double], complements: [Double]
    /// Epochs each lane ran.
    private(set) var epochs: [Int]

    var lanes: Int { vectors * Self.vectorWidth }

    /// Each row's xᵢ·xᵢ + 1, which every fit on `features` shares.
    /// - Complexity: O(stored entries).
    static func curvatures(_ features: SparseMatrix) -> [Double] {
        features.withUnsafeBuffers { starts, _, values in
            (0..<features.rowCount).map { row in
                var sum = 1.0
                for entry in starts[row]..<starts[row + 1] { sum += Double(values[entry]) * Double(values[entry]) }
                return sum
            }
        }
    }

    /// A block of `targets.count` fits (lanes, in vectors of eight) on `rows` (ascending) of
    /// `features`, one target per fitted row each, at LIBLINEAR's starting point: every αᵢ =
    /// min(0.001·Cᵢ, 1e-8).
    /// - Complexity: O((stored entries of `rows` + features) × vectors) to set up.
    init(_ logistic: LogisticRegression, features: SparseMatrix, curvatures: [Double], rows: [Int32], targets: [[Bool]]) {
        precondition(!targets.isEmpty && targets.allSatisfy { $0.count == rows.count }, "at least one fit, one target per row")
        self.features = features
        self.curvatures = curvatures
        self.rows = rows
        let vectors = (targets.count + Self.vectorWidth - 1) / Self.vectorWidth
        self.vectors = vectors
        occupied = targets.count
        epochs = [Int](repeating: 0, count: vectors * Self.vectorWidth)
        var bits = [UInt8](repeating: 0, count: rows.count * vectors)
        var negative = [Vector](repeating: Vector(repeating: 1), count: vectors), positive = negative
        for (lane, laneTargets) in targets.enumerated() {
            let (vector, slot) = lane.quotientAndRemainder(dividingBy: Self.vectorWidth)
            for (position, target) in laneTargets.enumerated() where target { bits[position * vectors + vector] |= UInt8(1) << slot }
            let classWeights = logistic.classWeights(for: laneTargets)
            negative[vector][slot] = logistic.c * classWeights.negative
            positive[vector][slot] = logistic.c * classWeights.positive
        }
        targetBits = bits
        negativeBounds = negative
        positiveBounds = positive
        let lanes = vectors * Self.vectorWidth
        alphas = [Double](repeating: 0, count: rows.count * lanes)
        complements = alphas
        weights = [Vector](repeating: .zero, count: (features.columnCount + 1) * vectors)
        for position in rows.indices {
            var change = [Vector](repeating: .zero, count: vectors)
            for vector in 0..<vectors {
                let positiveMask = Self.mask(bits[position * vectors + vector])
                let bound = negative[vector].replacing(with: positive[vector], where: positiveMask)
                let alpha = (0.001 * bound).replacing(with: Vector(repeating: 1e-8), where: 0.001 * bound .> 1e-8)
                let complement = bound - alpha
                for slot in 0..<Self.vectorWidth {
                    alphas[position * lanes + vector * Self.vectorWidth + slot] = alpha[slot]
                    complements[position * lanes + vector * Self.vectorWidth + slot] = complement[slot]
                }
                change[vector] = alpha * Vector(repeating: -1).replacing(with: 1, where: positiveMask)
            }
            // w = Σ αᵢyᵢxᵢ over the fitted rows, in ascending order.
            add(change, row: Int(rows[position]))
        }
    }

    /// The lanes whose bit is set in `bits`.
    @inline(__always)
    static func mask(_ bits: UInt8) -> Mask {
        var mask = Mask()
        for slot in 0..<vectorWidth { mask[slot] = bits & (UInt8(1) << slot) != 0 }
        return mask
    }

    /// Adds `change` times row `row` (and the bias feature's 1) to the weights.
    ///
    /// Every lane, also those that did not move (their change is ±0): a weight starts at +0
    /// and round-to-nearest never makes a sum −0 from a +0 or nonzero operand, so adding a
    /// zero leaves its bits as they are, whichever other lanes moved.
    @inline(__always)
    private mutating func add(_ change: [Vector], row: Int) {
        let vectors = vectors, biasFeature = features.columnCount
        weights.withUnsafeMutableBufferPointer { weights in
            change.withUnsafeBufferPointer { change in
                features.withUnsafeBuffers { starts, columns, values in
                    Self.add(change.baseAddress!, vectors: vectors, vectorIndices: 0..<vectors, row: row, biasFeature: biasFeature,
                             weights: weights.baseAddress!, starts: starts, columns: columns, values: values)
                }
            }
        }
    }

    /// ``add(_:row:)`` for the vectors `vectorIndices` only.
    @inline(__always)
    private static func add(_ change: UnsafePointer<Vector>, vectors: Int, vectorIndices: some Collection<Int>, row: Int, biasFeature: Int,
                            weights: UnsafeMutablePointer<Vector>,
                            starts: UnsafeBufferPointer<Int>, columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        for entry in starts[row]..<starts[row + 1] {
            let base = weights + Int(columns[entry]) &* vectors
            let value = Vector(repeating: Double(values[entry]))
            for vector in vectorIndices { base[vector] = base[vector] + change[vector] * value }
        }
        let bias = weights + biasFeature &* vectors
        for vector in vectorIndices { bias[vector] = bias[vector] + change[vector] }
    }

    /// Every lane's w·x + b for row `row` of the matrix (the entries in order, then the bias),
    /// written to `sums` (one vector per vector of lanes).
    @inline(__always)
    func decisionValues(row: Int, into sums: inout [Vector]) {
        let vectors = vectors, biasFeature = features.columnCount
        weights.withUnsafeBufferPointer { weights in
            sums.withUnsafeMutableBufferPointer { sums in
                features.withUnsafeBuffers { starts, columns, values in
                    Self.decisionValues(row: row, vectors: vectors, vectorIndices: 0..<vectors, biasFeature: biasFeature, weights: weights.baseAddress!,
                                        starts: starts, columns: columns, values: values, into: sums.baseAddress!)
                }
            }
        }
    }

    /// ``decisionValues(row:into:)`` for the vectors `vectorIndices` only.
    @inline(__always)
    private static func decisionValues(row: Int, vectors: Int, vectorIndices: some Collection<Int>, biasFeature: Int, weights: UnsafePointer<Vector>,
                                       starts: UnsafeBufferPointer<Int>, columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>,
                                       into sums: UnsafeMutablePointer<Vector>) {
        for vector in vectorIndices { sums[vector] = .zero }
        for entry in starts[row]..<starts[row + 1] {
            let base = weights + Int(columns[entry]) &* vectors
            let value = Vector(repeating: Double(values[entry]))
            for vector in vectorIndices { sums[vector] = sums[vector] + value * base[vector] }
        }
        let bias = weights + biasFeature &* vectors
        for vector in vectorIndices { sums[vector] = sums[vector] + bias[vector] }
    }

    /// Runs epochs until every lane's largest dual gradient of an epoch is below `tolerance`, or
    /// `maxEpochs` epochs. Epoch *e* visits the rows in the *e*-th order drawn from `seed`.
    /// - Complexity: O(stored entries of the rows × vectors × epochs), plus the Newton steps.
    mutating func solve(tolerance: Double, maxEpochs: Int, seed: UInt64) {
        let rowCount = rows.count, vectors = vectors, lanes = lanes, biasFeature = features.columnCount
        var order = Array(0..<Int32(truncatingIfNeeded: rowCount))
        var generator = SeededGenerator(seed: seed)
        // Per lane: the bounds, the Newton solves' own tolerance (tightened as the epochs need
        // fewer steps, LIBLINEAR's rule), and an epoch's largest gradient and Newton steps.
        // Raw buffers: they are read and written inside the epoch's pointer closures.
        let negativeBound = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes)
        let positiveBound = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes)
        let innerTolerance = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes)
        let largestGradient = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes)
        let newtonSteps = UnsafeMutableBufferPointer<Int>.allocate(capacity: lanes)
        defer { [negativeBound, positiveBound, innerTolerance, largestGradient].forEach { $0.deallocate() }; newtonSteps.deallocate() }
        for lane in 0..<lanes {
            negativeBound[lane] = negativeBounds[lane / Self.vectorWidth][lane % Self.vectorWidth]
            positiveBound[lane] = positiveBounds[lane / Self.vectorWidth][lane % Self.vectorWidth]
            innerTolerance[lane] = 1e-2
        }
        let smallestInnerTolerance = min(tolerance, 1e-8)
        var decisions = [Vector](repeating: .zero, count: vectors)
        var change = [Vector](repeating: .zero, count: vectors)
        var activeLanes = Array(0..<occupied)
        var epoch = 0
        while epoch < maxEpochs && !activeLanes.isEmpty {
            epoch += 1
            // Fisher–Yates with the seeded generator (not the standard library's shuffle, whose
            // algorithm is not promised to stay the same).
            var last = rowCount - 1
            while last > 0 {
                order.swapAt(last, Int(generator.next() % UInt64(last + 1)))
                last -= 1
            }
            for lane in 0..<lanes { largestGradient[lane] = 0; newtonSteps[lane] = 0 }
            // Only the vectors that hold a running lane are read and written: once most fits have
            // stopped, an epoch costs what the rest need.
            var runningVectors: [Int] = []
            for lane in activeLanes where runningVectors.last != lane / Self.vectorWidth { runningVectors.append(lane / Self.vectorWidth) }
            // One set of raw pointers for the epoch: the Newton solves touch several arrays per
            // lane and row, and checked subscripts on each cost more than the solves.
            weights.withUnsafeMutableBufferPointer { weights in
            alphas.withUnsafeMutableBufferPointer { alphas in
            complements.withUnsafeMutableBufferPointer { complements in
            features.withUnsafeBuffers { starts, columns, values in
            curvatures.withUnsafeBufferPointer { curvatures in
            targetBits.withUnsafeBufferPointer { targetBits in
            rows.withUnsafeBufferPointer { rows in
            decisions.withUnsafeMutableBufferPointer { decisionVectors in
            change.withUnsafeMutableBufferPointer { changeVectors in
            activeLanes.withUnsafeBufferPointer { activeLanes in
            runningVectors.withUnsafeBufferPointer { runningVectorIndices in
                let decisions = UnsafeMutableRawPointer(decisionVectors.baseAddress!).assumingMemoryBound(to: Double.self)
                let changes = UnsafeMutableRawPointer(changeVectors.baseAddress!).assumingMemoryBound(to: Double.self)
                for position in order {
                    let position = Int(position)
                    let row = Int(rows[position])
                    Self.decisionValues(row: row, vectors: vectors, vectorIndices: runningVectorIndices, biasFeature: biasFeature,
                                        weights: UnsafePointer(weights.baseAddress!),
                                        starts: starts, columns: columns, values: values, into: decisionVectors.baseAddress!)
                    let curvature = curvatures[row]
                    var anyMoved = false
                    for vector in runningVectorIndices { changeVectors[vector] = .zero }
                    let rowAlphas = alphas.baseAddress! + position &* lanes, rowComplements = complements.baseAddress! + position &* lanes
                    let rowBits = targetBits.baseAddress! + position &* vectors
                    for lane in activeLanes {
                        let positive = rowBits[lane &>> 3] & (UInt8(1) << (lane & 7)) != 0
                        let sign = positive ? 1.0 : -1.0
                        let bound = positive ? positiveBound[lane] : negativeBound[lane]
                        let margin = sign * decisions[lane]
                        let alpha = rowAlphas[lane], complement = rowComplements[lane]
                        // Solve for whichever of α and C − α ends up the smaller.
                        let solvesComplement = 0.5 * curvature * (complement - alpha) + margin < 0
                        let direction = solvesComplement ? -1.0 : 1.0
                        let old = solvesComplement ? complement : alpha
                        var z = old
                        if bound - z < 0.5 * bound { z = 0.1 * z }
                        var gradient = curvature * (z - old) + direction * margin + PortableMath.log(z / (bound - z))
                        largestGradient[lane] = max(largestGradient[lane], abs(gradient))
                        var steps = 0
                        while steps <= 100 && abs(gradient) >= innerTolerance[lane] {
                            let next = z - gradient / (curvature + bound / (bound - z) / z)
                            z = next <= 0 ? 0.1 * z : next
                            gradient = curvature * (z - old) + direction * margin + PortableMath.log(z / (bound - z))
                            steps += 1
                        }
                        newtonSteps[lane] += steps
                        guard steps > 0 else { continue }
                        rowAlphas[lane] = solvesComplement ? bound - z : z
                        rowComplements[lane] = solvesComplement ? z : bound - z
                        changes[lane] = direction * (z - old) * sign
                        anyMoved = true
                    }
                    if anyMoved {
                        Self.add(UnsafePointer(changeVectors.baseAddress!), vectors: vectors, vectorIndices: runningVectorIndices, row: row, biasFeature: biasFeature,
                                 weights: weights.baseAddress!, starts: starts, columns: columns, values: values)
                    }
                }
            }
            }
            }
            }
            }
            }
            }
            }
            }
            }
            }
            for lane in activeLanes {
                epochs[lane] += 1
                if newtonSteps[lane] <= rowCount / 10 { innerTolerance[lane] = max(smallestInnerTolerance, 0.1 * innerTolerance[lane]) }
            }
            activeLanes.removeAll { largestGradient[$0] < tolerance }
        }
    }

    /// Each occupied lane's model: its weights, bias, primal objective and epochs.
    /// - Complexity: O((stored entries of the fitted rows + features) × vectors).
    func models() -> [LogisticRegression.Model] {
        let featureCount = features.columnCount, vectors = vectors
        var objectives = [Double](repeating: 0, count: lanes)
        var squares = [Vector](repeating: .zero, count: vectors)
        for feature in 0...featureCount {
            for vector in 0..<vectors { squares[vector] += 0.5 * weights[feature * vectors + vector] * weights[feature * vectors + vector] }
        }
        var decisions = [Vector](repeating: .zero, count: vectors)
        var losses = [Vector](repeating: .zero, count: vectors)
        for (position, row) in rows.enumerated() {
            decisionValues(row: Int(row), into: &decisions)
            for vector in 0..<vectors {
                let positives = Self.mask(targetBits[position * vectors + vector])
                let (loss, _) = Vector.logisticLoss(margin: decisions[vector],
                                                    sign: Vector(repeating: -1).replacing(with: 1, where: positives),
                                                    weight: negativeBounds[vector].replacing(with: positiveBounds[vector], where: positives))
                losses[vector] += loss
            }
        }
        for lane in 0..<lanes {
            objectives[lane] = squares[lane / Self.vectorWidth][lane % Self.vectorWidth] + losses[lane / Self.vectorWidth][lane % Self.vectorWidth]
        }
        return (0..<occupied).map { lane in
            let (vector, slot) = (lane / Self.vectorWidth, lane % Self.vectorWidth)
            return LogisticRegression.Model(weights: (0..<featureCount).map { weights[$0 * vectors + vector][slot] },
                                            bias: weights[featureCount * vectors + vector][slot],
                                            loss: objectives[lane], iterations: epochs[lane])
        }
    }
}
