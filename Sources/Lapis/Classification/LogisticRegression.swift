import Foundation

/// How examples of the two classes are weighted in the loss.
public enum ClassWeighting: String, Sendable, Codable, CaseIterable {
    /// Every example counts once.
    case none
    /// Each class counts as much in total: weight n / (2·n_class), as scikit-learn's "balanced".
    case balanced
}

/// L2-regularised binary logistic regression, trained with L-BFGS (or, with
/// ``Solver/dualCoordinateDescent``, by dual coordinate descent with a regularised bias).
///
/// Minimises, over weights *w* and an unregularised bias *b*,
///
///     ½‖w‖² + C · Σᵢ cᵢ · log(1 + exp(−yᵢ (w·xᵢ + b)))
///
/// where yᵢ ∈ {−1, +1} and cᵢ is the class weight of example *i*. This is liblinear's
/// primal form, so `C` means the same as scikit-learn's `C`.
public struct LogisticRegression: Sendable, Equatable, Codable {
    /// The values of C for which the optimiser is meaningful. Far below, the loss vanishes
    /// beside the penalty and every weight is 0 (every probability 0.5, so everything is
    /// tagged); far above, the objective overflows and no step is ever accepted (an all-zero
    /// model again), as `-C 1e-30` and `-C 1e308` did before this bound.
    public static let usefulC: ClosedRange<Double> = 1e-3...1e5

    /// Inverse regularisation strength (larger fits the training data more closely).
    public var c: Double
    /// Class weighting.
    public var classWeighting: ClassWeighting
    /// Iteration limit of the optimiser.
    public var maxIterations: Int
    /// Gradient tolerance of the optimiser (relative to max(1, ‖w‖) for L-BFGS; the largest
    /// dual gradient of an epoch for dual coordinate descent).
    public var tolerance: Double
    /// The optimiser (L-BFGS unless chosen otherwise).
    public var solver: Solver

    /// Creates a trainer. Without a `tolerance`, the solver's ``Solver/defaultTolerance``.
    public init(c: Double = 10, classWeighting: ClassWeighting = .balanced, maxIterations: Int = 300, tolerance: Double? = nil,
                solver: Solver = .lbfgs) {
        self.c = c
        self.classWeighting = classWeighting
        self.maxIterations = maxIterations
        self.tolerance = tolerance ?? solver.defaultTolerance
        self.solver = solver
    }

    /// The iteration limits a user may set: at least one step, and few enough that a typo
    /// (an extra zero or two) does not turn a training run into hours.
    public static let usefulMaxIterations: ClosedRange<Int> = 1...10_000
    /// The tolerances a user may set. Below 1e-12 the test compares rounding noise; above 1,
    /// the first iterate (the zero model) passes it.
    public static let usefulTolerance: ClosedRange<Double> = 1e-12...1

    /// Checks ``c``, ``maxIterations`` and ``tolerance``, the options a user sets.
    /// - Throws: ``LapisError/invalidOption(_:value:allowed:)`` with ``OptionKey/regularization``,
    ///   ``OptionKey/maximumIterations`` or ``OptionKey/tolerance``.
    public func validate() throws {
        guard Self.usefulC.contains(c) else {
            throw LapisError.invalidOption(.regularization, value: "\(c)", allowed: "from \(Self.usefulC.lowerBound) to \(Int(Self.usefulC.upperBound))")
        }
        guard Self.usefulMaxIterations.contains(maxIterations) else {
            throw LapisError.invalidOption(.maximumIterations, value: "\(maxIterations)",
                                           allowed: "a whole number from \(Self.usefulMaxIterations.lowerBound) to \(Self.usefulMaxIterations.upperBound)")
        }
        guard Self.usefulTolerance.contains(tolerance) else {
            throw LapisError.invalidOption(.tolerance, value: "\(tolerance)",
                                           allowed: "from \(Self.usefulTolerance.lowerBound) to \(Int(Self.usefulTolerance.upperBound))")
        }
    }

    enum CodingKeys: String, CodingKey {
        case c = "C", classWeighting = "class_weight", maxIterations = "max_iterations", tolerance, solver
    }

    /// Writes the options; `solver` only when it is not L-BFGS, so models written before the
    /// choice existed (all L-BFGS) keep their bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(c, forKey: .c)
        try container.encode(classWeighting, forKey: .classWeighting)
        try container.encode(maxIterations, forKey: .maxIterations)
        try container.encode(tolerance, forKey: .tolerance)
        if solver != .lbfgs { try container.encode(solver, forKey: .solver) }
    }

    /// Reads the options; files without `solver` were fitted with L-BFGS.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        c = try container.decode(Double.self, forKey: .c)
        classWeighting = try container.decode(ClassWeighting.self, forKey: .classWeighting)
        maxIterations = try container.decode(Int.self, forKey: .maxIterations)
        tolerance = try container.decode(Double.self, forKey: .tolerance)
        solver = try container.decodeIfPresent(Solver.self, forKey: .solver) ?? .lbfgs
    }

    /// A trained binary model: P(positive | x) = σ(w·x + b).
    public struct Model: Sendable, Equatable {
        /// One weight per feature.
        public var weights: [Double]
        /// The bias (intercept).
        public var bias: Double
        /// The objective value reached.
        public var loss: Double
        /// Optimiser iterations used (epochs for dual coordinate descent).
        public var iterations: Int

        /// The decision value w·x + b of row `row` of `matrix`, whose columns are the
        /// model's features.
        public func decision(_ matrix: SparseMatrix, row: Int) -> Double {
            precondition(matrix.columnCount == weights.count, "one weight per column")
            // No features (an empty vocabulary): no pointer to read from, and nothing to add.
            guard !weights.isEmpty else { return bias }
            return weights.withUnsafeBufferPointer { matrix.dot(row: row, $0.baseAddress!) } + bias
        }
    }

    /// Fits the model to the rows of `features` with binary `targets` (true = positive). With
    /// L-BFGS, `initial` is a warm start; dual coordinate descent starts from its own dual
    /// point and ignores it (primal weights do not give the dual variables back).
    public func fit(_ features: SparseMatrix, targets: [Bool], initial: Model? = nil) -> Model {
        precondition(features.rowCount == targets.count, "one target per row")
        if solver == .dualCoordinateDescent {
            var fit = DualCoordinateDescentFits(self, features: features, curvatures: DualCoordinateDescentFits.curvatures(features),
                                                rows: (0..<features.rowCount).map { Int32(truncatingIfNeeded: $0) }, targets: [targets])
            fit.solve(tolerance: tolerance, maxEpochs: maxIterations, seed: Self.dualSeed)
            return fit.models()[0]
        }
        let exampleWeights = weights(for: targets)
        let result = optimiser.minimize(from: startingPoint(featureCount: features.columnCount, initial: initial)) { parameters, gradient in
            objective(features, targets: targets, exampleWeights: exampleWeights, parameters: parameters, gradient: &gradient)
        }
        return model(from: result, featureCount: features.columnCount)
    }

    /// The seed of the visiting order of a dual fit made on its own (not by a trainer with a seed).
    static let dualSeed: UInt64 = 42

    /// The optimiser every fit uses.
    var optimiser: LBFGS {
        LBFGS(maxIterations: maxIterations, gradientTolerance: tolerance, relativeDecreaseTolerance: min(1e-9, tolerance * 1e-4))
    }

    /// Weights then bias: zero, or `initial`'s (a warm start).
    func startingPoint(featureCount: Int, initial: Model?) -> [Double] {
        var start = [Double](repeating: 0, count: featureCount + 1)
        if let initial {
            start.replaceSubrange(0..<featureCount, with: initial.weights)
            start[featureCount] = initial.bias
        }
        return start
    }

    func model(from result: LBFGS.Result, featureCount: Int) -> Model {
        Model(weights: Array(result.solution[0..<featureCount]), bias: result.solution[featureCount],
              loss: result.value, iterations: result.iterations)
    }

    /// The per-example loss weights cᵢ.
    func weights(for targets: [Bool]) -> [Double] {
        let (positiveWeight, negativeWeight) = classWeights(for: targets)
        return targets.map { $0 ? positiveWeight : negativeWeight }
    }

    /// The weight of a positive and of a negative example with these `targets`: an example's
    /// weight depends on its class alone.
    func classWeights(for targets: [Bool]) -> (positive: Double, negative: Double) {
        switch classWeighting {
        case .none:
            return (1, 1)
        case .balanced:
            let positives = targets.lazy.filter { $0 }.count
            let negatives = targets.count - positives
            let total = Double(targets.count)
            return (positives > 0 ? total / (2 * Double(positives)) : 1, negatives > 0 ? total / (2 * Double(negatives)) : 1)
        }
    }

    /// The objective and its gradient (weights first, bias last).
    ///
    /// One pass over the rows: a row's margin, loss and slope dℓ/dmargin, then the slope times
    /// the row's entries added to those features' gradient sums, which start at the weights
    /// (the gradient is w + Xᵀ·slope). Each feature's sum adds its rows in ascending order,
    /// as ``LockstepLogisticFits`` does lane by lane, so the two agree to the last bit.
    /// - Complexity: O(stored entries + features).
    func objective(_ features: SparseMatrix, targets: [Bool], exampleWeights: [Double],
                   parameters: [Double], gradient: inout [Double]) -> Double {
        let featureCount = features.columnCount
        precondition(parameters.count == featureCount + 1 && gradient.count == featureCount + 1, "weights and bias")
        // Regularisation term: ½‖w‖², gradient w (bias excluded).
        // `parameters` holds the weights and the bias, so it is never empty.
        let weightNormSquared = parameters.withUnsafeBufferPointer { FixedOrderVector.dot($0.baseAddress!, $0.baseAddress!, count: featureCount) }
        var value = 0.5 * weightNormSquared
        let bias = parameters[featureCount]
        var biasGradient = 0.0
        let rowCount = features.rowCount
        gradient.withUnsafeMutableBufferPointer { gradient in
            parameters.withUnsafeBufferPointer { w in
                for feature in 0..<featureCount { gradient[feature] = w[feature] }
                features.withUnsafeBuffers { starts, columns, values in
                    for row in 0..<rowCount {
                        let first = starts[row], end = starts[row + 1]
                        var margin = bias
                        for entry in first..<end { margin += Double(values[entry]) * w[Int(columns[entry])] }
                        let (loss, slope) = Self.loss(margin: margin, sign: targets[row] ? 1 : -1, weight: c * exampleWeights[row])
                        value += loss
                        // A zero slope adds nothing (its ±0 term could flip the sign of a zero sum).
                        guard slope != 0 else { continue }
                        biasGradient += slope
                        for entry in first..<end { gradient[Int(columns[entry])] += slope * Double(values[entry]) }
                    }
                }
            }
        }
        gradient[featureCount] = biasGradient
        return value
    }
}

extension LogisticRegression {
    /// One example's weighted loss `weight`·log(1 + e^(−z)) and its slope d/dmargin
    /// = −`weight`·y·σ(−z), where z = y·margin and y = `sign` (±1); computed without overflow.
    /// Shared by the one-label and the lockstep objectives so they agree to the last bit.
    @inline(__always)
    static func loss(margin: Double, sign: Double, weight: Double) -> (loss: Double, slope: Double) {
        let z = sign * margin
        let expNegative = PortableMath.exp(-abs(z))
        let softplus = PortableMath.log1p(expNegative)
        let loss = z > 0 ? softplus : -z + softplus
        let sigmoidNegative = (z > 0 ? expNegative : 1) / (1 + expNegative)
        return (weight * loss, -weight * sign * sigmoidNegative)
    }

    /// ``loss(margin:sign:weight:)`` for four examples (or four fits) at once, lane by lane
    /// the same operations and so the same bits.
    @inline(__always)
    static func loss(margin: SIMD4<Double>, sign: SIMD4<Double>, weight: SIMD4<Double>)
        -> (loss: SIMD4<Double>, slope: SIMD4<Double>) {
        let z = sign * margin
        let positive = z .> 0
        let expNegative = PortableMath.exp(-(z.replacing(with: -z, where: z .< 0)))
        let softplus = PortableMath.log1p(expNegative)
        let loss = (-z + softplus).replacing(with: softplus, where: positive)
        let sigmoidNegative = SIMD4<Double>(repeating: 1).replacing(with: expNegative, where: positive) / (1 + expNegative)
        return (weight * loss, -weight * sign * sigmoidNegative)
    }
}

/// The logistic function 1 / (1 + e^(−x)), with ``PortableMath`` so a probability printed or
/// compared with a threshold is the same on every CPU.
@inline(__always)
func sigmoid(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + PortableMath.exp(-x)) }
    let e = PortableMath.exp(x)
    return e / (1 + e)
}
