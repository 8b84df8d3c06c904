import Foundation
import LapisTestSupport
import Testing

@Suite("lapis train-summarizer and a sentence-scorer model")
struct TrainSummarizerCLITests {
    /// Twelve stories whose reference (text, like BBC's `summary`) is the two long sentences
    /// about the topic; the short lines and the unrelated ones are never in it.
    static func storiesJSONL() -> String {
        let topics = ["harbour", "tariff", "border", "summit", "airline", "grain", "railway", "fishery", "budget", "museum", "pipeline", "vaccine"]
        return topics.enumerated().map { index, topic in
            let long1 = "The \(topic) committee agreed a detailed plan covering funding, staffing, deadlines and public reports for every district."
            let long2 = "Officials said the \(topic) plan would be reviewed each spring by independent auditors and published in full online."
            let others = ["Forecasters expect rain over the weekend.", "The \(topic) vote passed.", "Meanwhile the local football team lost again at home."]
            let sentences = index % 2 == 0 ? [others[0], long1, others[1], long2, others[2]] : [others[1], long1, others[2], others[0], long2]
            let object: [String: Any] = ["id": "s\(index)", "title": "News about the \(topic)", "text": sentences.joined(separator: " "),
                                         "summary": long1 + " " + long2]
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    @Test("train-summarizer writes a model that summarize --model uses and inspect describes")
    func trainUseAndInspect() throws {
        let scratch = TemporaryFolder()
        let data = scratch.write("stories.jsonl", Self.storiesJSONL())
        let model = scratch.path + "/scorer.lapis"
        let trained = try LapisProcess.run(["train-summarizer", "--data", data, "--reference-field", "summary", "--output", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("trained a sentence scorer on 12 stories (length exponent "))
        #expect(FileManager.default.fileExists(atPath: model))

        let story = "Forecasters expect rain over the weekend. The canal vote passed. "
            + "The canal committee agreed a detailed plan covering funding, staffing, deadlines and public reports for every district. "
            + "Meanwhile the local football team lost again at home. "
            + "Officials said the canal plan would be reviewed each spring by independent auditors and published in full online."
        let summary = try LapisProcess.run(["summarize", "--model", model, "--sentences", "2"], stdin: story)
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.split(separator: "\n").map(String.init) == [
            "The canal committee agreed a detailed plan covering funding, staffing, deadlines and public reports for every district.",
            "Officials said the canal plan would be reviewed each spring by independent auditors and published in full online.",
        ])

        let inspected = try LapisProcess.run(["inspect", model, "--json"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "sentence-scorer")
        #expect([0, 0.5, 1, 1.5, 2].contains(object["length_exponent"] as? Double ?? -1))
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.count == 15)
        let magnitudes = features.map { abs($0["weight"] as? Double ?? 0) }
        #expect(magnitudes == magnitudes.sorted(by: >))
        let text = try LapisProcess.run(["inspect", model])
        #expect(text.stdout.contains("selection:     P(summary) × words^"))
    }

    @Test("a sentence-scorer model given to classify is refused with a clear error")
    func scorerIsNotATopicModel() throws {
        let scratch = TemporaryFolder()
        let data = scratch.write("stories.jsonl", Self.storiesJSONL())
        let model = scratch.path + "/scorer.lapis"
        #expect(try LapisProcess.run(["train-summarizer", "--data", data, "--reference-field", "summary", "--output", model, "--quiet"]).status == 0)
        let result = try LapisProcess.run(["classify", "--model", model], stdin: "Some story text.")
        #expect(result.status != 0)
        #expect(result.stderr.contains("sentence-scorer model, but a topic-classifier model is needed"))
    }
}
