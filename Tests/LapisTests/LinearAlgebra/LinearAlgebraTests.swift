import Testing
@testable import Lapis

@Suite("BLAS and L-BFGS")
struct LinearAlgebraTests {
    @Test("level-1 wrappers compute dot, axpy, scale and norm")
    func levelOne() {
        var y = [1.0, 2, 3]
        BLAS.axpy(2, [1, 1, 1], &y)
        #expect(y == [3, 4, 5])
        BLAS.scale(0.5, &y)
        #expect(y == [1.5, 2, 2.5])
        #expect(BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(abs(BLAS.norm([3, 4]) - 5) < 1e-12)
    }

    @Test("the Gram matrix and matrix-vector products")
    func levelTwoAndThree() {
        // A = [[1, 2], [3, 4], [0, 1]]
        let a: [Float] = [1, 2, 3, 4, 0, 1]
        #expect(BLAS.gram(a, rows: 3, columns: 2) == [5, 11, 2, 11, 25, 4, 2, 4, 1])
        var y = [Float](repeating: 0, count: 3)
        BLAS.gemv(a, rows: 3, columns: 2, [1, 1], &y)
        #expect(y == [3, 7, 1])
        var z = [Float](repeating: 0, count: 2)
        BLAS.gemv(a, rows: 3, columns: 2, transposed: true, [1, 1, 1], &z)
        #expect(z == [4, 7])
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
