import Foundation
import Testing
@testable import Lapis

/// The JSON-lines scanner agrees with Foundation's JSONSerialization, which read records
/// before it: on which lines are JSON, which are objects, and what the wanted fields hold.
@Suite("JSON record scanner")
struct JSONRecordScannerTests {
    let scanner = JSONRecordScanner(fields: ["id", "text", "labels", "n"])

    func scan(_ line: [UInt8]) -> Result<FieldRecord, JSONRecordScanner.Problem> {
        line.withUnsafeBufferPointer { scanner.record($0) }
    }

    /// What JSONSerialization makes of the line, in the scanner's terms: nil when it is not JSON.
    func oracle(_ line: [UInt8]) -> Result<[String: FieldValue], JSONRecordScanner.Problem>? {
        // The reader used to repair invalid UTF-8 before parsing.
        let repaired = Data(String(decoding: line, as: UTF8.self).utf8)
        guard let object = try? JSONSerialization.jsonObject(with: repaired, options: [.fragmentsAllowed]) else { return nil }
        guard let record = object as? [String: Any] else { return .failure(.notAnObject) }
        var values: [String: FieldValue] = [:]
        for name in ["id", "text", "labels", "n"] {
            if let value = record[name] { values[name] = Self.fieldValue(value) }
        }
        return .success(values)
    }

    static func fieldValue(_ value: Any) -> FieldValue {
        switch value {
        case let text as String: return .string(text)
        case is NSNull: return .null
        case let list as [Any]: return .list(list.map(fieldValue))
        case is [String: Any]: return .object
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        default: return .string("unexpected \(type(of: value))")
        }
    }

    func expectAgreement(_ line: [UInt8], _ comment: Comment? = nil) {
        let ours = scan(line)
        switch (ours, oracle(line)) {
        case (.failure(.invalid), nil), (.failure(.notAnObject), .failure(.notAnObject)?):
            break
        case (.success(let record), .success(let values)?):
            #expect(record.values == values, comment)
        default:
            Issue.record("scanner \(ours), JSONSerialization \(String(describing: oracle(line))) on \(String(decoding: line, as: UTF8.self).debugDescription) \(comment.map { "\($0)" } ?? "")")
        }
    }

    @Test("every escape, surrogate pairs, numbers, literals and nesting read as JSONSerialization reads them", arguments: [
        #"{"id": "a", "text": "plain"}"#,
        #"{"text": "quote \" backslash \\ slash \/ b\b f\f n\n r\r t\t"}"#,
        #"{"text": "\u00e9\u00E9 \u4e2d \ud83d\ude00 \uD834\uDD1E end"}"#,
        #"{"text": "\u0000 nul escape"}"#,
        #"{"text": "é raw UTF-8 and 😀"}"#,
        #"{"id": 7, "text": "t"}"#, #"{"id": -0, "text": "t"}"#, #"{"id": 1.5e2, "text": "t"}"#,
        #"{"id": 12.25, "text": "t"}"#, #"{"id": 1E-2, "text": "t"}"#, #"{"n": [1, 2.0, -3e0]}"#,
        #"{"id": true, "text": "t"}"#, #"{"id": false}"#, #"{"id": null, "text": null}"#,
        #"{"labels": ["a", "b"], "other": {"deep": [1, {"x": [true, null]}], "s": "}"}}"#,
        #"{"labels": [["nested"], {"o": 1}], "text": "x"}"#,
        #"  {  "text"  :  "spaced"  ,  "id" : "1"  }  "#, "\t{\"text\":\"tabs\"}\t",
        #"{}"#, #"{"text": "first", "text": "last"}"#, #"{"text": "a",}"#, #"{"n": [1,]}"#, #"{"n": {"a": 1,}}"#,
        #"{"n": [[1,],]}"#, #"{,}"#, #"{"n": [,]}"#, #"{"n": [1,,]}"#, #"{"n": {,}}"#,
        #"{"t\u0065xt": "an escaped field name"}"#,
        // Not objects, but JSON.
        #"[1, 2]"#, #""just a string""#, "5", "null", "true", "-1.5e3",
        // Not JSON.
        #"{"text": "a""#, #"{"text" "a"}"#, #"{text: "a"}"#, #"{'text': 'a'}"#,
        #"{"text": "a"} x"#, #"{"text": "a"}{"text": "b"}"#, #"{"text": "bad \x escape"}"#,
        #"{"text": "\u12"}"#, #"{"text": "\uZZZZ"}"#, #"{"text": "lone high \ud800"}"#,
        #"{"text": "lone high then text \ud800abc"}"#, #"{"text": "high, high \ud800\ud800"}"#,
        #"{"text": "lone low \udc00"}"#, "{\"text\": \"raw\ttab\"}", "{\"text\": \"raw\u{1}control\"}",
        #"{"n": 01}"#, #"{"n": 1.}"#, #"{"n": .5}"#, #"{"n": +1}"#, #"{"n": 1e}"#, #"{"n": -}"#,
        #"{"n": NaN}"#, #"{"n": Infinity}"#, #"{"n": tru}"#, #"{"n": nul}"#, #"{"n": [1,]}"#,
        #"{"n": [1 2]}"#, #"{"n": {"a" 1}}"#, #"{"n": {1: 2}}"#,
        "{", "}", "[", "\"", "", "   ", "{\"text\": \"a\"}}", "\u{1}\u{2}binary", "{\"n\": [[[[]]]]",
    ])
    func agreesWithFoundation(line: String) {
        expectAgreement(Array(line.utf8))
    }

    @Test("invalid UTF-8 inside a string is replaced by U+FFFD, next to escapes too")
    func invalidUTF8() throws {
        for bytes: [UInt8] in [[0xC3, 0x28], [0xFF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC3]] {
            for (before, after) in [("x", "y"), ("\\n", "\\u00e9"), ("\\u00e9", "\\\"")] {
                let line = Array("{\"text\": \"\(before)".utf8) + bytes + Array("\(after)\"}".utf8)
                guard case .success(let record) = scan(line), case .string(let text)? = record["text"] else {
                    Issue.record("not read: \(line)")
                    continue
                }
                let repaired = String(decoding: line, as: UTF8.self)
                let expected = try JSONSerialization.jsonObject(with: Data(repaired.utf8)) as? [String: Any]
                #expect(text == expected?["text"] as? String)
                #expect(text.contains("\u{FFFD}"))
            }
        }
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow; just inside it is read")
    func deepNesting() {
        let limit = JSONRecordScanner.maximumDepth
        let deep = "{\"other\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        guard case .failure(.invalid(let problem)) = scan(Array(deep.utf8)) else {
            Issue.record("100,000 nested lists were accepted")
            return
        }
        #expect(problem.contains("nested too deeply"))
        let fits = "{\"other\": " + String(repeating: "[", count: limit - 1) + String(repeating: "]", count: limit - 1) + ", \"text\": \"ok\"}"
        #expect(scan(Array(fits.utf8)).map(\.values) == .success(["text": .string("ok")]))
    }

    @Test("error messages say what was expected and where")
    func messages() {
        #expect(scan(Array(#"{"text": "a",,}"#.utf8)) == .failure(.invalid("expected a field name in quotes, found ',' at byte 14")))
        #expect(scan(Array(#"{"text": "a""#.utf8)) == .failure(.invalid("expected ',' or '}' after a value, found the end of the line")))
        #expect(scan(Array(#"{"text": "a\q"}"#.utf8)) == .failure(.invalid("an unknown escape in a string, found 'q' at byte 13")))
    }

    @Test("randomly broken records are accepted or rejected exactly as JSONSerialization does")
    func mutations() {
        let seeds = [
            #"{"id": "r1", "text": "Bonn \u00fcber \ud83d\ude00 \"q\"", "labels": ["trade", "ship"], "n": [1, 2.5e1], "x": {"y": [null, true, false]}}"#,
            #"{"id": 12, "text": "line\nbreak\\", "labels": "a,b", "date": "1987-02-26"}"#,
        ]
        let alphabet = Array(#"{}[]":,\ u0dD8Ce.-+1tfn"#.utf8) + [0x00, 0x1F, 0xC3, 0xFF]
        var generator = SeededGenerator(seed: 19)
        for seed in seeds {
            let bytes = Array(seed.utf8)
            for round in 0..<1_500 {
                var line = bytes
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let index = Int.random(in: 0..<line.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: line[index] = alphabet.randomElement(using: &generator)!
                    case 1: line.remove(at: index)
                    default: line.insert(alphabet.randomElement(using: &generator)!, at: index)
                    }
                    if line.isEmpty { line = [UInt8(ascii: "{")] }
                }
                line.removeAll { $0 == 0 || $0 == 0x0A }  // the reader drops NULs and splits lines first
                expectAgreement(line, "round \(round)")
            }
        }
    }
}
