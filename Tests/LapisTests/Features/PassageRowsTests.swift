import Foundation
import Testing
@testable import Lapis

@Suite("Passage rows")
struct PassageRowsTests {
    static let corpusPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/TrainingData/corpus.jsonl"

    @Test("each passage's row equals the row of its text analysed whole (unigrams, bigrams and trigrams, with and without a title)",
          arguments: [1...1, 1...2, 1...3])
    func passagesMatchWholeText(ngrams: ClosedRange<Int>) throws {
        let stories = Array(try DocumentReader(path: Self.corpusPath, fields: FieldNames(labels: "labels")).readAll().prefix(150))
        let (vectorizer, _) = TfidfOptions(analyzer: TextAnalyzer(ngramRange: ngrams), vocabulary: VocabularyOptions(minDocumentCount: 1))
            .fitTransform(stories.map { ($0.title ?? "") + "\n" + $0.text })
        for (index, story) in stories.enumerated() {
            let prefix = index % 2 == 0 ? (story.title ?? "") + "\n" : ""
            let sentences = SentenceSplitter().sentences(story.text)
            for window in [1, 3] {
                let rows = vectorizer.passageRows(prefix: prefix, sentences: sentences, window: window)
                #expect(rows.count == max(1, sentences.count - window + 1))
                for (start, row) in rows.enumerated() {
                    let text = prefix + sentences[start..<min(sentences.count, start + window)].joined(separator: " ")
                    let expected = vectorizer.row(for: text)
                    #expect(row.map(\.0) == expected.map(\.0) && row.map(\.1) == expected.map(\.1), "\(story.id) window \(window) at \(start)")
                }
            }
        }
    }

    @Test("with phrase groups, passage rows and the whole story's row equal those of their text analysed whole",
          arguments: [1...1, 1...2, 1...3])
    func passagesWithPhraseGroups(ngrams: ClosedRange<Int>) throws {
        let root = URL(fileURLWithPath: Self.corpusPath).deletingLastPathComponent().deletingLastPathComponent().path
        let groups = try PhraseGroups.read(contentsOf: root + "/TrainingData/phrase-groups.txt")
        let stories = Array(try DocumentReader(path: Self.corpusPath, fields: FieldNames(labels: "labels")).readAll().prefix(150))
        let (vectorizer, _) = TfidfOptions(analyzer: TextAnalyzer(ngramRange: ngrams, phraseGroups: groups), vocabulary: VocabularyOptions(minDocumentCount: 1))
            .fitTransform(stories.map { ($0.title ?? "") + "\n" + $0.text })
        #expect(vectorizer.vocabulary.index(of: "#international-body") != nil)
        for story in stories {
            let prefix = (story.title ?? "") + "\n"
            let sentences = SentenceSplitter().sentences(story.text)
            let (whole, passages) = vectorizer.storyRows(prefix: prefix, sentences: sentences, window: 3)
            let expectedWhole = vectorizer.row(for: prefix + story.text)
            #expect(whole.map(\.0) == expectedWhole.map(\.0) && whole.map(\.1) == expectedWhole.map(\.1), "\(story.id) whole")
            for (start, row) in passages.enumerated() {
                let expected = vectorizer.row(for: prefix + sentences[start..<min(sentences.count, start + 3)].joined(separator: " "))
                #expect(row.map(\.0) == expected.map(\.0) && row.map(\.1) == expected.map(\.1), "\(story.id) at \(start)")
            }
        }
    }

    @Test("a story without sentences has one passage: the title alone, or nothing", arguments: [1...1, 1...2, 1...3])
    func noSentences(ngrams: ClosedRange<Int>) {
        let (vectorizer, _) = TfidfOptions(analyzer: TextAnalyzer(ngramRange: ngrams), vocabulary: VocabularyOptions(minDocumentCount: 1))
            .fitTransform(["port strike halts grain exports", "grain exports resume at the port"])
        let titled = vectorizer.passageRows(prefix: "port strike\n", sentences: [], window: 3)
        #expect(titled.count == 1)
        #expect(titled[0].map(\.0) == vectorizer.row(for: "port strike\n").map(\.0))
        #expect(vectorizer.passageRows(prefix: "", sentences: [], window: 3).map(\.isEmpty) == [true])
    }
}
