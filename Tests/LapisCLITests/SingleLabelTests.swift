import Foundation
import LapisTestSupport
import Testing

/// Single-label data and prediction-time decisions through the built `lapis` (issue 20, point 2).
@Suite("lapis single-label models and decisions", .serialized)
struct SingleLabelTests {
    let scratch = TemporaryFolder()

    func data() -> String {
        let rows = [
            ("1", "Tariffs on steel imports rose and exporters complained about quotas.", "trade"),
            ("2", "The trade ministers cut tariffs on grain exports and import quotas.", "trade"),
            ("3", "Exporters welcomed lower tariffs on machinery imports.", "trade"),
            ("4", "Troops and the navy patrolled the border after the attack.", "security"),
            ("5", "The army sent troops after militants attacked a border post.", "security"),
            ("6", "Navy frigates escorted ships after the militant attack.", "security"),
            ("7", "Rail freight and trucks jammed the port after the strike.", "transport"),
            ("8", "Airlines cut flights and the railway delayed freight trains.", "transport"),
            ("9", "The port reopened and trucks resumed freight runs by rail.", "transport"),
        ]
        return scratch.write("single.jsonl", rows.map { "{\"id\": \"\($0.0)\", \"text\": \"\($0.1)\", \"labels\": [\"\($0.2)\"]}" }.joined(separator: "\n") + "\n")
    }

    @Test("single-label data: train says how to ask for argmax; --multiclass gives one label per story and evaluate reports accuracy")
    func multiclass() throws {
        let data = data()
        let plain = try LapisProcess.run(["train", "--data", data, "--output", scratch.path + "/plain.lapis", "--min-df", "1", "--folds", "0"])
        #expect(plain.status == 0 && plain.stderr.contains("--multiclass"), "\(plain.stderr)")
        let model = scratch.path + "/multi.lapis"
        let trained = try LapisProcess.run(["train", "--data", data, "--output", model, "--min-df", "1", "--multiclass", "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let tagged = try LapisProcess.run(["classify", "--model", model, "--format", "jsonl", data])
        for line in tagged.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect((object["labels"] as! [String]).count == 1)
        }
        let inspect = try LapisProcess.run(["inspect", model])
        #expect(inspect.stdout.contains("the most probable label"))
        let evaluation = try LapisProcess.run(["evaluate", "--model", model, "--data", data])
        #expect(evaluation.status == 0 && evaluation.stdout.contains("accuracy 1.0000 (every document has one true label)"), "\(evaluation.stdout)")
        // A story with two labels cannot train a single-label model.
        let mixed = scratch.write("mixed.jsonl", "{\"id\": \"x\", \"text\": \"Tariffs and troops.\", \"labels\": [\"trade\", \"security\"]}\n")
        let refused = try LapisProcess.run(["train", "--data", mixed, "--output", scratch.path + "/m.lapis", "--multiclass"])
        #expect(refused.status == 1 && refused.stderr.contains("mixed.jsonl:1") && refused.stderr.contains("exactly one label"))
    }

    @Test("--threshold and --top K --min-score override the stored decision at predict time")
    func decisionOverrides() throws {
        let story = scratch.write("story.txt", "Tariffs on steel imports rose after trade talks collapsed.")
        let everything = try LapisProcess.run(["classify", "--threshold", "0", story])
        #expect(everything.status == 0 && everything.stdout.split(separator: "\t")[1] == "trade,security,transport,multilateral")
        let nothing = try LapisProcess.run(["classify", "--top", "2", "--min-score", "1", story])
        #expect(nothing.status == 0 && nothing.stdout.split(separator: "\t")[1] == "-")
        let one = try LapisProcess.run(["classify", "--top", "1", "--min-score", "0", "--format", "jsonl", story])
        let object = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as! [String: Any]
        #expect((object["labels"] as! [String]) == ["trade"])
        for bad in [["--min-score", "0.5"], ["--threshold", "1.5"], ["--threshold", "0.5", "--top", "1", "--min-score", "0.2"]] {
            let result = try LapisProcess.run(["classify"] + bad + [story])
            #expect(result.status == 2, "\(bad): \(result.stderr)")
        }
    }

    @Test("evaluate --json has weighted and samples averages, Hamming loss, per-label AP and thresholds, and @k with --top")
    func evaluateJSON() throws {
        let result = try LapisProcess.run(["evaluate", "--data", LapisProcess.fixtures + "/mini-corpus.jsonl", "--json", "--top", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        for key in ["micro", "macro", "weighted", "samples", "accuracy", "hamming_loss", "single_label", "at_k"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let trade = (object["labels"] as! [String: [String: Any]])["trade"]!
        #expect(trade["average_precision"] is Double && trade["threshold"] is Double)
        #expect((object["at_k"] as! [String: Any])["k"] as? Int == 2)
    }
}
