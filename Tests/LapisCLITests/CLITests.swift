import Foundation
import LapisTestSupport
import Testing

/// Runs the built `lapis` executable as a user would.
struct LapisProcess {
    static let executable: String = {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug"))
        for folder in candidates {
            let path = folder.appendingPathComponent("lapis").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "lapis"
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtures = packageRoot + "/Tests/LapisTests/Fixtures"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `lapis` with `arguments`; `environment`, when given, replaces the inherited one.
    static func run(_ arguments: [String], stdin: String? = nil, directory: String? = nil,
                    environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite("lapis command line", .serialized)
struct CLITests {
    let scratch = TemporaryFolder()
    var corpus: String { LapisProcess.fixtures + "/mini-corpus.jsonl" }

    func trainModel() throws -> String {
        let model = scratch.path + "/mini.lapis"
        let result = try LapisProcess.run(["train", "--data", corpus, "--output", model, "--min-df", "1", "--folds", "0", "--quiet",
                                           "--labels", "trade,security,transport,multilateral"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        return model
    }

    @Test("train, then classify JSONL: one line per story with id, labels and every score")
    func trainAndClassify() throws {
        let model = try trainModel()
        let result = try LapisProcess.run(["classify", "--model", model, "--format", "jsonl", corpus])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 14)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(first["id"] as? String == "t1")
        #expect(first["labels"] as? [String] == ["transport"])
        #expect((first["scores"] as? [String: Double])?.count == 4)
    }

    @Test("classify keeps story order across batches, and a story gets the same line wherever it falls", arguments: ["jsonl", "text"])
    func classifyManyStoriesInOrder(format: String) throws {
        let model = try trainModel()
        let stories = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        // 1,400 stories: several batches, each formatted on all cores.
        var lines: [String] = []
        for copy in 0..<100 {
            for (index, story) in stories.enumerated() {
                var renamed = story
                renamed["id"] = "c\(copy)-\(index)"
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: renamed), as: UTF8.self))
            }
        }
        let input = scratch.write("many.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try LapisProcess.run(["classify", "--model", model, "--format", format, "--quiet", input])
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout.split(separator: "\n").map(String.init)
        #expect(output.count == lines.count)
        func id(_ line: String) -> String {
            format == "text" ? String(line.prefix { $0 != "\t" })
                : (try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["id"] as! String
        }
        func withoutID(_ line: String) -> String {
            format == "text" ? String(line.drop { $0 != "\t" }) : String(line[line.range(of: ", \"labels\"")!.lowerBound...])
        }
        for (position, line) in output.enumerated() {
            let (copy, index) = (position / stories.count, position % stories.count)
            #expect(id(line) == "c\(copy)-\(index)")
            #expect(withoutID(line) == withoutID(output[index]), "story \(index), copy \(copy)")
        }
        if format == "text" {
            // Scores are listed from most to least probable.
            let scores = output[0].split(separator: "\t")[2].split(separator: " ").map { Double($0.split(separator: "=")[1])! }
            #expect(scores.count == 4 && scores == scores.sorted(by: >))
        }
    }

    @Test("classify reads one story from a plain file or standard input")
    func classifyText() throws {
        let model = try trainModel()
        let story = scratch.write("story.txt", "Militants ambushed an army convoy and soldiers launched an operation against the insurgents.")
        let fromFile = try LapisProcess.run(["classify", "--model", model, story])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdout.hasPrefix("story.txt\tsecurity\t"))
        let fromStdin = try LapisProcess.run(["classify", "--model", model, "--format", "jsonl"], stdin: "{\"id\": \"a\", \"text\": \"The port reopened and ferry lines and trucks resumed freight.\"}\n")
        #expect(fromStdin.stdout.contains("\"id\": \"a\", \"labels\": [\"transport\"]"), "\(fromStdin.stdout)")
    }

    @Test("evaluate prints the table and the documented JSON")
    func evaluate() throws {
        let model = try trainModel()
        let table = try LapisProcess.run(["evaluate", "--model", model, "--data", corpus])
        #expect(table.status == 0)
        #expect(table.stdout.contains("micro avg") && table.stdout.contains("macro avg"))
        let json = try LapisProcess.run(["evaluate", "--model", model, "--data", corpus, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let micro = object["micro"] as! [String: Double]
        #expect(Set(micro.keys) == ["precision", "recall", "f1"])
        let labels = object["labels"] as! [String: [String: Double]]
        #expect(labels["trade"]?["support"] == 3)
    }

    @Test("summarize prints verbatim sentences; JSONL has id and summary")
    func summarize() throws {
        let text = try LapisProcess.run(["summarize", "--sentences", "2", "--method", "lead", LapisProcess.fixtures + "/mini-corpus.jsonl"])
        #expect(text.status == 0)
        // JSONL holds many stories, so each text block is headed by its story's id.
        #expect(text.stdout.hasPrefix("==> t1 <==\nThe port of Valdora reopened its container berths on Monday after a week of repairs.\nShipping lines resumed calls and freight trucks queued at the gates.\n\n==> "))
        let json = try LapisProcess.run(["summarize", "--format", "jsonl", corpus])
        let first = try JSONSerialization.jsonObject(with: Data(json.stdout.split(separator: "\n")[0].utf8)) as! [String: Any]
        #expect(first["id"] as? String == "t1" && (first["summary"] as? [String])?.count == 3)
    }

    @Test("evaluate summaries prints ROUGE per method")
    func evaluateSummaries() throws {
        let data = scratch.write("s.jsonl", "{\"id\": \"1\", \"text\": \"One fact. Two facts. Three facts. Four.\", \"ref\": [0, 1, 2]}\n")
        let result = try LapisProcess.run(["evaluate", "summaries", "--data", data, "--reference-field", "ref", "--method", "lead", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect((object["rouge1"] as? [String: Double])?["f1"] == 1)
    }

    @Test("bad usage exits 2 with a message on stderr and nothing on stdout", arguments: [
        ["summarize", "--sentences", "-2", "x.txt"],
        ["train", "--data", "x.jsonl", "--output", "m", "--min-df", "2.5"],
        ["classify", "--format", "xml"],
        ["nonsense"],
    ])
    func badUsage(arguments: [String]) throws {
        let result = try LapisProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test("bad data exits 1 naming the file and line")
    func badData() throws {
        let broken = scratch.write("broken.jsonl", "{\"text\": \"fine\", \"labels\": []}\n{oops\n")
        let result = try LapisProcess.run(["train", "--data", broken, "--output", scratch.path + "/m.lapis"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken.jsonl:2"))
        let model = scratch.write("fake.lapis", "not a model at all")
        let load = try LapisProcess.run(["classify", "--model", model, broken])
        #expect(load.status == 1 && load.stderr.contains("signature"))
    }

    @Test("train --phrase-groups marks each group's phrases with one term the model keeps; inspect lists the groups")
    func phraseGroups() throws {
        let groups = scratch.write("groups.txt", "# carriers\n[carrier]\nshipping lines\nferry line\nSkyline Air\n")
        let model = scratch.path + "/phrases.lapis"
        let result = try LapisProcess.run(["train", "--data", corpus, "--output", model, "--min-df", "1", "--folds", "0", "--quiet",
                                           "--labels", "trade,security,transport,multilateral", "--phrase-groups", groups])
        #expect(result.status == 0, "\(result.stderr)")
        let inspect = try LapisProcess.run(["inspect", "-m", model])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("phrases:       #carrier (3 phrases)"), "\(inspect.stdout)")
        let story = scratch.write("s.txt", "Shipping lines and the ferry line added calls at the port.")
        let explained = try LapisProcess.run(["classify", "--model", model, "--explain", "--explain-terms", "50", "--format", "jsonl", story])
        #expect(explained.status == 0 && explained.stdout.contains("\"#carrier\""), "\(explained.stdout) \(explained.stderr)")
    }

    @Test("train --max-iterations and --tolerance are kept in the model, shown by inspect, and change the fit")
    func stoppingRuleFlags() throws {
        let common = ["train", "--data", corpus, "--min-df", "1", "--quiet", "--labels", "trade,security,transport,multilateral"]
        let loose = scratch.path + "/loose.lapis", standard = scratch.path + "/standard.lapis"
        // --max-iterations 2 alone: the fold fits' default limit (3) follows it down instead of being refused.
        let result = try LapisProcess.run(common + ["--output", loose, "--max-iterations", "2", "--tol", "0.01"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try LapisProcess.run(common + ["--output", standard]).status == 0)
        let inspect = try LapisProcess.run(["inspect", "-m", loose])
        #expect(inspect.stdout.contains("class weight balanced, fits ≤ 2 iterations, tolerance 0.01, "), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("(fold fits ≤ 2 iterations)"), "\(inspect.stdout)")
        let inspectStandard = try LapisProcess.run(["inspect", "-m", standard])
        #expect(inspectStandard.stdout.contains("class weight balanced, min_df 1"), "\(inspectStandard.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: loose)) != Data(contentsOf: URL(fileURLWithPath: standard)))
    }

    @Test("a malformed phrase-groups file exits 1 naming the file and line; the output is not written")
    func badPhraseGroups() throws {
        let groups = scratch.write("bad-groups.txt", "[body]\nNATO\n* Fund\n")
        let model = scratch.path + "/never.lapis"
        let result = try LapisProcess.run(["train", "--data", corpus, "--output", model, "--phrase-groups", groups])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("bad-groups.txt:3: "), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
        let missing = try LapisProcess.run(["train", "--data", corpus, "--output", model, "--phrase-groups", scratch.path + "/absent.txt"])
        #expect(missing.status == 1 && missing.stderr.contains("absent.txt"), "\(missing)")
    }

    @Test("the built-in model works from any directory")
    func defaultModel() throws {
        let story = scratch.write("s.txt", "Ministers discussed a rail corridor, customs tariffs on exports, peacekeepers and a UN summit.")
        let result = try LapisProcess.run(["classify", "--format", "jsonl", story], directory: "/")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"labels\": ["))
    }

    @Test("--help shows examples")
    func help() throws {
        let result = try LapisProcess.run(["classify", "--help"])
        #expect(result.status == 0 && result.stdout.contains("Examples:"))
    }
}
