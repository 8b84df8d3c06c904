import Foundation
import LapisTestSupport
import Testing

/// One flag vocabulary on every command (issue 20, point 3): -m/--model, positional inputs,
/// -f/--format text|jsonl|json, -o/--output, -q/--quiet, --threads; the spellings of earlier
/// versions still work and stay out of --help; the model remembers its training fields.
@Suite("lapis: one flag vocabulary, old spellings kept", .serialized)
struct VocabularyTests {
    let scratch = TemporaryFolder()
    var corpus: String { LapisProcess.fixtures + "/mini-corpus.jsonl" }
    static let labels = ["--labels", "trade,security,transport,multilateral", "--min-df", "1", "--folds", "0"]

    func run(_ arguments: [String], stdin: String? = nil) throws -> LapisProcess.Result {
        try LapisProcess.run(arguments, stdin: stdin, directory: scratch.path)
    }

    func bytes(_ path: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: path) ?? Data())
    }

    @Test("train FILE -o MODEL and the old --data FILE --output MODEL write the same bytes")
    func trainSpellings() throws {
        let new = try run(["train", corpus, "-o", "new.lapis", "-q"] + Self.labels)
        let old = try run(["train", "--data", corpus, "--output", "old.lapis", "--quiet"] + Self.labels)
        #expect(new.status == 0 && old.status == 0, "\(new.stderr) \(old.stderr)")
        #expect(new.stderr.isEmpty, "-q leaves nothing but errors: \(new.stderr)")
        #expect(!bytes(scratch.path + "/new.lapis").isEmpty)
        #expect(bytes(scratch.path + "/new.lapis") == bytes(scratch.path + "/old.lapis"))
    }

    @Test("classify, evaluate, inspect and summaries give the same output under new and old spellings")
    func sameOutputBothSpellings() throws {
        #expect(try run(["train", corpus, "-o", "m.lapis", "-q"] + Self.labels).status == 0)
        let pairs: [([String], [String])] = [
            (["classify", "-m", "m.lapis", "-f", "jsonl", corpus], ["classify", "--model", "m.lapis", "--format", "jsonl", corpus]),
            (["evaluate", "-m", "m.lapis", "-f", "json", corpus], ["evaluate", "--model", "m.lapis", "--data", corpus, "--json"]),
            (["evaluate", "-m", "m.lapis", corpus], ["evaluate", "classifier", "--model", "m.lapis", "--data", corpus]),
            (["inspect", "-m", "m.lapis"], ["inspect", "m.lapis"]),
            (["inspect", "-m", "m.lapis", "-f", "json"], ["inspect", "m.lapis", "--json"]),
            (["summarize", "-n", "2", "-f", "jsonl", corpus], ["summarize", "--sentences", "2", "--format", "jsonl", corpus]),
            (["evaluate", "summaries", corpus, "--reference-field", "text", "--method", "lead", "-f", "json"],
             ["evaluate", "summaries", "--data", corpus, "--reference-field", "text", "--method", "lead", "--json"]),
        ]
        for (new, old) in pairs {
            let a = try run(new), b = try run(old)
            #expect(a.status == 0, "\(new): \(a.stderr)")
            #expect(!a.stdout.isEmpty)
            #expect(a.stdout == b.stdout, "\(new) vs \(old)")
        }
    }

    @Test("the old spellings are hidden from --help, the new ones shown")
    func hiddenAliases() throws {
        for (command, hidden, shown) in [(["train"], "--data", "-o, --output"), (["classify"], "--data", "-m, --model"),
                                         (["evaluate", "classifier"], "--json", "-f, --format"),
                                         (["evaluate", "summaries"], "--summarizer-model", "-m, --model"),
                                         (["inspect"], "--json", "-m, --model")] {
            let help = try run(command + ["--help"]).stdout
            #expect(!help.contains(hidden + " "), "\(command) shows \(hidden)")
            #expect(help.contains(shown), "\(command) lacks \(shown)")
            #expect(help.contains("-q, --quiet") || command == ["inspect"], "\(command) lacks -q")
        }
    }

    @Test("-f json writes the jsonl objects as one array; an empty input gives []")
    func jsonArray() throws {
        for command in ["classify", "summarize", "sentences"] {
            let lines = try run([command, "-f", "jsonl", corpus]).stdout.split(separator: "\n")
            let array = try run([command, "-f", "json", corpus])
            #expect(array.status == 0, "\(array.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: Data(array.stdout.utf8)) as? [[String: Any]]
            #expect(parsed?.count == lines.count)
            let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
            #expect(parsed?.first?["id"] as? String == first?["id"] as? String)
            let empty = try run([command, "-f", "json"], stdin: "")
            #expect(empty.status == 0 && empty.stdout == "[]\n", "\(command): \(empty.stdout) \(empty.stderr)")
        }
    }

    @Test("-o writes the results to a file that appears only when complete; a failure keeps the old file")
    func outputFile() throws {
        let direct = try run(["classify", "-f", "jsonl", corpus])
        let written = try run(["classify", "-f", "jsonl", corpus, "-o", "tags.jsonl"])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        #expect(try String(contentsOfFile: scratch.path + "/tags.jsonl", encoding: .utf8) == direct.stdout)

        // A malformed third record stops the command half-way: the file keeps what it had.
        let bad = scratch.write("bad.jsonl", "{\"id\": \"a\", \"text\": \"Ports reopened.\"}\n{\"id\": \"b\", \"text\": \"Tariffs rose.\"}\n{\"id\": \"c\", \"text\": \n")
        let failed = try run(["classify", "-f", "jsonl", bad, "-o", "tags.jsonl"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("bad.jsonl:3"), "\(failed.stderr)")
        #expect(try String(contentsOfFile: scratch.path + "/tags.jsonl", encoding: .utf8) == direct.stdout)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")

        // Tables and JSON of evaluate and inspect go there too.
        #expect(try run(["inspect", "-f", "json", "-o", "model.json"]).status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/model.json"))) is [String: Any])
    }

    @Test("-o naming an input is refused before anything is written", arguments: ["classify", "summarize", "sentences"])
    func outputOverInput(command: String) throws {
        let copy = scratch.write("stories.jsonl", try String(contentsOfFile: corpus, encoding: .utf8))
        let before = bytes(copy)
        let result = try run([command, copy, "-o", copy])
        #expect(result.status == 2)
        #expect(result.stderr.contains("same file"), "\(result.stderr)")
        #expect(bytes(copy) == before)
    }

    @Test("--threads 1 and --threads 2 give the same model bytes and the same output")
    func threads() throws {
        #expect(try run(["train", corpus, "-o", "one.lapis", "--threads", "1", "-q"] + Self.labels).status == 0)
        #expect(try run(["train", corpus, "-o", "two.lapis", "--threads", "2", "-q"] + Self.labels).status == 0)
        #expect(bytes(scratch.path + "/one.lapis") == bytes(scratch.path + "/two.lapis"))
        #expect(try run(["summarize", corpus, "--threads", "1"]).stdout == run(["summarize", corpus, "--threads", "2"]).stdout)
        let zero = try run(["classify", corpus, "--threads", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--threads must be at least 1"), "\(zero.stderr)")
    }

    /// The mini corpus with its fields renamed: body, headline, key, tags.
    func renamedCorpus(keepTitles: Bool = true) throws -> String {
        let lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map { line -> String in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            var renamed: [String: Any] = ["key": record["id"]!, "body": record["text"]!, "tags": record["labels"]!]
            if keepTitles { renamed["headline"] = record["title"]! }
            return String(decoding: try JSONSerialization.data(withJSONObject: renamed, options: [.sortedKeys]), as: UTF8.self)
        }
        return scratch.write(keepTitles ? "renamed.jsonl" : "untitled.jsonl", lines.joined(separator: "\n") + "\n")
    }

    @Test("a model remembers the fields it was trained with: classify and evaluate read them without flags")
    func rememberedFields() throws {
        let data = try renamedCorpus()
        let fields = ["--text-field", "body", "--title-field", "headline", "--id-field", "key"]
        let trained = try run(["train", data, "-o", "renamed.lapis", "--label-field", "tags", "-q"] + fields + Self.labels)
        #expect(trained.status == 0, "\(trained.stderr)")
        let told = try run(["classify", "-m", "renamed.lapis", "-f", "jsonl", data] + fields)
        let remembered = try run(["classify", "-m", "renamed.lapis", "-f", "jsonl", data])
        #expect(remembered.status == 0, "\(remembered.stderr)")
        #expect(remembered.stdout == told.stdout)
        #expect(remembered.stdout.contains("\"id\": \"t1\""))
        let evaluated = try run(["evaluate", "-m", "renamed.lapis", data, "-f", "json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let inspected = try run(["inspect", "-m", "renamed.lapis", "-f", "json"]).stdout
        #expect(inspected.contains("\"fields\": {\"id\": \"key\", \"title\": \"headline\", \"text\": \"body\", \"labels\": \"tags\"}"), "\(inspected)")
    }

    @Test("a model trained with titles warns when none of the records it reads has one; -q silences it")
    func missingTitlesWarning() throws {
        let untitled = try renamedCorpus(keepTitles: false)
        #expect(try run(["train", corpus, "-o", "titled.lapis", "-q"] + Self.labels).status == 0)
        let fields = ["--text-field", "body", "--id-field", "key"]
        let warned = try run(["classify", "-m", "titled.lapis", untitled] + fields)
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("trained on stories with titles") && warned.stderr.contains("--title-field"), "\(warned.stderr)")
        let evaluated = try run(["evaluate", "-m", "titled.lapis", untitled, "--label-field", "tags"] + fields)
        #expect(evaluated.stderr.contains("trained on stories with titles"), "\(evaluated.stderr)")
        let withTitles = try run(["classify", "-m", "titled.lapis", corpus])
        #expect(!withTitles.stderr.contains("titles"), "\(withTitles.stderr)")
        let quiet = try run(["classify", "-m", "titled.lapis", untitled, "-q"] + fields)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test("evaluate summaries --report says where it wrote the report, as train and evaluate do")
    func summariesReportNote() throws {
        let result = try run(["evaluate", "summaries", corpus, "--reference-field", "text", "--method", "lead", "--report", "r.html"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote the report to r.html"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/r.html"))
    }

    @Test("a fragment is left out of summaries by default; --min-sentence-words 0 lets it compete on its score",
          arguments: ["lexrank", "textrank", "default"])
    func fragments(method: String) throws {
        let story = scratch.write("fragment.txt", "The U.S. and Canada signed a trade deal on Monday after two years of talks. The U.S. Officials said the U.S. would cut tariffs on Canadian lumber by half. Canada agreed to open its dairy market to U.S. farmers over five years. Critics in the U.S. Congress said the deal gave away too much. Markets in Toronto rose sharply on the news of the signing.\n")
        let byDefault = try run(["summarize", "--method", method, "-n", "5", story])
        let unfiltered = try run(["summarize", "--method", method, "-n", "5", "--min-sentence-words", "0", story])
        #expect(byDefault.status == 0 && unfiltered.status == 0, "\(byDefault.stderr)")
        #expect(!byDefault.stdout.split(separator: "\n").contains("The U.S."))
        #expect(unfiltered.stdout.split(separator: "\n").contains("The U.S."))
        #expect(try run(["summarize", "--min-sentence-words", "-1", story]).status == 2)
    }

    @Test("-n takes a share of each story's sentences, as sumy's --length=20%")
    func sentenceShare() throws {
        let story = (1...10).map { "Sentence number \($0) tells of ships, tariffs and ports in some detail." }.joined(separator: " ")
        let path = scratch.write("ten.txt", story + "\n")
        let share = try run(["summarize", "-n", "20%", path])
        #expect(share.status == 0, "\(share.stderr)")
        #expect(share.stdout.split(separator: "\n").count == 2)
        #expect(try run(["summarize", "-n", "1%", path]).stdout.split(separator: "\n").count == 1, "at least one sentence")
        #expect(try run(["summarize", "-n", "100%", path]).stdout.split(separator: "\n").count == 10)
        for bad in ["0%", "101%", "x%"] {
            #expect(try run(["summarize", "-n", bad, path]).status == 2, "\(bad)")
        }
    }
}
