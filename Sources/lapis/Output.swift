import Foundation
import Lapis
#if canImport(Glibc)
import Glibc
#endif

/// A write to standard output or standard error that failed (disk full, closed descriptor,
/// broken pipe). `main` turns it into exit status 1: output was lost, so success would lie.
struct OutputFailure: Error {
    let stream: String
    let code: Int32

    var isBrokenPipe: Bool { code == EPIPE }
    var message: String { "cannot write \(stream): \(String(cString: strerror(code)))" }
}

/// Everything `lapis` writes to its standard streams, with every write checked: Foundation's
/// `FileHandle.write` and `print` trap or drop errors, which turned `lapis classify >/dev/full`
/// into a crash (exit 132) and let `evaluate` exit 0 after losing its table.
enum Output {
    /// Whether a message to standard error could not be written; `main` then exits 1.
    static var standardErrorFailed: Bool { errorState.withLock { $0 } }
    private static let errorState = Locked(false)

    /// Writes `text` to standard output.
    static func standardOutput(_ text: String) throws(OutputFailure) {
        if let code = AtomicFile.writeAll(Array(text.utf8), to: STDOUT_FILENO) { throw OutputFailure(stream: "standard output", code: code) }
    }

    /// Writes a command's one result (a table, a JSON object) to `path` atomically (`-o`), or
    /// to standard output when `path` is nil.
    static func result(_ text: String, to path: String?) throws {
        if let path, path != "-" { try AtomicFile.write(text, to: path) } else { try standardOutput(text) }
    }

    /// Writes `text` to standard error; a failure is remembered (see ``standardErrorFailed``).
    static func standardError(_ text: String) {
        if AtomicFile.writeAll(Array(text.utf8), to: STDERR_FILENO) != nil { errorState.withLock { $0 = true } }
    }

    static func error(_ message: String) { standardError("lapis: error: " + message + "\n") }

    /// Notes and warnings go to standard error unless `-q/--quiet` was given.
    static func note(_ message: String) {
        if !quiet { standardError("lapis: " + message + "\n") }
    }

    /// Set by `-q/--quiet`: nothing but errors on standard error.
    static var quiet: Bool {
        get { quietState.withLock { $0 } }
        set { quietState.withLock { $0 = newValue } }
    }
    private static let quietState = Locked(false)

    /// Buffered results: lines are collected and written in large blocks, to standard output
    /// or, with `-o FILE`, to a file that appears only when complete (``finish()``).
    final class Writer {
        private var buffer = [UInt8]()
        /// The `-o` file being written; nil for standard output.
        private let file: AtomicFile.Stream?

        /// A writer to `path`, or to standard output when `path` is nil or "-".
        init(to path: String? = nil) throws {
            file = try path.flatMap { $0 == "-" ? nil : try AtomicFile.Stream(path: $0) }
        }

        func line(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 { try flush() }
        }

        /// Writes `text` as it is (no line break added).
        func text(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 { try flush() }
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            defer { buffer.removeAll(keepingCapacity: true) }
            if let file {
                try file.write(buffer)
            } else if let code = AtomicFile.writeAll(buffer, to: STDOUT_FILENO) {
                throw OutputFailure(stream: "standard output", code: code)
            }
        }

        /// Writes what is buffered and, for a file, puts it in place. Without this call a file
        /// destination keeps its old contents (the command failed half-way).
        func finish() throws {
            try flush()
            try file?.commit()
        }
    }

    /// Writes one JSON object per record: as JSON lines (`--format jsonl`), or as the elements
    /// of one JSON array (`--format json`), which is the same objects `jq -s` would collect.
    final class RecordWriter {
        let writer: Writer
        let asArray: Bool
        private var count = 0

        init(writer: Writer, asArray: Bool) {
            self.writer = writer
            self.asArray = asArray
        }

        func record(_ object: String) throws {
            if asArray { try writer.text(count == 0 ? "[" : ",\n") }
            count += 1
            if asArray { try writer.text(object) } else { try writer.line(object) }
        }

        /// Closes the array (an empty input gives `[]`).
        func finish() throws {
            if asArray { try writer.line(count == 0 ? "[]" : "]") }
        }
    }

    static func json(_ text: String) -> String { JSONText.string(text) }

    /// `text` for one field of a tab-separated line or a terminal: control characters (tab,
    /// line breaks, ESC and the rest) and backslashes are written as JSON escapes, so an id
    /// can neither split a line nor send escape sequences to the terminal.
    static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\\" }) else { return text }
        return String(JSONText.string(text).dropFirst().dropLast())
    }

    static func number(_ value: Double, decimals: Int = 4) -> String { JSONText.number(value, decimals: decimals) }
}

