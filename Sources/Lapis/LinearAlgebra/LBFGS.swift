/// Limited-memory BFGS minimisation of a smooth function, with a backtracking (Armijo) line
/// search. All vector arithmetic goes through ``BLAS``.
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
        _ = BLAS.singleThreaded
        var x = start
        var gradient = [Double](repeating: 0, count: x.count)
        var value = objective(x, &gradient)
        var steps: [[Double]] = []       // s_k = x_{k+1} − x_k
        var changes: [[Double]] = []     // y_k = ∇f_{k+1} − ∇f_k
        var inverseCurvatures: [Double] = []  // 1 / (y_kᵀ s_k)
        var alphas = [Double](repeating: 0, count: memory)
        var candidate = x
        var candidateGradient = gradient

        for iteration in 0..<maxIterations {
            let gradientNorm = BLAS.norm(gradient)
            if gradientNorm <= gradientTolerance * max(1, BLAS.norm(x)) {
                return Result(solution: x, value: value, iterations: iteration, converged: true)
            }
            // Two-loop recursion: direction = −H·∇f.
            var direction = gradient
            for index in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[index] = inverseCurvatures[index] * BLAS.dot(steps[index], direction)
                BLAS.axpy(-alphas[index], changes[index], &direction)
            }
            if let lastStep = steps.last, let lastChange = changes.last {
                BLAS.scale(BLAS.dot(lastStep, lastChange) / BLAS.dot(lastChange, lastChange), &direction)
            } else {
                BLAS.scale(1 / gradientNorm, &direction)
            }
            for index in steps.indices {
                let beta = inverseCurvatures[index] * BLAS.dot(changes[index], direction)
                BLAS.axpy(alphas[index] - beta, steps[index], &direction)
            }
            BLAS.scale(-1, &direction)
            var slope = BLAS.dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                steps.removeAll(); changes.removeAll(); inverseCurvatures.removeAll()
                direction = gradient
                BLAS.scale(-1 / gradientNorm, &direction)
                slope = BLAS.dot(gradient, direction)
            }
            var stepLength = 1.0
            var candidateValue = 0.0
            var accepted = false
            for _ in 0..<40 {
                candidate = x
                BLAS.axpy(stepLength, direction, &candidate)
                candidateValue = objective(candidate, &candidateGradient)
                if candidateValue.isFinite && candidateValue <= value + 1e-4 * stepLength * slope {
                    accepted = true
                    break
                }
                stepLength *= 0.5
            }
            guard accepted else {
                return Result(solution: x, value: value, iterations: iteration, converged: false)
            }
            var step = candidate
            BLAS.axpy(-1, x, &step)
            var change = candidateGradient
            BLAS.axpy(-1, gradient, &change)
            let curvature = BLAS.dot(step, change)
            if curvature > 1e-12 {
                if steps.count == memory {
                    steps.removeFirst(); changes.removeFirst(); inverseCurvatures.removeFirst()
                }
                steps.append(step); changes.append(change); inverseCurvatures.append(1 / curvature)
            }
            let decrease = value - candidateValue
            swap(&x, &candidate)
            swap(&gradient, &candidateGradient)
            value = candidateValue
            if decrease <= relativeDecreaseTolerance * max(1, abs(value)) {
                return Result(solution: x, value: value, iterations: iteration + 1, converged: true)
            }
        }
        return Result(solution: x, value: value, iterations: maxIterations, converged: false)
    }
}
