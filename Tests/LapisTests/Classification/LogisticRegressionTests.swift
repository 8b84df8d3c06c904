import Foundation
import Testing
@testable import Lapis

@Suite("LogisticRegression")
struct LogisticRegressionTests {
    /// A small random sparse problem (fixed seed).
    func randomProblem(rows: Int = 30, columns: Int = 8, seed: UInt64 = 7) -> (SparseMatrix, [Bool]) {
        var generator = SeededGenerator(seed: seed)
        var matrix = SparseMatrix(columnCount: columns)
        var targets: [Bool] = []
        for _ in 0..<rows {
            var entries: [(Int32, Float)] = []
            for column in 0..<columns where Double.random(in: 0..<1, using: &generator) < 0.4 {
                entries.append((Int32(column), Float.random(in: -1...1, using: &generator)))
            }
            matrix.appendRow(entries)
            targets.append(Bool.random(using: &generator))
        }
        return (matrix, targets)
    }

    @Test("the gradient matches central finite differences", arguments: [ClassWeighting.none, .balanced])
    func gradientCheck(weighting: ClassWeighting) {
        let (matrix, targets) = randomProblem()
        let trainer = LogisticRegression(c: 3, classWeighting: weighting)
        let weights = trainer.weights(for: targets)
        var generator = SeededGenerator(seed: 11)
        let point = (0...matrix.columnCount).map { _ in Double.random(in: -1...1, using: &generator) }
        var gradient = [Double](repeating: 0, count: point.count)
        _ = trainer.objective(matrix, targets: targets, exampleWeights: weights, parameters: point, gradient: &gradient)
        var scratch = gradient
        for index in point.indices {
            let h = 1e-6
            var plus = point, minus = point
            plus[index] += h
            minus[index] -= h
            let numeric = (trainer.objective(matrix, targets: targets, exampleWeights: weights, parameters: plus, gradient: &scratch)
                - trainer.objective(matrix, targets: targets, exampleWeights: weights, parameters: minus, gradient: &scratch)) / (2 * h)
            #expect(abs(numeric - gradient[index]) < 1e-5 * max(1, abs(numeric)), "coordinate \(index)")
        }
    }

    @Test("the gradient gathered over columns equals, bit for bit, the one scattered over rows")
    func gatheredGradientIsBitIdentical() {
        let (matrix, targets) = randomProblem(rows: 200, columns: 40, seed: 5)
        let trainer = LogisticRegression(c: 10, classWeighting: .balanced)
        let weights = trainer.weights(for: targets)
        var generator = SeededGenerator(seed: 3)
        let point = (0...matrix.columnCount).map { _ in Double.random(in: -2...2, using: &generator) }
        var gradient = [Double](repeating: 0, count: point.count)
        let value = trainer.objective(matrix, targets: targets, exampleWeights: weights, parameters: point, gradient: &gradient)

        // Reference: the textbook row-by-row scatter, rows in ascending order.
        var reference = Array(point[0..<matrix.columnCount]) + [0]
        var referenceValue = 0.5 * point[0..<matrix.columnCount].reduce(0) { $0 + $1 * $1 }
        for row in 0..<matrix.rowCount {
            let margin = matrix.row(row).reduce(point[matrix.columnCount]) { $0 + Double($1.value) * point[$1.column] }
            let sign: Double = targets[row] ? 1 : -1
            let z = sign * margin
            let expNegative = PortableMath.exp(-abs(z))
            referenceValue += trainer.c * weights[row] * (z > 0 ? PortableMath.log1p(expNegative) : -z + PortableMath.log1p(expNegative))
            let slope = -trainer.c * weights[row] * sign * (z > 0 ? expNegative / (1 + expNegative) : 1 / (1 + expNegative))
            for entry in matrix.row(row) { reference[entry.column] += slope * Double(entry.value) }
            reference[matrix.columnCount] += slope
        }
        #expect(gradient == reference)
        #expect(abs(value - referenceValue) <= 1e-12 * abs(referenceValue))
    }

    @Test("fitting labels in lockstep lanes, four or eight a pass, gives bit for bit the models of fitting them one by one",
          arguments: [1, 3, 4, 11, 19], [false, true])
    func lockstepMatchesOneByOne(taskCount: Int, wideLanes: Bool) {
        let (matrix, _) = randomProblem(rows: 121, columns: 31, seed: 9)
        var generator = SeededGenerator(seed: UInt64(taskCount))
        let trainer = LogisticRegression(c: 10, classWeighting: .balanced)
        // Labels from common to absent, some warm-started from another label's model.
        let targetSets = (0..<taskCount).map { task in
            (0..<matrix.rowCount).map { _ in Double.random(in: 0..<1, using: &generator) < [0.5, 0.1, 0.02, 0][task % 4] }
        }
        let warm = trainer.fit(matrix, targets: targetSets[0])
        let tasks = targetSets.enumerated().map { LockstepLogisticFits.Task(targets: $1, initial: $0 % 3 == 2 ? warm : nil) }
        expectLockstepEqualsOneByOne(trainer, matrix: matrix, tasks: tasks, wideLanes: wideLanes)
    }

    @Test("lanes that take label after label keep each one's signs and class weights, balanced or not",
          arguments: [ClassWeighting.none, .balanced], [false, true])
    func lockstepClassWeights(weighting: ClassWeighting, wideLanes: Bool) {
        let (matrix, _) = randomProblem(rows: 97, columns: 23, seed: 21)
        var generator = SeededGenerator(seed: 4)
        let trainer = LogisticRegression(c: 3, classWeighting: weighting)
        // More labels than lanes on every thread, with positive rates far apart, so that a lane's
        // next label flips many of its rows' signs and changes both its class weights.
        let targetSets = (0..<37).map { task in
            (0..<matrix.rowCount).map { _ in Double.random(in: 0..<1, using: &generator) < [0.9, 0.05, 0.4, 0.2, 1, 0][task % 6] }
        }
        let tasks = targetSets.map { LockstepLogisticFits.Task(targets: $0, initial: nil) }
        expectLockstepEqualsOneByOne(trainer, matrix: matrix, tasks: tasks, wideLanes: wideLanes)
    }

    @Test("lockstep fits on some rows of a matrix, read in place, give bit for bit the models of fitting on a copy of those rows",
          arguments: [false, true])
    func lockstepOnRowsInPlace(wideLanes: Bool) {
        let (matrix, _) = randomProblem(rows: 121, columns: 31, seed: 15)
        var generator = SeededGenerator(seed: 15)
        let trainer = LogisticRegression(c: 10, classWeighting: .balanced)
        // A fold's training rows: every third row left out, and the last row too.
        let rows = (0..<matrix.rowCount - 1).filter { $0 % 3 != 1 }
        let copy = matrix.selectingRows(rows)
        let targetSets = (0..<11).map { task in
            rows.map { _ in Double.random(in: 0..<1, using: &generator) < [0.5, 0.1, 0.3][task % 3] }
        }
        let warm = trainer.fit(copy, targets: targetSets[0])
        let tasks = targetSets.enumerated().map { LockstepLogisticFits.Task(targets: $1, initial: $0 % 2 == 1 ? warm : nil) }
        let inPlace = LockstepLogisticFits.fit(trainer, features: matrix, rows: rows, tasks: tasks, wideLanes: wideLanes) { $1 }
        for (index, task) in tasks.enumerated() {
            #expect(inPlace[index] == trainer.fit(copy, targets: task.targets, initial: task.initial), "task \(index)")
        }
    }

    /// Fits `tasks` in lockstep lanes and one by one, and expects the same models.
    func expectLockstepEqualsOneByOne(_ trainer: LogisticRegression, matrix: SparseMatrix, tasks: [LockstepLogisticFits.Task],
                                      wideLanes: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let lockstep = LockstepLogisticFits.fit(trainer, features: matrix, tasks: tasks, wideLanes: wideLanes) { $1 }
        for (index, task) in tasks.enumerated() {
            let alone = trainer.fit(matrix, targets: task.targets, initial: task.initial)
            #expect(lockstep[index] == alone, "task \(index)", sourceLocation: sourceLocation)
        }
    }

    @Test("lockstep fits stay bit-identical when a lane starts where some rows' slopes underflow to zero")
    func lockstepMatchesOneByOneWithSaturatedRows() {
        let (matrix, _) = randomProblem(rows: 120, columns: 30, seed: 4)
        var generator = SeededGenerator(seed: 21)
        let trainer = LogisticRegression(c: 10, classWeighting: .balanced)
        let targetSets = (0..<5).map { task in
            (0..<matrix.rowCount).map { _ in Double.random(in: 0..<1, using: &generator) < [0.5, 0.2, 0.05, 0.3, 0.1][task] }
        }
        // A start scaled so far out that e^(−|margin|) underflows on some rows: their slope is
        // exactly zero and the gradient pass must skip them, as the one-label objective does.
        var saturated = trainer.fit(matrix, targets: targetSets[0])
        saturated.weights = saturated.weights.map { $0 * 5_000 }
        let largestMargin = (0..<matrix.rowCount).map { abs(saturated.decision(matrix, row: $0)) }.max() ?? 0
        #expect(largestMargin > 800, "the start must saturate some rows (largest |margin| \(largestMargin))")
        let tasks = targetSets.enumerated().map { LockstepLogisticFits.Task(targets: $1, initial: $0 == 0 || $0 == 3 ? saturated : nil) }
        expectLockstepEqualsOneByOne(trainer, matrix: matrix, tasks: tasks, wideLanes: false)
        expectLockstepEqualsOneByOne(trainer, matrix: matrix, tasks: tasks, wideLanes: true)
    }

    @Test("a separable problem is learnt exactly")
    func separable() {
        var matrix = SparseMatrix(columnCount: 3)
        var targets: [Bool] = []
        for i in 0..<40 {
            let positive = i % 2 == 0
            matrix.appendRow([(Int32(positive ? 0 : 1), Float(1)), (Int32(2), Float(i % 5) / 5)])
            targets.append(positive)
        }
        let model = LogisticRegression(c: 100, classWeighting: .none).fit(matrix, targets: targets)
        for row in 0..<40 {
            #expect((model.decision(matrix, row: row) > 0) == targets[row])
        }
    }

    @Test("with no features the bias converges to the log-odds of the positives (the exact optimum)")
    func interceptOnly() {
        var matrix = SparseMatrix(columnCount: 2)
        for _ in 0..<10 { matrix.appendRow([(Int32, Float)]()) }
        let targets = [true, true, true, false, false, false, false, false, false, false]
        let model = LogisticRegression(c: 1, classWeighting: .none, tolerance: 1e-10).fit(matrix, targets: targets)
        #expect(abs(model.bias - log(3.0 / 7.0)) < 1e-5)
        let balanced = LogisticRegression(c: 1, classWeighting: .balanced, tolerance: 1e-10).fit(matrix, targets: targets)
        #expect(abs(balanced.bias) < 1e-5)
    }

    @Test("an iteration limit stops the fit there, and a looser tolerance stops it no later")
    func stoppingRules() {
        let (matrix, targets) = randomProblem(rows: 80, columns: 20, seed: 11)
        let converged = LogisticRegression(c: 10, classWeighting: .balanced, maxIterations: 1000, tolerance: 1e-8).fit(matrix, targets: targets)
        #expect(converged.iterations > 3, "the problem must need more than the limit below for the test to mean anything")
        let capped = LogisticRegression(c: 10, classWeighting: .balanced, maxIterations: 3, tolerance: 1e-8).fit(matrix, targets: targets)
        #expect(capped.iterations == 3)
        #expect(capped.loss >= converged.loss)
        let loose = LogisticRegression(c: 10, classWeighting: .balanced, maxIterations: 1000, tolerance: 1e-2).fit(matrix, targets: targets)
        #expect(loose.iterations <= converged.iterations)
        #expect(loose.loss >= converged.loss)
    }

    @Test("the optimiser reaches a stationary point of the objective")
    func stationary() {
        let (matrix, targets) = randomProblem(rows: 60, columns: 12, seed: 3)
        let trainer = LogisticRegression(c: 2, classWeighting: .none, maxIterations: 1000, tolerance: 1e-9)
        let model = trainer.fit(matrix, targets: targets)
        var gradient = [Double](repeating: 0, count: 13)
        let loss = trainer.objective(matrix, targets: targets, exampleWeights: trainer.weights(for: targets),
                                     parameters: model.weights + [model.bias], gradient: &gradient)
        #expect(abs(loss - model.loss) < 1e-9)
        #expect(FixedOrderVector.norm(gradient) < 1e-4 * max(1, FixedOrderVector.norm(model.weights)))
    }
}
