import Testing
@testable import Lapis

@Suite("Fixed-order vectors and matrices, and L-BFGS")
struct LinearAlgebraTests {
    @Test("fixed-order level-1 arithmetic computes dot, axpy, scale and norm")
    func levelOne() {
        var y = [1.0, 2, 3]
        FixedOrderVector.axpy(2, [1, 1, 1], &y)
        #expect(y == [3, 4, 5])
        FixedOrderVector.scale(0.5, &y)
        #expect(y == [1.5, 2, 2.5])
        #expect(FixedOrderVector.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(FixedOrderVector.dot([], []) == 0)
        #expect(FixedOrderVector.norm([3, 4]) == 5)
    }

    @Test("dot sums in the documented order: eight partials combined pairwise, then the tail")
    func dotOrder() {
        // Values whose sum depends on the order: 1e16 + 1 + ... loses the ones if added late.
        var generator = SplitMix(seed: 7)
        for count in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 1000, 10_451] {
            let x = (0..<count).map { _ in generator.nextDouble() * (generator.nextDouble() < 0.1 ? 1e16 : 1) }
            let y = (0..<count).map { _ in generator.nextDouble() - 0.5 }
            var partials = [Double](repeating: 0, count: 8)
            let blocked = count / 8 * 8
            for index in 0..<blocked { partials[index % 8] += x[index] * y[index] }
            var expected = ((partials[0] + partials[4]) + (partials[2] + partials[6]))
                + ((partials[1] + partials[5]) + (partials[3] + partials[7]))
            for index in blocked..<count { expected += x[index] * y[index] }
            #expect(FixedOrderVector.dot(x, y).bitPattern == expected.bitPattern, "n = \(count)")
        }
    }

    @Test("the fused L-BFGS kernels give the bits of the separate axpy, scale, difference and dot passes")
    func fusedKernelsMatchSeparatePasses() {
        var generator = SplitMix(seed: 11)
        for count in [1, 7, 8, 9, 16, 23, 1000, 10_451] {
            func vector() -> [Double] { (0..<count).map { _ in (generator.nextDouble() - 0.5) * (generator.nextDouble() < 0.1 ? 1e12 : 1) } }
            let source = vector(), x = vector(), z = vector()
            for (alpha, gamma) in [(0.37, 1.0), (-1.3e-3, 0.71), (2.5, -1.0)] {
                var expected = source
                FixedOrderVector.axpy(alpha, x, &expected)
                FixedOrderVector.scale(gamma, &expected)
                let expectedDot = FixedOrderVector.dot(z, expected)
                // Into another buffer, and in place.
                var out = [Double](repeating: 0, count: count)
                var inPlace = source
                let dot = out.withUnsafeMutableBufferPointer { out in
                    x.withUnsafeBufferPointer { x in
                        z.withUnsafeBufferPointer { z in
                            source.withUnsafeBufferPointer { source in
                                FixedOrderVector.axpyScaleDot(alpha, x.baseAddress!, source.baseAddress!, scale: gamma,
                                                              into: out.baseAddress!, dotWith: z.baseAddress!, count: count)
                            }
                        }
                    }
                }
                let inPlaceDot = inPlace.withUnsafeMutableBufferPointer { buffer in
                    x.withUnsafeBufferPointer { x in
                        z.withUnsafeBufferPointer { z in
                            FixedOrderVector.axpyScaleDot(alpha, x.baseAddress!, UnsafePointer(buffer.baseAddress!), scale: gamma,
                                                          into: buffer.baseAddress!, dotWith: z.baseAddress!, count: count)
                        }
                    }
                }
                #expect(out.map(\.bitPattern) == expected.map(\.bitPattern) && inPlace.map(\.bitPattern) == expected.map(\.bitPattern), "n = \(count)")
                #expect(dot.bitPattern == expectedDot.bitPattern && inPlaceDot.bitPattern == expectedDot.bitPattern, "n = \(count)")
            }
            let a = vector(), b = vector(), c = vector(), d = vector()
            var step: [Double] = [], change: [Double] = []
            FixedOrderVector.difference(a, b, into: &step)
            FixedOrderVector.difference(c, d, into: &change)
            var fusedStep = [Double](repeating: 0, count: count), fusedChange = fusedStep
            let products = fusedStep.withUnsafeMutableBufferPointer { step in
                fusedChange.withUnsafeMutableBufferPointer { change in
                    FixedOrderVector.stepProducts(a, b, c, d, step: step.baseAddress!, change: change.baseAddress!, count: count)
                }
            }
            #expect(fusedStep.map(\.bitPattern) == step.map(\.bitPattern) && fusedChange.map(\.bitPattern) == change.map(\.bitPattern))
            #expect(products.curvature.bitPattern == FixedOrderVector.dot(step, change).bitPattern, "n = \(count)")
            #expect(products.changeNormSquared.bitPattern == FixedOrderVector.dot(change, change).bitPattern, "n = \(count)")
            #expect(products.cNormSquared.bitPattern == FixedOrderVector.dot(c, c).bitPattern, "n = \(count)")
            #expect(products.aNormSquared.bitPattern == FixedOrderVector.dot(a, a).bitPattern, "n = \(count)")
        }
    }

    @Test("L-BFGS takes, bit for bit, the iterates of the textbook two-loop recursion with separate vector passes",
          arguments: [(37, 0), (64, 1), (203, 2)])
    func lbfgsMatchesUnfusedReference(dimension: Int, seed: UInt64) {
        // A smooth convex function with a different curvature per coordinate and coupling
        // between neighbours, so the fit runs past the memory of 10 pairs and evicts some.
        var generator = SplitMix(seed: seed)
        let scales = (0..<dimension).map { _ in 0.01 + 100 * generator.nextDouble() * generator.nextDouble() }
        let centres = (0..<dimension).map { _ in generator.nextDouble() * 4 - 2 }
        func objective(_ x: [Double], _ gradient: inout [Double]) -> Double {
            var value = 0.0
            for i in x.indices {
                let d = x[i] - centres[i], e = i + 1 < x.count ? x[i] - x[i + 1] : 0
                value += scales[i] * d * d + 0.25 * d * d * d * d + 0.5 * e * e
                gradient[i] = 2 * scales[i] * d + d * d * d + e - (i > 0 ? x[i - 1] - x[i] : 0)
            }
            return value
        }
        let settings = LBFGS(maxIterations: 200, gradientTolerance: 1e-12, relativeDecreaseTolerance: 0)
        let start = [Double](repeating: 0, count: dimension)
        let result = settings.minimize(from: start, objective)
        let reference = UnfusedLBFGS.minimize(settings, from: start, objective)
        #expect(result.iterations > 2 * settings.memory, "the run must evict pairs (\(result.iterations) iterations)")
        #expect(result.iterations == reference.iterations)
        #expect(result.value.bitPattern == reference.value.bitPattern)
        #expect(result.solution.map(\.bitPattern) == reference.solution.map(\.bitPattern))
    }

    @Test("fixed-order Gram matrix (from the rows' nonzeros) and matrix-vector products")
    func levelTwoAndThree() {
        // A = [[1, 2], [3, 4], [0, 1]]
        let a: [Float] = [1, 2, 3, 4, 0, 1]
        let nonzeros: [[FixedOrderMatrix.Entry]] = [[.init(column: 0, value: 1), .init(column: 1, value: 2)],
                                                    [.init(column: 0, value: 3), .init(column: 1, value: 4)],
                                                    [.init(column: 1, value: 1)]]
        #expect(FixedOrderMatrix.gram(a, rows: 3, columns: 2, nonzeros: nonzeros) == [5, 11, 2, 11, 25, 4, 2, 4, 1])
        #expect(FixedOrderMatrix.product(a, rows: 3, columns: 2, [1, 1], alpha: 1) == [3, 7, 1])
        #expect(FixedOrderMatrix.product(a, rows: 3, columns: 2, [1, 1], alpha: 2) == [6, 14, 2])
        var z: [Float] = [10, 20]
        FixedOrderMatrix.transposedProduct(a, rows: 3, columns: 2, [1, 1, 1], alpha: 1, adding: &z)
        #expect(z == [14, 27])
        #expect(FixedOrderMatrix.product([], rows: 2, columns: 0, [], alpha: 1) == [0, 0])
    }

    @Test("the Gram matrix is exactly symmetric and matches a dense product on random sparse rows")
    func gramAgreesWithDense() {
        var generator = SplitMix(seed: 3)
        let rows = 37, columns = 61
        var a = [Float](repeating: 0, count: rows * columns)
        var nonzeros = [[FixedOrderMatrix.Entry]](repeating: [], count: rows)
        for row in 0..<rows {
            for column in 0..<columns where generator.nextDouble() < 0.2 {
                let value = Float(generator.nextDouble())
                a[row * columns + column] = value
                nonzeros[row].append(.init(column: column, value: value))
            }
        }
        let gram = FixedOrderMatrix.gram(a, rows: rows, columns: columns, nonzeros: nonzeros)
        for i in 0..<rows {
            for j in 0..<rows {
                #expect(gram[i * rows + j].bitPattern == gram[j * rows + i].bitPattern)
                var dense: Double = 0
                for c in 0..<columns { dense += Double(a[i * columns + c]) * Double(a[j * columns + c]) }
                #expect(abs(Double(gram[i * rows + j]) - dense) <= 1e-5 * max(1, dense))
            }
        }
    }

    @Test("L-BFGS finds the minimum of a convex quadratic")
    func quadratic() {
        // f(x) = Σ (i+1)(x_i − i)²: minimum at x_i = i.
        let result = LBFGS(gradientTolerance: 1e-10).minimize(from: [0, 0, 0, 0, 0]) { x, gradient in
            var value = 0.0
            for i in x.indices {
                let d = x[i] - Double(i)
                value += Double(i + 1) * d * d
                gradient[i] = 2 * Double(i + 1) * d
            }
            return value
        }
        #expect(result.converged)
        for i in 0..<5 { #expect(abs(result.solution[i] - Double(i)) < 1e-6) }
    }

    @Test("L-BFGS minimises the Rosenbrock function")
    func rosenbrock() {
        let result = LBFGS(maxIterations: 500, gradientTolerance: 1e-9, relativeDecreaseTolerance: 0).minimize(from: [-1.2, 1]) { x, g in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(abs(result.solution[0] - 1) < 1e-4 && abs(result.solution[1] - 1) < 1e-4)
    }
}

/// A small deterministic generator for test data (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// L-BFGS as `LBFGS` was written before its vector passes were fused: the textbook two-loop
/// recursion, one level-1 call per step, the same line search and stopping tests. The fused
/// optimiser must take the same iterates to the bit.
enum UnfusedLBFGS {
    static func minimize(_ settings: LBFGS, from start: [Double], _ objective: ([Double], inout [Double]) -> Double)
        -> (solution: [Double], value: Double, iterations: Int) {
        typealias Minimization = LBFGS.Minimization
        var x = start
        var gradient = [Double](repeating: 0, count: start.count)
        var value = objective(x, &gradient)
        var pairs: [(step: [Double], change: [Double], curvature: Double, inverseCurvature: Double, changeNormSquared: Double)] = []
        var alphas = [Double](repeating: 0, count: settings.memory)
        var iteration = 0
        while iteration < settings.maxIterations {
            let gradientNorm = FixedOrderVector.norm(gradient)
            if gradientNorm <= settings.gradientTolerance * max(1, FixedOrderVector.norm(x)) { break }
            var direction = gradient
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
            var slope = FixedOrderVector.dot(gradient, direction)
            if slope >= 0 {
                pairs.removeAll()
                direction = gradient
                FixedOrderVector.scale(-1 / gradientNorm, &direction)
                slope = FixedOrderVector.dot(gradient, direction)
            }
            var stepLength = 1.0, trials = 0
            var point: [Double] = []
            var newGradient = [Double](repeating: 0, count: start.count)
            var newValue = 0.0
            while true {
                FixedOrderVector.sum(x, stepLength, direction, into: &point)
                newValue = objective(point, &newGradient)
                if newValue.isFinite && newValue <= value + Minimization.sufficientDecrease * stepLength * slope { break }
                trials += 1
                if trials >= Minimization.maximumHalvings { return (x, value, iteration) }
                stepLength *= Minimization.backtrackingFactor
            }
            var step: [Double] = [], change: [Double] = []
            FixedOrderVector.difference(point, x, into: &step)
            FixedOrderVector.difference(newGradient, gradient, into: &change)
            let curvature = FixedOrderVector.dot(step, change)
            if curvature > Minimization.minimumCurvature {
                if pairs.count == settings.memory { pairs.removeFirst() }
                pairs.append((step, change, curvature, 1 / curvature, FixedOrderVector.dot(change, change)))
            }
            let decrease = value - newValue
            x = point
            gradient = newGradient
            value = newValue
            iteration += 1
            if decrease <= settings.relativeDecreaseTolerance * max(1, abs(value)) { break }
        }
        return (x, value, iteration)
    }
}
