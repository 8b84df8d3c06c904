import Foundation
import LapisTestSupport
import Testing
@testable import Lapis

/// Broken bytes and malformed records in JSONL and CSV input, read from memory and from files.
@Suite("Document reader: hostile input")
struct DocumentReaderHostileInputTests {
    let folder = TemporaryFolder()

    func read(_ bytes: [UInt8], _ format: InputFormat, labels: String? = nil, skip: Bool = false) throws -> (documents: [Document], reader: DocumentReader) {
        let reader = try DocumentReader(bytes: bytes, name: "in.\(format.rawValue)", format: format, fields: FieldNames(labels: labels), skipsInvalid: skip)
        return (try reader.readAll(), reader)
    }

    func error(_ bytes: [UInt8], _ format: InputFormat, labels: String? = nil) -> LapisError? {
        do {
            _ = try read(bytes, format, labels: labels)
            return nil
        } catch let error as LapisError {
            return error
        } catch {
            Issue.record("not a LapisError: \(error)")
            return nil
        }
    }

    @Test("empty and blank inputs give no documents and no error", arguments: ["", "\n", "   \n\t\r\n  ", "\r\n\r\n"])
    func emptyInput(text: String) throws {
        #expect(try read(Array(text.utf8), .jsonl).documents.isEmpty)
        #expect(try read(Array(text.utf8), .csv).documents.isEmpty)
    }

    @Test("invalid UTF-8 inside JSONL strings and CSV fields is repaired with U+FFFD")
    func invalidUTF8() throws {
        let jsonl: [UInt8] = Array("{\"id\": \"a\", \"text\": \"caf".utf8) + [0xC3, 0x28, 0xFF] + Array(" ok\"}\n".utf8)
        let document = try #require(try read(jsonl, .jsonl).documents.first)
        #expect(document.text.contains("\u{FFFD}") && document.text.hasSuffix(" ok"))
        let csv: [UInt8] = Array("id,text\n1,\"bad ".utf8) + [0xED, 0xA0, 0x80] + Array(" bytes\"\n".utf8)
        let row = try #require(try read(csv, .csv).documents.first)
        #expect(row.text.contains("\u{FFFD}") && row.text.hasPrefix("bad ") && row.text.hasSuffix(" bytes"))
    }

    @Test("NUL bytes, a byte-order mark and CRLF line ends do not break records")
    func controlBytes() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"text\": \"one\"}\r\n".utf8) + [0] + Array("{\"text\": \"tw\u{0}o\"}\r\n".utf8)
        let documents = try read(bytes, .jsonl).documents
        #expect(documents.map(\.text) == ["one", "two"])  // NUL bytes are dropped
    }

    @Test("each kind of malformed JSONL record names the file, the line and the problem", arguments: [
        ("{\"text\": 5}", "field 'text' must be a string"),
        ("{\"id\": \"x\"}", "missing field 'text'"),
        ("[1, 2]", "expected a JSON object"),
        ("{\"text\": \"a\"", "not valid JSON"),
        ("\u{1}\u{2}binary", "not valid JSON"),
        ("{\"text\": \"a\", \"id\": [1]}", "field 'id' must be a string or a whole number below 10^15"),
        ("{\"text\": \"a\", \"labels\": [1]}", "field 'labels' must be a list of strings"),
        ("{\"text\": \"a\", \"labels\": {\"x\": 1}}", "field 'labels' must be a list of strings or a string"),
        ("{\"text\": \"a\"}", "missing field 'labels'"),
    ])
    func malformedJSONL(record: String, message: String) throws {
        let bytes = Array("{\"text\": \"fine\", \"labels\": []}\n\n\(record)\n".utf8)
        let error = try #require(self.error(bytes, .jsonl, labels: "labels"))
        #expect(error.description.hasPrefix("in.jsonl:3: "), "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test("malformed CSV names the line where the bad record starts", arguments: [
        ("id,text\n1,ok\n2,\"never closed\n3,more\n", 3, "never closed"),
        ("id,text\n1,ok\n2,ab\"c\n", 3, "unexpected quote"),
        ("id,text\n1,ok\n2,a,b\n", 3, "3 fields where the header has 2"),
        ("id,id\n1,2\n", 1, "header names a column twice"),
        ("id,title\n1,x\n", 2, "missing field 'text'"),
    ])
    func malformedCSV(text: String, line: Int, message: String) throws {
        let error = try #require(self.error(Array(text.utf8), .csv))
        #expect(error.description.hasPrefix("in.csv:\(line): "), "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test("skipping invalid records keeps the good ones and counts the bad")
    func skipInvalid() throws {
        let text = "{\"text\": \"a\"}\nnot json\n{\"text\": 1}\n[]\n{\"text\": \"b\"}\n\u{7F}\u{1}\n"
        let (documents, reader) = try read(Array(text.utf8), .jsonl, skip: true)
        #expect(documents.map(\.text) == ["a", "b"])
        #expect(reader.skipped == 4)
        #expect(reader.skippedExamples.map(\.description).first?.hasPrefix("in.jsonl:2:") == true)
    }

    @Test("random binary input never crashes: strict reading fails cleanly, skipping reads on")
    func binaryInput() throws {
        var generator = SeededGenerator(seed: 42)
        for round in 0..<50 {
            let bytes = (0..<Int.random(in: 1..<4096, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for format in [InputFormat.jsonl, .csv] {
                _ = self.error(bytes, format)
                let (documents, reader) = try read(bytes, format, skip: true)
                #expect(documents.count + reader.skipped <= bytes.count + 1, "round \(round)")
            }
            let story = try read(bytes, .text).documents
            #expect(story.count == 1)
        }
    }

    @Test("a single 15 MB JSONL line is read whole, from memory and from a file")
    func hugeLine() throws {
        let body = String(repeating: "Dock workers walked out again. ", count: 15_000_000 / 31)
        let line = "{\"id\": \"big\", \"text\": \"\(body)\"}\n{\"id\": \"small\", \"text\": \"after\"}\n"
        let fromMemory = try read(Array(line.utf8), .jsonl).documents
        #expect(fromMemory.map(\.id) == ["big", "small"] && fromMemory[0].text.utf8.count == body.utf8.count)
        let path = folder.write("big.jsonl", line)
        let fromFile = try DocumentReader(path: path).readAll()
        #expect(fromFile.map(\.id) == ["big", "small"] && fromFile[0].text == body)
    }

    @Test("a million blank lines around the records do not exhaust the stack")
    func manyBlankLines() throws {
        let blanks = String(repeating: "\n \t\r\n", count: 500_000)
        let csv = try read(Array((blanks + "id,text" + blanks + "\n1,one" + blanks).utf8), .csv).documents
        #expect(csv.map(\.text) == ["one"])
        let jsonl = try read(Array((blanks + "{\"text\": \"one\"}" + blanks).utf8), .jsonl).documents
        #expect(jsonl.map(\.text) == ["one"] && jsonl[0].source.line == 1_000_001)
    }

    @Test("in-memory bytes cannot be read as folders")
    func noFolders() {
        #expect(throws: LapisError.self) { _ = try DocumentReader(bytes: [], name: "x", format: .folders) }
    }
}
