import Foundation
import LapisTestSupport
import Testing

/// Debian's chromium in headless mode, and a PNG reader (python3 with zlib, no imaging
/// library) to check its screenshots.
enum HeadlessBrowser {
    static func executable(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in names where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") { return "\(folder)/\(name)" }
        }
        return nil
    }

    static let chromium = executable(["chromium", "chromium-browser"])
    static let python = executable(["python3"])

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Lines chromium logs for the page's console (errors, CSP violations, uncaught exceptions).
        var console: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") } }
    }

    /// Runs a program with output to files (no pipe can fill up) and kills it after `timeout` seconds.
    static func run(_ program: String, _ arguments: [String], scratch: String, timeout: TimeInterval = 120) throws -> Run {
        let id = UUID().uuidString
        let outPath = scratch + "/\(id).out", errPath = scratch + "/\(id).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Chromium's arguments for a page: a fresh profile, console messages logged to stderr.
    static func arguments(scratch: String, window: (Int, Int), scale: Double) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
         "--user-data-dir=\(scratch)/profile", "--enable-logging=stderr", "--v=0",
         "--window-size=\(window.0),\(window.1)", "--force-device-scale-factor=\(scale)"]
    }

    static func screenshot(_ page: String, to png: String, scratch: String, window: (Int, Int) = (1280, 2400), scale: Double = 0.5) throws -> Run {
        // Half scale keeps the pure-Python PNG decoding quick; layout is that of a 1280 px wide window.
        try run(chromium!, arguments(scratch: scratch, window: window, scale: scale) + ["--screenshot=\(png)", "file://\(page)"], scratch: scratch)
    }

    static func dumpDOM(_ page: String, scratch: String) throws -> Run {
        try run(chromium!, arguments(scratch: scratch, window: (1280, 2400), scale: 1) + ["--dump-dom", "file://\(page)"], scratch: scratch)
    }

    struct PNGStats: Decodable {
        var width: Int
        var height: Int
        /// Distinct RGB colours.
        var colours: Int
        /// Standard deviation of the luminance over all pixels.
        var deviation: Double
        /// Pixels within 40 per channel of each probe colour, in probe order.
        var near: [Int]
    }

    /// Decodes an 8-bit RGB or RGBA PNG (zlib only) and measures it.
    static func stats(_ png: String, probes: [String], scratch: String) throws -> PNGStats {
        let script = """
        import json, struct, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR':
                width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
                assert depth == 8 and colour in (2, 6) and interlace == 0, 'unsupported PNG'
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        bpp = 3 if colour == 2 else 4
        raw, stride = zlib.decompress(idat), width * bpp
        probes = [tuple(int(p[i:i + 2], 16) for i in (1, 3, 5)) for p in sys.argv[2:]]
        near = [0] * len(probes)
        colours, total, squares, count = set(), 0.0, 0.0, 0
        previous, offset = bytearray(stride), 0
        for _ in range(height):
            kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
            offset += 1 + stride
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = previous[x]
                c = previous[x - bpp] if x >= bpp else 0
                if kind == 1: line[x] = (line[x] + a) & 255
                elif kind == 2: line[x] = (line[x] + b) & 255
                elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            for x in range(0, stride, bpp):
                r, g, b = line[x], line[x + 1], line[x + 2]
                colours.add((r, g, b))
                y = 0.2126 * r + 0.7152 * g + 0.0722 * b
                total += y; squares += y * y; count += 1
                for i, (pr, pg, pb) in enumerate(probes):
                    if abs(r - pr) <= 40 and abs(g - pg) <= 40 and abs(b - pb) <= 40: near[i] += 1
            previous = line
        mean = total / count
        print(json.dumps({'width': width, 'height': height, 'colours': len(colours),
                          'deviation': max(squares / count - mean * mean, 0) ** 0.5, 'near': near}))
        """
        let result = try run(python!, ["-c", script, png] + probes, scratch: scratch)
        guard result.status == 0 else { throw CommandFailure(message: "PNG check failed: \(result.stderr)") }
        return try JSONDecoder().decode(PNGStats.self, from: Data(result.stdout.utf8))
    }

    struct CommandFailure: Error { var message: String }
}

@Suite("evaluation report in a headless browser", .serialized,
       .enabled(if: HeadlessBrowser.chromium != nil, "chromium is not installed (apt-get install chromium; .ci/run installs it)"),
       .enabled(if: HeadlessBrowser.python != nil, "python3 is not installed (it decodes the screenshot)"))
struct ReportBrowserTests {
    let scratch = TemporaryFolder()

    /// The mini corpus plus a story whose id, title and text try to inject markup and script;
    /// it is about a port but labelled multilateral, so it shows up among the worst errors.
    func hostileData(extraField: String? = nil) throws -> String {
        var lines = try String(contentsOfFile: LapisProcess.fixtures + "/mini-corpus.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        lines.append(#"{"id": "x<i>1</i>", "title": "<script>console.error('injected title')</script> Dockers strike at Valdora port", "text": "Dockers at the port of Valdora walked out on Monday. <img src=x onerror=\"console.error('injected text')\"> Container ships waited offshore. Freight trucks queued at the gates.", "labels": ["multilateral"]}"#)
        if let extraField {
            lines = try lines.map { line in
                var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                object[extraField] = [0, 1]
                return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            }
        }
        return scratch.write("data.jsonl", lines.joined(separator: "\n") + "\n")
    }

    func checkRenders(_ page: String, expect svgCount: Int, probes: [String]) throws -> (stats: HeadlessBrowser.PNGStats, dom: String) {
        let png = scratch.path + "/shot.png"
        let shot = try HeadlessBrowser.screenshot(page, to: png, scratch: scratch.path)
        #expect(shot.status == 0, "chromium failed: \(shot.stderr)")
        #expect(shot.console.isEmpty, "console messages: \(shot.console)")
        #expect(FileManager.default.fileExists(atPath: png))
        let stats = try HeadlessBrowser.stats(png, probes: probes, scratch: scratch.path)
        #expect(stats.width == 640 && stats.height == 1200)
        #expect(stats.colours >= 64, "only \(stats.colours) colours: the page looks blank")
        #expect(stats.deviation > 10, "luminance deviation \(stats.deviation): the page looks blank")

        let dom = try HeadlessBrowser.dumpDOM(page, scratch: scratch.path)
        #expect(dom.status == 0)
        #expect(dom.console.isEmpty, "console messages: \(dom.console)")
        // Parsed as intended: the charts are SVG elements, and the hostile story stayed text.
        let svgs = dom.stdout.components(separatedBy: "<svg").count - 1
        #expect(svgs >= svgCount, "\(svgs) SVG elements")
        let scriptElement = dom.stdout.contains("<script"), imageElement = dom.stdout.contains("<img")
        #expect(!scriptElement && !imageElement, "the hostile story became markup")
        let escaped = dom.stdout.contains("&lt;script&gt;console.error('injected title')")
        #expect(escaped, "the hostile title is not shown as text")
        return (stats, dom.stdout)
    }

    @Test("the classification report renders: not blank, charts drawn, no console errors, hostile text stays text")
    func classificationReport() throws {
        let report = scratch.path + "/report.html"
        let result = try LapisProcess.run(["evaluate", "--data", try hostileData(), "--report", report])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("micro avg"))
        // Okabe-Ito blue (curves, bars) and vermillion (threshold markers) must be on screen.
        let (stats, dom) = try checkRenders(report, expect: 6, probes: ["#0072B2", "#D55E00"])
        #expect(stats.near[0] > 200, "Okabe-Ito blue pixels: \(stats.near[0])")
        #expect(stats.near[1] > 20, "vermillion pixels: \(stats.near[1])")
        #expect(dom.components(separatedBy: "class=\"threshold-marker\"").count - 1 == 4)
        let missed = dom.contains("<td class=\"id\">x&lt;i&gt;1&lt;/i&gt;</td>")
        #expect(missed, "the mislabelled hostile story is not among the worst errors")
    }

    @Test("the summaries report renders with highlighted sentences and no console errors")
    func summariesReport() throws {
        let report = scratch.path + "/summaries.html"
        let result = try LapisProcess.run(["evaluate", "summaries", "--data", try hostileData(extraField: "ref"), "--reference-field", "ref",
                                           "--method", "lead", "--method", "lexrank", "--report", report])
        #expect(result.status == 0, "\(result.stderr)")
        // The two methods' colours, and the highlight of sentences picked by one or by both.
        let (stats, dom) = try checkRenders(report, expect: 1, probes: ["#0072B2", "#E69F00", "#FDF1C7", "#F2C14E"])
        #expect(stats.near[0] > 50 && stats.near[1] > 50, "method colour pixels: \(stats.near)")
        #expect(stats.near[2] + stats.near[3] > 200, "highlight pixels: \(stats.near)")
        #expect(dom.contains("<mark class=\"s picked"))
    }

    @Test("the checks can fail: a page's console error is caught, and a blank page is seen as blank")
    func negativeControls() throws {
        let bad = scratch.write("bad.html", "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom'); missingFunction();</script></body></html>")
        let run = try HeadlessBrowser.dumpDOM(bad, scratch: scratch.path)
        #expect(run.console.contains { $0.contains("boom") })
        #expect(run.console.contains { $0.contains("Uncaught") })
        let blank = scratch.write("blank.html", "<!DOCTYPE html><html><body style=\"background:#fff\"></body></html>")
        let png = scratch.path + "/blank.png"
        _ = try HeadlessBrowser.screenshot(blank, to: png, scratch: scratch.path, window: (320, 240), scale: 1)
        let stats = try HeadlessBrowser.stats(png, probes: [], scratch: scratch.path)
        #expect(stats.colours == 1 && stats.deviation < 0.01)
    }
}
