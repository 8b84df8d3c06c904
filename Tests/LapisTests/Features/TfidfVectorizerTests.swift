import Testing
@testable import Lapis

@Suite("TfidfVectorizer")
struct TfidfVectorizerTests {
    let plain = TextAnalyzer(ngramRange: 1...1, removesStopWords: false, stems: false)

    @Test("values match the documented formula, computed by hand")
    func handComputed() {
        let (vectorizer, matrix) = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(["apple banana", "apple cherry cherry"])
        #expect(vectorizer.vocabulary.terms == ["apple", "banana", "cherry"])
        #expect(abs(vectorizer.idf[0] - 1) < 1e-6)
        #expect(abs(vectorizer.idf[1] - 1.4054651) < 1e-6)
        #expect(abs(matrix[0, 0] - 0.5797387) < 1e-6)
        #expect(abs(matrix[0, 1] - 0.8148025) < 1e-6)
        #expect(matrix[0, 2] == 0)
        #expect(abs(matrix[1, 0] - 0.3874113) < 1e-6)
        #expect(abs(matrix[1, 2] - 0.9219070) < 1e-6)
    }

    @Test("transform of new text uses the fitted idf and ignores unknown terms")
    func transformNewText() {
        let (vectorizer, _) = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(["apple banana", "apple cherry cherry"])
        let matrix = vectorizer.transform(["banana durian", "durian"])
        #expect(matrix.row(0).map(\.column) == [1])
        #expect(abs(matrix[0, 1] - 1) < 1e-6)
        #expect(matrix.row(1).isEmpty)
    }

    @Test("a vocabulary sorts and de-duplicates its terms by bytes, whatever order they come in")
    func vocabularyOrder() {
        let expected = ["Zebra", "apple", "apple pie", "banana", "é"]
        for input in [expected, expected.reversed(), expected + ["apple", "banana"], ["apple", "apple"] + expected] {
            let vocabulary = Vocabulary(input)
            #expect(vocabulary.terms == expected)
            #expect(expected.enumerated().allSatisfy { vocabulary.index(of: $1) == $0 })
        }
    }

    @Test("remembering tokens across calls changes no feature value, for every analyzer setting")
    func memoisedTransformMatchesFreshRows() {
        let texts = [
            "The U.S. trade deficit's widening: exports fell 3.5% to $1,200 million in March.",
            "Ministers' talks on trade, tariffs and the Café Crème exports resumed; the deficit widened.",
            "Exports, exports, EXPORTS: the deficit isn't news — 2024's figures were 12 billion.",
            "Rail strikes halted ports and airports; ministers met the unions on Tuesday.",
        ]
        let settings = [
            TextAnalyzer(),
            TextAnalyzer(ngramRange: 1...2),
            TextAnalyzer(ngramRange: 1...3, removesStopWords: false, stems: false, keepsNumbers: true),
            TextAnalyzer(keepsNumbers: true),
        ]
        for analyzer in settings {
            let (vectorizer, fitted) = TfidfOptions(analyzer: analyzer, vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(texts)
            let firstPass = vectorizer.transform(texts + texts.reversed())
            let secondPass = vectorizer.transform(texts + texts.reversed())
            #expect(firstPass == secondPass)
            for (index, text) in (texts + texts.reversed()).enumerated() {
                // Expected row from the analyzer's own terms, counted without any memo.
                var counts: [Int32: Int32] = [:]
                for term in analyzer.terms(text) {
                    if let column = vectorizer.vocabulary.index(of: term) { counts[Int32(column), default: 0] += 1 }
                }
                let expected = vectorizer.weightedRow(counts.map { ($0.key, $0.value) })
                #expect(firstPass.row(index).map { Int32($0.column) } == expected.map(\.0), "row \(index)")
                #expect(firstPass.row(index).map(\.value) == expected.map(\.1), "row \(index)")
            }
            for row in 0..<texts.count { #expect(fitted.row(row).map(\.value) == firstPass.row(row).map(\.value)) }
        }
    }

    @Test("a full token memo starts afresh instead of growing")
    func memoCapacity() {
        var memo = TokenMemo<Int>(capacity: 2)
        var computed = 0
        for token in ["a", "b", "a", "c", "a"] { _ = memo.value(for: token) { computed += 1; return token.count } }
        // a, b computed; a remembered; c clears the memo (full) and is computed; a computed again.
        #expect(computed == 4)
        var none = TokenMemo<Int>(capacity: 0)
        computed = 0
        for token in ["a", "a", "a"] { _ = none.value(for: token) { computed += 1; return 1 } }
        #expect(computed == 3)
    }

    @Test("min and max document frequency and the size cap prune the vocabulary")
    func pruning() {
        let texts = ["common rare1", "common shared", "common shared extra", "common"]
        let minimum = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 2)).fitTransform(texts).0
        #expect(minimum.vocabulary.terms == ["common", "shared"])
        let maximum = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1, maxDocumentFraction: 0.9)).fitTransform(texts).0
        #expect(!maximum.vocabulary.terms.contains("common"))
        let capped = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1, maxTerms: 2)).fitTransform(texts).0
        #expect(capped.vocabulary.terms == ["common", "shared"])
    }

    @Test("feature order does not depend on document order")
    func deterministicOrder() {
        let texts = ["zeta alpha", "beta gamma alpha", "delta zeta"]
        let forward = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(texts).0
        let backward = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(texts.reversed()).0
        #expect(forward == backward)
    }

    @Test("texts made from items chunk by chunk give the vectorizer and matrix of the texts made first")
    func textsMadeWhileCounting() {
        // Enough items for several chunks (16 at least each), so that every chunk makes its own.
        let items = (0..<200).map { ($0, ["alpha beta", "gamma alpha delta", "beta beta zeta", ""][$0 % 4]) }
        let make: @Sendable ((Int, String)) -> String = { "title\($0.0 % 7) " + $0.1 }
        let options = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 2))
        let (madeFirst, madeFirstMatrix) = options.fitTransform(items.map(make))
        let (madeLater, madeLaterMatrix) = options.fitTransform(items, text: make)
        #expect(madeLater == madeFirst)
        #expect(madeLaterMatrix == madeFirstMatrix)
        #expect(madeLaterMatrix.rowCount == items.count && madeLater.vocabulary.count > 5)
    }

    @Test("rows are unit length; empty documents give empty rows")
    func normalised() {
        let (_, matrix) = TfidfOptions(analyzer: plain, vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(["alpha beta gamma alpha", "beta gamma", ""])
        for row in 0..<2 {
            let norm = matrix.row(row).reduce(Float(0)) { $0 + $1.value * $1.value }
            #expect(abs(norm - 1) < 1e-5)
        }
        #expect(matrix.row(2).isEmpty)
    }
}

@Suite("SparseMatrix")
struct SparseMatrixTests {
    @Test("rows, lookups and row selection")
    func rowsAndSelection() {
        var matrix = SparseMatrix(columnCount: 4)
        matrix.appendRow([(Int32(0), Float(1)), (2, 2)])
        matrix.appendRow([(Int32(3), Float(5))])
        matrix.appendRow([(Int32, Float)]())
        #expect(matrix.rowCount == 3 && matrix.storedCount == 3)
        #expect(matrix[0, 2] == 2 && matrix[0, 1] == 0 && matrix[1, 3] == 5)
        let selected = matrix.selectingRows([1, 0])
        #expect(selected.rowCount == 2 && selected[0, 3] == 5 && selected[1, 0] == 1)
        var joined = matrix
        joined.appendRows(of: selected)
        #expect(joined.rowCount == 5 && joined[4, 2] == 2)
    }
}

@Suite("Vocabulary order")
struct VocabularyOrderTests {
    @Test("byte order of UTF-8, as the model file stores terms: prefixes first, then by byte", arguments: [
        ("a", "b", true), ("b", "a", false), ("a", "a", false), ("", "a", true), ("a", "", false),
        ("trade", "trade deal", true), ("Z", "a", true), ("é", "z", false), ("z", "é", true), ("e\u{301}", "é", true),
    ])
    func utf8Order(a: String, b: String, precedes: Bool) {
        #expect(Vocabulary.utf8Precedes(a, b) == precedes)
        #expect(Vocabulary.utf8Precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8))
    }

    @Test("terms already in order are kept as they are; others are sorted and de-duplicated")
    func canonical() {
        #expect(Vocabulary(["b", "a", "b", "é", "e"]).terms == ["a", "b", "e", "é"])
        #expect(Vocabulary(["a", "b", "c"]).terms == ["a", "b", "c"])
    }
}

@Suite("TF-IDF weighting")
struct TfidfWeightingTableTests {
    @Test("the table of small sublinear term frequencies holds exactly 1 + ln count")
    func sublinearTable() {
        for count in Int32(1)...Int32(200) {
            #expect(TfidfWeighting.sublinearTermFrequency(count) == 1 + Float(PortableMath.log(Double(count))), "\(count)")
        }
    }
}
