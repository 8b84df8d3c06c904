import Foundation
import Testing
@testable import Lapis

/// Checks on our own labelled corpus (TrainingData/corpus.jsonl) and the default model built from it.
@Suite("Training corpus and default model")
struct CorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let corpusPath = root + "/TrainingData/corpus.jsonl"
    static let seedPath = root + "/../shared/data/seed/azernews-2020-06-01.txt"
    static let topics = ["trade", "security", "transport", "multilateral"]

    static let documents: [Document] = {
        (try? DocumentReader(path: corpusPath, fields: FieldNames(labels: "labels", extra: ["summary_sentences"])).readAll()) ?? []
    }()

    @Test("at least 1,500 stories with the required label mix")
    func labelCounts() {
        let documents = Self.documents
        #expect(documents.count >= 1_500)
        for topic in Self.topics {
            #expect(documents.filter { $0.labels!.contains(topic) }.count >= 350, "\(topic)")
        }
        #expect(documents.filter { $0.labels!.isEmpty }.count >= 300)
        #expect(documents.filter { $0.labels!.count >= 2 }.count >= 250)
        #expect(Set(documents.flatMap { $0.labels! }).isSubset(of: Set(Self.topics)))
        #expect(Set(documents.map(\.id)).count == documents.count)
    }

    @Test("the length of real news: median at least 280 words, a quarter over 450, at least 60 over 900")
    func storyLengths() {
        let words = Self.documents.map { $0.text.split(whereSeparator: \.isWhitespace).count }.sorted()
        #expect(words.count >= 1_500)
        #expect(words[words.count / 2] >= 280, "median \(words[words.count / 2]) words")
        #expect(words.filter { $0 > 450 }.count * 4 >= words.count, "\(words.filter { $0 > 450 }.count) over 450 words")
        #expect(words.filter { $0 > 900 }.count >= 60, "\(words.filter { $0 > 900 }.count) over 900 words")
    }

    @Test("4 to 80 sentences each, and three valid summary sentences by our splitter")
    func sentencesAndSummaries() {
        let splitter = SentenceSplitter()
        for document in Self.documents {
            let count = splitter.sentences(document.text).count
            #expect((4...80).contains(count), "\(document.id): \(count) sentences")
            let summary = document.indexFields["summary_sentences"] ?? []
            #expect(summary.count == 3 && summary == summary.sorted() && Set(summary).count == 3
                    && summary.allSatisfy { $0 >= 0 && $0 < count }, "\(document.id): \(summary)")
        }
    }

    @Test("stories span at least 60 countries")
    func countries() throws {
        let text = try String(contentsOfFile: Self.corpusPath, encoding: .utf8)
        var countries = Set<String>()
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            countries.formUnion(object["countries"] as? [String] ?? [])
        }
        #expect(countries.count >= 60)
    }

    @Test("no two stories share a sentence or are near-duplicates (5-word shingles)")
    func noDuplicates() {
        let splitter = SentenceSplitter()
        var seen: [String: String] = [:]
        for document in Self.documents {
            for sentence in splitter.sentences(document.text) where sentence.count > 20 {
                if let other = seen[sentence] { Issue.record("\(document.id) repeats a sentence of \(other)") }
                seen[sentence] = document.id
            }
        }
        // Jaccard similarity of 5-word shingle sets, over every pair, via an inverted index.
        let shingles: [Set<String>] = Self.documents.map { document in
            let words = document.text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
            guard words.count >= 5 else { return [] }
            return Set((0...(words.count - 5)).map { words[$0..<($0 + 5)].joined(separator: " ") })
        }
        var postings: [String: [Int]] = [:]
        for (index, set) in shingles.enumerated() { for shingle in set { postings[shingle, default: []].append(index) } }
        var shared: [Int: Int] = [:]
        let n = shingles.count
        for list in postings.values where list.count > 1 {
            for a in 0..<list.count { for b in (a + 1)..<list.count { shared[list[a] * n + list[b], default: 0] += 1 } }
        }
        var worst = 0.0
        for (key, count) in shared {
            let (a, b) = (key / n, key % n)
            let jaccard = Double(count) / Double(shingles[a].count + shingles[b].count - count)
            worst = max(worst, jaccard)
            #expect(jaccard < 0.2, "\(Self.documents[a].id) and \(Self.documents[b].id): \(jaccard)")
        }
        #expect(worst < 0.2)
    }

    @Test("the default model is the one the documented command trains from TrainingData, byte for byte")
    func defaultModelReproduces() throws {
        let shipped = try FileContents.bytes(Self.root + "/Models/default.lapis")
        // The README's command: lapis train --data TrainingData/corpus.jsonl --labels ...
        // --ngrams 2 --min-df 3 -C 100 --fold-iterations 20 --passage-sentences 3
        // --phrase-groups TrainingData/phrase-groups.txt.
        let groups = try PhraseGroups.read(contentsOf: Self.root + "/TrainingData/phrase-groups.txt")
        let options = TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: 1...2, phraseGroups: groups), vocabulary: VocabularyOptions(minDocumentCount: 3),
                                             logistic: LogisticRegression(c: 100), foldIterations: 20, passageSentences: 3)
        // `lapis train` records the fields it read the data with; these are its defaults.
        let retrained = try options.fit(Self.documents, labels: Self.topics).recordingFields(FieldNames(labels: "labels"))
        #expect(try retrained.modelFile().serialized() == shipped)
    }

    @Test("the canonical seed story gets all four topics",
          .enabled(if: FileManager.default.fileExists(atPath: seedPath), "../shared/data is absent: the seed story is read from there at run time"))
    func seedStory() throws {
        let classifier = try TopicClassifier.loadDefault()
        let story = Document(id: "seed", text: try FileContents.text(Self.seedPath))
        #expect(Set(classifier.predict(story).labels) == Set(Self.topics))
    }
}
