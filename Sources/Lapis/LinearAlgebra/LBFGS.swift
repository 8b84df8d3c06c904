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
            FixedOrderVector.difference(point, x, into: &step)
            FixedOrderVector.difference(gradientAtPoint, gradient, into: &change)
            let curvature = FixedOrderVector.dot(step, change)
            if curvature > Self.minimumCurvature {
                if pairs.count == settings.memory {
                    let evicted = pairs.removeFirst()
                    spareStep = evicted.step; spareChange = evicted.change
                }
                pairs.append(CorrectionPair(step: step, change: change, curvature: curvature, inverseCurvature: 1 / curvature,
                                            changeNormSquared: FixedOrderVector.dot(change, change)))
            } else {
                spareStep = step; spareChange = change
            }
            let decrease = value - newValue
            swap(&x, &point)
            swap(&gradient, &gradientAtPoint)
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
            gradientNorm = FixedOrderVector.norm(gradient)
            if gradientNorm <= settings.gradientTolerance * max(1, FixedOrderVector.norm(x)) {
                return Result(solution: x, value: value, iterations: iteration, converged: true)
            }
            // Two-loop recursion: direction = −H·∇f.
            direction = gradient
            for index in stride(from: pairs.count - 1, through: 0, by: -1) {
                alphas[index] = pairs[index].inverseCurvature * FixedOrderVector.dot(pairs[index].step, direction)
                FixedOrderVector.axpy(-alphas[index], pairs[index].change, &direction)
            }
            if let last = pairs.last {
                FixedOrderVector.scale(last.curvature / last.changeNormSquared, &direction)
            } else {
                FixedOrderVector.scale(1 / gradientNorm, &direction)
            }
            for index in pairs.indices {
                let beta = pairs[index].inverseCurvature * FixedOrderVector.dot(pairs[index].change, direction)
                FixedOrderVector.axpy(alphas[index] - beta, pairs[index].step, &direction)
            }
            FixedOrderVector.scale(-1, &direction)
            slope = FixedOrderVector.dot(gradient, direction)
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

        private mutating func setPoint() {
            FixedOrderVector.sum(x, stepLength, direction, into: &point)
        }
    }
}
