/// The Porter (1980) suffix-stripping stemmer, with the widely used refinements of the
/// NLTK "extensions" variant so that ROUGE scores match the `rouge-score` reference.
///
/// The refinements over the published algorithm: a few irregular forms ("skies" → "sky",
/// "dying" → "die"); words of one or two letters are left alone; "-ies"/"-ied" on four-letter
/// words keep their "ie" ("dies" → "die"); `y` → `i` only after a consonant that is not the
/// word's first letter ("enjoy" stays); "-alli" is rewritten before the other step-2 rules,
/// "-bli" → "-ble", and extra rules for "-fulli" and "-logi".
///
/// Only words made of the letters a–z are stemmed; anything else is returned unchanged.
public struct PorterStemmer: Sendable {
    /// Creates a stemmer.
    public init() {}

    /// The stem of a lower-case word.
    public func stem(_ word: String) -> String {
        let utf8 = word.utf8
        guard utf8.count > 2, utf8.allSatisfy({ $0 &- 0x61 < 26 }) else { return word }
        if let irregular = Self.irregularForms[word] { return irregular }
        var buffer = Word(Array(utf8))
        buffer.step1a()
        buffer.step1b()
        buffer.step1c()
        buffer.step2()
        buffer.step3()
        buffer.step4()
        buffer.step5a()
        buffer.step5b()
        return String(decoding: buffer.letters, as: UTF8.self)
    }

    static let irregularForms: [String: String] = [
        "skies": "sky", "sky": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "news": "news", "innings": "inning", "inning": "inning", "outings": "outing",
        "outing": "outing", "cannings": "canning", "canning": "canning", "howe": "howe",
        "proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
    ]
}

/// A word being stemmed, as ASCII bytes.
private struct Word {
    var letters: [UInt8]

    init(_ letters: [UInt8]) { self.letters = letters }

    // MARK: Predicates on a prefix `letters[0..<length]`

    func isConsonant(_ index: Int) -> Bool {
        switch letters[index] {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"):
            return false
        case UInt8(ascii: "y"):
            return index == 0 ? true : !isConsonant(index - 1)
        default:
            return true
        }
    }

    /// Porter's m: the number of vowel-consonant sequences in the first `length` letters.
    func measure(_ length: Int) -> Int {
        var count = 0
        var previousWasVowel = false
        for index in 0..<length {
            let consonant = isConsonant(index)
            if consonant && previousWasVowel { count += 1 }
            previousWasVowel = !consonant
        }
        return count
    }

    func containsVowel(_ length: Int) -> Bool {
        (0..<length).contains { !isConsonant($0) }
    }

    func endsDoubleConsonant(_ length: Int) -> Bool {
        length >= 2 && letters[length - 1] == letters[length - 2] && isConsonant(length - 1)
    }

    func endsCVC(_ length: Int) -> Bool {
        if length >= 3, isConsonant(length - 3), !isConsonant(length - 2), isConsonant(length - 1) {
            let last = letters[length - 1]
            return last != UInt8(ascii: "w") && last != UInt8(ascii: "x") && last != UInt8(ascii: "y")
        }
        return length == 2 && !isConsonant(0) && isConsonant(1)
    }

    func endsWith(_ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard letters.count >= count else { return false }
        return suffix.withUTF8Buffer { suffixBytes in
            letters[(letters.count - count)...].elementsEqual(suffixBytes)
        }
    }

    mutating func replaceSuffix(_ suffixLength: Int, with replacement: StaticString) {
        letters.removeLast(suffixLength)
        replacement.withUTF8Buffer { letters.append(contentsOf: $0) }
    }

    /// When a matched suffix may be replaced, judged on the stem that precedes it.
    enum Condition {
        case positiveMeasure, measureAboveOne
        /// (m > 1 and the stem ends in s or t): step 4's "-ion".
        case ionStem
        /// m > 0 counting the "l" of "-logi" as part of the stem.
        case logiStem
    }

    struct Rule {
        let suffix: [UInt8]
        let replacement: [UInt8]
        let condition: Condition

        init(_ suffix: String, _ replacement: String, _ condition: Condition) {
            self.suffix = Array(suffix.utf8)
            self.replacement = Array(replacement.utf8)
            self.condition = condition
        }
    }

    func holds(_ condition: Condition, stemLength: Int) -> Bool {
        switch condition {
        case .positiveMeasure: return measure(stemLength) > 0
        case .measureAboveOne: return measure(stemLength) > 1
        case .ionStem:
            guard stemLength > 0, measure(stemLength) > 1 else { return false }
            let last = letters[stemLength - 1]
            return last == UInt8(ascii: "s") || last == UInt8(ascii: "t")
        case .logiStem: return measure(stemLength + 1) > 0
        }
    }

    func endsWith(_ suffix: [UInt8]) -> Bool {
        letters.count >= suffix.count && letters[(letters.count - suffix.count)...].elementsEqual(suffix)
    }

    /// Applies the first rule whose suffix matches; if its condition fails, stops there.
    mutating func applyFirstMatching(_ rules: [Rule]) {
        for rule in rules where endsWith(rule.suffix) {
            let stemLength = letters.count - rule.suffix.count
            if holds(rule.condition, stemLength: stemLength) {
                letters.removeLast(rule.suffix.count)
                letters.append(contentsOf: rule.replacement)
            }
            return
        }
    }

    static let step2Rules: [Rule] = [
        Rule("ational", "ate", .positiveMeasure), Rule("tional", "tion", .positiveMeasure),
        Rule("enci", "ence", .positiveMeasure), Rule("anci", "ance", .positiveMeasure),
        Rule("izer", "ize", .positiveMeasure), Rule("bli", "ble", .positiveMeasure),
        Rule("alli", "al", .positiveMeasure), Rule("entli", "ent", .positiveMeasure),
        Rule("eli", "e", .positiveMeasure), Rule("ousli", "ous", .positiveMeasure),
        Rule("ization", "ize", .positiveMeasure), Rule("ation", "ate", .positiveMeasure),
        Rule("ator", "ate", .positiveMeasure), Rule("alism", "al", .positiveMeasure),
        Rule("iveness", "ive", .positiveMeasure), Rule("fulness", "ful", .positiveMeasure),
        Rule("ousness", "ous", .positiveMeasure), Rule("aliti", "al", .positiveMeasure),
        Rule("iviti", "ive", .positiveMeasure), Rule("biliti", "ble", .positiveMeasure),
        Rule("fulli", "ful", .positiveMeasure), Rule("logi", "log", .logiStem),
    ]

    static let step3Rules: [Rule] = [
        Rule("icate", "ic", .positiveMeasure), Rule("ative", "", .positiveMeasure),
        Rule("alize", "al", .positiveMeasure), Rule("iciti", "ic", .positiveMeasure),
        Rule("ical", "ic", .positiveMeasure), Rule("ful", "", .positiveMeasure),
        Rule("ness", "", .positiveMeasure),
    ]

    static let step4Rules: [Rule] = [
        Rule("al", "", .measureAboveOne), Rule("ance", "", .measureAboveOne),
        Rule("ence", "", .measureAboveOne), Rule("er", "", .measureAboveOne),
        Rule("ic", "", .measureAboveOne), Rule("able", "", .measureAboveOne),
        Rule("ible", "", .measureAboveOne), Rule("ant", "", .measureAboveOne),
        Rule("ement", "", .measureAboveOne), Rule("ment", "", .measureAboveOne),
        Rule("ent", "", .measureAboveOne), Rule("ion", "", .ionStem),
        Rule("ou", "", .measureAboveOne), Rule("ism", "", .measureAboveOne),
        Rule("ate", "", .measureAboveOne), Rule("iti", "", .measureAboveOne),
        Rule("ous", "", .measureAboveOne), Rule("ive", "", .measureAboveOne),
        Rule("ize", "", .measureAboveOne),
    ]

    // MARK: Steps

    mutating func step1a() {
        if endsWith("ies") && letters.count == 4 { replaceSuffix(3, with: "ie"); return }
        if endsWith("sses") { replaceSuffix(4, with: "ss") }
        else if endsWith("ies") { replaceSuffix(3, with: "i") }
        else if endsWith("ss") { return }
        else if endsWith("s") { replaceSuffix(1, with: "") }
    }

    mutating func step1b() {
        if endsWith("ied") {
            replaceSuffix(3, with: letters.count == 4 ? "ie" : "i")
            return
        }
        if endsWith("eed") {
            if measure(letters.count - 3) > 0 { replaceSuffix(3, with: "ee") }
            return
        }
        var removed = false
        if endsWith("ed"), containsVowel(letters.count - 2) {
            letters.removeLast(2)
            removed = true
        } else if endsWith("ing"), containsVowel(letters.count - 3) {
            letters.removeLast(3)
            removed = true
        }
        guard removed else { return }
        if endsWith("at") { replaceSuffix(2, with: "ate") }
        else if endsWith("bl") { replaceSuffix(2, with: "ble") }
        else if endsWith("iz") { replaceSuffix(2, with: "ize") }
        else if endsDoubleConsonant(letters.count) {
            let last = letters[letters.count - 1]
            if last != UInt8(ascii: "l") && last != UInt8(ascii: "s") && last != UInt8(ascii: "z") {
                letters.removeLast()
            }
        } else if measure(letters.count) == 1 && endsCVC(letters.count) {
            letters.append(UInt8(ascii: "e"))
        }
    }

    mutating func step1c() {
        if endsWith("y"), letters.count - 1 > 1, isConsonant(letters.count - 2) {
            letters[letters.count - 1] = UInt8(ascii: "i")
        }
    }

    mutating func step2() {
        if endsWith("alli"), measure(letters.count - 4) > 0 {
            replaceSuffix(4, with: "al")
            step2()
            return
        }
        applyFirstMatching(Self.step2Rules)
    }

    mutating func step3() { applyFirstMatching(Self.step3Rules) }

    mutating func step4() { applyFirstMatching(Self.step4Rules) }

    mutating func step5a() {
        guard endsWith("e") else { return }
        let stemLength = letters.count - 1
        let m = measure(stemLength)
        if m > 1 || (m == 1 && !endsCVC(stemLength)) { letters.removeLast() }
    }

    mutating func step5b() {
        if endsWith("ll"), measure(letters.count - 1) > 1 { letters.removeLast() }
    }
}
