import Foundation
import LapisTestSupport
import Testing

/// What trying `lapis` as users and attackers found (issue #18): lost output, overwritten
/// inputs, silently wrong answers and traps, each pinned through the built `lapis`.
@Suite("lapis command line: no crash, no lost data, no silently wrong answer", .serialized)
struct HardeningTests {
    let scratch = TemporaryFolder()
    static let topics = "trade,security,transport,multilateral"
    var corpus: String { LapisProcess.fixtures + "/mini-corpus.jsonl" }

    /// Runs `command` under /bin/sh with the built `lapis` first on PATH, in the scratch folder.
    func shell(_ command: String) throws -> LapisProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = URL(fileURLWithPath: LapisProcess.executable).deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    func trainModel(_ name: String = "mini.lapis") throws -> String {
        let model = scratch.path + "/" + name
        let result = try LapisProcess.run(["train", "--data", corpus, "--output", model, "--min-df", "1", "--folds", "0", "--quiet", "--labels", Self.topics])
        #expect(result.status == 0, "\(result.stderr)")
        return model
    }

    // MARK: Writing output

    @Test("a failed write to standard output is exit 1 with a message, never a trap or 0", arguments: [
        "lapis classify CORPUS >/dev/full", "lapis classify CORPUS >&-", "lapis summarize CORPUS >/dev/full",
        "lapis sentences CORPUS >/dev/full", "lapis classify --format jsonl CORPUS >/dev/full",
        "lapis evaluate --data CORPUS >/dev/full", "lapis evaluate summaries --data CORPUS --reference-field text >/dev/full",
        "lapis inspect >/dev/full", "lapis --help >/dev/full", "lapis classify --help >/dev/full",
    ])
    func failedStandardOutput(command: String) throws {
        let result = try shell(command.replacingOccurrences(of: "CORPUS", with: corpus))
        #expect(result.status == 1, "\(command): exit \(result.status), \(result.stderr)")
        #expect(result.stderr.contains("lapis: error: cannot write standard output"), "\(command): \(result.stderr)")
    }

    @Test("a failed write to standard error is exit 1 (after train wrote its model); usage errors stay 2")
    func failedStandardError() throws {
        let train = try shell("lapis train --data \(corpus) --labels \(Self.topics) --min-df 1 --output m.lapis 2>/dev/full")
        #expect(train.status == 1)
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/m.lapis"))
        let usage = try shell("lapis classify --bogus 2>/dev/full")
        #expect(usage.status == 2)
    }

    @Test("with SIGPIPE ignored, a reader that goes away ends lapis with exit 1 and no message")
    func brokenPipe() throws {
        // Far more output than a pipe buffers, written in several blocks.
        let big = (0..<3000).map { "{\"id\": \"s\($0)\", \"text\": \"Tariffs and exports rose as the port reopened, story \($0).\"}" }
        let file = scratch.write("big.jsonl", big.joined(separator: "\n") + "\n")
        let result = try shell("trap '' PIPE; (lapis classify \(file) 2>err.txt; echo $? >rc.txt) | head -1 >/dev/null")
        #expect(result.status == 0)
        #expect(try String(contentsOfFile: scratch.path + "/rc.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(try String(contentsOfFile: scratch.path + "/err.txt", encoding: .utf8).isEmpty)
    }

    @Test("a destination that is an input (by device and inode, through a link too) is refused with exit 2, the input untouched")
    func destinationIsInput() throws {
        let data = scratch.write("td.jsonl", try String(contentsOfFile: corpus, encoding: .utf8))
        let original = try Data(contentsOf: URL(fileURLWithPath: data))
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link.jsonl", withDestinationPath: data)
        let model = try trainModel()
        for command in [
            ["train", "--data", data, "--labels", Self.topics, "--output", data],
            ["train", "--data", scratch.path + "/link.jsonl", "--labels", Self.topics, "--output", data],
            ["train-summarizer", "--data", data, "--reference-field", "text", "--output", data],
            ["evaluate", "--data", data, "--model", model, "--report", model],
            ["evaluate", "--data", data, "--model", model, "--report", data],
            ["evaluate", "summaries", "--data", data, "--reference-field", "text", "--report", data],
        ] {
            let result = try LapisProcess.run(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("is the same file as"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("Error: "), "the usage message says error once: \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: data)) == original)
    }

    @Test("writing through a symbolic link updates its target; a device is written into, not replaced; a file keeps its mode")
    func destinations() throws {
        let target = try trainModel("target.lapis")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
        let link = scratch.path + "/link.lapis"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.lapis")
        let result = try LapisProcess.run(["train", "--data", corpus, "--output", link, "--min-df", "1", "--folds", "0", "-C", "3", "--quiet", "--labels", Self.topics])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.lapis")
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let toNull = try LapisProcess.run(["train", "--data", corpus, "--output", "/dev/null", "--min-df", "1", "--folds", "0", "--quiet", "--labels", Self.topics])
        #expect(toNull.status == 0, "\(toNull.stderr)")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        let toStdout = try LapisProcess.run(["train", "--data", corpus, "--output", "/dev/stdout", "--min-df", "1", "--folds", "0", "--quiet", "--labels", Self.topics])
        #expect(toStdout.status == 0 && toStdout.stdout.utf8.count > 1000)
    }

    // MARK: Reading input

    @Test("--only-ids and --exclude-ids apply to classify, summarize and sentences; a missing list is an error")
    func idFilters() throws {
        let ids = scratch.write("ids.txt", "t1\nt2\n")
        for command in ["classify", "summarize", "sentences"] {
            let only = try LapisProcess.run([command, "--format", "jsonl", "--only-ids", ids, corpus])
            #expect(only.status == 0 && only.stdout.split(separator: "\n").count == 2, "\(command): \(only.stdout)")
            let excluded = try LapisProcess.run([command, "--format", "jsonl", "--exclude-ids", ids, corpus])
            #expect(excluded.status == 0 && excluded.stdout.split(separator: "\n").count == 12, "\(command)")
            let missing = try LapisProcess.run([command, "--only-ids", scratch.path + "/nope.txt", corpus])
            #expect(missing.status == 1 && missing.stderr.contains("nope.txt"), "\(command): \(missing.stderr)")
        }
    }

    @Test("label folders: same file name with other contents is another story (label/name); identical contents merge")
    func folderCollisions() throws {
        for (label, name, text) in [("trade", "0", "Tariffs on steel exports rose."), ("security", "0", "Troops crossed the border."),
                                    ("trade", "1", "Arms sales and exports."), ("security", "1", "Arms sales and exports.")] {
            try FileManager.default.createDirectory(atPath: scratch.path + "/f/" + label, withIntermediateDirectories: true)
            _ = scratch.write("f/\(label)/\(name).txt", text)
        }
        let result = try LapisProcess.run(["classify", "--input-format", "folders", scratch.path + "/f"])
        let ids = result.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        #expect(result.status == 0 && ids == ["security/0", "trade/0", "1"], "\(ids)")
    }

    @Test("JSON lines are recognised by content: a byte-order mark on standard input, a .json file; a multi-line text story is noted")
    func sniffing() throws {
        let bom = try LapisProcess.run(["classify"], stdin: "\u{FEFF}{\"id\": \"b1\", \"text\": \"Trade deal.\"}\n{\"id\": \"b2\", \"text\": \"Port strike.\"}\n")
        #expect(bom.status == 0 && bom.stdout.hasPrefix("b1\t") && bom.stdout.split(separator: "\n").count == 2, "\(bom.stdout)")
        let json = scratch.write("c.json", try String(contentsOfFile: corpus, encoding: .utf8))
        let fromJSON = try LapisProcess.run(["classify", json])
        #expect(fromJSON.stdout.split(separator: "\n").count == 14)
        let text = try LapisProcess.run(["classify"], stdin: "one story per line?\nsecond line\n")
        #expect(text.status == 0 && text.stderr.contains("read as one story (2 lines)"), "\(text.stderr)")
        let quiet = try LapisProcess.run(["classify", "--input-format", "text"], stdin: "one story per line?\nsecond line\n")
        #expect(quiet.stderr.isEmpty)
    }

    @Test("a malformed record mid-stream: every story before it is printed, then exit 1 naming the line", arguments: ["classify", "summarize", "sentences"])
    func malformedMidStream(command: String) throws {
        var lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert("{\"id\": \"bad\", \"text\": ", at: 5)
        let file = scratch.write("bad.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try LapisProcess.run([command, "--format", "jsonl", file])
        #expect(result.status == 1 && result.stderr.contains("bad.jsonl:6:"), "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 5)
    }

    @Test("one record may not grow without bound: /dev/zero is an error naming the line")
    func unboundedRecord() throws {
        let result = try shell("lapis classify < /dev/zero")
        #expect(result.status == 1 && result.stderr.contains(":1: malformed record: longer than 256 MB"), "\(result.stderr)")
    }

    @Test("ids: numbers beyond 10^15 and booleans are record errors (skippable); control characters in ids are escaped in text output")
    func ids() throws {
        let file = scratch.write("ids.jsonl", """
        {"id": "a\\tb\\u001b[31m", "text": "Trade talks on tariffs."}
        {"id": 1e19, "text": "x"}
        {"id": true, "text": "y"}
        {"id": 42, "text": "z"}

        """)
        let strict = try LapisProcess.run(["classify", file])
        #expect(strict.status == 1 && strict.stderr.contains("ids.jsonl:2: field 'id'"), "\(strict.stderr)")
        let skipping = try LapisProcess.run(["classify", "--skip-invalid", file])
        #expect(skipping.status == 0 && skipping.stderr.contains("skipped 2 invalid record(s)"))
        let lines = skipping.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("a\\tb\\u001b[31m\t") && lines[1].hasPrefix("42\t"), "\(lines)")
        #expect(!skipping.stdout.contains("\u{1B}"))
    }

    // MARK: Training

    @Test("labels: repeated, empty or with separators and control characters are refused at training")
    func badLabels() throws {
        for labels in ["trade,trade", " ,trade", "trade,"] {
            let result = try LapisProcess.run(["train", "--data", corpus, "--labels", labels, "--output", scratch.path + "/x.lapis"])
            #expect(result.status == 1 && result.stderr.contains("cannot train: label"), "\(labels): \(result.stderr)")
        }
        let tabbed = scratch.write("tab.jsonl", "{\"id\": \"1\", \"text\": \"Tariffs rose.\", \"labels\": [\"tr\\tade\"]}\n{\"id\": \"2\", \"text\": \"Troops.\", \"labels\": []}\n")
        let result = try LapisProcess.run(["train", "--data", tabbed, "--min-df", "1", "--output", scratch.path + "/x.lapis"])
        #expect(result.status == 1 && result.stderr.contains("control character"), "\(result.stderr)")
    }

    @Test("-C outside the range where the optimiser is meaningful is a usage error", arguments: ["1e308", "1e-30", "0", "nan"])
    func cRange(value: String) throws {
        let result = try LapisProcess.run(["train", "--data", corpus, "-C", value, "--output", scratch.path + "/x.lapis"])
        #expect(result.status == 2 && result.stderr.contains("-C must be from 0.001 to 100000"), "\(result.stderr)")
        let scorer = try LapisProcess.run(["train-summarizer", "--data", corpus, "--reference-field", "text", "-C", value, "--output", scratch.path + "/s.lapis"])
        #expect(scorer.status == 2)
    }

    @Test("labels with no, one or only positives train with a warning, also shown by inspect")
    func labelWarnings() throws {
        let data = scratch.write("w.jsonl", """
        {"id": "1", "text": "Tariffs on steel imports rose sharply.", "labels": ["trade", "all"]}
        {"id": "2", "text": "Exports and tariffs dominated trade talks.", "labels": ["trade", "all", "once"]}
        {"id": "3", "text": "Troops guarded the border after an attack.", "labels": ["all"]}

        """)
        let model = scratch.path + "/w.lapis"
        let result = try LapisProcess.run(["train", "--data", data, "--labels", "trade,all,once,never", "--min-df", "1", "--folds", "0", "--output", model])
        #expect(result.status == 0, "\(result.stderr)")
        for warning in ["'never': no training story", "'once': only one", "'all': every training story"] {
            #expect(result.stderr.contains(warning), "\(warning): \(result.stderr)")
            #expect(try LapisProcess.run(["inspect", model]).stdout.contains(warning))
        }
        #expect(!result.stderr.contains("'trade'"))
    }

    @Test("train-summarizer refuses a sentence index outside the story, as evaluate summaries does")
    func referenceIndices() throws {
        let data = scratch.write("r.jsonl", "{\"id\": \"1\", \"text\": \"One. Two. Three. Four.\", \"ref\": [0, 9]}\n")
        for command in [["train-summarizer", "--data", data, "--reference-field", "ref", "--output", scratch.path + "/s.lapis"],
                        ["evaluate", "summaries", "--data", data, "--reference-field", "ref"]] {
            let result = try LapisProcess.run(command)
            #expect(result.status == 1 && result.stderr.contains("r.jsonl:1:") && result.stderr.contains("sentence 9"), "\(command): \(result.stderr)")
        }
    }

    @Test("evaluate summaries --report on a single story writes the report")
    func singleStoryReport() throws {
        let data = scratch.write("one.jsonl", "{\"id\": \"1\", \"text\": \"Ports closed. Ships waited. Trucks queued. Prices rose.\", \"ref\": [0, 1]}\n")
        let result = try LapisProcess.run(["evaluate", "summaries", "--data", data, "--reference-field", "ref", "--report", scratch.path + "/one.html"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/one.html"))
    }

    // MARK: The default model

    @Test("LAPIS_DEFAULT_MODEL naming a missing file is an error; a planted folder in the working directory is not the built-in model")
    func defaultModelLocation() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["LAPIS_DEFAULT_MODEL"] = "/nonexistent/typo.lapis"
        let typo = try LapisProcess.run(["classify", corpus], environment: environment)
        #expect(typo.status == 1 && typo.stderr.contains("/nonexistent/typo.lapis"))
        // A decoy bundle holding another model in the working directory, where resolving a bare
        // argv[0] ("lapis", run from $PATH) against it used to look first.
        let other = try trainModel("other.lapis")
        let decoy = scratch.path + "/Lapis_LapisDefaultModel.resources"
        try FileManager.default.createDirectory(atPath: decoy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: other, toPath: decoy + "/default.lapis")
        let fromPath = try shell("lapis inspect --json")
        let builtIn = try LapisProcess.run(["inspect", "--json"])
        #expect(fromPath.status == 0 && fromPath.stdout == builtIn.stdout, "\(fromPath.stderr)")
        #expect(fromPath.stdout != (try LapisProcess.run(["inspect", "--json", other])).stdout)
    }

    // MARK: Evaluation

    @Test("evaluate counts labels the model never saw as misses, lists them, warns once and exits 0; --model-labels-only restricts the averages")
    func unknownLabels() throws {
        let model = try trainModel()
        var lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = lines[0].replacingOccurrences(of: "\"labels\": [", with: "\"labels\": [\"sun-meal\", \"sun-meal\", ")
        let data = scratch.write("u.jsonl", lines.joined(separator: "\n") + "\n")
        let table = try LapisProcess.run(["evaluate", "--model", model, "--data", data, "--report", scratch.path + "/u.html"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stderr.components(separatedBy: "not in the model").count == 2 && table.stderr.contains("sun-meal"), "\(table.stderr)")
        #expect(table.stdout.contains("sun-meal") && table.stdout.contains("(not in the model)"))
        let json = try LapisProcess.run(["evaluate", "--model", model, "--data", data, "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let sun = (report["labels"] as! [String: Any])["sun-meal"] as! [String: Any]
        #expect(sun["support"] as? Int == 1 && sun["false_negatives"] as? Int == 1 && sun["in_model"] as? Bool == false)
        #expect((report["averaged_labels"] as! [String]).count == 5)
        let restricted = try LapisProcess.run(["evaluate", "--model", model, "--data", data, "--json", "--model-labels-only"])
        let restrictedReport = try JSONSerialization.jsonObject(with: Data(restricted.stdout.utf8)) as! [String: Any]
        #expect((restrictedReport["averaged_labels"] as! [String]).count == 4)
        let macro = { (r: [String: Any]) in (r["macro"] as! [String: Double])["f1"]! }
        #expect(macro(restrictedReport) > macro(report))
    }

    @Test("evaluate on data without any label field is refused, naming the field")
    func noLabels() throws {
        let story = scratch.write("plain.txt", "Tariffs rose and ports closed.")
        let result = try LapisProcess.run(["evaluate", "--data", story])
        #expect(result.status == 1 && result.stderr.contains("'labels'"), "\(result.stderr)")
    }
}
