import Foundation
import Testing
@testable import Lapis

/// The fast path for a model's vocabulary must give exactly what JSONDecoder gives, or step
/// aside (nil) so that JSONDecoder decides.
@Suite("JSONStringArrayScanner")
struct JSONStringArrayScannerTests {
    struct Holder: Decodable { let vocabulary: [String] }

    static func decoded(_ json: String) -> [String]? {
        try? JSONDecoder().decode(Holder.self, from: Data(json.utf8)).vocabulary
    }

    @Test("gives JSONDecoder's strings for escapes, non-ASCII text and surrogate pairs, wherever the field stands", arguments: [
        #"{"vocabulary": ["a", "b c", "trade deal"]}"#,
        #"{"arrays":[{"count":3,"name":"idf"}],"kind":"topic-classifier","vocabulary":["x\"y","back\\slash","tab\there","\u00e9t\u00e9","\ud83d\ude00 face","sl\/ash","cr\r\nlf","\b\f"]}"#,
        #"{ "labels" : [ "a" , "b" ] , "options" : { "nested" : [ 1 , { "v" : "[}" } ] , "s" : "{\"" } , "vocabulary" : [ ] , "n" : -1.5e3 , "t" : true , "z" : null }"#,
        #"{"vocabulary":["ünïcödé","日本語","ﬁ"],"after":{"vocabulary":"not this one"}}"#,
    ])
    func matchesDecoder(json: String) throws {
        let scanned = try #require(JSONStringArrayScanner.strings(field: "vocabulary", in: Data(json.utf8)))
        #expect(scanned == Self.decoded(json))
    }

    @Test("steps aside on a missing or repeated field, a non-string element, a lone surrogate or broken JSON", arguments: [
        #"{"labels": ["a"]}"#,
        #"{"vocabulary": ["a"], "vocabulary": ["b"]}"#,
        #"{"vocabulary": ["a", 1]}"#,
        #"{"vocabulary": ["\ud800"]}"#,
        #"{"vocabulary": ["a""#,
        #"["vocabulary"]"#,
        "",
    ])
    func declines(json: String) {
        #expect(JSONStringArrayScanner.strings(field: "vocabulary", in: Data(json.utf8)) == nil)
    }

    @Test("a model file loads to the same classifier whether its vocabulary takes the fast path or not")
    func modelRoundTrip() throws {
        let documents = (0..<12).map { Document(id: "\($0)", text: $0 % 2 == 0 ? "port ship cargo \"quoted\" é \($0)" : "troops army border \\ \($0)",
                                               labels: [$0 % 2 == 0 ? "transport" : "security"]) }
        let classifier = try TopicClassifierOptions(vocabulary: VocabularyOptions(minDocumentCount: 1), thresholdFolds: 0).fit(documents)
        let file = try classifier.modelFile()
        #expect(JSONStringArrayScanner.strings(field: "vocabulary", in: file.metadataJSON) == classifier.vectorizer.vocabulary.terms)
        let loaded = try TopicClassifier.load(bytes: file.serialized(), name: "m.lapis")
        #expect(loaded == classifier)
    }
}

/// The cut that lets a decoder skip a model's vocabulary: the range of one top-level value.
@Suite("JSONStringArrayScanner value ranges")
struct JSONValueRangeTests {
    static func value(_ field: String, _ json: String) -> String? {
        let data = Data(json.utf8)
        return JSONStringArrayScanner.valueRange(field: field, in: data).map { String(decoding: data[$0], as: UTF8.self) }
    }

    @Test("finds a top-level array, object or string, never a nested field of the same name")
    func topLevelValues() {
        let json = #"{"options": {"vocabulary": ["no"], "kind": "no"}, "kind" : "topic-\"classifier\"", "vocabulary": ["a", "b]\"", []], "arrays": [{"count": 2}], "n": 3}"#
        #expect(Self.value("vocabulary", json) == #"["a", "b]\"", []]"#)
        #expect(Self.value("kind", json) == #""topic-\"classifier\"""#)
        #expect(Self.value("arrays", json) == #"[{"count": 2}]"#)
        #expect(Self.value("options", json) == #"{"vocabulary": ["no"], "kind": "no"}"#)
        #expect(Self.value("n", json) == nil)  // a number: not cut
        #expect(Self.value("missing", json) == nil)
    }

    @Test("on broken JSON every range found lies inside the input")
    func brokenInput() {
        let json = #"{"kind": "a\"b", "vocabulary": ["x", {"y": "]"}], "arrays": [1, 2]}"#
        let bytes = Array(json.utf8)
        for end in 0...bytes.count {
            let data = Data(bytes[0..<end])
            for field in ["kind", "vocabulary", "arrays"] {
                if let range = JSONStringArrayScanner.valueRange(field: field, in: data) {
                    #expect(range.lowerBound >= 0 && range.upperBound <= end, "\(field) in \(end) bytes")
                }
            }
        }
    }

    @Test("a topic model decodes the same with its vocabulary cut out of what the decoder reads")
    func modelLoadsTheSame() throws {
        let documents = (0..<12).map { Document(id: "\($0)", text: $0 % 2 == 0 ? "port ship cargo vocabulary \($0)" : "troops army \"border\" \($0)",
                                               labels: [$0 % 2 == 0 ? "transport" : "security"]) }
        let classifier = try TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: 1...2), vocabulary: VocabularyOptions(minDocumentCount: 1),
                                                    thresholdFolds: 0).fit(documents)
        let file = try classifier.modelFile()
        let metadata = try ClassifierMetadata.decode(file, path: "m.lapis")
        #expect(metadata.vocabulary == classifier.vectorizer.vocabulary.terms)
        #expect(try TopicClassifier.load(bytes: file.serialized(), name: "m.lapis") == classifier)
    }
}
