import Foundation
import LapisTestSupport
import Testing
@testable import Lapis

@Suite("DocumentReader")
struct DocumentReaderTests {
    let folder = TemporaryFolder()

    @Test("JSONL: fields, default ids, labels as list or string, blank lines skipped")
    func jsonl() throws {
        let path = folder.write("a.jsonl", """
        {"id": "s1", "title": "T", "text": "Body one.", "labels": ["trade", "security"]}

        {"text": "Body two.", "labels": "transport; trade", "id": 7}
        {"text": "Body three.", "labels": null}
        """)
        let documents = try DocumentReader(path: path, fields: FieldNames(labels: "labels")).readAll()
        #expect(documents.map(\.id) == ["s1", "7", "a.jsonl:4"])
        #expect(documents[0].title == "T" && documents[0].labels == ["security", "trade"])
        #expect(documents[1].labels == ["trade", "transport"])
        #expect(documents[2].labels == [])
        #expect(documents[1].source.line == 3)
    }

    @Test("malformed JSONL names the file and line", arguments: [
        ("{\"text\": \"ok\", \"labels\": []}\n{\"text\": \"broken\"", "a.jsonl:2", "not valid JSON"),
        ("{\"text\": \"ok\", \"labels\": []}\n[1, 2]", "a.jsonl:2", "expected a JSON object"),
        ("{\"body\": \"x\", \"labels\": []}", "a.jsonl:1", "missing field 'text'"),
        ("{\"text\": 42, \"labels\": []}", "a.jsonl:1", "must be a string"),
        ("{\"text\": \"x\", \"labels\": [1]}", "a.jsonl:1", "a list of strings"),
    ])
    func malformed(content: String, location: String, message: String) throws {
        let path = folder.write("a.jsonl", content)
        do {
            _ = try DocumentReader(path: path, fields: FieldNames(labels: "labels")).readAll()
            Issue.record("expected an error")
        } catch let error as LapisError {
            #expect(error.description.contains(location), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("--skip-invalid goes past bad records and counts them")
    func skipInvalid() throws {
        let path = folder.write("a.jsonl", "{\"text\": \"one\"}\nnot json\n{\"text\": 5}\n{\"text\": \"two\"}\n")
        let reader = try DocumentReader(path: path, skipsInvalid: true)
        #expect(try reader.readAll().map(\.text) == ["one", "two"])
        #expect(reader.skipped == 2)
    }

    @Test("parsing ahead on all cores gives the documents, errors and skips of reading a line at a time",
          arguments: [false, true])
    func parsingAheadMatchesOneLineAtATime(skipsInvalid: Bool) throws {
        // Over three batches' worth of lines, with blank lines, malformed records of every
        // kind, a byte-order mark and NUL bytes mixed in at seeded places.
        var generator = SeededGenerator(seed: 19)
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for number in 0..<(DocumentReader.parseAheadLines * 3 + 17) {
            let line: String
            switch Int.random(in: 0..<20, using: &generator) {
            case 0: line = "   "
            case 1: line = "{\"text\": \"cut"
            case 2: line = "[1, 2]"
            case 3: line = "{\"text\": 5, \"labels\": []}"
            case 4: line = "{\"text\": \"no labels\"}"
            case 5: line = "{\"text\": \"x\", \"labels\": [1]}"
            case 6: line = "{\"text\": \"nul\u{0}byte\", \"labels\": \"b\"}"
            default: line = "{\"id\": \"s\(number)\", \"text\": \"story \(number)\", \"labels\": [\"a\"]}"
            }
            bytes += Array(line.utf8) + (number % 7 == 0 ? [0x0D, 0x0A] : [0x0A])
        }
        let path = folder.write("many.jsonl", bytes: bytes)
        /// Every document and every error `next()` gives until the end, in order.
        func outcomes(parallel: Bool) throws -> (seen: [String], skipped: Int, examples: [LapisError]) {
            let reader = try DocumentReader(path: path, fields: FieldNames(labels: "labels"), skipsInvalid: skipsInvalid)
            reader.parsesInParallel = parallel
            var seen: [String] = []
            while true {
                do {
                    guard let document = try reader.next() else { break }
                    seen.append("\(document.id) \(document.text) \(document.labels ?? []) \(document.source.line)")
                } catch {
                    seen.append("error: \(error)")
                }
            }
            return (seen, reader.skipped, reader.skippedExamples)
        }
        let serial = try outcomes(parallel: false)
        let parallel = try outcomes(parallel: true)
        #expect(serial.seen.count > DocumentReader.parseAheadLines * 2, "the file must span several batches")
        #expect(serial.seen.contains { $0.hasPrefix("error: ") } == !skipsInvalid)
        #expect(parallel.seen == serial.seen)
        #expect(parallel.skipped == serial.skipped && parallel.examples == serial.examples)
        #expect((serial.skipped > 0) == skipsInvalid)
    }

    @Test("invalid UTF-8 is repaired with replacement characters")
    func invalidUTF8() throws {
        let path = folder.write("bad.txt", bytes: Array("Caf".utf8) + [0xC3, 0x28] + Array(" ok.".utf8))
        let document = try #require(try DocumentReader(path: path).next())
        #expect(document.text == "Caf\u{FFFD}( ok.")
        let jsonPath = folder.write("bad.jsonl", bytes: Array("{\"text\": \"a".utf8) + [0xFF] + Array("b\"}\n".utf8))
        #expect(try DocumentReader(path: jsonPath).readAll()[0].text == "a\u{FFFD}b")
    }

    @Test("CSV: header, quoted commas, doubled quotes, line breaks inside quotes")
    func csv() throws {
        let path = folder.write("a.csv", "id,text,labels\nx1,\"Hello, world\",trade\nx2,\"She said \"\"no\"\"\nthen left\",\"trade;security\"\nx3,Plain,\n")
        let documents = try DocumentReader(path: path, fields: FieldNames(labels: "labels")).readAll()
        #expect(documents.map(\.text) == ["Hello, world", "She said \"no\"\nthen left", "Plain"])
        #expect(documents[1].labels == ["security", "trade"] && documents[2].labels == [])
        #expect(documents[2].source.line == 5)
    }

    @Test("malformed CSV names the line", arguments: [
        ("id,text\n1,\"open quote\n", "a.csv:2", "never closed"),
        ("id,text\n1,two,three\n", "a.csv:2", "3 fields where the header has 2"),
        ("id,text\n1,ab\"c\n", "a.csv:2", "unexpected quote"),
    ])
    func malformedCSV(content: String, location: String, message: String) throws {
        let path = folder.write("a.csv", content)
        do {
            _ = try DocumentReader(path: path).readAll()
            Issue.record("expected an error")
        } catch let error as LapisError {
            #expect(error.description.contains(location) && error.description.contains(message), "\(error)")
        }
    }

    @Test("folder per label: a story in two label folders carries both labels")
    func folders() throws {
        folder.write("data/trade/s1.txt", "Exports rose.")
        folder.write("data/security/s1.txt", "Exports rose.")
        folder.write("data/security/s2.txt", "Troops moved.")
        let documents = try DocumentReader(path: folder.path + "/data").readAll()
        #expect(documents.map(\.id) == ["s1", "s2"])
        #expect(documents[0].labels == ["security", "trade"])
    }

    @Test("a missing file is a clear error")
    func missingFile() {
        #expect(throws: LapisError.unreadableFile(path: folder.path + "/nope.jsonl", reason: "no such file")) {
            _ = try DocumentReader(path: folder.path + "/nope.jsonl")
        }
    }
}

@Suite("DocumentReader reading ahead")
struct DocumentReaderReadAheadTests {
    let folder = TemporaryFolder()

    func lines(_ count: Int) -> String {
        (0..<count).map { #"{"id": "s\#($0)", "text": "Story \#($0)."}"# }.joined(separator: "\n")
    }

    @Test("gives the batches of forEachBatch, in order", arguments: [0, 1, 7, 8, 9, 100])
    func sameBatches(count: Int) throws {
        let path = folder.write("a.jsonl", lines(count))
        var plain: [[String]] = []
        try DocumentReader(path: path, fields: FieldNames()).forEachBatch(size: 8) { plain.append($0.map(\.id)) }
        var ahead: [[String]] = []
        try DocumentReader(path: path, fields: FieldNames()).forEachBatchReadingAhead(size: 8) { ahead.append($0.map(\.id)) }
        #expect(ahead == plain)
        #expect(ahead.flatMap { $0 }.count == count)
    }

    @Test("a reading error arrives after every batch read before it, naming the line")
    func errorAfterBatches() throws {
        let path = folder.write("a.jsonl", lines(10) + "\n{\"text\": broken\n" + lines(3))
        var seen: [String] = []
        do {
            try DocumentReader(path: path, fields: FieldNames()).forEachBatchReadingAhead(size: 4) { seen += $0.map(\.id) }
            Issue.record("expected an error")
        } catch let error as LapisError {
            #expect(error.description.contains("a.jsonl:11"), "\(error)")
        }
        #expect(seen == (0..<10).map { "s\($0)" })
    }

    @Test("when the consumer throws, reading stops and the consumer's error comes back")
    func consumerStops() throws {
        struct Enough: Error {}
        let path = folder.write("a.jsonl", lines(5_000))
        var batches = 0
        #expect(throws: Enough.self) {
            try DocumentReader(path: path, fields: FieldNames()).forEachBatchReadingAhead(size: 10) { _ in
                batches += 1
                if batches == 2 { throw Enough() }
            }
        }
        #expect(batches == 2)
    }

    @Test("when the consumer throws, the call returns even while the reading thread waits on an open pipe")
    func consumerStopsOnAnOpenPipe() throws {
        struct Enough: Error {}
        // One batch of exactly 1 MiB of 64-byte lines (the reader's chunk), then one more line,
        // and the writer stays open: after handing over the batch, the reading thread blocks
        // reading the next one while the consumer throws.
        let batchSize = 16_384
        func line(_ index: Int) -> String {
            let start = #"{"id": "s\#(index)", "text": "Story"#
            return start + String(repeating: " ", count: 63 - start.utf8.count - 2) + "\"}\n"
        }
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        let payload = Data((0...batchSize).map(line).joined().utf8)
        Thread { writer.write(payload) }.start()
        nonisolated(unsafe) let reader = try DocumentReader(path: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)", format: .jsonl, fields: FieldNames())
        let returned = DispatchSemaphore(value: 0)
        let outcome = Lapis.Locked<String>("")
        Thread {
            do {
                try reader.forEachBatchReadingAhead(size: batchSize) { batch in
                    outcome.withLock { $0 = "\(batch.count) stories" }
                    throw Enough()
                }
            } catch is Enough {
                outcome.withLock { $0 += ", Enough" }
            } catch {
                outcome.withLock { $0 += ", \(error)" }
            }
            returned.signal()
        }.start()
        let inTime = returned.wait(timeout: .now() + 30) == .success
        // Only now does the writer close; before, the reading thread was blocked on the pipe.
        try writer.close()
        if !inTime { _ = returned.wait(timeout: .now() + 30) }
        #expect(inTime, "the call waited for the blocked reading thread")
        #expect(outcome.withLock { $0 } == "\(batchSize) stories, Enough")
    }
}
