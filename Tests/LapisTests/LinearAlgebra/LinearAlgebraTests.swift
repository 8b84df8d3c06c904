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
