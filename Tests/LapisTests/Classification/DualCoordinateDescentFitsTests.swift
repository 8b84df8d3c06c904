import Foundation
import Testing
@testable import Lapis

@Suite("DualCoordinateDescentFits")
struct DualCoordinateDescentFitsTests {
    /// Sparse rows with positive values (as TF-IDF's), and `labels` targets that lean on one
    /// feature each, with noise.
    func problem(rows: Int = 160, columns: Int = 20, labels: Int = 1, seed: UInt64 = 7) -> (SparseMatrix, [[Bool]]) {
        var generator = SeededGenerator(seed: seed)
        var matrix = SparseMatrix(columnCount: columns)
        var targets = [[Bool]](repeating: [], count: labels)
        for _ in 0..<rows {
            let present = (0..<columns).filter { _ in Double.random(in: 0..<1, using: &generator) < 0.3 }
            matrix.appendRow(present.map { (Int32($0), Float.random(in: 0.1...1, using: &generator)) })
            for label in 0..<labels {
                targets[label].append(present.contains(label % columns) != (Double.random(in: 0..<1, using: &generator) < 0.15))
            }
        }
        return (matrix, targets)
    }

    func fits(_ logistic: LogisticRegression, _ matrix: SparseMatrix, rows: [Int32]? = nil, targets: [[Bool]],
              seed: UInt64 = 42) -> DualCoordinateDescentFits {
        let rows = rows ?? (0..<Int32(matrix.rowCount)).map { $0 }
        var fit = DualCoordinateDescentFits(logistic, features: matrix, curvatures: DualCoordinateDescentFits.curvatures(matrix),
                                            rows: rows, targets: targets)
        fit.solve(tolerance: logistic.tolerance, maxEpochs: logistic.maxIterations, seed: seed)
        return fit
    }

    /// The gradient of LIBLINEAR's primal ½‖w‖² + ½b² + Σ Cᵢ log(1 + e^(−yᵢ(w·xᵢ + b))), weights then bias.
    func primalGradient(_ model: LogisticRegression.Model, _ matrix: SparseMatrix, targets: [Bool], logistic: LogisticRegression) -> [Double] {
        let (positiveWeight, negativeWeight) = logistic.classWeights(for: targets)
        var gradient = model.weights + [model.bias]
        for row in 0..<matrix.rowCount {
            let (_, slope) = LogisticRegression.loss(margin: model.decision(matrix, row: row), sign: targets[row] ? 1 : -1,
                                                     weight: logistic.c * (targets[row] ? positiveWeight : negativeWeight))
            for (column, value) in matrix.row(row) { gradient[column] += slope * Double(value) }
            gradient[model.weights.count] += slope
        }
        return gradient
    }

    @Test("at a tight tolerance the fit is the primal optimum: the gradient of the regularised-bias problem vanishes",
          arguments: [ClassWeighting.none, .balanced])
    func reachesThePrimalOptimum(weighting: ClassWeighting) {
        let (matrix, targets) = problem()
        let logistic = LogisticRegression(c: 5, classWeighting: weighting, maxIterations: 1000, tolerance: 1e-8, solver: .dualCoordinateDescent)
        let model = fits(logistic, matrix, targets: targets).models()[0]
        let gradient = primalGradient(model, matrix, targets: targets[0], logistic: logistic)
        #expect(gradient.map(abs).max()! < 1e-5, "largest gradient component \(gradient.map(abs).max()!)")
        #expect(model.iterations < 1000, "stopped by the tolerance, not the epoch limit")
        // A loose tolerance stops earlier, short of the optimum.
        let loose = fits(LogisticRegression(c: 5, classWeighting: weighting, maxIterations: 1000, tolerance: 0.5, solver: .dualCoordinateDescent),
                         matrix, targets: targets).models()[0]
        #expect(loose.iterations < model.iterations)
        #expect(loose.loss >= model.loss)
    }

    @Test("a model's objective is the primal objective of its weights and bias")
    func reportsThePrimalObjective() {
        let (matrix, targets) = problem(labels: 3)
        let logistic = LogisticRegression(c: 2, solver: .dualCoordinateDescent)
        for (label, model) in fits(logistic, matrix, targets: targets).models().enumerated() {
            let (positiveWeight, negativeWeight) = logistic.classWeights(for: targets[label])
            var objective = 0.5 * model.bias * model.bias + model.weights.reduce(0) { $0 + 0.5 * $1 * $1 }
            for row in 0..<matrix.rowCount {
                let positive = targets[label][row]
                objective += LogisticRegression.loss(margin: model.decision(matrix, row: row), sign: positive ? 1 : -1,
                                                     weight: logistic.c * (positive ? positiveWeight : negativeWeight)).loss
            }
            #expect(abs(objective - model.loss) <= 1e-9 * objective, "label \(label)")
        }
    }

    @Test("a label's model has the same bits fitted alone, among eight, and in a block of two vectors")
    func lanesAreIndependent() {
        let (matrix, targets) = problem(labels: 13)
        let logistic = LogisticRegression(c: 10, solver: .dualCoordinateDescent)
        let together = fits(logistic, matrix, targets: targets).models()
        #expect(together.count == 13)
        for label in [0, 5, 12] {
            let alone = fits(logistic, matrix, targets: [targets[label]]).models()[0]
            #expect(alone == together[label], "label \(label) alone")
        }
        let firstEight = fits(logistic, matrix, targets: Array(targets.prefix(8))).models()
        #expect(firstEight == Array(together.prefix(8)))
        // Labels that stop after different epochs: one lane's stop changes no other lane.
        #expect(Set(together.map(\.iterations)).count > 1, "the lanes stopped at different epochs")
    }

    @Test("the epoch limit stops every lane, and another seed visits the rows in another order")
    func epochLimitAndSeed() {
        let (matrix, targets) = problem(labels: 2)
        let capped = fits(LogisticRegression(c: 10, maxIterations: 2, tolerance: 1e-10, solver: .dualCoordinateDescent), matrix, targets: targets)
        #expect(capped.models().map(\.iterations) == [2, 2])
        let logistic = LogisticRegression(c: 10, maxIterations: 3, solver: .dualCoordinateDescent)
        #expect(fits(logistic, matrix, targets: targets, seed: 1).models() != fits(logistic, matrix, targets: targets, seed: 2).models())
        #expect(fits(logistic, matrix, targets: targets, seed: 1).models() == fits(logistic, matrix, targets: targets, seed: 1).models())
    }

    @Test("a fit on some rows of the matrix is the fit on a copy of those rows, bit for bit")
    func fitOnSomeRows() {
        let (matrix, targets) = problem(rows: 120, labels: 2)
        let logistic = LogisticRegression(c: 10, solver: .dualCoordinateDescent)
        let subset = (0..<Int32(matrix.rowCount)).filter { $0 % 3 != 1 }
        var copy = SparseMatrix(columnCount: matrix.columnCount)
        for row in subset { copy.appendRow(matrix.row(Int(row)).map { (Int32($0.column), $0.value) }) }
        let subsetTargets = targets.map { label in subset.map { label[Int($0)] } }
        #expect(fits(logistic, matrix, rows: subset, targets: subsetTargets).models() == fits(logistic, copy, targets: subsetTargets).models())
    }

    @Test("LogisticRegression.fit with the dual solver separates a separable problem")
    func oneLabelThroughLogisticRegression() {
        // Feature 0 marks the positives, feature 1 the negatives; feature 2 is on every row.
        var matrix = SparseMatrix(columnCount: 3)
        var targets: [Bool] = []
        for row in 0..<40 {
            let positive = row % 2 == 0
            matrix.appendRow([(positive ? 0 : 1, 1), (2, 0.25)])
            targets.append(positive)
        }
        let model = LogisticRegression(c: 10, solver: .dualCoordinateDescent).fit(matrix, targets: targets)
        for row in 0..<40 { #expect((model.decision(matrix, row: row) > 0) == targets[row], "row \(row)") }
        #expect(model.weights[0] > 0 && model.weights[1] < 0)
    }

    @Test("the solver is written to a model file only when it is not L-BFGS, and read back")
    func solverCoding() throws {
        let lbfgs = try JSONEncoder().encode(LogisticRegression())
        #expect(!String(decoding: lbfgs, as: UTF8.self).contains("solver"))
        #expect(try JSONDecoder().decode(LogisticRegression.self, from: lbfgs) == LogisticRegression())
        let dual = LogisticRegression(c: 3, solver: .dualCoordinateDescent)
        let encoded = try JSONEncoder().encode(dual)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"solver\":\"dual-cd\""))
        #expect(try JSONDecoder().decode(LogisticRegression.self, from: encoded) == dual)
        #expect(dual.tolerance == 0.1 && LogisticRegression().tolerance == 1e-4)
    }
}
