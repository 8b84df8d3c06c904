import Testing
@testable import Lapis

@Suite("Label targets kept as positive rows")
struct LabelTargetsTests {
    @Test("a label's targets for any ascending rows are the Booleans they stand for", arguments: [0, 1, 7, 60])
    func targetsForRows(rowCount: Int) {
        var generator = SeededGenerator(seed: UInt64(rowCount) + 3)
        let labelSets = (0..<rowCount).map { _ in Set((0..<4).filter { _ in Double.random(in: 0..<1, using: &generator) < 0.3 }) }
        let targets = LabelTargets(labelSets: labelSets, labelCount: 4)
        #expect(targets.rowCount == rowCount && targets.labelCount == 4)
        let someRows = (0..<rowCount).filter { _ in Bool.random(using: &generator) }
        for label in 0..<4 {
            let booleans = labelSets.map { $0.contains(label) }
            #expect(targets.targets(label) == booleans, "label \(label), every row")
            #expect(targets.targets(label, rows: someRows) == someRows.map { booleans[$0] }, "label \(label), some rows")
            #expect(targets.positiveCount(label) == booleans.filter { $0 }.count)
        }
        let fromBooleans = LabelTargets((0..<4).map { label in labelSets.map { $0.contains(label) } })
        #expect(fromBooleans == targets, "built from Booleans or from label sets, the same")
    }

    @Test("label indices outside the label range are ignored, as the classifier ignores them")
    func outOfRangeLabels() {
        let targets = LabelTargets(labelSets: [[0, 5], [-1], [1]], labelCount: 2)
        #expect(targets.targets(0) == [true, false, false])
        #expect(targets.targets(1) == [false, false, true])
    }
}
