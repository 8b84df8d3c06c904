import Testing
@testable import Lapis

@Suite("Tokenizer")
struct TokenizerTests {
    let tokenizer = Tokenizer()

    func texts(_ text: String) -> [String] { tokenizer.tokens(text).map(\.text) }

    @Test("splits words at spaces and punctuation")
    func wordsAndPunctuation() {
        #expect(texts("Trade talks, at last: resumed!") == ["Trade", "talks", "at", "last", "resumed"])
    }

    @Test("keeps hyphenated and apostrophe forms whole")
    func hyphensAndApostrophes() {
        #expect(texts("state-owned firm didn't O'Neill's covid-19") == ["state-owned", "firm", "didn't", "O'Neill's", "covid-19"])
    }

    @Test("keeps decimals and thousands separators inside numbers")
    func numbers() {
        let tokens = tokenizer.tokens("rose 3.5 percent to 1,200,000 tonnes.")
        #expect(tokens.map(\.text) == ["rose", "3.5", "percent", "to", "1,200,000", "tonnes"])
        #expect(tokens[1].kind == .number && tokens[4].kind == .number && tokens[0].kind == .word)
    }

    @Test("keeps dotted acronyms together and drops trailing punctuation")
    func acronyms() {
        #expect(texts("the U.S. and e.g. U.N.-led talks") == ["the", "U.S", "and", "e.g", "U.N", "led", "talks"])
    }

    @Test("a dangling hyphen or apostrophe does not join")
    func danglingJoiners() {
        #expect(texts("pre- and post-war 'quoted'") == ["pre", "and", "post-war", "quoted"])
    }

    @Test("non-ASCII letters are letters")
    func unicodeLetters() {
        #expect(texts("Zürich–Genève São Paulo Ørsted") == ["Zürich", "Genève", "São", "Paulo", "Ørsted"])
    }

    @Test("empty and symbol-only input give no tokens")
    func emptyInput() {
        #expect(texts("").isEmpty)
        #expect(texts("  ... --- !!! ").isEmpty)
    }
}

@Suite("TextNormalizer")
struct TextNormalizerTests {
    @Test("folds case, compatibility forms and typographic marks")
    func normalises() {
        let normalizer = TextNormalizer()
        #expect(normalizer.normalize("Ｔｒａｄｅ ﬁnance") == "trade finance")
        #expect(normalizer.normalize("Minister’s “deal” — done") == "minister's \"deal\" - done")
        #expect(normalizer.normalize("ABC") == "abc")
    }
}

@Suite("TextAnalyzer")
struct TextAnalyzerTests {
    @Test("drops stop words and possessives, stems, and forms bigrams")
    func pipeline() {
        let analyzer = TextAnalyzer(ngramRange: 1...2)
        #expect(analyzer.words("The country's exports were rising") == ["countri", "export", "rise"])
        #expect(analyzer.terms("Exports rising") == ["export", "rise", "export rise"])
    }

    @Test("numbers are dropped unless kept as a placeholder")
    func numbers() {
        #expect(TextAnalyzer().words("grew 3.5 percent") == ["grew", "percent"])
        #expect(TextAnalyzer(keepsNumbers: true).words("grew 3.5 percent") == ["grew", TextAnalyzer.numberTerm, "percent"])
    }

    @Test("n-grams run over the kept terms in order")
    func ngrams() {
        #expect(NGrams.make(["a", "b", "c"], range: 1...3) == ["a", "b", "c", "a b", "b c", "a b c"])
        #expect(NGrams.make(["a"], range: 2...2).isEmpty)
    }
}
