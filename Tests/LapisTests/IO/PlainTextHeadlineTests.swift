import Foundation
import Testing
@testable import Lapis

/// A plain-text story's first line is its title when it is a headline (issue 20, point 8).
@Suite("Plain text: a headline on the first line is the title")
struct PlainTextHeadlineTests {
    static let body = "Dock workers walked out on Monday. Talks resume on Wednesday."

    @Test("a line in capitals is the title, with or without a blank line after it", arguments: ["\n", "\n\n", "\r\n\r\n"])
    func capitals(separator: String) {
        let split = PlainTextHeadline.split("PORT STRIKE HALTS GRAIN EXPORTS" + separator + Self.body)
        #expect(split?.title == "PORT STRIKE HALTS GRAIN EXPORTS")
        #expect(split?.body == Self.body)
    }

    @Test("a short line without final punctuation, set off by a blank line, is the title")
    func titleLike() {
        let split = PlainTextHeadline.split("\n  Port strike halts grain exports  \n\n" + Self.body + "\n")
        #expect(split?.title == "Port strike halts grain exports")
        #expect(split?.body == Self.body + "\n")
    }

    @Test("sentences, paragraphs and one-line stories stay body text", arguments: [
        "Port strike halts grain exports.\n\n" + body,          // ends as a sentence does
        "Port strike halts grain exports\n" + body,             // no blank line, not capitals
        "PORT STRIKE HALTS GRAIN EXPORTS",                       // nothing after it
        String(repeating: "WORD ", count: 21) + "\n\n" + body,   // too long for a headline
        "U.S.\n" + body,                                         // fewer than three letters
        body,
    ])
    func notHeadlines(text: String) {
        #expect(PlainTextHeadline.split(text) == nil)
    }

    @Test("a .txt story and standard input get the title; summaries never pick it")
    func readerUsesIt() throws {
        let text = "PORT STRIKE HALTS GRAIN EXPORTS\n\n" + Self.body + " Freight rates rose. Traders waited."
        let reader = try DocumentReader(bytes: Array(text.utf8), name: "story.txt", format: .text)
        let document = try #require(try reader.next())
        #expect(document.title == "PORT STRIKE HALTS GRAIN EXPORTS")
        #expect(!document.text.contains("PORT STRIKE"))
        let summary = PositionalCentralitySummarizer().summarize(document.text, title: document.title, count: 2)
        #expect(!summary.joined().contains("PORT STRIKE"))
    }
}
