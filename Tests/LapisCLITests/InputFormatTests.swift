import Foundation
import LapisTestSupport
import Testing

/// The inputs people have (issue 20): one story per line, TSV and other delimiters, HTML
/// pages, flat folders of files; and text output that names each story.
@Suite("lapis input formats", .serialized)
struct InputFormatTests {
    let scratch = TemporaryFolder()

    static let trade = "Tariffs on steel imports rose sharply after the trade talks between the two governments collapsed."
    static let security = "The navy sent two frigates to the strait after the attack on a tanker by armed drones."

    @Test("--input-format lines: one story per non-blank line, its id the line number")
    func linesFormat() throws {
        let file = scratch.write("stories.txt", "\(Self.trade)\n\n\(Self.security)\n")
        let result = try LapisProcess.run(["classify", "--input-format", "lines", file])
        #expect(result.status == 0, "\(result.stderr)")
        let ids = result.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(ids == ["1", "3"])
        #expect(!result.stderr.contains("read as one story"))
        // Without the flag the same file is one story, and a note says so.
        let whole = try LapisProcess.run(["classify", file])
        #expect(whole.stdout.split(separator: "\n").count == 1 && whole.stderr.contains("is read as one story (2 lines)"))
    }

    @Test("TSV by extension and CSV with --delimiter ';' read one story per row")
    func delimiters() throws {
        let tsv = scratch.write("s.tsv", "id\ttext\na\t\(Self.trade)\nb\t\(Self.security)\n")
        let fromTSV = try LapisProcess.run(["classify", "--format", "jsonl", tsv])
        #expect(fromTSV.status == 0, "\(fromTSV.stderr)")
        #expect(fromTSV.stdout.split(separator: "\n").count == 2 && fromTSV.stdout.contains("\"id\": \"b\""))
        let semicolons = scratch.write("s.csv", "id;text\n1;\(Self.trade)\n2;\"Quoted; with a semicolon. \(Self.security)\"\n")
        let fromCSV = try LapisProcess.run(["classify", "--delimiter", ";", "--format", "jsonl", semicolons])
        #expect(fromCSV.status == 0, "\(fromCSV.stderr)")
        #expect(fromCSV.stdout.split(separator: "\n").count == 2)
        // The same rows with a tab delimiter named in words.
        let named = try LapisProcess.run(["classify", "--input-format", "csv", "--delimiter", "tab", tsv])
        #expect(named.status == 0 && named.stdout.split(separator: "\n").count == 2, "\(named.stderr)")
        let bad = try LapisProcess.run(["classify", "--delimiter", ";;", semicolons])
        #expect(bad.status == 2 && bad.stderr.contains("--delimiter must be one character or 'tab'"))
    }

    @Test("an HTML page: <title> is the title, scripts and headings are no sentences, paragraphs end sentences")
    func htmlPage() throws {
        let page = scratch.write("page.html", """
            <!DOCTYPE html><html><head><title>Port strike &amp; grain</title>
            <script>var text = "<p>Not a sentence from the script.</p>";</script><style>p { color: red }</style></head>
            <body><h1>Port strike</h1><!-- <p>A comment, not a sentence.</p> -->
            <p>Dock workers at the northern port walked out on Monday over pay</p>
            <p>Grain shipments bound for export markets were held at the terminal</p>
            <div>Officials said talks with the union would resume on Wednesday&#46;</div></body></html>
            """)
        let result = try LapisProcess.run(["sentences", "--format", "jsonl", page])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let sentences = object["sentences"] as! [String]
        #expect(sentences == ["Dock workers at the northern port walked out on Monday over pay",
                              "Grain shipments bound for export markets were held at the terminal",
                              "Officials said talks with the union would resume on Wednesday."])
        let summary = try LapisProcess.run(["summarize", "--sentences", "1", page])
        #expect(summary.status == 0 && !summary.stdout.contains("<") && !summary.stdout.contains("Port strike"), "\(summary)")
    }

    @Test("a flat folder is one story per file for classify and summarize; text output names each story")
    func flatFolder() throws {
        let folder = scratch.path + "/flat"
        scratch.write("flat/a.txt", Self.trade)
        scratch.write("flat/b.html", "<html><head><title>Frigates</title></head><body><p>\(Self.security)</p></body></html>")
        let tagged = try LapisProcess.run(["classify", folder])
        #expect(tagged.status == 0, "\(tagged.stderr)")
        #expect(tagged.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] } == ["a.txt", "b.html"])
        let summaries = try LapisProcess.run(["summarize", folder])
        #expect(summaries.status == 0 && summaries.stdout.hasPrefix("==> a.txt <==\n") && summaries.stdout.contains("\n\n==> b.html <==\n"),
                "\(summaries.stdout)")
        // One plain story keeps the bare output.
        let single = try LapisProcess.run(["summarize", folder + "/a.txt"])
        #expect(single.status == 0 && single.stdout == Self.trade + "\n")
        // Several files name their stories too.
        let two = try LapisProcess.run(["summarize", folder + "/a.txt", folder + "/a.txt"])
        #expect(two.stdout.components(separatedBy: "==> a.txt <==").count == 3)
        // An empty folder is an error that says what was expected.
        try FileManager.default.createDirectory(atPath: scratch.path + "/empty", withIntermediateDirectories: true)
        let empty = try LapisProcess.run(["classify", scratch.path + "/empty"])
        #expect(empty.status == 1 && empty.stderr.contains("expected .txt or .html files"))
    }
}
