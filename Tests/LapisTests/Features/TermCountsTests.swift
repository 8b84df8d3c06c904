import Testing
@testable import Lapis

/// Fitting counts terms as integer ids (``TermCounts``, ``TokenIDMemo``); these tests hold
/// it to the plain string counting it replaced, whose output the model files were made of.
@Suite("Term counting by id")
struct TermCountsTests {
    /// Stories with repeats, numbers, possessives, stop words, non-ASCII text and shared
    /// n-grams, so every path of the analyzer is met many times.
    static let texts: [String] = {
        let words = ["trade", "deficit", "exports", "the", "ministers'", "talks", "café", "crème", "U.S.", "1,200",
                     "3.5", "tariffs", "ports", "strikes", "China's", "won't", "rail", "unions", "Ærø", "e.g.",
                     "state-owned", "ＦＵＬＬ", "naïve", "ships", "shipping", "shipped", "a", "of", "ﬁnance", "2024"]
        var generator = SeededGenerator(seed: 7)
        return (0..<300).map { index in
            if index % 50 == 0 { return "" }
            let count = Int.random(in: 1...40, using: &generator)
            return (0..<count).map { _ in words.randomElement(using: &generator)! }.joined(separator: index % 3 == 0 ? " " : ", ")
        }
    }()

    /// The vocabulary, idf and rows as string counting computes them (the code before ids).
    static func reference(_ texts: [String], _ options: TfidfOptions) -> (terms: [String], idf: [Float], rows: [[(Int32, Float)]]) {
        let counts = texts.map { text -> [String: Int32] in
            var counts: [String: Int32] = [:]
            for term in options.analyzer.terms(text) { counts[term, default: 0] += 1 }
            return counts
        }
        var documentFrequency: [String: Int] = [:]
        var totalFrequency: [String: Int] = [:]
        for document in counts {
            for (term, count) in document {
                documentFrequency[term, default: 0] += 1
                totalFrequency[term, default: 0] += Int(count)
            }
        }
        let limit = options.vocabulary.maxDocumentFraction >= 1 ? Int.max : Int((options.vocabulary.maxDocumentFraction * Double(texts.count)).rounded(.down))
        var kept = documentFrequency.keys.filter { documentFrequency[$0]! >= options.vocabulary.minDocumentCount && documentFrequency[$0]! <= limit }
        if let cap = options.vocabulary.maxTerms, kept.count > cap {
            kept = Array(kept.sorted { totalFrequency[$0]! != totalFrequency[$1]! ? totalFrequency[$0]! > totalFrequency[$1]! : $0.utf8.lexicographicallyPrecedes($1.utf8) }.prefix(cap))
        }
        let terms = kept.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let idf = terms.map { TfidfWeighting.smoothedIDF(documentCount: texts.count, documentFrequency: documentFrequency[$0]!) }
        let column = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, Int32($0)) })
        let rows = counts.map { document in
            TfidfWeighting.normalizedRow(document.compactMap { term, count in column[term].map { ($0, count) } }, idf: idf, sublinearTF: options.sublinearTF)
        }
        return (terms, idf, rows)
    }

    @Test("vocabulary, idf and every row equal string counting's, for every analyzer setting and vocabulary option", arguments: [
        TfidfOptions(),
        TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...2)),
        TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...3, removesStopWords: false, stems: false, keepsNumbers: true), vocabulary: VocabularyOptions(minDocumentCount: 1)),
        TfidfOptions(analyzer: TextAnalyzer(ngramRange: 2...3, keepsNumbers: true), vocabulary: VocabularyOptions(minDocumentCount: 3, maxDocumentFraction: 0.5)),
        TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...2), vocabulary: VocabularyOptions(minDocumentCount: 1, maxTerms: 25), sublinearTF: false),
    ])
    func matchesStringCounting(options: TfidfOptions) {
        let expected = Self.reference(Self.texts, options)
        let (vectorizer, matrix) = options.fitTransform(Self.texts)
        #expect(vectorizer.vocabulary.terms == expected.terms)
        #expect(vectorizer.idf == expected.idf)
        #expect(matrix.rowCount == Self.texts.count)
        for (index, row) in expected.rows.enumerated() {
            #expect(matrix.row(index).map { Int32($0.column) } == row.map(\.0), "row \(index)")
            #expect(matrix.row(index).map(\.value) == row.map(\.1), "row \(index)")
        }
    }

    @Test("counts do not depend on how the stories are split into runs")
    func splitIndependent() {
        let analyzer = TextAnalyzer(ngramRange: 1...3, keepsNumbers: true)
        func byTerm(_ runs: [TermCounts]) -> [[String: Int32]] {
            runs.flatMap { run in
                (0..<run.documentCount).map { document in
                    var counts: [String: Int32] = [:]
                    for entry in run.documentStarts[document]..<run.documentStarts[document + 1] {
                        counts[run.terms[Int(run.termIDs[entry])]] = run.counts[entry]
                    }
                    return counts
                }
            }
        }
        let whole = byTerm([TermCounts(Self.texts, analyzer: analyzer)])
        let pieces = byTerm([TermCounts(Self.texts[..<7], analyzer: analyzer), TermCounts(Self.texts[7..<150], analyzer: analyzer),
                             TermCounts(Self.texts[150...], analyzer: analyzer)])
        #expect(whole == pieces)
        #expect(whole.count == Self.texts.count)
    }

    @Test("the byte-keyed memo returns what it remembered for thousands of tokens, across growth, and starts afresh when full")
    func tokenIDMemo() {
        let tokens = (0..<5_000).map { "t\($0)" } + ["", "a", "ab", "é", "aé", "\u{0}x"]
        var memo = TokenIDMemo(capacity: .max)
        var computed = 0
        for _ in 0..<2 {
            for (index, token) in tokens.enumerated() {
                var bytes = Array(token.utf8)
                let value = bytes.withUnsafeMutableBufferPointer { buffer in
                    memo.value(for: UnsafeBufferPointer(buffer)) { computed += 1; return Int32(index) }
                }
                #expect(value == Int32(index), "\(token)")
            }
        }
        #expect(computed == tokens.count)  // the second pass found every token
        var small = TokenIDMemo(capacity: 2)
        computed = 0
        for token in ["a", "b", "a", "c", "a"] {
            var bytes = Array(token.utf8)
            _ = bytes.withUnsafeMutableBufferPointer { buffer in small.value(for: UnsafeBufferPointer(buffer)) { computed += 1; return 1 } }
        }
        // a, b computed; a remembered; c clears the full memo and is computed; a computed again.
        #expect(computed == 4)
        #expect(small.count == 2)
    }

    @Test("an n-gram transform's token memo that fills up starts afresh and changes no row")
    func ngramMemoCapacity() {
        let (vectorizer, fitted) = TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...3, keepsNumbers: true),
                                                vocabulary: VocabularyOptions(minDocumentCount: 1)).fitTransform(Self.texts)
        var columns = TokenIDMemo(capacity: 5)
        var words = NgramColumnMemo(capacity: 20)
        words.index = NgramColumnIndex(vocabulary: vectorizer.vocabulary)
        words.counter.reserve(columns: vectorizer.vocabulary.count)
        var largest = 0
        for (index, text) in Self.texts.enumerated() {
            let row = vectorizer.row(for: text, columns: &columns, words: &words)
            largest = max(largest, words.tokens.count)
            #expect(row.map(\.0) == fitted.row(index).map { Int32($0.column) }, "row \(index)")
            #expect(row.map(\.1) == fitted.row(index).map(\.value), "row \(index)")
        }
        // Bounded by the capacity, not by the stream.
        #expect(largest <= 20)
    }
}
