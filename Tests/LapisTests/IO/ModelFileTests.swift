import Foundation
import LapisTestSupport
import Testing
@testable import Lapis

@Suite("Model file")
struct ModelFileTests {
    let folder = TemporaryFolder()

    func trainedClassifier() throws -> TopicClassifier {
        try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0).fit(try TopicClassifierTests.miniCorpus())
    }

    @Test("a saved model loads back identical and predicts the same")
    func roundTrip() throws {
        let classifier = try trainedClassifier()
        let path = folder.path + "/m.lapis"
        try classifier.save(to: path)
        let loaded = try TopicClassifier.load(path: path)
        #expect(loaded == classifier)
        let story = Document(id: "x", text: "Militants attacked the port and freight trains stopped.")
        #expect(loaded.predict(story) == classifier.predict(story))
    }

    @Test("the header is readable as documented: magic, version, checksum, lengths")
    func layout() throws {
        let bytes = try trainedClassifier().modelFile().serialized()
        #expect(Array(bytes[0..<8]) == Array("LAPISMDL".utf8))
        #expect(readLittleEndian(bytes, at: 8) as UInt32 == 1)
        let metadataLength: UInt64 = readLittleEndian(bytes, at: 16)
        let arrayLength: UInt64 = readLittleEndian(bytes, at: 24)
        #expect(UInt64(bytes.count) == 32 + metadataLength + arrayLength)
        #expect(CRC32.checksum(bytes[32...]) == readLittleEndian(bytes, at: 12) as UInt32)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        // Every length and alignment around the eight-byte steps agrees with the bytewise definition.
        var generator = SeededGenerator(seed: 1)
        let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        func bytewise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        for start in 0..<9 {
            for end in stride(from: start, through: data.count, by: 7) {
                #expect(CRC32.checksum(data[start..<end]) == bytewise(data[start..<end]), "bytes \(start)..<\(end)")
            }
        }
    }

    @Test("a model with phrase groups is written as format 2 (so a Lapis before them refuses it) and loads back; others stay format 1")
    func phraseGroupsNeedVersionTwo() throws {
        let groups = try PhraseGroups.parse("[body]\nUnited Nations\n", path: "g.txt")
        let options = TopicClassifierOptions(analyzer: TextAnalyzer(phraseGroups: groups), vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0)
        let classifier = try options.fit(try TopicClassifierTests.miniCorpus())
        let bytes = try classifier.modelFile().serialized()
        #expect(readLittleEndian(bytes, at: 8) as UInt32 == 2)
        let loaded = try TopicClassifier.load(bytes: bytes, name: "m.lapis")
        #expect(loaded == classifier)
        #expect(loaded.options.analyzer.phraseGroups == groups)
        let story = Document(id: "x", text: "The United Nations sent peacekeepers to the port.")
        #expect(loaded.predict(story) == classifier.predict(story))
        #expect(try ModelFile.parse(bytes, path: "m.lapis").version == 2)
        #expect(readLittleEndian(try trainedClassifier().modelFile().serialized(), at: 8) as UInt32 == 1)
    }

    func problem(_ bytes: [UInt8]) -> ModelFileProblem? {
        do {
            _ = try ModelFile.parse(bytes, path: "m.lapis")
            return nil
        } catch LapisError.invalidModel(_, let problem) {
            return problem
        } catch {
            return nil
        }
    }

    @Test("each kind of damage gets its own error")
    func rejections() throws {
        let good = try trainedClassifier().modelFile().serialized()
        var wrongMagic = good; wrongMagic[0] = UInt8(ascii: "X")
        #expect(problem(wrongMagic) == .wrongMagic)
        #expect(problem(Array("{\"json\": true}".utf8)) == .wrongMagic)
        var newer = good; newer[8] = 9
        #expect(problem(newer) == .unsupportedVersion(found: 9, supported: ModelFile.formatVersion))
        var flipped = good; flipped[good.count - 3] ^= 0x40
        if case .checksumMismatch = problem(flipped) {} else { Issue.record("expected a checksum error") }
        if case .truncated = problem(Array(good.prefix(good.count - 10))) {} else { Issue.record("expected truncation") }
        if case .truncated = problem(Array(good.prefix(20))) {} else { Issue.record("expected truncation of the header") }
        if case .trailingBytes = problem(good + [0, 1, 2]) {} else { Issue.record("expected trailing bytes") }
        var hugeLength = good
        for index in 16..<24 { hugeLength[index] = 0xFF }
        if case .truncated = problem(hugeLength) {} else { Issue.record("an absurd length must be refused before allocating") }
        #expect(problem([]) == .wrongMagic)
    }

    @Test("a readable container with inconsistent contents is rejected, not trusted")
    func inconsistentContents() throws {
        struct Fake: Encodable { let kind = "topic-classifier"; let labels = ["a"]; let vocabulary = ["x", "y"] }
        let file = try ModelFile(metadata: Fake(), arrays: [("idf", [1])])
        let path = folder.path + "/fake.lapis"
        try file.write(to: path)
        #expect(throws: LapisError.self) { _ = try TopicClassifier.load(path: path) }
    }

    @Test("saving over a model replaces it whole; a failed save leaves the old file")
    func atomicReplace() throws {
        let path = folder.path + "/m.lapis"
        try AtomicFile.write("old contents", to: path)
        try trainedClassifier().save(to: path)
        #expect(try TopicClassifier.load(path: path).labels.count == 4)
        #expect(throws: LapisError.self) { try AtomicFile.write("x", to: folder.path + "/missing-folder/m.lapis") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
