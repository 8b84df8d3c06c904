/// Limited-memory BFGS minimisation of a smooth function, with a backtracking (Armijo) line
/// search. All vector arithmetic goes through ``FixedOrderVector``, so the iterates are the same
/// bits on every CPU.
struct LBFGS {
    /// Number of correction pairs kept.
    var memory = 10
    /// Maximum number of iterations.
    var maxIterations = 200
    /// Stop when ‖∇f‖ ≤ gradientTolerance · max(1, ‖x‖).
    var gradientTolerance = 1e-5
    /// Stop when the relative decrease of f over one iteration is below this.
    var relativeDecreaseTolerance = 1e-9

    struct Result {
        var solution: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimises `objective`, which returns f(x) and writes ∇f(x) into its second argument.
    func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) -> Result {
        var run = Minimization(self, from: start)
        while true {
            let value = objective(run.point, &run.gradientAtPoint)
            if let result = run.receive(value: value) { return result }
        }
    }

    /// One minimisation driven from outside ("reverse communication"): it names the point it
    /// needs next, and the caller evaluates f and ∇f there. This lets a caller evaluate many
    /// independent minimisations in one pass over shared data (see `LockstepLogisticFits`).
    /// ``minimize(from:_:)`` is this loop with a single objective, so both give the same
    /// iterates to the last bit.
    struct Minimization {
        /// Armijo's sufficient-decrease constant c₁ of the backtracking line search: a step
        /// is taken when f falls by at least c₁ · step · slope (the usual 1e-4).
        static let sufficientDecrease = 1e-4
        /// Each rejected trial halves the step.
        static let backtrackingFactor = 0.5
        /// After this many halvings (a step of 2⁻⁴⁰) the search gives up: no descent is left
        /// at double precision.
        static let maximumHalvings = 40
        /// Correction pairs whose curvature sᵀy is not clearly positive are skipped, which
        /// keeps the inverse-Hessian approximation positive definite.
        static let minimumCurvature = 1e-12

        let settings: LBFGS
        /// The point at which f and ∇f are wanted next.
        private(set) var point: [Double]
        /// Where the caller writes ∇f(`point`) before calling ``receive(value:)``.
        var gradientAtPoint: [Double]

        private var x: [Double]
        private var value = 0.0
        private var gradient: [Double]
        private var gradientNorm = 0.0
        /// ∇fᵀ∇f and xᵀx at `x`, from the pass that accepted it (see ``receive(value:)``).
        private var gradientNormSquared = 0.0
        private var xNormSquared = 0.0
        /// The last `memory` correction pairs, oldest first.
        private var pairs: [CorrectionPair] = []
        /// Buffers of evicted or rejected pairs, reused so that an iteration allocates nothing.
        private var spareStep: [Double] = []
        private var spareChange: [Double] = []
        private var alphas: [Double]
        private var direction: [Double] = []
        private var slope = 0.0
        private var stepLength = 1.0
        private var trials = 0
        private var iteration = 0
        private var started = false

        /// One (s, y) pair with the products the two-loop recursion needs, computed once.
        private struct CorrectionPair {
            var step: [Double]          // s_k = x_{k+1} − x_k
            var change: [Double]        // y_k = ∇f_{k+1} − ∇f_k
            var curvature: Double       // y_kᵀ s_k
            var inverseCurvature: Double
            var changeNormSquared: Double   // y_kᵀ y_k
        }

        init(_ settings: LBFGS, from start: [Double]) {
            self.settings = settings
            self.point = start
            self.gradientAtPoint = [Double](repeating: 0, count: start.count)
            self.x = start
            self.gradient = gradientAtPoint
            self.alphas = [Double](repeating: 0, count: settings.memory)
        }

        /// Takes f(`point`) (with ∇f already in ``gradientAtPoint``); returns the result when
        /// the minimisation has finished, else `nil` with the next ``point`` set.
        mutating func receive(value newValue: Double) -> Result? {
            if !started {
                started = true
                value = newValue
                swap(&gradient, &gradientAtPoint)
                gradientNormSquared = FixedOrderVector.dot(gradient, gradient)
                xNormSquared = FixedOrderVector.dot(x, x)
                return beginIteration()
            }
            guard newValue.isFinite && newValue <= value + Self.sufficientDecrease * stepLength * slope else {
                trials += 1
                guard trials < Self.maximumHalvings else { return Result(solution: x, value: value, iterations: iteration, converged: false) }
                stepLength *= Self.backtrackingFactor
                setPoint()
                return nil
            }
            // Accepted: point becomes the new x.
            var step = spareStep, change = spareChange
            spareStep = []; spareChange = []
            let count = x.count
            if step.count != count { step = [Double](repeating: 0, count: count) }
            if change.count != count { change = [Double](repeating: 0, count: count) }
            // s, y, sᵀy, yᵀy and the norms the next convergence test needs, in one pass over the
            // four vectors instead of six (the same bits). Never empty here: an empty point has
            // ‖∇f‖ = 0 and converges at its first test.
            let products = point.withUnsafeBufferPointer { point in
                x.withUnsafeBufferPointer { x in
                    gradientAtPoint.withUnsafeBufferPointer { newGradient in
                        gradient.withUnsafeBufferPointer { gradient in
                            step.withUnsafeMutableBufferPointer { step in
                                change.withUnsafeMutableBufferPointer { change in
                                    FixedOrderVector.stepProducts(point.baseAddress!, x.baseAddress!, newGradient.baseAddress!, gradient.baseAddress!,
                                                                  step: step.baseAddress!, change: change.baseAddress!, count: count)
                                }
                            }
                        }
                    }
                }
            }
            let curvature = products.curvature
            if curvature > Self.minimumCurvature {
                if pairs.count == settings.memory {
                    let evicted = pairs.removeFirst()
                    spareStep = evicted.step; spareChange = evicted.change
                }
                pairs.append(CorrectionPair(step: step, change: change, curvature: curvature, inverseCurvature: 1 / curvature,
                                            changeNormSquared: products.changeNormSquared))
            } else {
                spareStep = step; spareChange = change
            }
            let decrease = value - newValue
            swap(&x, &point)
            swap(&gradient, &gradientAtPoint)
            gradientNormSquared = products.cNormSquared
            xNormSquared = products.aNormSquared
            value = newValue
            iteration += 1
            if decrease <= settings.relativeDecreaseTolerance * max(1, abs(value)) {
                return Result(solution: x, value: value, iterations: iteration, converged: true)
            }
            return beginIteration()
        }

        /// Tests for convergence, then picks the search direction and the first trial point.
        private mutating func beginIteration() -> Result? {
            guard iteration < settings.maxIterations else {
                return Result(solution: x, value: value, iterations: settings.maxIterations, converged: false)
            }
            // ‖∇f‖ and ‖x‖ as norm(_:) computes them (√ of the fixed-order dot product).
            gradientNorm = gradientNormSquared.squareRoot()
            if gradientNorm <= settings.gradientTolerance * max(1, xNormSquared.squareRoot()) {
                return Result(solution: x, value: value, iterations: iteration, converged: true)
            }
            if pairs.isEmpty {
                // Steepest descent, scaled to unit length.
                direction = gradient
                FixedOrderVector.scale(1 / gradientNorm, &direction)
                FixedOrderVector.scale(-1, &direction)
                slope = FixedOrderVector.dot(gradient, direction)
            } else {
                slope = twoLoopDirection()
            }
            if slope >= 0 {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                pairs.removeAll()
                direction = gradient
                FixedOrderVector.scale(-1 / gradientNorm, &direction)
                slope = FixedOrderVector.dot(gradient, direction)
            }
            stepLength = 1
            trials = 0
            setPoint()
            return nil
        }

        /// The two-loop recursion: writes direction = −H·∇f and returns its slope ∇fᵀ·direction.
        ///
        /// Textbook form, per pair newest to oldest: αᵢ = ρᵢ·sᵢᵀq, q ← q − αᵢyᵢ; then q ← γq with
        /// γ = sᵀy / yᵀy of the newest pair; per pair oldest to newest: β = ρᵢ·yᵢᵀq,
        /// q ← q + (αᵢ − β)sᵢ; last q ← −q and the slope ∇fᵀq. Here each update of q is fused
        /// with the scale that follows it and the dot product that reads it next
        /// (``FixedOrderVector/axpyScaleDot(_:_:_:scale:into:dotWith:count:)``), and the first
        /// reads ∇f instead of a copy of it: 2m + 1 passes over q instead of 4m + 4, the same
        /// operations on every element and so the same bits. The recursion is bound by memory
        /// traffic, and L-BFGS's vector work was about a quarter of `lapis train` on Reuters (perf).
        ///
        /// - Precondition: at least one pair.
        /// - Complexity: O(m·n) for m pairs of n-vectors.
        private mutating func twoLoopDirection() -> Double {
            let count = gradient.count
            if direction.count != count { direction = [Double](repeating: 0, count: count) }
            let newest = pairs.count - 1
            alphas[newest] = pairs[newest].inverseCurvature * FixedOrderVector.dot(pairs[newest].step, gradient)
            var beta = 0.0
            for index in stride(from: newest, through: 0, by: -1) {
                if index > 0 {
                    let product = updateDirection(fromGradient: index == newest, adding: -alphas[index], times: pairs[index].change,
                                                  scale: 1, dotWith: pairs[index - 1].step)
                    alphas[index - 1] = pairs[index - 1].inverseCurvature * product
                } else {
                    let gamma = pairs[newest].curvature / pairs[newest].changeNormSquared
                    let product = updateDirection(fromGradient: index == newest, adding: -alphas[0], times: pairs[0].change,
                                                  scale: gamma, dotWith: pairs[0].change)
                    beta = pairs[0].inverseCurvature * product
                }
            }
            var slope = 0.0
            for index in 0...newest {
                if index < newest {
                    let product = updateDirection(fromGradient: false, adding: alphas[index] - beta, times: pairs[index].step,
                                                  scale: 1, dotWith: pairs[index + 1].change)
                    beta = pairs[index + 1].inverseCurvature * product
                } else {
                    slope = updateDirection(fromGradient: false, adding: alphas[index] - beta, times: pairs[index].step,
                                            scale: -1, dotWith: gradient)
                }
            }
            return slope
        }

        /// direction ← (source + α·x)·γ, where the source is ∇f or direction itself; returns
        /// zᵀdirection.
        private mutating func updateDirection(fromGradient: Bool, adding alpha: Double, times x: [Double], scale gamma: Double,
                                              dotWith z: [Double]) -> Double {
            let count = direction.count
            return x.withUnsafeBufferPointer { x in
                z.withUnsafeBufferPointer { z in
                    direction.withUnsafeMutableBufferPointer { direction in
                        let out = direction.baseAddress!
                        if fromGradient {
                            return gradient.withUnsafeBufferPointer { gradient in
                                FixedOrderVector.axpyScaleDot(alpha, x.baseAddress!, gradient.baseAddress!, scale: gamma, into: out,
                                                              dotWith: z.baseAddress!, count: count)
                            }
                        }
                        return FixedOrderVector.axpyScaleDot(alpha, x.baseAddress!, UnsafePointer(out), scale: gamma, into: out,
                                                             dotWith: z.baseAddress!, count: count)
                    }
                }
            }
        }

        private mutating func setPoint() {
            FixedOrderVector.sum(x, stepLength, direction, into: &point)
        }
    }
}
