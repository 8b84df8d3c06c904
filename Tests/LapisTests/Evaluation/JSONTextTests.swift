import Foundation
import Testing
@testable import Lapis

@Suite("JSONText: fixed-decimal numbers")
struct JSONTextNumberTests {
    private func printf(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    @Test("writes exactly what C's %.Nf writes, over random values of every magnitude")
    func matchesPrintfOnRandomValues() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<50_000 {
            let magnitude = Double.random(in: -7...9, using: &generator)
            let value = (Bool.random(using: &generator) ? -1 : 1) * pow(10, magnitude) * Double.random(in: 0...1, using: &generator)
            let decimals = Int.random(in: 0...6, using: &generator)
            #expect(JSONText.number(value, decimals: decimals) == printf(value, decimals), "value \(value), \(decimals) decimals")
        }
    }

    @Test("rounding ties, signed zeros and the largest fast-path values agree with printf")
    func matchesPrintfOnEdgeCases() {
        let values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 0.00005, 0.00015, -0.00004, 0.99995, 0.999949999,
                                9999.99995, 1e-300, -1e-300, 12345.6789, 99_999_999, 1e8, 1e12, 0.1, 0.7, 1 - 1e-16]
        for value in values {
            for decimals in 0...9 {
                #expect(JSONText.number(value, decimals: decimals) == printf(value, decimals), "value \(value), \(decimals) decimals")
            }
        }
    }

    @Test("probabilities take the fast path; a value near a rounding tie is left to printf")
    func fastPathCoversProbabilities() {
        #expect(JSONText.fixedPoint(0.12344, decimals: 4) == "0.1234")
        #expect(JSONText.fixedPoint(-0.00001, decimals: 4) == "-0.0000")
        #expect(JSONText.fixedPoint(0.00005, decimals: 4) == nil)
        #expect(JSONText.fixedPoint(1e9, decimals: 1) == nil)
    }

    @Test("appendNumber appends number's bytes after what is there: fast path, printf fallback and non-finite values")
    func appendNumberWritesTheSameBytes() {
        var generator = SeededGenerator(seed: 13)
        var values: [Double] = [0, -0.0, 0.5, 2.5, 0.00005, 0.99995, 1e8, 1e12, -1e-300, .nan, .infinity, -.infinity]
        for _ in 0..<5_000 {
            values.append((Bool.random(using: &generator) ? -1 : 1) * pow(10, Double.random(in: -7...9, using: &generator)))
        }
        for value in values {
            for decimals in [0, 3, 4, 9, 12] {
                var bytes = Array("x: ".utf8)
                JSONText.appendNumber(value, decimals: decimals, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == "x: " + JSONText.number(value, decimals: decimals), "value \(value), \(decimals) decimals")
            }
        }
    }

    @Test("writeNumber writes number's bytes when they fit the buffer, and nothing but nil when they do not")
    func writeNumberFillsOrRefuses() {
        var generator = SeededGenerator(seed: 17)
        var values: [Double] = [0, -0.0, 0.5, 2.5, 0.00005, 0.99995, 1, 1e8, 1e12, 1e20, -1e-300, .nan, .infinity]
        for _ in 0..<2_000 {
            values.append((Bool.random(using: &generator) ? -1 : 1) * pow(10, Double.random(in: -7...14, using: &generator)))
        }
        for value in values {
            for decimals in [0, 3, 4, 9] {
                let expected = Array(JSONText.number(value, decimals: decimals).utf8)
                for room in [expected.count - 1, expected.count, 24] where room >= 0 {
                    var buffer = [UInt8](repeating: 0xEE, count: room + 2)
                    let written = buffer.withUnsafeMutableBufferPointer { all in
                        JSONText.writeNumber(value, decimals: decimals, into: UnsafeMutableBufferPointer(rebasing: all[..<room]))
                    }
                    if room >= expected.count {
                        #expect(written == expected.count && Array(buffer[..<expected.count]) == expected, "value \(value), room \(room)")
                    } else {
                        #expect(written == nil, "value \(value), \(decimals) decimals, room \(room)")
                    }
                    #expect(buffer[room...].allSatisfy { $0 == 0xEE }, "nothing written past the buffer")
                }
            }
        }
    }

    @Test("non-finite values are written as 0, which JSON can carry")
    func nonFiniteIsZero() {
        #expect(JSONText.number(.nan) == "0")
        #expect(JSONText.number(.infinity) == "0")
        #expect(JSONText.number(-.infinity, decimals: 2) == "0")
    }
}

@Suite("JSONText: string literals")
struct JSONTextStringTests {
    @Test("plain text is only quoted; quotes, backslashes, controls and line separators are escaped")
    func escapesWhatJSONNeeds() {
        #expect(JSONText.string("trade-2026 ÉCU") == "\"trade-2026 ÉCU\"")
        #expect(JSONText.string("say \"no\"") == "\"say \\\"no\\\"\"")
        #expect(JSONText.string("a\\b") == "\"a\\\\b\"")
        #expect(JSONText.string("line\nnext\ttab\u{01}") == "\"line\\nnext\\ttab\\u0001\"")
        #expect(JSONText.string("x\u{2028}y\u{2029}“z”") == "\"x\\u2028y\\u2029“z”\"")
    }

    @Test("every escaped string parses back to the original with JSONSerialization")
    func roundTripsThroughAJSONParser() throws {
        var generator = SeededGenerator(seed: 11)
        let alphabet: [Unicode.Scalar] = ["a", "\"", "\\", "\n", "\u{00}", "\u{1F}", "é", "\u{2028}", "\u{2029}", "“", "日", "😀", " "]
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text.unicodeScalars.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            let json = "[" + JSONText.string(text) + "]"
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(parsed == [text], "\(json)")
        }
    }
}
