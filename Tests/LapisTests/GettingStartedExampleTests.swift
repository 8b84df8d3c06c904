import Foundation
import Testing
import Lapis

/// Compiles and runs the Swift example of Sources/Lapis/Lapis.docc/GettingStarted.md, and checks
/// that the article still shows exactly this code (so the documentation cannot drift from an
/// API that compiles).
@Suite("getting-started article")
struct GettingStartedExampleTests {
    static let article = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Lapis/Lapis.docc/GettingStarted.md").standardizedFileURL.path

    @Test("the article's example trains, classifies, explains and summarizes")
    func example() throws {
        let directory = NSTemporaryDirectory() + "lapis-getting-started-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The article reads TrainingData/corpus.jsonl; the small fixture keeps the test fast.
        let corpus = try #require(Bundle.module.url(forResource: "Fixtures/mini-corpus", withExtension: "jsonl")).path
        let modelPath = directory + "/topics.lapis"

        // --- begin article code ---
        // 1. Read labelled stories: {"id", "title", "text", "labels": [...]} per line.
        let documents = try DocumentReader(path: corpus, fields: FieldNames(labels: "labels")).readAll()

        // 2. Train: TF-IDF features and one logistic regression per label. The same data and
        //    options always give the same model.
        let classifier = try TopicClassifierOptions().fit(documents)
        try classifier.save(to: modelPath)

        // 3. Load the model again and classify a new story.
        let model = try TopicClassifier.load(path: modelPath)
        let story = Document(
            id: "new-1",
            title: "Port strike delays grain exports",
            text: """
            Dock workers at the northern port walked out on Monday over pay. \
            Grain shipments bound for export markets were held at the terminal. \
            Trade officials said the delay could cost exporters millions in lost sales. \
            Talks between the union and the port authority resume on Wednesday.
            """)
        let prediction = model.predict(story)
        print("labels:", prediction.labels)
        for (label, probability) in prediction.scores.sorted(by: { $0.value > $1.value }) {
            print(label, probability)
        }

        // 4. Why: for each label, the terms that pushed its score up or down.
        let explanation = model.explain(story, terms: 3)
        for label in explanation.labels {
            print(label.label, "up:", label.positive.map(\.term), "down:", label.negative.map(\.term))
        }

        // 5. Summarize: the two best sentences, verbatim, in story order.
        let summary = PositionalCentralitySummarizer().summarize(story.text, title: story.title, count: 2)
        print(summary.joined(separator: "\n"))

        let report = ClassificationReport(labels: model.labels,
                                          truth: documents.map { Set($0.labels ?? []) },
                                          predicted: model.predict(documents).map { Set($0.labels) })
        print(report.table())

        let rouge = RougeScorer().score(candidate: summary.joined(separator: "\n"), reference: "Dock workers walked out.")
        print(rouge.rouge1.f1)
        // --- end article code ---

        let storiesPath = try Self.writeStoriesWithSummaries(in: directory)
        let scorerPath = directory + "/scorer.lapis"
        // --- begin article code (supervised summarizer) ---
        // Stories with a reference summary: {"id", "title", "text", "summary"} per line.
        let stories = try DocumentReader(path: storiesPath, fields: FieldNames(extra: ["summary"])).readAll()
        let references = stories.map { SupervisedSummarizer.Reference.text($0.extraFields["summary"] ?? "") }
        let scorer = try SupervisedSummarizerOptions().fit(stories, references: references)
        try scorer.save(to: scorerPath)
        let learnt = scorer.summarize(story.text, title: story.title, count: 3)
        print(learnt.joined(separator: "\n"))
        // --- end article code (supervised summarizer) ---
        #expect(stories.count == 8)
        #expect(FileManager.default.fileExists(atPath: scorerPath))
        #expect(learnt.count == 3 && learnt.allSatisfy { story.text.contains($0) })

        #expect(documents.count == 14)
        #expect(FileManager.default.fileExists(atPath: modelPath))
        #expect(model == classifier)
        #expect(Set(prediction.scores.keys) == Set(classifier.labels))
        #expect(prediction.labels.contains("trade"), "\(prediction.scores)")
        #expect(explanation.labels.count == classifier.labels.count)
        #expect(summary.count == 2 && summary.allSatisfy { story.text.contains($0) })
        #expect(report.documentCount == documents.count)
        #expect(rouge.rouge1.f1 > 0)
    }

    /// Eight short stories of our own whose reference is their second and third sentences.
    static func writeStoriesWithSummaries(in directory: String) throws -> String {
        let places = ["harbour", "airport", "border post", "rail yard", "customs office", "ferry terminal", "grain silo", "pipeline hub"]
        let lines = try places.enumerated().map { index, place in
            let sentences = ["Reporters gathered early near the \(place).", "Officials said work at the \(place) would stop for two days.",
                             "Traders expect delays to shipments passing through the \(place).", "The weather stayed mild all week."]
            let record = ["id": "s\(index)", "title": "Work halts at the \(place)", "text": sentences.joined(separator: " "),
                          "summary": sentences[1] + " " + sentences[2]]
            return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
        }
        let path = directory + "/stories-with-summaries.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("every Swift block of the article appears in this test, line for line")
    func articleMatchesTest() throws {
        func normalized(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
        }
        let article = try String(contentsOfFile: Self.article, encoding: .utf8)
        let source = normalized(try String(contentsOfFile: #filePath, encoding: .utf8))
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == 3)
        for block in blocks {
            // The article's own file paths stand in for the test's temporary ones.
            let code = block.split(separator: "\n").filter {
                !$0.hasPrefix("import Lapis") && !$0.hasPrefix("let corpus =") && !$0.hasPrefix("let modelPath =")
                    && !$0.hasPrefix("let storiesPath =") && !$0.hasPrefix("let scorerPath =")
            }.joined(separator: "\n")
            #expect(source.contains(normalized(code)), "GettingStarted.md has code this test does not run:\n\(code)")
        }
    }
}
