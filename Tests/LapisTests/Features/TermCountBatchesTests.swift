import Testing
@testable import Lapis

@Suite("TermCountBatches")
struct TermCountBatchesTests {
    /// Texts whose terms first appear at different points, with rare and common words and bigrams.
    static let texts: [String] = (0..<240).map { index in
        let words = ["tariff", "port", "navy", "summit", "rail", "quota", "treaty", "strike"]
        return (0..<(index % 9)).map { words[(index * 7 + $0 * 3) % words.count] + ($0 % 4 == 0 ? "\(index % 13)" : "") }
            .joined(separator: " ")
    }

    @Test("documents counted in batches of any size give the vectorizer and matrix of counting them at once",
          arguments: [1, 7, 16, 50, 239, 240])
    func batchesCutAnywhere(batchSize: Int) {
        for vocabulary in [VocabularyOptions(minDocumentCount: 2), VocabularyOptions(minDocumentCount: 1, maxDocumentFraction: 0.5, maxTerms: 12)] {
            let options = TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...2, removesStopWords: false, stems: false), vocabulary: vocabulary)
            var batches = TermCountBatches(options: options)
            for start in stride(from: 0, to: Self.texts.count, by: batchSize) {
                batches.add(Array(Self.texts[start..<min(start + batchSize, Self.texts.count)])) { $0 }
            }
            #expect(batches.documentCount == Self.texts.count)
            let (vectorizer, matrix) = batches.fitTransform()
            let (atOnce, atOnceMatrix) = options.fitTransform(Self.texts)
            #expect(vectorizer == atOnce)
            #expect(matrix == atOnceMatrix)
            // And the rows are those the fitted vectorizer makes of each text on its own.
            #expect(matrix == vectorizer.transform(Self.texts))
            #expect(vectorizer.vocabulary.count > 5 && matrix.rowCount == Self.texts.count)
            #expect(batches.documentCount == 0, "the counts are let go once the matrix is made")
        }
    }
}
