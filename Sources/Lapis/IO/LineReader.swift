import Foundation

/// Reads a file (or standard input) line by line in fixed-size chunks, so memory stays
/// bounded by the longest line rather than the file.
final class LineReader {
    // nil when reading bytes already in memory (see `init(bytes:)`).
    private let handle: FileHandle?
    private let closesHandle: Bool
    private var buffer = [UInt8]()
    private var bufferStart = 0
    private var atEnd = false
    private let chunkSize: Int
    /// 1-based number of the last line returned.
    private(set) var lineNumber = 0
    /// The input's name in errors.
    let name: String

    /// The longest record (line, or whole story in text mode) read: generous for any real
    /// story, but `lapis classify < /dev/zero` stops with an error instead of growing until
    /// the kernel kills it.
    static let maximumRecordBytes = 256 << 20

    init(handle: FileHandle, closesHandle: Bool, name: String, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.closesHandle = closesHandle
        self.name = name
        self.chunkSize = chunkSize
    }

    /// Reads lines from bytes already in memory.
    init(bytes: [UInt8], name: String = "input") {
        self.name = name
        self.handle = nil
        self.closesHandle = false
        self.chunkSize = 0
        self.buffer = bytes
        self.atEnd = true
    }

    /// Opens `path`, or standard input for "-".
    convenience init(path: String) throws {
        if path == "-" {
            self.init(handle: FileHandle.standardInput, closesHandle: false, name: path)
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LapisError.unreadableFile(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        self.init(handle: handle, closesHandle: true, name: path)
    }

    deinit {
        if closesHandle { try? handle?.close() }
    }

    /// The first byte that is not white space or part of a leading UTF-8 byte-order mark,
    /// without consuming anything (nil for empty input).
    func peekFirstNonSpaceByte() throws -> UInt8? {
        while buffer.count - bufferStart < 3 && !atEnd { try fill() }
        var scanned = bufferStart
        if buffer[bufferStart...].starts(with: [0xEF, 0xBB, 0xBF]) { scanned += 3 }
        while true {
            while scanned < buffer.count {
                let byte = buffer[scanned]
                if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return byte }
                scanned += 1
            }
            if atEnd { return nil }
            try fill()
        }
    }

    /// Everything not yet read.
    func readRemaining() throws -> ArraySlice<UInt8> {
        while !atEnd {
            try fill()
            try checkRecordSize(line: lineNumber + 1)
        }
        defer { bufferStart = buffer.count }
        return buffer[bufferStart...]
    }

    private func fill() throws {
        guard let handle else { atEnd = true; return }
        let data: Data?
        do {
            data = try handle.read(upToCount: chunkSize)
        } catch {
            throw LapisError.unreadableFile(path: "input", reason: error.localizedDescription)
        }
        if let data, !data.isEmpty { buffer.append(contentsOf: data) } else { atEnd = true }
    }

    private func checkRecordSize(line: Int) throws {
        if buffer.count - bufferStart > Self.maximumRecordBytes {
            throw LapisError.malformedRecord(path: name, line: line,
                                             reason: "longer than \(Self.maximumRecordBytes >> 20) MB without a line break (is this a story file at all?)")
        }
    }

    /// The next line's bytes without its line terminator ("\n" or "\r\n"), or nil at the end.
    func nextLine() throws -> ArraySlice<UInt8>? {
        var searchFrom = bufferStart
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > bufferStart && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[bufferStart..<end]
                bufferStart = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard bufferStart < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[bufferStart..<end]
                bufferStart = buffer.count
                lineNumber += 1
                return line
            }
            // Drop consumed bytes before reading more, so the buffer holds at most one line plus a chunk.
            if bufferStart > 0 {
                buffer.removeSubrange(0..<bufferStart)
                bufferStart = 0
            }
            searchFrom = buffer.count
            try fill()
            try checkRecordSize(line: lineNumber + 1)
        }
    }
}

/// Reading whole files with a clear error.
enum FileContents {
    static func bytes(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return Array(try LineReader(path: path).readRemaining())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LapisError.unreadableFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw LapisError.unreadableFile(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LapisError.unreadableFile(path: path, reason: "permission denied or unreadable")
        }
        return [UInt8](data)
    }

    /// The file as text; invalid UTF-8 is replaced by U+FFFD, a byte-order mark is dropped.
    static func text(_ path: String) throws -> String {
        if path != "-", let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > LineReader.maximumRecordBytes {
            throw LapisError.malformedRecord(path: path, line: 1,
                                             reason: "a single story of \(size >> 20) MB is larger than the \(LineReader.maximumRecordBytes >> 20) MB a record may have")
        }
        return TextDecoding.repairing(try bytes(path)[...])
    }
}

/// Decoding bytes as UTF-8, repairing what is broken.
enum TextDecoding {
    /// `bytes` as a String: invalid sequences become U+FFFD, a leading BOM and NUL bytes are dropped.
    static func repairing(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        if slice.contains(0) {
            return String(decoding: slice.filter { $0 != 0 }, as: UTF8.self)
        }
        return String(decoding: slice, as: UTF8.self)
    }
}
