import Foundation
import Testing
@testable import Lapis

@Suite("PorterStemmer")
struct PorterStemmerTests {
    let stemmer = PorterStemmer()

    @Test("the examples of Porter's paper")
    func paperExamples() {
        let cases = [
            "caresses": "caress", "ponies": "poni", "cats": "cat", "feed": "feed", "agreed": "agre",
            "plastered": "plaster", "motoring": "motor", "sing": "sing", "conflated": "conflat",
            "troubled": "troubl", "sized": "size", "hopping": "hop", "tanned": "tan", "falling": "fall",
            "hissing": "hiss", "fizzed": "fizz", "failing": "fail", "filing": "file", "happy": "happi",
            "relational": "relat", "conditional": "condit", "rational": "ration", "digitizer": "digit",
            "triplicate": "triplic", "hopeful": "hope", "goodness": "good", "revival": "reviv",
            "allowance": "allow", "inference": "infer", "adjustment": "adjust", "adoption": "adopt",
            "controll": "control", "roll": "roll", "generalization": "gener", "oscillators": "oscil",
        ]
        for (word, stem) in cases { #expect(stemmer.stem(word) == stem, "\(word)") }
    }

    @Test("the NLTK refinements: irregular forms, short words, -ies/-ied, y after a consonant")
    func refinements() {
        #expect(stemmer.stem("dying") == "die")
        #expect(stemmer.stem("skies") == "sky")
        #expect(stemmer.stem("dies") == "die")
        #expect(stemmer.stem("spied") == "spi")
        #expect(stemmer.stem("enjoy") == "enjoy")
        #expect(stemmer.stem("is") == "is")
        #expect(stemmer.stem("news") == "news")
    }

    @Test("non-alphabetic words are returned unchanged")
    func nonAlphabetic() {
        #expect(stemmer.stem("covid-19") == "covid-19")
        #expect(stemmer.stem("zürich") == "zürich")
    }

    @Test("agrees with NLTK's PorterStemmer on a vocabulary of our own corpus")
    func agreesWithReference() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/porter-reference", withExtension: "tsv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 1000)
        var mismatches: [String] = []
        for line in lines {
            let parts = line.split(separator: "\t").map(String.init)
            guard parts.count == 2 else { continue }
            if stemmer.stem(parts[0]) != parts[1] { mismatches.append("\(parts[0]) → \(stemmer.stem(parts[0])), expected \(parts[1])") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }
}
