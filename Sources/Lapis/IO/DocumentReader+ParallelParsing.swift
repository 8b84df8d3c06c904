extension DocumentReader {
    /// The most lines one batch parsed ahead holds: enough to keep every core busy for a while
    /// between two serial reads, few enough that memory stays a few megabytes over the documents.
    static let parseAheadLines = 1024
    /// A batch also ends once it holds this many bytes of lines (long stories).
    static let parseAheadBytes = 8 << 20

    /// One JSON line parsed ahead: its document, or the error ``next()`` raises in its place.
    enum ParsedLine: Sendable {
        case document(Document)
        case failure(LapisError)
    }

    /// Reads the next batch of JSON lines from `lines` and parses them on all cores into
    /// ``parsedAhead``, in line order; blank lines are passed over as ``next()`` passes them.
    /// An error reading the input ends the batch and waits in ``readFailureAhead``, so it is
    /// raised after the lines before it, where the one-line-at-a-time reading raises it.
    ///
    /// - Complexity: O(*n*) in the batch's bytes, spread over the cores.
    func parseAhead(_ lines: LineReader) {
        var bytes: [UInt8] = []
        var spans: [(range: Range<Int>, lineNumber: Int)] = []
        while spans.count < Self.parseAheadLines && bytes.count < Self.parseAheadBytes {
            let line: ArraySlice<UInt8>?
            do {
                line = try lines.nextLine()
            } catch {
                readFailureAhead = error
                break
            }
            guard let line else { break }
            if Self.isBlank(line) { continue }
            // Copied out: the reader's buffer is reused for the lines after these.
            let start = bytes.count
            bytes.append(contentsOf: line)
            spans.append((start..<bytes.count, lines.lineNumber))
        }
        let conversion = self.conversion
        let batch = bytes
        parsedAhead = Parallel.map(spans, minimumChunk: 32) { span in
            do {
                return .document(try Self.jsonDocument(batch[span.range], lineNumber: span.lineNumber, conversion: conversion))
            } catch let error as LapisError {
                return .failure(error)
            } catch {
                // jsonDocument raises only LapisError; anything else still names its line.
                return .failure(.malformedRecord(path: conversion.path, line: span.lineNumber, reason: "\(error)"))
            }
        }
        parsedAheadNext = 0
    }
}
