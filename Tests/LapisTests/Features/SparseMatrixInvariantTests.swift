import Testing
@testable import Lapis

@Suite("SparseMatrix invariants")
struct SparseMatrixInvariantTests {
    static let texts = ["tariffs on steel and steel exports", "", "the navy and the army", "steel, tariffs, navy: all three",
                        "rail freight and port traffic"]

    @Test("TF-IDF rows and row selections keep strictly increasing columns in range")
    func builtMatricesKeepInvariants() {
        let (_, matrix) = TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...2), vocabulary: VocabularyOptions(minDocumentCount: 1))
            .fitTransform(Self.texts)
        matrix.checkInvariants()
        matrix.selectingRows([4, 0, 2]).checkInvariants()
        var appended = matrix
        appended.appendRows(of: matrix)
        appended.checkInvariants()
        // Each row's columns really are strictly increasing (what checkInvariants walks in debug builds).
        for row in 0..<matrix.rowCount {
            let columns = matrix.row(row).map(\.column)
            #expect(zip(columns, columns.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test("a model with no features decides by its bias alone")
    func emptyWeightsDecision() {
        let model = LogisticRegression.Model(weights: [], bias: -0.25, loss: 0, iterations: 0)
        var matrix = SparseMatrix(columnCount: 0)
        matrix.appendRow([(Int32, Float)]())
        #expect(model.decision(matrix, row: 0) == -0.25)
    }
}
