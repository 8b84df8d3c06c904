import Foundation
import Testing
@testable import Lapis

@Suite("SentenceSplitter")
struct SentenceSplitterTests {
    let splitter = SentenceSplitter()

    @Test("splits plain sentences at terminal punctuation")
    func plain() {
        #expect(splitter.sentences("Talks resumed. Both sides met! Was it enough? Nobody knows.")
                == ["Talks resumed.", "Both sides met!", "Was it enough?", "Nobody knows."])
    }

    @Test("titles, initials and mid-sentence abbreviations do not end a sentence")
    func abbreviations() {
        let text = "Mr. Smith met Gen. J. R. Ortega and Dr. Lee on Jan. 5 in St. Louis. They agreed, e.g. on tariffs, to meet again."
        #expect(splitter.sentences(text) == [
            "Mr. Smith met Gen. J. R. Ortega and Dr. Lee on Jan. 5 in St. Louis.",
            "They agreed, e.g. on tariffs, to meet again.",
        ])
    }

    @Test("U.S. and Inc. end a sentence only before a sentence opener")
    func ambiguousAbbreviations() {
        #expect(splitter.sentences("Exports to the U.S. President's allies rose. Output fell.")
                == ["Exports to the U.S. President's allies rose.", "Output fell."])
        #expect(splitter.sentences("The deal went to Acme Inc. The shares rose.")
                == ["The deal went to Acme Inc.", "The shares rose."])
    }

    @Test("decimals, times and numbering stay inside a sentence")
    func numbers() {
        #expect(splitter.sentences("Prices rose 3.5 percent at 10:30 a.m. on Monday. Item No. 4 was cut.")
                == ["Prices rose 3.5 percent at 10:30 a.m. on Monday.", "Item No. 4 was cut."])
    }

    @Test("closing quotes stay with their sentence; attribution after a quoted question does not split")
    func quotes() {
        #expect(splitter.sentences("He called the deal \"historic.\" Markets rallied.")
                == ["He called the deal \"historic.\"", "Markets rallied."])
        #expect(splitter.sentences("\"Why now?\" she asked. \"Because we must!\" Mr. Diaz said afterwards. Talks ended.")
                == ["\"Why now?\" she asked.", "\"Because we must!\" Mr. Diaz said afterwards.", "Talks ended."])
        #expect(splitter.sentences("“We are ready,” the minister said. “The talks are over.”")
                == ["“We are ready,” the minister said.", "“The talks are over.”"])
    }

    @Test("ellipses split before a capital and not before lower case")
    func ellipses() {
        #expect(splitter.sentences("And then... the talks stalled. Wait… Nothing happened.")
                == ["And then... the talks stalled.", "Wait…", "Nothing happened."])
    }

    @Test("paragraph breaks end sentences; wrapped lines do not")
    func lineBreaks() {
        #expect(splitter.sentences("HEADLINE WITHOUT STOP\n\nBody text here. More text\ncontinues here.")
                == ["HEADLINE WITHOUT STOP", "Body text here.", "More text\ncontinues here."])
    }

    @Test("lower-cased tokenised text splits at terminal tokens")
    func caseless() {
        #expect(splitter.sentences("the u.s. said it would act . talks begin monday . officials agreed")
                == ["the u.s. said it would act .", "talks begin monday .", "officials agreed"])
    }

    @Test("every non-space character belongs to exactly one sentence, verbatim")
    func coversInput() {
        let text = "  First one.  Second \"quoted!\" part?\n\nThird (with brackets.) Fourth ... end  "
        let sentences = splitter.sentences(text)
        let rebuilt = sentences.joined().filter { !$0.isWhitespace }
        #expect(rebuilt == text.filter { !$0.isWhitespace })
        for sentence in sentences { #expect(text.contains(sentence)) }
    }

    @Test("empty, whitespace-only and punctuation-only text")
    func degenerate() {
        #expect(splitter.sentences("").isEmpty)
        #expect(splitter.sentences(" \n\t ").isEmpty)
        #expect(splitter.sentences("...") == ["..."])
    }
}
