import Foundation
import Testing
@testable import Lapis

@Suite("Phrase groups")
struct PhraseGroupsTests {
    static let groups = try! PhraseGroups.parse("""
        # a comment, then a group
        [body]
        United Nations
        U.N.
        International * Organization
        International Labour Organization
        NATO

        [format]
        Group of Seven
        United Nations
        """, path: "groups.txt")

    func words(_ text: String, groups: PhraseGroups = Self.groups) -> [String] {
        TextAnalyzer(removesStopWords: false, stems: false, phraseGroups: groups).words(text)
    }

    @Test("phrases are written as text is and tokenised as stories are; '*' stays a wildcard")
    func parsing() {
        #expect(Self.groups.groups.map(\.name) == ["body", "format"])
        #expect(Self.groups.groups[0].phrases == [["united", "nations"], ["u.n"], ["international", "*", "organization"],
                                                  ["international", "labour", "organization"], ["nato"]])
        #expect(Self.groups.groups.map(\.term) == ["#body", "#format"])
    }

    @Test("the group's term follows the phrase's last word, once per place, in group order")
    func marking() {
        #expect(words("The United Nations met") == ["the", "united", "nations", "#body", "#format", "met"])
        #expect(words("the U.N. and NATO's envoys") == ["the", "u.n", "#body", "and", "nato", "#body", "envoys"])
        // The wildcard phrase and the literal one end at the same word: one term.
        #expect(words("International Labour Organization rules") == ["international", "labour", "organization", "#body", "rules"])
        #expect(words("an International Maritime Organization") == ["an", "international", "maritime", "organization", "#body"])
        #expect(words("the Group of Seven") == ["the", "group", "of", "seven", "#format"])
    }

    @Test("punctuation or a line break between two words ends a phrase, so none spans two sentences")
    func boundaries() {
        #expect(!words("they united. Nations differ").contains("#body"))
        #expect(!words("the united\nnations").contains("#body"))
        #expect(!words("group of, seven").contains("#format"))
        #expect(words("the  united \t nations").contains("#body"))
        // A phrase in progress that fails still lets a new one start at the failing word.
        #expect(words("united united nations") == ["united", "united", "nations", "#body", "#format"])
    }

    @Test("without groups, and for text with no phrase, the analyzer's words are unchanged")
    func unchangedOtherwise() {
        let text = "Ports reopened after the strike; United Nations monitors and NATO ships stayed."
        let plain = TextAnalyzer(ngramRange: 1...2).terms(text)
        #expect(TextAnalyzer(ngramRange: 1...2, phraseGroups: .none).terms(text) == plain)
        let marked = TextAnalyzer(phraseGroups: Self.groups).words(text)
        #expect(marked.filter { !$0.hasPrefix("#") } == TextAnalyzer().words(text))
        #expect(marked.filter { $0.hasPrefix("#") } == ["#body", "#format", "#body"])
    }

    @Test("a group's term is a word for n-grams and is neither stemmed nor dropped")
    func ngrams() {
        let terms = TextAnalyzer(ngramRange: 1...2, phraseGroups: Self.groups).terms("NATO ships")
        #expect(terms == ["nato", "#body", "ship", "nato #body", "#body ship"])
    }

    @Test("a bad file is refused naming the line and what to do", arguments: [
        ("United Nations\n", 1, "before any '[name]' group header"),
        ("[body]\n\n[other]\nNATO\n", 1, "group 'body' has no phrases"),
        ("[Body]\nNATO\n", 1, "must start with a lower-case letter"),
        ("[body\nNATO\n", 1, "no closing ']'"),
        ("[body]\nNATO\n[body]\nEU\n", 3, "already started on line 1"),
        ("[body]\nNATO\n* Fund\n", 3, "'*' may stand only between two words"),
        ("[body]\nNATO\n-- ...\n", 3, "needs at least one word"),
        ("[num]\nNATO\n", 1, "reserved"),
        ("# only a comment\n", 1, "no groups"),
    ])
    func badFiles(text: String, line: Int, message: String) {
        do {
            _ = try PhraseGroups.parse(text, path: "groups.txt")
            Issue.record("accepted: \(text)")
        } catch {
            let description = "\(error)"
            #expect(description.hasPrefix("groups.txt:\(line): "), "\(description)")
            #expect(description.contains(message), "\(description)")
        }
    }

    @Test("a missing file, a folder and a file that is not UTF-8 are refused saying which")
    func unreadableFiles() throws {
        #expect(throws: LapisError.unreadableFile(path: "/nonexistent/groups.txt", reason: "no such file")) {
            try PhraseGroups.read(contentsOf: "/nonexistent/groups.txt")
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: LapisError.unreadableFile(path: folder, reason: "it is a directory")) { try PhraseGroups.read(contentsOf: folder) }
        let latin1 = folder + "/lapis-phrase-groups-\(ProcessInfo.processInfo.processIdentifier).txt"
        try Data([0x5B, 0x61, 0x5D, 0x0A, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        defer { try? FileManager.default.removeItem(atPath: latin1) }
        #expect(throws: LapisError.invalidPhraseList(path: latin1, line: 1, reason: "the file is not UTF-8 text")) { try PhraseGroups.read(contentsOf: latin1) }
    }

    @Test("an analyzer with groups survives encoding; one without writes no phrase_groups key")
    func coding() throws {
        let analyzer = TextAnalyzer(ngramRange: 1...2, phraseGroups: Self.groups)
        let data = try JSONEncoder().encode(analyzer)
        let decoded = try JSONDecoder().decode(TextAnalyzer.self, from: data)
        #expect(decoded == analyzer)
        #expect(decoded.words("the United Nations") == analyzer.words("the United Nations"))
        let plain = String(decoding: try JSONEncoder().encode(TextAnalyzer()), as: UTF8.self)
        #expect(!plain.contains("phrase_groups"))
        let old = #"{"ngram_min":1,"ngram_max":2,"stop_words":true,"stemming":true,"numbers":false}"#
        #expect(try JSONDecoder().decode(TextAnalyzer.self, from: Data(old.utf8)).phraseGroups.isEmpty)
        let corrupt = #"{"ngram_min":1,"ngram_max":1,"stop_words":true,"stemming":true,"numbers":false,"phrase_groups":[{"name":"Bad","phrases":[["x"]]}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TextAnalyzer.self, from: Data(corrupt.utf8)) }
    }

    @Test("the default model's phrase file parses, and every phrase in it marks its own text")
    func shippedFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path + "/TrainingData/phrase-groups.txt"
        let groups = try PhraseGroups.read(contentsOf: path)
        let analyzer = TextAnalyzer(phraseGroups: groups)
        for group in groups.groups {
            for phrase in group.phrases {
                // Tokens are written back as text: a dotted acronym ("u.n") with its final period.
                let text = phrase.map { $0 == "*" ? "maritime" : $0.contains(".") ? $0 + "." : $0 }.joined(separator: " ")
                #expect(analyzer.words("the " + text + " said").contains(group.term), "\(text)")
            }
        }
    }

    @Test("hostile phrase files are parsed or refused with a LapisError, never a crash; hostile text is analysed")
    func hostile() throws {
        let files = ["", "[", "]", "[]", "[a]", "[a]\n*", "[a]\n* *", "[a]\n*\n", "[a]\n\u{0}\n", "[a]\r\nNATO\r\n",
                     "[a]\n" + String(repeating: "x ", count: 10_000), "[é]\nNATO", "[a]\nÉtats membres", "[a]\n'\n", "[a]\nu.n. g-7 * * nato"]
        for file in files {
            do {
                let groups = try PhraseGroups.parse(file, path: "f.txt")
                let analyzer = TextAnalyzer(ngramRange: 1...3, phraseGroups: groups)
                for text in ["", "NATO", "u.n. g-7 a b nato", "États membres", String(repeating: "x ", count: 5_000), "\u{0}nato\u{0}"] {
                    _ = analyzer.terms(text)
                }
            } catch is LapisError {
            }
        }
        // CRLF files: the line's '\r' is trimmed, so the phrase is the word alone.
        #expect(try PhraseGroups.parse("[a]\r\nNATO\r\n", path: "f.txt").groups[0].phrases == [["nato"]])
        #expect(try PhraseGroups.parse("[a]\nÉtats membres", path: "f.txt").groups[0].phrases == [["états", "membres"]])
    }
}
