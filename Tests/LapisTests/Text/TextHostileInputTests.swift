import Foundation
import Testing
@testable import Lapis

/// The text pipeline on empty, broken, binary and enormous input.
@Suite("Text: hostile input")
struct TextHostileInputTests {
    /// Checks the splitter's promise: in-order, non-overlapping, non-empty ranges; every byte
    /// outside them is white space.
    static func checkCoverage(_ text: String) {
        let bytes = Array(text.utf8)
        var covered = 0
        func blank(_ range: Range<Int>) -> Bool {
            var index = range.lowerBound
            while index < range.upperBound {
                if [0x20, 0x0A, 0x09, 0x0D, 0x0C, 0x0B].contains(bytes[index]) { index += 1; continue }
                if bytes[index] == 0xC2, index + 1 < range.upperBound, bytes[index + 1] == 0xA0 { index += 2; continue }
                return false
            }
            return true
        }
        for range in SentenceSplitter().sentenceByteRanges(text) {
            #expect(range.lowerBound >= covered && !range.isEmpty && range.upperBound <= bytes.count)
            #expect(blank(covered..<range.lowerBound))
            covered = range.upperBound
        }
        #expect(blank(covered..<bytes.count))
    }

    @Test("empty and white-space-only text: no tokens, no sentences, an empty summary", arguments: [
        "", " ", "\n\n\n", "\t \r\n \u{0B}\u{0C}", "\u{00A0}\u{00A0}", " . ", "...", "?!",
    ])
    func emptyText(text: String) {
        #expect(Tokenizer().tokens(text).isEmpty)
        #expect(TextAnalyzer().terms(text).isEmpty)
        for method in SummarizerCatalog.names {
            let summary = SummarizerCatalog.summarizer(named: method)!.summarize(text, count: 3)
            #expect(summary.allSatisfy { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
            #expect(summary.count <= 1)
        }
        Self.checkCoverage(text)
    }

    @Test("repaired invalid UTF-8 is tokenised around the replacement characters")
    func repairedText() {
        let bytes: [UInt8] = Array("Tariffs".utf8) + [0xFF, 0xC3] + Array(" rose. Ports".utf8) + [0xE2, 0x80] + Array(" closed.".utf8)
        let text = TextDecoding.repairing(bytes[...])
        #expect(text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count == 3)
        #expect(Tokenizer().tokens(text).map(\.text) == ["Tariffs", "rose", "Ports", "closed"])
        #expect(SentenceSplitter().sentences(text).count == 2)
    }

    @Test("random binary input: the tokenizer and splitter keep their promises")
    func binaryInput() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = TextDecoding.repairing(bytes[...])
            #expect(Tokenizer().tokens(text).allSatisfy { !$0.text.isEmpty })
            _ = TextAnalyzer(ngramRange: 1...3).terms(text)
            Self.checkCoverage(text)
        }
    }

    @Test("punctuation-only and pathological runs split without crashing", arguments: [
        String(repeating: ".", count: 100_000),
        String(repeating: "a.", count: 50_000),
        String(repeating: "Mr. ", count: 30_000),
        String(repeating: "\u{201D}. ", count: 30_000),
        String(repeating: "'-'-", count: 30_000) + "x",
        String(repeating: "1,", count: 50_000) + "2",
        String(repeating: "\n", count: 100_000) + "A.",
    ])
    func pathologicalRuns(text: String) {
        Self.checkCoverage(text)
        _ = Tokenizer().tokens(text)
    }

    @Test("a 15 MB single-line story is tokenised and split in linear time")
    func hugeLine() {
        let sentence = "Dock workers at the port walked out over pay and ships waited offshore. "
        let text = String(repeating: sentence, count: 15_000_000 / sentence.utf8.count)
        let clock = ContinuousClock()
        var tokens = 0
        let elapsed = clock.measure {
            Tokenizer().forEachToken(in: text) { _, _ in tokens += 1 }
            #expect(SentenceSplitter().sentenceByteRanges(text).count == 15_000_000 / sentence.utf8.count)
        }
        #expect(tokens == 13 * (15_000_000 / sentence.utf8.count))
        // Generous even for a debug build under a sanitizer; a quadratic scan would take hours.
        #expect(elapsed < .seconds(240), "took \(elapsed)")
    }
}
