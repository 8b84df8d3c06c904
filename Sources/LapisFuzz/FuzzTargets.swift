import Foundation
import Lapis
import LapisReports

/// The fuzzed entry points of the Lapis library. Each target feeds arbitrary bytes to one
/// public API and checks the promises that API makes: no crash, errors only as
/// ``LapisError``, and a few structural invariants. A broken promise traps, which libFuzzer
/// (or the replay runner) reports as a crash.
enum FuzzTarget: String, CaseIterable, Sendable {
    case tokenizer, splitter, jsonl, csv, model, sniffed, report, html

    /// The target named by the environment variable `LAPIS_FUZZ_TARGET`.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["LAPIS_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("lapis-fuzz: set LAPIS_FUZZ_TARGET to one of: \(names) (got '\(name)')\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .tokenizer: Self.tokenizer(bytes)
        case .splitter: Self.splitter(bytes)
        case .jsonl: Self.records(bytes, format: .jsonl)
        case .csv: Self.records(bytes, format: .csv)
        case .model: Self.model(bytes)
        case .sniffed: Self.records(bytes, format: nil)
        case .report: Self.reports(bytes)
        case .html: Self.html(bytes)
        }
    }

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("invariant broken: \(message())") }
    }

    // MARK: Targets

    static func tokenizer(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for token in Tokenizer().tokens(text) {
            check(!token.text.isEmpty, "empty token")
        }
        let normalized = TextNormalizer().normalize(text)
        _ = Tokenizer().tokens(normalized)
        let analyzer = TextAnalyzer(ngramRange: 1...3, removesStopWords: true, stems: true, keepsNumbers: true)
        for term in analyzer.terms(text) { check(!term.isEmpty, "empty term") }
    }

    /// The splitter promises verbatim sentences covering every non-whitespace byte once.
    static func splitter(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let utf8 = Array(text.utf8)
        let ranges = SentenceSplitter().sentenceByteRanges(text)
        var covered = 0
        for range in ranges {
            check(range.lowerBound >= covered && range.upperBound <= utf8.count && !range.isEmpty, "bad range \(range)")
            check(isBlank(utf8[covered..<range.lowerBound]), "non-space bytes between sentences")
            covered = range.upperBound
        }
        check(isBlank(utf8[covered...]), "non-space bytes after the last sentence")
        let sentences = SentenceSplitter().sentences(text)
        check(sentences.count == ranges.count, "sentences and ranges disagree")
        // The summarizers on small inputs: every summary sentence is one of the story's.
        if bytes.count <= 8192 {
            for method in ["positional", "lexrank", "textrank", "lead"] {
                let summary = SummarizerCatalog.summarizer(named: method)!.summarize(text, title: sentences.first, count: 3)
                check(summary.count <= 3 && summary.allSatisfy(sentences.contains), "\(method) summary is not made of story sentences")
            }
            let scores = RougeScorer().score(candidate: text, reference: sentences.reversed().joined(separator: "\n"))
            check(scores.rougeL.f1 >= 0 && scores.rougeL.f1 <= 1.000001, "ROUGE-L F1 out of range")
        }
    }

    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case 0x20, 0x0A, 0x09, 0x0D, 0x0C, 0x0B: index += 1
            case 0xC2 where index + 1 < bytes.endIndex && bytes[index + 1] == 0xA0: index += 2
            default: return false
            }
        }
        return true
    }

    /// An HTML page, a tab-separated file and one story per line: every page gives one story
    /// with no markup delimiters left from a tag, and the line reader one story per non-blank line.
    static func html(_ bytes: [UInt8]) {
        do {
            let page = try DocumentReader(bytes: bytes, name: "fuzz", format: .html).readAll()
            check(page.count == 1, "an HTML page is one story")
            check(!page[0].text.contains("\n\n\n"), "paragraphs are separated by one blank line")
            let lines = try DocumentReader(bytes: bytes, name: "fuzz", format: .lines).readAll()
            check(lines.allSatisfy { !$0.text.contains("\n") }, "a line story holds no line break")
        } catch let error as LapisError {
            check(error.description.hasPrefix("fuzz"), "error does not name the input: \(error)")
        } catch {
            fatalError("not a LapisError: \(error)")
        }
        records(bytes, format: .tsv)
    }

    /// `format` nil reads the bytes as the CLI reads standard input: JSONL when they start
    /// with "{" after any byte-order mark and white space (or are blank), else one story.
    static func records(_ bytes: [UInt8], format: InputFormat?) {
        let fields = FieldNames(labels: "labels")
        // Strict: the first bad record is an error, which must be a LapisError naming the line.
        do {
            let reader = try DocumentReader(bytes: bytes, name: "fuzz", format: format, fields: fields)
            for document in try reader.readAll() {
                check(document.source.line >= 1, "document without a line")
            }
        } catch let error as LapisError {
            check(error.description.hasPrefix("fuzz"), "error does not name the input: \(error)")
        } catch {
            fatalError("not a LapisError: \(error)")
        }
        // Lenient: skipping never throws a record error.
        do {
            let reader = try DocumentReader(bytes: bytes, name: "fuzz", format: format, fields: fields, skipsInvalid: true)
            let documents = try reader.readAll()
            check(reader.skipped >= 0 && reader.skippedExamples.count <= min(reader.skipped, 10), "skip count inconsistent")
            _ = documents
        } catch let error as LapisError {
            switch error {
            case .malformedRecord, .missingField, .wrongFieldType, .unknownLabels:
                fatalError("record error escaped skipsInvalid: \(error)")
            default: break
            }
        } catch {
            fatalError("not a LapisError: \(error)")
        }
    }

    static func model(_ bytes: [UInt8]) {
        load(bytes)
        // Mutations rarely keep the checksum right; also try the bytes with a repaired
        // checksum so the metadata and array validation behind it gets fuzzed too.
        if bytes.count >= 32 {
            var repaired = bytes
            let crc = crc32(bytes[32...])
            for index in 0..<4 { repaired[12 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
            load(repaired)
        }
    }

    static func load(_ bytes: [UInt8]) {
        do {
            let classifier = try TopicClassifier.load(bytes: bytes, name: "fuzz.lapis")
            let prediction = classifier.predict(Document(id: "probe", title: "Trade talks", text: "Ministers met to discuss tariffs, ports and security."))
            check(prediction.scores.values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "probability outside [0, 1] from a validated model")
            check(Set(prediction.labels).isSubset(of: classifier.labels), "predicted an unknown label")
        } catch let error as LapisError {
            guard case .invalidModel(let path, _) = error else { fatalError("unexpected error kind: \(error)") }
            check(path == "fuzz.lapis", "error does not name the file")
        } catch {
            fatalError("not a LapisError: \(error)")
        }
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    // MARK: Report builders

    /// Builds classification and summary reports (table, JSON, HTML) from documents, labels
    /// and scores decoded from the bytes: any label count (past the heat map's limit too),
    /// hostile label names and texts, one story or none. Promises: no trap, JSON that parses
    /// with only finite numbers, and no markup from the data in the page.
    static func reports(_ bytes: [UInt8]) {
        var input = ByteStream(bytes)
        let labelCount = 1 + Int(input.byte() % 40)
        let labels = Array(Set((0..<labelCount).map { _ in input.word() })).sorted()
        let documentCount = Int(input.byte() % 24)
        var documents: [ScoredDocument] = []
        for d in 0..<documentCount {
            var truth = Set<String>(), predicted = Set<String>(), probabilities: [Double] = []
            for label in labels {
                let flags = input.byte()
                if flags & 1 == 1 { truth.insert(label) }
                if flags & 2 == 2 { predicted.insert(label) }
                probabilities.append(Double(input.byte()) / 255)
            }
            // A true label the model does not know, as evaluate gives them.
            if input.byte() % 5 == 0 { truth.insert("unknown-" + input.word()) }
            documents.append(ScoredDocument(id: "\(d)" + input.word(), title: input.byte() % 2 == 0 ? nil : input.word(),
                                            text: input.sentences(), truth: truth, predicted: predicted, probabilities: probabilities))
        }
        let report = ClassificationReport(labels: labels, truth: documents.map(\.truth), predicted: documents.map(\.predicted),
                                          averagesOverModelLabelsOnly: input.byte() % 2 == 0)
        _ = report.table()
        checkJSON(report.json(), "classification JSON")
        let extra = report.labelsNotInModel.count
        let scored = documents.map { document in
            ScoredDocument(id: document.id, title: document.title, text: document.text, truth: document.truth,
                           predicted: document.predicted, probabilities: document.probabilities + [Double](repeating: 0, count: extra))
        }
        let thresholds = labels.map { _ in Double(input.byte()) / 255 } + [Double](repeating: .infinity, count: extra)
        let metadata = ReportMetadata(model: input.word(), data: input.word())
        checkPage(ClassificationHTMLReport(report: report, thresholds: thresholds, documents: scored, metadata: metadata).render())

        let stories = documents.map { Document(id: $0.id, title: $0.title, text: $0.text) }
        let splitter = SentenceSplitter()
        let leads = stories.map { splitter.sentences($0.text).prefix(3).joined(separator: "\n") }
        let references = stories.map { splitter.sentences($0.text).reversed().prefix(2).joined(separator: "\n") }
        let scores = RougeScorer().score(candidates: leads, references: references)
        let rouge = RougeReport(ids: stories.map(\.id), systems: [RougeReport.System(name: "lead", scores: scores)])
        _ = rouge.table()
        checkJSON(rouge.json(perStory: true), "ROUGE JSON")
        checkPage(SummaryHTMLReport(rouge: rouge, documents: stories, summaries: [leads], references: references, metadata: metadata).render())
    }

    static func checkJSON(_ text: String, _ what: String) {
        check(!text.contains("nan") && !text.contains("inf"), "\(what) holds a non-finite number")
        check((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(what) does not parse")
    }

    /// Data strings are built from `<`, `&` and quotes among other bytes; escaped, none of them
    /// can open an element the page did not write itself.
    static func checkPage(_ page: String) {
        check(page.hasPrefix("<!DOCTYPE html>"), "page without doctype")
        check(!page.contains("<x") && !page.lowercased().contains("<script"), "markup from the data reached the page")
        check(!page.contains("NaN") && !page.contains("nan\""), "page holds NaN")
    }
}

/// Reads fuzz bytes as small values; past the end every read is 0 or empty.
struct ByteStream {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A short string: up to 15 bytes decoded as UTF-8, with `<x` and quotes likely among them.
    mutating func word() -> String {
        let length = Int(byte() % 16)
        var text: [UInt8] = []
        for _ in 0..<length {
            let b = byte()
            text += b % 9 == 0 ? Array("<x".utf8) : b % 11 == 0 ? [UInt8(ascii: "\"")] : [b]
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A few sentences of words.
    mutating func sentences() -> String {
        (0..<Int(byte() % 6)).map { _ in (0..<1 + Int(byte() % 5)).map { _ in word() }.joined(separator: " ") + "." }.joined(separator: " ")
    }
}
