import Foundation
import LapisTestSupport
import Testing
import Lapis
@testable import lapis

/// A fake clock and a recording writer for ProgressLine.
final class ProgressRig: @unchecked Sendable {
    private let lock = NSLock()
    private var time = 0.0
    private var written: [String] = []

    var now: Double { lock.withLock { time } }
    var writes: [String] { lock.withLock { written } }
    func advance(_ seconds: Double) { lock.withLock { time += seconds } }
    func record(_ text: String) { lock.withLock { written.append(text) } }

    func line(interval: Double = 0.1, delay: Double = 0) -> ProgressLine {
        ProgressLine(label: "training", unit: "fits", minimumInterval: interval, initialDelay: delay,
                     clock: { [self] in now }, write: { [self] in record($0) })
    }
}

@Suite("progress line")
struct ProgressLineTests {
    @Test("the line shows counts, percentage, rate, elapsed time and ETA")
    func formatting() {
        #expect(ProgressLine.format(label: "training", unit: "fits", completed: 12, total: 40, elapsed: 3, rate: 4)
                == "training: 12/40 fits (30%), 4.0/s, 3s elapsed, ETA 7s")
        #expect(ProgressLine.format(label: "classify", unit: "stories", completed: 12288, total: nil, elapsed: 4.2, rate: 2925.7)
                == "classify: 12288 stories, 2926/s, 4s elapsed")
        #expect(ProgressLine.format(label: "training", unit: "fits", completed: 40, total: 40, elapsed: 75, rate: 0.5)
                == "training: 40/40 fits (100%), 0.5/s, 1m15s elapsed")
        #expect(ProgressLine.format(label: "training", unit: "fits", completed: 0, total: 10, elapsed: 0, rate: nil)
                == "training: 0/10 fits (0%), ?/s, 0s elapsed, ETA ?")
        // A total that was only an estimate (blank lines counted) never shows more than 100%.
        #expect(ProgressLine.format(label: "x", unit: "stories", completed: 12, total: 10, elapsed: 1, rate: 12).hasPrefix("x: 12/12 stories (100%)"))
        #expect(ProgressLine.duration(59.4) == "59s")
        #expect(ProgressLine.duration(3599) == "59m59s")
        #expect(ProgressLine.duration(7620) == "2h07m")
    }

    @Test("phases: each is named, drawn when it starts, and restarts the rate and ETA")
    func phases() {
        let rig = ProgressRig()
        let line = rig.line(interval: 10)
        line.phase("reading", unit: "stories", completed: 1000)
        #expect(rig.writes.last?.hasPrefix("\rtraining: reading 1000 stories") == true)
        rig.advance(1)
        line.update(ProgressUpdate(phase: "vectorising", completed: 0, total: nil))
        #expect(rig.writes.last?.hasPrefix("\rtraining: vectorising, 1s elapsed") == true, "\(rig.writes)")
        rig.advance(1)
        line.update(ProgressUpdate(phase: "fitting", completed: 0, total: 90, unit: "labels"))
        rig.advance(2)
        line.update(ProgressUpdate(phase: "fitting", completed: 45, total: 90, unit: "labels"))   // within the interval: not drawn
        line.update(ProgressUpdate(phase: "thresholds by cross-validation", completed: 0, total: 270, unit: "fold fits"))
        #expect(rig.writes.last?.hasPrefix("\rtraining: thresholds by cross-validation 0/270 fold fits (0%), ?/s") == true, "\(rig.writes)")
        rig.advance(3)
        line.update(ProgressUpdate(phase: "thresholds by cross-validation", completed: 270, total: 270, unit: "fold fits"))
        // The rate counts only this phase: 270 fits in 3 s.
        #expect(rig.writes.last?.contains("270/270 fold fits (100%), 90/s") == true, "\(rig.writes)")
    }

    @Test("redraws at most once per interval, always draws the last update, and finish erases the line")
    func throttling() {
        let rig = ProgressRig()
        let line = rig.line(interval: 0.1)
        for completed in 0..<100 {   // 100 updates over 0.99 s
            line.update(completed: completed, total: 100)
            rig.advance(0.01)
        }
        let drawnDuringWork = rig.writes.count
        #expect(drawnDuringWork >= 9 && drawnDuringWork <= 11, "\(drawnDuringWork) redraws in ~1 s at 10/s")
        line.update(completed: 100, total: 100)   // final: drawn even though the last draw was recent
        #expect(rig.writes.count == drawnDuringWork + 1)
        #expect(rig.writes.last!.hasPrefix("\rtraining: 100/100 fits (100%)"))
        #expect(rig.writes.allSatisfy { $0.hasPrefix("\r") && !$0.contains("\n") })
        line.finish()
        let erase = rig.writes.last!
        #expect(erase.hasPrefix("\r") && erase.hasSuffix("\r") && erase.dropFirst().dropLast().allSatisfy { $0 == " " })
        #expect(erase.count == rig.writes[rig.writes.count - 2].count + 1)
    }

    @Test("the rate and ETA are measured from the first update, not from the line's creation")
    func rateFromFirstUpdate() {
        let rig = ProgressRig()
        let line = rig.line(interval: 0)
        rig.advance(10)   // e.g. reading and building features before training starts
        line.update(completed: 0, total: 20)
        rig.advance(5)
        line.update(completed: 10, total: 20)
        #expect(rig.writes.last!.contains("10/20 fits (50%), 2.0/s, 15s elapsed, ETA 5s"), "\(rig.writes.last!)")
    }

    @Test("work that ends within the initial delay draws nothing, and finish then writes nothing")
    func quickWorkIsSilent() {
        let rig = ProgressRig()
        let line = rig.line(delay: 0.3)
        line.update(completed: 0, total: 2)
        rig.advance(0.1)
        line.update(completed: 2, total: 2)
        line.finish()
        #expect(rig.writes.isEmpty)
    }

    @Test("concurrent updates from many threads are all accepted without tearing the line")
    func concurrentUpdates() {
        let rig = ProgressRig()
        let line = rig.line(interval: 0)
        DispatchQueue.concurrentPerform(iterations: 200) { line.update(completed: $0 + 1, total: 200) }
        #expect(rig.writes.count == 200)
        #expect(rig.writes.allSatisfy { $0.hasPrefix("\rtraining: ") })
    }

    @Test("a .jsonl file's stories are estimated from its lines; standard input has no total")
    func storyEstimate() throws {
        let scratch = TemporaryFolder()
        let jsonl = scratch.write("a.jsonl", "{}\n{}\n{}")
        let text = scratch.write("b.txt", "one story")
        #expect(ProgressLine.estimatedStoryCount(paths: [jsonl, text], format: .auto) == 4)
        #expect(ProgressLine.estimatedStoryCount(paths: ["-"], format: .auto) == nil)
        #expect(ProgressLine.estimatedStoryCount(paths: [scratch.write("c.csv", "id,text\n1,x\n")], format: .auto) == nil)
    }
}

@Suite("shell ergonomics (command line)", .serialized)
struct ShellErgonomicsTests {
    let scratch = TemporaryFolder()
    var corpus: String { LapisProcess.fixtures + "/mini-corpus.jsonl" }

    func trainModel() throws -> String {
        let model = scratch.path + "/mini.lapis"
        let result = try LapisProcess.run(["train", "--data", corpus, "--output", model, "--min-df", "1", "--folds", "2",
                                           "--labels", "trade,security,transport,multilateral"])
        #expect(result.status == 0, "\(result.stderr)")
        return model
    }

    @Test("no progress line when standard error is a pipe, with or without --quiet")
    func noProgressOnPipes() throws {
        let model = try trainModel()
        // train without --quiet prints its one summary note, but no progress line.
        let train = try LapisProcess.run(["train", "--data", corpus, "--output", scratch.path + "/m2.lapis", "--min-df", "1", "--folds", "2"])
        #expect(train.status == 0)
        #expect(!train.stderr.contains("\r") && !train.stderr.contains("fits"))
        #expect(train.stderr.hasPrefix("lapis: trained on 14 stories"))
        for command in [["classify", "--model", model, "--format", "jsonl", corpus], ["summarize", "--format", "jsonl", corpus]] {
            let result = try LapisProcess.run(command)
            #expect(result.status == 0)
            #expect(result.stderr.isEmpty, "\(command[0]): \(result.stderr)")
        }
        let quiet = try LapisProcess.run(["classify", "--quiet", "--model", model, "--format", "jsonl", corpus])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout.split(separator: "\n").count == 14)
    }

    @Test("every command's --help has examples", arguments: [
        [], ["train"], ["classify"], ["summarize"], ["evaluate"], ["evaluate", "classifier"], ["evaluate", "summaries"],
        ["inspect"], ["sentences"],
    ])
    func helpHasExamples(command: [String]) throws {
        let result = try LapisProcess.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:\n  lapis "), "\(command)")
        #expect(result.stdout.contains("USAGE: lapis"))
    }

    @Test("help lists the allowed words of options that take one of a few", arguments: [
        (["summarize"], "(values: default, lead, lexrank, textrank, positional;"),
        (["summarize"], "(values: text, jsonl, json;"),
        (["evaluate", "classifier"], "(values: text, jsonl, json;"),
        (["classify"], "(values: auto, jsonl, csv, tsv, lines, text, html, folders;"),
        (["train"], "(values: none, balanced;"),
        (["evaluate", "summaries"], "(values: default, lead, lexrank, textrank, positional)"),
    ])
    func helpListsValues(command: [String], values: String) throws {
        let result = try LapisProcess.run(command + ["--help"])
        #expect(result.status == 0)
        let flattened = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flattened.contains(values), "\(command): \(result.stdout)")
    }

    @Test("completion scripts for bash, zsh and fish name every command", arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let result = try LapisProcess.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for word in ["classify", "summarize", "train", "evaluate", "inspect", "sentences"] {
            #expect(result.stdout.contains(word), "\(shell) script lacks \(word)")
        }
        // fish names long options without their dashes.
        for option in ["explain", "top", "quiet", "format", "output"] {
            #expect(result.stdout.contains(shell == "fish" ? "-l '\(option)'" : "--\(option)"), "\(shell) script lacks --\(option)")
        }
        if shell == "bash" {
            #expect(result.stdout.hasPrefix("#!/bin/bash"))
            #expect(result.stdout.contains("complete -o filenames -F _lapis lapis") || result.stdout.contains("-F _lapis lapis"))
        }
    }

    @Test("classify --top K adds a ranked \"top\" field to JSONL, only when asked")
    func topInJSONL() throws {
        let model = try trainModel()
        let plain = try LapisProcess.run(["classify", "--model", model, "--format", "jsonl", corpus])
        #expect(!plain.stdout.contains("\"top\""))
        let ranked = try LapisProcess.run(["classify", "--model", model, "--format", "jsonl", "--top", "2", corpus])
        #expect(ranked.status == 0)
        let lines = ranked.stdout.split(separator: "\n")
        #expect(lines.count == 14)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let scores = try #require(object["scores"] as? [String: Double])
            let top = try #require(object["top"] as? [[String: Any]])
            #expect(top.count == 2)
            let best = scores.values.sorted(by: >)
            #expect(top.compactMap { $0["score"] as? Double } == Array(best.prefix(2)))
            for entry in top { #expect(scores[entry["label"] as! String] == entry["score"] as? Double) }
        }
    }

    @Test("classify --explain: JSONL explanation adds up to each label's decision value; text lists terms per label")
    func explain() throws {
        let model = try trainModel()
        let story = "{\"id\": \"x\", \"title\": \"Tariffs at the port\", \"text\": \"Customs raised tariffs on steel exports while ferry lines waited at the harbour.\"}\n"
        let result = try LapisProcess.run(["classify", "--model", model, "--format", "jsonl", "--explain", "--explain-terms", "3"], stdin: story)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let scores = try #require(object["scores"] as? [String: Double])
        let explanation = try #require(object["explanation"] as? [String: [String: Any]])
        #expect(Set(explanation.keys) == Set(scores.keys))
        for (label, detail) in explanation {
            let positive = try #require(detail["positive"] as? [[String: Any]])
            let negative = try #require(detail["negative"] as? [[String: Any]])
            #expect(positive.count <= 3 && negative.count <= 3)
            let contributions = (positive + negative).map { $0["contribution"] as! Double }
            let total = (detail["bias"] as! Double) + (detail["other"] as! Double) + contributions.reduce(0, +)
            #expect(abs(total - (detail["decision"] as! Double)) < 1e-3, "\(label)")
            #expect(abs(1 / (1 + exp(-(detail["decision"] as! Double))) - scores[label]!) < 1e-3)
            #expect(positive.allSatisfy { ($0["contribution"] as! Double) > 0 } && negative.allSatisfy { ($0["contribution"] as! Double) < 0 })
            #expect((detail["predicted"] as? Bool) == ((object["labels"] as! [String]).contains(label)))
        }
        let text = try LapisProcess.run(["classify", "--model", model, "--explain"], stdin: "Customs raised tariffs on steel exports while ferry lines waited at the harbour.")
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("stdin\t"))
        for label in ["trade", "security", "transport", "multilateral"] {
            #expect(lines.contains { $0.hasPrefix("  \(label): p=") && $0.contains("= bias ") })
        }
        #expect(lines.contains { $0.hasPrefix("    + ") && $0.contains(" × ") })
        #expect(lines.filter { $0.hasPrefix("    other terms: ") }.count == 4)
    }

    @Test("inspect --json holds labels, vocabulary size, options, thresholds, top features and the data fingerprint")
    func inspectJSON() throws {
        let model = try trainModel()
        let result = try LapisProcess.run(["inspect", model, "--json", "--top", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["labels"] as? [String] == ["trade", "security", "transport", "multilateral"])
        #expect((object["vocabulary_size"] as? Int ?? 0) > 50)
        let options = try #require(object["options"] as? [String: Any])
        #expect(options["threshold_folds"] as? Int == 2)
        #expect((options["vocabulary"] as? [String: Any])?["min_df"] as? Int == 1)
        let data = try #require(object["training_data"] as? [String: Any])
        #expect(data["documents"] as? Int == 14)
        #expect((data["fingerprint"] as? String)?.count == 16)
        #expect((data["label_counts"] as? [String: Int])?["trade"] == 3)
        let details = try #require(object["label_details"] as? [String: [String: Any]])
        let trade = try #require(details["trade"])
        #expect((trade["threshold"] as? Double).map { $0 > 0 && $0 < 1 } == true)
        let positive = try #require(trade["positive"] as? [[String: Any]])
        #expect(positive.count == 3 && positive.allSatisfy { ($0["weight"] as! Double) > 0 })
        // The text form shows the same facts.
        let text = try LapisProcess.run(["inspect", model, "--top", "3"])
        #expect(text.stdout.contains("fingerprint \(data["fingerprint"] as! String)"))
        #expect(text.stdout.contains("vocabulary:    \(object["vocabulary_size"] as! Int) terms"))
    }

    @Test("empty or blank standard input gives no output and exit 0", arguments: [
        (["classify", "--format", "jsonl"], ""), (["classify"], ""), (["summarize", "--format", "jsonl"], ""),
        (["summarize"], "\n  \n"), (["sentences", "--format", "jsonl"], ""),
    ])
    func emptyInput(command: [String], input: String) throws {
        let result = try LapisProcess.run(command, stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(command): \(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test("as a filter: any number of JSONL lines in gives the same number out, in order, for classify and summarize")
    func streamingFilter() throws {
        let stories = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map { line -> [String: Any] in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
        // 1 100 stories: two full classify batches of 512 and a partial one (four summarize batches of 256 and a partial).
        var input = ""
        for index in 0..<1_100 {
            var story = stories[index % stories.count]
            story["id"] = "s\(index)"
            input += String(decoding: try JSONSerialization.data(withJSONObject: story), as: UTF8.self) + "\n"
        }
        for command in [["classify", "--format", "jsonl"], ["summarize", "--format", "jsonl", "--method", "lead"]] {
            let result = try LapisProcess.run(command, stdin: input)
            #expect(result.status == 0, "\(result.stderr)")
            let ids = try result.stdout.split(separator: "\n").map { line in
                (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["id"] as! String
            }
            #expect(ids == (0..<1_100).map { "s\($0)" }, "\(command[0])")
        }
    }
}
