import Testing
@testable import Lapis

@Suite("HTML extraction")
struct HTMLExtractionTests {
    @Test("references decode; unknown ones and stray ampersands stay as written")
    func references() {
        #expect(HTMLExtraction.decode("a &amp; b &lt;c&gt; &#233;t&#xE9; &bogus; R&D") == "a & b <c> été &bogus; R&D")
    }

    @Test("the title comes from <title>, else the first <h1>; headings stay out of the body")
    func titles() {
        let withTitle = HTMLExtraction.extract("<title> Steel  tariffs </title><h1>Steel</h1><p>Tariffs rose.</p>")
        #expect(withTitle.title == "Steel tariffs" && withTitle.text == "Tariffs rose.")
        let headingOnly = HTMLExtraction.extract("<h1>Frigates sent</h1><h2>Background</h2><p>The navy sailed.</p>")
        #expect(headingOnly.title == "Frigates sent" && headingOnly.text == "The navy sailed.")
        #expect(HTMLExtraction.extract("<p>No title.</p>").title == nil)
    }

    @Test("broken markup never loses the text before it and never leaks markup")
    func brokenMarkup() {
        #expect(HTMLExtraction.extract("<p>Kept text.</p><p>Unclosed <b").text == "Kept text.\n\nUnclosed")
        #expect(HTMLExtraction.extract("<p>Before.</p><!-- never closed <p>hidden</p>").text == "Before.")
        #expect(HTMLExtraction.extract("<script>if (a < b) { x = '</p>'; }</script><p>After.</p>").text == "After.")
        #expect(HTMLExtraction.extract("3 < 4 and 5 > 2").text == "3 < 4 and 5 > 2")
    }

    @Test("block elements and <br> separate paragraphs; inline elements do not")
    func paragraphs() {
        let page = HTMLExtraction.extract("<div>One <b>bold</b> line<br>two</div><ul><li>three</li><li>four</li></ul>")
        #expect(page.text == "One bold line\n\ntwo\n\nthree\n\nfour")
    }
}
