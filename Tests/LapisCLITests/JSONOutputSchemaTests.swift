import Foundation
import LapisTestSupport
import Testing

/// Every JSON output has exactly the keys the README's "JSON outputs" lists (issue 20, point 6):
/// the list is read from the README, each command is run with the flags that add the optional
/// keys, and every object the list names is compared with what the command printed.
@Suite("JSON outputs match the README's list", .serialized)
struct JSONOutputSchemaTests {
    let scratch = TemporaryFolder()
    var corpus: String { LapisProcess.fixtures + "/mini-corpus.jsonl" }

    /// One line of the list: the object's path, its keys, and which of them are optional.
    struct Entry {
        var path: [String]
        var required: Set<String>
        var optional: Set<String>
    }

    /// The lines of the first ```text block after "## JSON outputs" in the README.
    static func documentedEntries() throws -> [Entry] {
        let readme = try String(contentsOfFile: LapisProcess.packageRoot + "/README.md", encoding: .utf8)
        guard let section = readme.range(of: "## JSON outputs"),
              let start = readme.range(of: "```text\n", range: section.upperBound..<readme.endIndex),
              let end = readme.range(of: "```", range: start.upperBound..<readme.endIndex) else { return [] }
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let keys = line[line.index(after: colon)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Entry(path: line[..<colon].split(separator: ".").map(String.init),
                         required: Set(keys.filter { !$0.hasSuffix("?") }),
                         optional: Set(keys.filter { $0.hasSuffix("?") }.map { String($0.dropLast()) }))
        }
    }

    /// The objects at `path` below `value`: "*" is every value of a map, "name[]" every element
    /// of the list under "name".
    static func objects(at path: ArraySlice<String>, in value: Any) -> [[String: Any]] {
        guard let step = path.first else { return (value as? [String: Any]).map { [$0] } ?? [] }
        let rest = path.dropFirst()
        guard let object = value as? [String: Any] else { return [] }
        if step == "*" { return object.values.flatMap { objects(at: rest, in: $0) } }
        if step.hasSuffix("[]") {
            return ((object[String(step.dropLast(2))] as? [Any]) ?? []).flatMap { objects(at: rest, in: $0) }
        }
        return object[step].map { objects(at: rest, in: $0) } ?? []
    }

    func run(_ arguments: [String]) throws -> String {
        let result = try LapisProcess.run(arguments, directory: scratch.path)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    /// Each documented root, the commands that print it (every optional key asked for in one of
    /// them), as parsed JSON objects.
    func outputs() throws -> [String: [Any]] {
        let model = scratch.path + "/m.lapis"
        _ = try run(["train", corpus, "-o", model, "-q", "--min-df", "1", "--folds", "0"])
        let passageModel = scratch.path + "/p.lapis"
        _ = try run(["train", corpus, "-o", passageModel, "-q", "--min-df", "1", "--folds", "0", "--passage-sentences", "2"])
        let scorer = scratch.path + "/s.lapis"
        let summaries = scratch.write("summaries.jsonl", TrainSummarizerCLITests.storiesJSONL())
        _ = try run(["train-summarizer", summaries, "--reference-field", "summary", "-o", scorer, "-q"])
        func lines(_ text: String) throws -> [Any] {
            try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
        }
        func one(_ text: String) throws -> [Any] { [try JSONSerialization.jsonObject(with: Data(text.utf8))] }
        return [
            "classify": try lines(run(["classify", "-m", model, "-f", "jsonl", corpus]))
                + lines(run(["classify", "-m", model, "-f", "jsonl", "--top", "2", "--explain", corpus]))
                + lines(run(["classify", "-m", passageModel, "-f", "jsonl", "--explain", corpus]))
                + ((try one(run(["classify", "-m", model, "-f", "json", corpus])).first as? [Any]) ?? []),
            "summarize": try lines(run(["summarize", "-f", "jsonl", corpus])),
            "sentences": try lines(run(["sentences", "-f", "jsonl", corpus])),
            "evaluate": try one(run(["evaluate", "-m", model, corpus, "-f", "json"])) + one(run(["evaluate", "-m", model, corpus, "-f", "json", "--top", "2"])),
            "evaluate-summaries": try one(run(["evaluate", "summaries", corpus, "--reference-field", "text", "--method", "lead", "-f", "json", "--per-story"]))
                + one(run(["evaluate", "summaries", corpus, "--reference-field", "text", "--method", "lead", "--method", "textrank", "-f", "json"])),
            "inspect": try one(run(["inspect", "-m", model, "-f", "json"])) + one(run(["inspect", "-f", "json"])),
            "inspect-summarizer": try one(run(["inspect", "-m", scorer, "-f", "json"])),
        ]
    }

    @Test("each command's JSON has the documented keys, no more, no fewer; every optional key appears somewhere")
    func outputsMatchTheList() throws {
        let entries = try Self.documentedEntries()
        #expect(entries.count >= 20, "the README's list was not found")
        let outputs = try outputs()
        #expect(Set(entries.map { $0.path[0] }) == Set(outputs.keys), "documented roots differ from the tested ones")
        for entry in entries {
            let found = (outputs[entry.path[0]] ?? []).flatMap { Self.objects(at: entry.path.dropFirst(), in: $0) }
            #expect(!found.isEmpty, "no object at \(entry.path.joined(separator: "."))")
            var seenOptional = Set<String>()
            for object in found {
                let keys = Set(object.keys)
                #expect(entry.required.isSubset(of: keys), "\(entry.path.joined(separator: ".")) lacks \(entry.required.subtracting(keys).sorted())")
                #expect(keys.isSubset(of: entry.required.union(entry.optional)),
                        "\(entry.path.joined(separator: ".")) has undocumented \(keys.subtracting(entry.required.union(entry.optional)).sorted())")
                seenOptional.formUnion(keys.intersection(entry.optional))
            }
            #expect(seenOptional == entry.optional, "\(entry.path.joined(separator: ".")): optional keys never produced: \(entry.optional.subtracting(seenOptional).sorted())")
        }
    }

    @Test("evaluate summaries puts its figures under \"methods\" for one method as for several")
    func summariesAlwaysMethods() throws {
        for methods in [["lead"], ["lead", "textrank"]] {
            let text = try run(["evaluate", "summaries", corpus, "--reference-field", "text", "-f", "json"] + methods.flatMap { ["--method", $0] })
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let listed = (object?["methods"] as? [String: Any])?.keys.sorted()
            #expect(listed == methods.sorted())
        }
    }
}
