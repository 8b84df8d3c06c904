import Foundation
import LapisTestSupport
import Testing

/// The `lapis` command on hostile input: broken bytes, malformed records, damaged models,
/// bad options and a killed trainer. Exit codes: 0 success, 1 bad data, 2 bad usage; errors
/// on stderr only.
@Suite("lapis command line: hostile input", .serialized)
struct HostileInputTests {
    let scratch = TemporaryFolder()

    func writeBytes(_ name: String, _ bytes: [UInt8]) -> String {
        let file = scratch.path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// A small model trained by the CLI, to damage.
    func trainSmallModel(_ name: String = "small.lapis") throws -> String {
        let data = scratch.write("small.jsonl", """
        {"id": "1", "text": "Tariffs on steel imports rose sharply.", "labels": ["trade"]}
        {"id": "2", "text": "Exports and tariffs dominated trade talks.", "labels": ["trade"]}
        {"id": "3", "text": "Troops guarded the border after an attack.", "labels": ["security"]}
        {"id": "4", "text": "Police and troops raised security at the border.", "labels": ["security"]}

        """)
        let model = scratch.path + "/" + name
        let result = try LapisProcess.run(["train", "--data", data, "--output", model, "--min-df", "1", "--folds", "0", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return model
    }

    // MARK: Broken bytes

    @Test("invalid UTF-8 and binary stories are processed, not refused")
    func brokenBytes() throws {
        let broken = writeBytes("broken.txt", Array("Tariffs rose ".utf8) + [0xFF, 0xC3, 0x28] + Array(" sharply. Ports closed. Ships waited.".utf8))
        let binary = writeBytes("binary.txt", Self.randomBytes(20_000, seed: 11))
        for file in [broken, binary] {
            for command in [["classify"], ["summarize"], ["sentences"], ["classify", "--format", "jsonl"], ["summarize", "--format", "jsonl"]] {
                let result = try LapisProcess.run(command + [file])
                #expect(result.status == 0, "\(command) \(file): \(result.stderr)")
                // Nothing but the note that a multi-line file is read as one story (issue #18).
                let messages = result.stderr.split(separator: "\n").filter { !$0.contains("is read as one story") }
                #expect(messages.isEmpty, "\(command): \(result.stderr)")
            }
        }
        let summary = try LapisProcess.run(["summarize", broken])
        #expect(summary.stdout.contains("\u{FFFD}"))
    }

    @Test("empty and white-space-only stories give an empty result", arguments: ["", "   \n\t\n  "])
    func emptyStories(text: String) throws {
        let file = scratch.write("empty.txt", text)
        let summary = try LapisProcess.run(["summarize", file])
        #expect(summary.status == 0 && summary.stdout.isEmpty && summary.stderr.isEmpty, "\(summary)")
        let sentences = try LapisProcess.run(["sentences", file])
        #expect(sentences.status == 0 && sentences.stdout.isEmpty, "\(sentences)")
        let classify = try LapisProcess.run(["classify", "--format", "jsonl", file])
        #expect(classify.status == 0, "\(classify.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(classify.stdout.utf8)) as? [String: Any]
        #expect(object?["labels"] as? [String] == [], "an empty story has no topics: \(classify.stdout)")
        // Empty standard input (an empty partition in a pipe) prints nothing at all.
        for command in [["classify"], ["summarize"], ["classify", "--format", "jsonl"]] {
            let piped = try LapisProcess.run(command, stdin: text)
            #expect(piped.status == 0 && piped.stdout.isEmpty, "\(command): \(piped)")
        }
    }

    @Test("a single 15 MB JSONL line is classified and summarised")
    func hugeLine() throws {
        let body = String(repeating: "Dock workers at the port walked out over pay and ships waited offshore. ", count: 15_000_000 / 72)
        let file = scratch.write("huge.jsonl", "{\"id\": \"huge\", \"text\": \"\(body)\"}\n{\"id\": \"next\", \"text\": \"Tariffs rose.\"}\n")
        let classify = try LapisProcess.run(["classify", "--format", "jsonl", file])
        #expect(classify.status == 0, "\(classify.stderr)")
        #expect(classify.stdout.split(separator: "\n").count == 2)
        let summarize = try LapisProcess.run(["summarize", "--format", "jsonl", "--method", "lexrank", file])
        #expect(summarize.status == 0, "\(summarize.stderr)")
        let first = try JSONSerialization.jsonObject(with: Data(summarize.stdout.split(separator: "\n")[0].utf8)) as? [String: Any]
        #expect((first?["summary"] as? [String])?.count == 3)
    }

    // MARK: Malformed records

    @Test("malformed JSONL and CSV: exit 1, the error names file, line and problem; stdout stays clean", arguments: [
        ("bad.jsonl", "{\"text\": \"fine\"}\n{\"text\": \"also fine\"}\n{\"text\": 42}\n", "bad.jsonl:3:", "must be a string"),
        ("bad.jsonl", "{\"text\": \"fine\"}\n{oops\n", "bad.jsonl:2:", "not valid JSON"),
        ("bad.jsonl", "{\"id\": \"a\"}\n", "bad.jsonl:1:", "missing field 'text'"),
        ("bad.jsonl", "\"just a string\"\n", "bad.jsonl:1:", "expected a JSON object"),
        ("bad.csv", "id,text\n1,fine\n2,\"never closed\n", "bad.csv:3:", "never closed"),
        ("bad.csv", "id,text\n1,fine\n2,a,b\n", "bad.csv:3:", "3 fields where the header has 2"),
        ("bad.csv", "id,body\n1,fine\n", "bad.csv:2:", "missing field 'text'"),
    ])
    func malformedRecords(name: String, contents: String, location: String, problem: String) throws {
        let file = scratch.write(name, contents)
        for command in [["classify"], ["summarize"]] {
            let result = try LapisProcess.run(command + [file])
            #expect(result.status == 1, "\(command): \(result)")
            #expect(result.stderr.contains(location) && result.stderr.contains(problem), "\(result.stderr)")
            #expect(result.stderr.hasPrefix("lapis: error: "))
            // Records before the bad one may already be out; nothing else is.
            #expect(!result.stdout.contains("error"), "\(result.stdout)")
        }
    }

    @Test("--skip-invalid goes past bad records and reports how many were skipped")
    func skipInvalid() throws {
        let file = writeBytes("mixed.jsonl", Array("{\"id\": \"a\", \"text\": \"Tariffs rose.\"}\nnot json\n{\"text\": 5}\n".utf8)
                                + Self.randomBytes(300, seed: 5).filter { $0 != 0x0A } + [0x0A]
                                + Array("{\"id\": \"b\", \"text\": \"Troops moved.\"}\n".utf8))
        for command in [["classify", "--format", "jsonl"], ["summarize", "--format", "jsonl"]] {
            let result = try LapisProcess.run(command + ["--skip-invalid", file])
            #expect(result.status == 0, "\(result.stderr)")
            let ids = result.stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
            }
            #expect(ids == ["a", "b"])
            #expect(result.stderr.contains("skipped 3 invalid record(s)") && result.stderr.contains("mixed.jsonl:2"), "\(result.stderr)")
        }
    }

    @Test("training data: missing labels, wrong label types and unknown labels are clear errors")
    func trainingDataErrors() throws {
        let output = scratch.path + "/m.lapis"
        let cases: [(String, String)] = [
            ("{\"text\": \"Tariffs rose.\"}\n", "missing field 'labels'"),
            ("{\"text\": \"Tariffs rose.\", \"labels\": [1, 2]}\n", "must be a list of strings"),
            ("{\"text\": \"Tariffs rose.\", \"labels\": [\"trade\"]}\n{\"text\": \"Troops.\", \"labels\": [\"sport\"]}\n", "unknown label(s) sport"),
        ]
        for (contents, message) in cases {
            let data = scratch.write("train.jsonl", contents)
            let result = try LapisProcess.run(["train", "--data", data, "--output", output, "--labels", "trade,security", "--min-df", "1", "--folds", "0"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("train.jsonl:") && result.stderr.contains(message), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output), "no model is written from bad data")
        }
    }

    // MARK: Model files

    @Test("damaged model files each give their own error, exit 1, and no predictions")
    func damagedModels() throws {
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try trainSmallModel())))
        var wrongMagic = good; wrongMagic[0] ^= 0xFF
        var newer = good; newer[8] = 9  // past every version this Lapis reads
        var badChecksum = good; badChecksum[good.count - 2] ^= 0x01
        let cases: [(String, [UInt8], String)] = [
            ("magic", wrongMagic, "signature"),
            ("version", newer, "format version 9 is newer"),
            ("checksum", badChecksum, "checksum mismatch"),
            ("truncated", Array(good.prefix(good.count / 2)), "truncated"),
            ("header", Array(good.prefix(12)), "truncated"),
            ("junk", good + Array("junk".utf8), "4 unexpected bytes"),
            ("binary", Self.randomBytes(5000, seed: 9), "signature"),
            ("empty", [], "signature"),
        ]
        let story = scratch.write("story.txt", "Tariffs on steel rose.")
        for (name, bytes, message) in cases {
            let model = writeBytes("\(name).lapis", bytes)
            for command in [["classify", "--model", model, story], ["inspect", model],
                            ["evaluate", "--model", model, "--data", scratch.write("e.jsonl", "{\"text\": \"x\", \"labels\": []}\n")]] {
                let result = try LapisProcess.run(command)
                #expect(result.status == 1, "\(name) \(command[0]): \(result)")
                #expect(result.stdout.isEmpty, "\(name) \(command[0]) printed results: \(result.stdout)")
                #expect(result.stderr.contains("\(name).lapis") && result.stderr.contains(message), "\(name): \(result.stderr)")
            }
        }
        let missing = try LapisProcess.run(["classify", "--model", scratch.path + "/nope.lapis", story])
        #expect(missing.status == 1 && missing.stderr.contains("no such file"))
        let folder = try LapisProcess.run(["classify", "--model", scratch.path, story])
        #expect(folder.status == 1 && !folder.stderr.isEmpty && folder.stdout.isEmpty)
    }

    // MARK: Atomic writes

    /// Many distinct words, so training takes a while and the model is large enough for its
    /// write to be caught in the act.
    func largeTrainingSet(stories: Int) -> String {
        var state: UInt64 = 1
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let labels = ["trade", "security", "transport"]
        var lines: [String] = []
        for index in 0..<stories {
            let words = (0..<80).map { _ in String((0..<(4 + Int(next() % 4))).map { _ in letters[Int(next() % 8 + (next() % 3) * 8)] }) }
            let label = labels[index % 3]
            lines.append("{\"id\": \"\(index)\", \"text\": \"\(label) \(words.joined(separator: " ")).\", \"labels\": [\"\(label)\"]}")
        }
        return scratch.write("large.jsonl", lines.joined(separator: "\n") + "\n")
    }

    @Test("kill -9 during lapis train leaves the previous model intact and loadable")
    func killedTraining() throws {
        let model = try trainSmallModel("target.lapis")
        let original = try Data(contentsOf: URL(fileURLWithPath: model))
        let data = largeTrainingSet(stories: 1500)
        func arguments(_ output: String) -> [String] {
            ["train", "--data", data, "--output", output, "--min-df", "1", "--ngrams", "2", "--folds", "0", "--quiet"]
        }

        // How long an undisturbed run takes (writing elsewhere), to spread the kills over it.
        let clock = ContinuousClock()
        let full = try clock.measure {
            let result = try LapisProcess.run(arguments(scratch.path + "/undisturbed.lapis"))
            #expect(result.status == 0, "\(result.stderr)")
        }
        let fullSeconds = Double(full.components.seconds) + Double(full.components.attoseconds) / 1e18
        let newSize = (try? FileManager.default.attributesOfItem(atPath: scratch.path + "/undisturbed.lapis")[.size] as? Int) ?? 0

        // Timed kills spread over the run, then kills aimed at the write itself: as soon as the
        // temporary file appears (nil fraction), while it is being filled and synced.
        let rounds: [Double?] = [0.1, 0.3, 0.5, 0.7, 0.9, nil, nil, nil]
        var caughtWriting = 0
        for (round, fraction) in rounds.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: LapisProcess.executable)
            process.arguments = arguments(model)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(fullSeconds * (fraction ?? 10))
            while process.isRunning && Date() < deadline {
                if fraction == nil, hasTemporaryFile(next: model) {
                    kill(process.processIdentifier, SIGKILL)
                    caughtWriting += 1
                    break
                }
                if fraction != nil { usleep(2000) }
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let after = try Data(contentsOf: URL(fileURLWithPath: model))
            if process.terminationReason == .uncaughtSignal {
                #expect(after == original, "round \(round): the model changed although training was killed")
            } else {
                #expect(process.terminationStatus == 0, "round \(round)")
                #expect(after.count == newSize, "round \(round): training finished, so the new model replaced the old whole")
                try original.write(to: URL(fileURLWithPath: model))
            }
            let check = try LapisProcess.run(["inspect", model])
            #expect(check.status == 0, "round \(round): the model no longer loads: \(check.stderr)")
            // Whatever a kill left behind is a hidden temporary, never the model itself.
            for leftover in temporaryFiles(next: model) {
                #expect(leftover.hasPrefix(".target.lapis.") && leftover.hasSuffix(".tmp"))
            }
        }
        let leftovers = temporaryFiles(next: model).count
        // The next successful write of the same model clears leftovers of dead writers away.
        let last = try LapisProcess.run(["train", "--data", scratch.path + "/small.jsonl", "--output", model, "--min-df", "1", "--folds", "0", "--quiet"])
        #expect(last.status == 0)
        #expect(temporaryFiles(next: model).isEmpty, "stale temporary files remain after a successful write")
        print("killedTraining: \(rounds.count) kills over a \(String(format: "%.1f", fullSeconds)) s run writing \(newSize) bytes; "
              + "\(caughtWriting) with the temporary file present; \(leftovers) leftover temporaries before the next write")
    }

    /// A cheap check (no Foundation directory listing) so the poll can catch a short write.
    func hasTemporaryFile(next model: String) -> Bool {
        let folder = (model as NSString).deletingLastPathComponent
        let prefix = "." + (model as NSString).lastPathComponent + "."
        guard let directory = opendir(folder) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(prefix) && name.hasSuffix(".tmp") { return true }
        }
        return false
    }

    func temporaryFiles(next model: String) -> [String] {
        let folder = (model as NSString).deletingLastPathComponent
        let name = (model as NSString).lastPathComponent
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("." + name + ".") && $0.hasSuffix(".tmp") }
    }

    @Test("a write that cannot happen fails with exit 1 and leaves the old model")
    func failedWrite() throws {
        let model = try trainSmallModel("keep.lapis")
        let original = try Data(contentsOf: URL(fileURLWithPath: model))
        let result = try LapisProcess.run(["train", "--data", scratch.path + "/small.jsonl", "--output", scratch.path + "/no/such/folder/m.lapis",
                                           "--min-df", "1", "--folds", "0"])
        #expect(result.status == 1 && result.stderr.contains("cannot write"), "\(result)")
        // A directory in the way of the output.
        try FileManager.default.createDirectory(atPath: scratch.path + "/dir.lapis", withIntermediateDirectories: true)
        let intoFolder = try LapisProcess.run(["train", "--data", scratch.path + "/small.jsonl", "--output", scratch.path + "/dir.lapis", "--min-df", "1", "--folds", "0"])
        #expect(intoFolder.status == 1, "\(intoFolder)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == original)
    }

    // MARK: Options and exit codes

    @Test("invalid options exit 2 and say what is allowed", arguments: [
        // "-2" after a space reads as a flag, so the parser reports the value missing;
        // written --sentences=-2 it reaches the range check.
        (["summarize", "--sentences", "-2", "x.txt"], "--sentences"),
        (["summarize", "--sentences=-2", "x.txt"], "--sentences must be a whole number from 1 to 100"),
        (["summarize", "--sentences", "0", "x.txt"], "from 1 to 100"),
        (["summarize", "--sentences", "101", "x.txt"], "from 1 to 100"),
        (["summarize", "--sentences", "three", "x.txt"], "--sentences"),
        (["summarize", "--method", "magic", "x.txt"], "'--method <method>'. Please provide one of 'default', 'lead', 'lexrank', 'textrank' or 'positional'"),
        (["summarize", "--format", "xml", "x.txt"], "'--format <format>'. Please provide one of 'text', 'jsonl' or 'json'"),
        (["train", "--data", "x.jsonl", "--output", "m", "--min-df", "2.5"], "--min-df"),
        (["train", "--data", "x.jsonl", "--output", "m", "--min-df", "0"], "at least 1"),
        (["train", "--data", "x.jsonl", "--output", "m", "--ngrams", "4"], "--ngrams must be 1, 2 or 3"),
        (["train", "--data", "x.jsonl", "--output", "m", "--max-df", "1.5"], "--max-df must be a fraction in (0, 1]"),
        (["train", "--data", "x.jsonl", "--output", "m", "-C", "0"], "-C must be from 0.001 to 100000"),
        (["train", "--data", "x.jsonl", "--output", "m", "-C", "nan"], "-C must be from 0.001 to 100000"),
        (["train", "--data", "x.jsonl", "--output", "m", "--folds", "1"], "--folds must be 0 or 2 to 20"),
        (["train", "--data", "x.jsonl", "--output", "m", "--class-weight", "heavy"], "Please provide one of 'none' and 'balanced'"),
        (["train", "--data", "x.jsonl", "--output", "m", "--title-weight", "11"], "0 to 10"),
        (["train", "--data", "x.jsonl", "--output", "m", "--threshold-beta", "0"], "--threshold-beta must be from 0.1 to 10"),
        (["train", "--data", "x.jsonl", "--output", "m", "--threshold-repeats", "0"], "--threshold-repeats must be 1 to 20"),
        (["train", "--data", "x.jsonl", "--output", "m", "--passage-sentences", "21"], "--passage-sentences must be 1 to 20 sentences"),
        (["train", "--data", "x.jsonl", "--output", "m", "--fold-iterations", "301"], "--fold-iterations must be 1 to the full fits' iteration limit (300)"),
        (["train", "--data", "x.jsonl", "--output", "m", "--max-iterations", "0"], "--max-iterations must be a whole number from 1 to 10000"),
        (["train", "--data", "x.jsonl", "--output", "m", "--max-iter", "20000"], "--max-iterations must be a whole number from 1 to 10000"),
        (["train", "--data", "x.jsonl", "--output", "m", "--max-iterations", "20", "--fold-iterations", "21"], "--fold-iterations must be 1 to the full fits' iteration limit (20)"),
        (["train", "--data", "x.jsonl", "--output", "m", "--tolerance", "0"], "--tolerance must be from 1e-12 to 1"),
        (["train", "--data", "x.jsonl", "--output", "m", "--tol", "nan"], "--tolerance must be from 1e-12 to 1"),
        (["train", "--data", "x.jsonl", "--output", "m", "--max-features", "0"], "--max-features must be at least 1"),
        (["train", "--data", "x.jsonl", "--output", "m", "--labels", ","], "--labels needs at least one label"),
        (["train", "--data", "x.jsonl"], "--output"),
        (["classify", "--top", "0", "x.txt"], "--top must be at least 1"),
        (["classify", "--input-format", "xml", "x.txt"], "is invalid for '--input-format <format>'. Please provide one of the following:\n  - auto\n  - jsonl"),
        (["evaluate", "summaries", "--data", "x.jsonl", "--reference-field", "r", "--method", "magic"], "Please provide one of 'default'"),
        (["train-summarizer", "--data", "x.jsonl", "--reference-field", "r", "--output", "m", "-C", "0"], "-C must be from 0.001 to 100000"),
        (["train", "--data", "x.jsonl", "--output", "m", "--ngrams", "0"], "--ngrams must be 1, 2 or 3"),
        (["evaluate", "summaries", "--data", "x.jsonl", "--reference-field", "r", "--candidate-field", "c", "--method", "lead"], "either --candidate-field or --method/--model, not both"),
        (["evaluate", "summaries", "--data", "x.jsonl", "--reference-field", "r", "--per-story"], "--per-story needs --format json"),
        (["evaluate", "summaries", "--data", "x.jsonl", "--reference-field", "r", "--sentences=-1"], "from 1 to 100"),
        (["evaluate", "summaries", "--data", "x.jsonl"], "--reference-field"),
        (["classify", "--no-such-flag"], "--no-such-flag"),
    ])
    func invalidOptions(arguments: [String], message: String) throws {
        let result = try LapisProcess.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result)")
        #expect(result.stdout.isEmpty, "\(arguments) wrote to stdout: \(result.stdout)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    @Test("a missing input file is a runtime error (exit 1), not bad usage")
    func missingFile() throws {
        let result = try LapisProcess.run(["summarize", scratch.path + "/absent.txt"])
        #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.contains("absent.txt"), "\(result)")
    }

    @Test("--help documents the exit codes on stdout with exit 0")
    func helpDocumentsExitCodes() throws {
        let result = try LapisProcess.run(["--help"])
        #expect(result.status == 0 && result.stdout.contains("Exit codes: 0 success, 1 error (bad data, runtime, lost output), 2 bad usage"))
        let readme = try String(contentsOfFile: LapisProcess.packageRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains("Exit codes: 0 success, 1 error (bad data, runtime, lost output), 2 bad usage"))
    }
}
