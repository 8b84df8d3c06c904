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

    /// Writes `text` to standard error; a failure is remembered (see ``standardErrorFailed``).
    static func standardError(_ text: String) {
        if AtomicFile.writeAll(Array(text.utf8), to: STDERR_FILENO) != nil { errorState.withLock { $0 = true } }
    }

    static func error(_ message: String) { standardError("lapis: error: " + message + "\n") }

    static func note(_ message: String) { standardError("lapis: " + message + "\n") }

    /// Buffered standard output: lines are collected and written in large blocks.
    final class Writer {
        private var buffer = [UInt8]()

        func line(_ text: String) throws(OutputFailure) {
            buffer.append(contentsOf: text.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 { try flush() }
        }

        func flush() throws(OutputFailure) {
            guard !buffer.isEmpty else { return }
            defer { buffer.removeAll(keepingCapacity: true) }
            if let code = AtomicFile.writeAll(buffer, to: STDOUT_FILENO) { throw OutputFailure(stream: "standard output", code: code) }
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

