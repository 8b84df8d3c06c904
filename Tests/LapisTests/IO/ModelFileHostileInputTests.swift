import Foundation
import Testing
@testable import Lapis

/// Damaged and hostile model files: every one is refused with its own error, none crashes,
/// none allocates from an unchecked size, none yields a model that predicts garbage.
@Suite("Model file: hostile input")
struct ModelFileHostileInputTests {
    static let tinyCorpus = [
        Document(id: "1", text: "Tariffs on steel imports rose sharply.", labels: ["trade"]),
        Document(id: "2", text: "Exports and tariffs dominated trade talks.", labels: ["trade"]),
        Document(id: "3", text: "Troops guarded the border after an attack.", labels: ["security"]),
        Document(id: "4", text: "Police and troops raised security at the border.", labels: ["security"]),
    ]

    static func tinyModel() throws -> [UInt8] {
        let options = TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: 1...1), vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0)
        return try options.fit(tinyCorpus).modelFile().serialized()
    }

    /// A container with a correct header and checksum around arbitrary metadata and floats,
    /// so the checks behind the checksum are reached.
    static func container(metadata: String, floats: [Float]) -> [UInt8] {
        var payload = Array(metadata.utf8)
        let metadataLength = UInt64(payload.count)
        for value in floats { appendLittleEndian(value.bitPattern, to: &payload) }
        var bytes = ModelFile.magic
        appendLittleEndian(ModelFile.formatVersion, to: &bytes)
        appendLittleEndian(CRC32.checksum(payload), to: &bytes)
        appendLittleEndian(metadataLength, to: &bytes)
        appendLittleEndian(UInt64(payload.count) - metadataLength, to: &bytes)
        return bytes + payload
    }

    static func problem(_ bytes: [UInt8]) -> ModelFileProblem? {
        do {
            _ = try TopicClassifier.load(bytes: bytes, name: "m.lapis")
            return nil
        } catch LapisError.invalidModel(let path, let problem) {
            #expect(path == "m.lapis")
            return problem
        } catch {
            Issue.record("not an invalidModel error: \(error)")
            return nil
        }
    }

    @Test("the in-memory loader accepts a good model and predicts like the trained one")
    func inMemoryLoad() throws {
        let bytes = try Self.tinyModel()
        let loaded = try TopicClassifier.load(bytes: bytes, name: "m.lapis")
        #expect(loaded.labels == ["security", "trade"])
        let scores = loaded.predict(Document(id: "x", text: "New tariffs on steel exports.")).scores
        #expect(scores["trade"]! > scores["security"]!)
    }

    @Test("every truncation of a model is refused as truncated or wrong magic")
    func everyTruncation() throws {
        let good = try Self.tinyModel()
        for length in 0..<good.count {
            switch Self.problem(Array(good.prefix(length))) {
            case .wrongMagic: #expect(length < 8, "length \(length)")
            case .truncated: break
            case let other: Issue.record("length \(length): \(String(describing: other))")
            }
        }
    }

    @Test("every single-bit flip anywhere in a model is detected")
    func everyBitFlip() throws {
        let good = try Self.tinyModel()
        for index in good.indices {
            for bit in 0..<8 {
                var damaged = good
                damaged[index] ^= 1 << bit
                let problem = Self.problem(damaged)
                #expect(problem != nil, "flipping bit \(bit) of byte \(index) went unnoticed")
                switch (index, problem) {
                case (0..<8, .wrongMagic?), (8..<12, .unsupportedVersion?), (8..<12, .corrupt?),
                     (12..<16, .checksumMismatch?), (16..<32, .truncated?), (16..<32, .trailingBytes?), (32..., .checksumMismatch?):
                    break
                default:
                    Issue.record("byte \(index) bit \(bit): unexpected \(String(describing: problem))")
                }
            }
        }
    }

    @Test("junk bytes after the model, and junk instead of a model, are refused")
    func junk() throws {
        let good = try Self.tinyModel()
        if case .trailingBytes(let expected, let actual) = Self.problem(good + Array(repeating: 0xAB, count: 100)) {
            #expect(actual - expected == 100)
        } else { Issue.record("expected trailing bytes") }
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let junk = (0..<Int.random(in: 0..<2000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Self.problem(junk) == .wrongMagic)
            // The right magic and version followed by junk: refused on sizes or checksum.
            let disguised = ModelFile.magic + [1, 0, 0, 0] + junk
            #expect(Self.problem(disguised) != nil)
        }
    }

    @Test("absurd sizes are refused before anything is allocated from them", arguments: [
        "{\"arrays\": [{\"name\": \"idf\", \"count\": 9223372036854775807}]}",
        "{\"arrays\": [{\"name\": \"idf\", \"count\": 4611686018427387904}]}",
        "{\"arrays\": [{\"name\": \"idf\", \"count\": -1}]}",
        "{\"arrays\": [{\"name\": \"idf\", \"count\": 1e300}]}",
        "{\"arrays\": [{\"name\": \"idf\", \"count\": 3}, {\"name\": \"idf\", \"count\": 1}]}",
        "{\"arrays\": \"none\"}",
        "[1, 2, 3]",
        "{\"arrays\": []",
    ])
    func absurdSizes(metadata: String) throws {
        let bytes = Self.container(metadata: metadata, floats: [1, 2, 3])
        guard case .corrupt = Self.problem(bytes) else {
            Issue.record("expected a corrupt-contents error for \(metadata)")
            return
        }
    }

    @Test("declared lengths larger than any file are refused without reading further")
    func hugeDeclaredLengths() throws {
        let good = try Self.tinyModel()
        for field in [16, 24] {
            for value: UInt64 in [UInt64.max, UInt64.max - 31, 1 << 62, ModelFile.maximumSize + 1] {
                var damaged = good
                for index in 0..<8 { damaged[field + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
                guard case .truncated = Self.problem(damaged) else {
                    Issue.record("field at \(field) = \(value) not refused as truncated")
                    continue
                }
            }
        }
    }

    @Test("a well-formed container with non-finite or impossible values never predicts")
    func poisonedValues() throws {
        let good = try ModelFile.parse(try Self.tinyModel(), path: "m.lapis")
        var metadata = good.metadata
        metadata.removeValue(forKey: "arrays")
        let vocabularySize = (metadata["vocabulary"] as! [String]).count
        func rebuilt(_ replace: (String, inout [Float]) -> Void) throws -> [UInt8] {
            let arrays = good.arrays.map { entry -> (name: String, values: [Float]) in
                var values = entry.values
                replace(entry.name, &values)
                return (entry.name, values)
            }
            var object = metadata
            object["arrays"] = arrays.map { ["name": $0.name, "count": $0.values.count] as [String: Any] }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            return Self.container(metadata: json, floats: arrays.flatMap(\.values))
        }
        let cases: [(String, (String, inout [Float]) -> Void)] = [
            ("NaN weight", { name, values in if name == "weights" { values[0] = .nan } }),
            ("infinite idf", { name, values in if name == "idf" { values[vocabularySize - 1] = .infinity } }),
            ("threshold above 1", { name, values in if name == "thresholds" { values[0] = 1.5 } }),
            ("negative threshold", { name, values in if name == "thresholds" { values[0] = -0.1 } }),
            ("short biases", { name, values in if name == "biases" { values.removeLast() } }),
            ("extra weights", { name, values in if name == "weights" { values.append(0) } }),
        ]
        for (description, change) in cases {
            let bytes = try rebuilt(change)
            guard case .corrupt = Self.problem(bytes) else {
                Issue.record("\(description) was not refused as corrupt")
                continue
            }
        }
        // The unchanged rebuild loads: the cases above fail for their damage alone.
        #expect(Self.problem(try rebuilt { _, _ in }) == nil)
        // Impossible stored training options (found by the fuzzer) are the file's fault, not
        // a command-line option's: a corrupt model, not "invalid value for --max-df".
        var options = metadata["options"] as! [String: Any]
        var vocabulary = options["vocabulary"] as! [String: Any]
        vocabulary["max_df"] = 0
        options["vocabulary"] = vocabulary
        metadata["options"] = options
        guard case .corrupt(let reason) = Self.problem(try rebuilt { _, _ in }) else {
            Issue.record("invalid stored options were not refused as a corrupt model")
            return
        }
        #expect(reason.contains("stored training options"))
    }

    @Test("metadata of another kind, or with wrong types, is refused by name")
    func wrongMetadata() throws {
        if case .wrongKind(let found, _) = Self.problem(Self.container(metadata: "{\"arrays\": [], \"kind\": \"summarizer\"}", floats: [])) {
            #expect(found == "summarizer")
        } else { Issue.record("expected wrong kind") }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .corrupt = Self.problem(Self.container(metadata: "{\"arrays\": [], \"x\": \(deep)}", floats: [])) else {
            Issue.record("deeply nested metadata not refused")
            return
        }
        guard case .corrupt = Self.problem(Self.container(metadata: "{\"arrays\": [], \"kind\": \"topic-classifier\", \"labels\": 5}", floats: [])) else {
            Issue.record("labels of the wrong type not refused")
            return
        }
    }
}
