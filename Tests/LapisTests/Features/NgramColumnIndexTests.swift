import Foundation
import Testing
@testable import Lapis

@Suite("NgramColumnIndex")
struct NgramColumnIndexTests {
    @Test("every unigram, bigram and trigram term is found by its word ids, and nothing else is")
    func findsEveryTerm() {
        let vocabulary = Vocabulary(["port", "port strike", "port strike end", "strike", "strike end", "grain", "grain port", "#num", "#num tonn",
                                     "tonn", "a b c d"])
        let index = NgramColumnIndex(vocabulary: vocabulary)
        for (column, term) in vocabulary.terms.enumerated() {
            let ids = term.split(separator: " ").map { index.id(of: String($0)) }
            switch ids.count {
            case 1: #expect(index.column(of: ids[0]) == Int32(column), "\(term)")
            case 2: #expect(index.column(ids[0], ids[1]) == Int32(column), "\(term)")
            case 3: #expect(index.column(ids[0], ids[1], ids[2]) == Int32(column), "\(term)")
            default: #expect(index.column(ids[0], ids[1], ids[2]) == -1, "a four-word term is never produced: \(term)")
            }
        }
        let port = index.id(of: "port"), strike = index.id(of: "strike"), grain = index.id(of: "grain")
        #expect(index.column(strike, port) == -1)          // words known, bigram not a term
        #expect(index.column(port, grain) == -1)
        #expect(index.column(grain, port, strike) == -1)   // trigram not a term
        #expect(index.id(of: "ship") == NgramColumnIndex.unknownWord)
        #expect(index.column(of: NgramColumnIndex.unknownWord) == -1)
        #expect(index.column(NgramColumnIndex.unknownWord, port) == -1 && index.column(port, NgramColumnIndex.unknownWord) == -1)
        // "end" is a word of terms but not a unigram term itself.
        #expect(index.id(of: "end") != NgramColumnIndex.unknownWord && index.column(of: index.id(of: "end")) == -1)
    }

    @Test("transform rows with n-grams equal the training rows, story by story, on the corpus", arguments: [1...2, 1...3, 2...2])
    func rowsMatchTraining(ngrams: ClosedRange<Int>) throws {
        let stories = Array(try DocumentReader(path: PassageRowsTests.corpusPath, fields: FieldNames(labels: "labels")).readAll().prefix(200))
        let texts = stories.map { ($0.title ?? "") + "\n" + $0.text }
        let (vectorizer, fitted) = TfidfOptions(analyzer: TextAnalyzer(ngramRange: ngrams, keepsNumbers: true), vocabulary: VocabularyOptions(minDocumentCount: 2))
            .fitTransform(texts)
        #expect(vectorizer.transform(texts) == fitted)
    }
}
