import Foundation
import Lapis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line on standard error, redrawn in place with "\r": counts, rate and ETA.
///
/// Only shown on a terminal: when standard error is a pipe or a file (scripts, CI, Spark's
/// RDD.pipe) nothing is written, so logs never fill with carriage returns. Redraws are
/// throttled (at most one per `minimumInterval`), and nothing is drawn for work that ends
/// within `initialDelay`, so quick commands stay silent.
final class ProgressLine: Sendable {
    let label: String
    let unit: String
    let minimumInterval: Double
    let initialDelay: Double
    private let clock: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private let started: Double
    /// What has been drawn, behind one lock: updates arrive from several threads.
    private struct DrawState {
        var lastDraw: Double?
        var lastWidth = 0
        // The rate is measured from the first update, not from creation: work before it (reading,
        // building features) would otherwise make the rate too low and the ETA too long.
        var firstUpdate: (time: Double, completed: Int)?
        /// The phase shown, for commands whose work has several.
        var phase: String?
    }
    private let state = Locked(DrawState())

    init(label: String, unit: String, minimumInterval: Double = 0.1, initialDelay: Double = 0.3,
         clock: @escaping @Sendable () -> Double = ProgressLine.monotonicSeconds,
         write: @escaping @Sendable (String) -> Void = { Output.standardError($0) }) {
        self.label = label
        self.unit = unit
        self.minimumInterval = minimumInterval
        self.initialDelay = initialDelay
        self.clock = clock
        self.write = write
        self.started = clock()
    }

    /// A progress line on standard error, or nil when `quiet` is set or standard error is not a
    /// terminal. `alsoNeedsStdoutRedirected`: commands whose results go to standard output show
    /// progress only when that output goes elsewhere, so the line never mixes with results.
    static func onStandardError(label: String, unit: String, quiet: Bool, alsoNeedsStdoutRedirected: Bool = false) -> ProgressLine? {
        guard !quiet, !Output.quiet, isatty(STDERR_FILENO) != 0 else { return nil }
        if alsoNeedsStdoutRedirected && isatty(STDOUT_FILENO) != 0 { return nil }
        return ProgressLine(label: label, unit: unit)
    }

    static let monotonicSeconds: @Sendable () -> Double = {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Records progress; redraws the line unless the last redraw was too recent. The final
    /// update (`completed == total`) is always drawn.
    func update(completed: Int, total: Int?) {
        record(phase: nil, unit: unit, completed: completed, total: total)
    }

    /// Reports a library ``ProgressUpdate``: its phase is shown after the label ("training:
    /// thresholds by cross-validation 120/270 fold fits ..."), and a new phase restarts the
    /// rate and ETA, which belong to one kind of work.
    func update(_ progress: ProgressUpdate) {
        record(phase: progress.phase, unit: progress.unit, completed: progress.completed, total: progress.total)
    }

    /// Starts a phase of the command's own (reading, vectorising) before the library's.
    func phase(_ name: String, unit: String? = nil, completed: Int = 0, total: Int? = nil) {
        record(phase: name, unit: unit, completed: completed, total: total)
    }

    private func record(phase: String?, unit: String?, completed: Int, total: Int?) {
        state.withLock { state in
            let now = clock()
            let elapsed = now - started
            let newPhase = phase != state.phase
            if newPhase {
                state.phase = phase
                state.firstUpdate = nil
            }
            if state.firstUpdate == nil { state.firstUpdate = (now, completed) }
            let isLast = total.map { completed >= $0 } ?? false
            guard elapsed >= initialDelay else { return }
            if let lastDraw = state.lastDraw, now - lastDraw < minimumInterval, !isLast, !newPhase { return }
            state.lastDraw = now
            let measured = now - state.firstUpdate!.time
            let rate = measured > 0 ? Double(completed - state.firstUpdate!.completed) / measured : nil
            let heading = phase.map { "\(label): \($0)" } ?? label
            let text = unit == nil
                ? heading + ", " + Self.duration(elapsed) + " elapsed"
                : Self.format(label: heading, unit: unit!, completed: completed, total: total, elapsed: elapsed, rate: rate)
            // Pad with spaces so a shorter line fully covers the previous one.
            let padding = max(0, state.lastWidth - text.count)
            state.lastWidth = text.count + padding
            write("\r" + text + String(repeating: " ", count: padding))
        }
    }

    /// A handler for library calls that report progress.
    var handler: ProgressHandler {
        { [self] progress in update(progress) }
    }

    /// Erases the line (if one was drawn) so later messages start on a clean line.
    func finish() {
        state.withLock { state in
            guard state.lastDraw != nil else { return }
            write("\r" + String(repeating: " ", count: state.lastWidth) + "\r")
            state.lastDraw = nil
            state.lastWidth = 0
        }
    }

    /// "training: 12/40 fits (30%), 4.1/s, 3s elapsed, ETA 7s" or, without a total,
    /// "classify: 12288 stories, 3400/s, 4s elapsed". `rate` is units per second (nil: not yet
    /// measurable, shown as "?").
    static func format(label: String, unit: String, completed: Int, total: Int?, elapsed: Double, rate: Double?) -> String {
        var parts: [String]
        if let total, total > 0 {
            let shownTotal = max(total, completed)
            let percent = Int((100 * Double(completed) / Double(shownTotal)).rounded(.down))
            parts = ["\(completed)/\(shownTotal) \(unit) (\(percent)%)"]
        } else {
            parts = ["\(completed) \(unit)"]
        }
        parts.append((rate.map(rateText) ?? "?") + "/s")
        parts.append(duration(elapsed) + " elapsed")
        if let total, total > completed {
            if let rate, rate > 0 { parts.append("ETA " + duration(Double(total - completed) / rate)) } else { parts.append("ETA ?") }
        }
        return label + (label.contains(":") ? " " : ": ") + parts.joined(separator: ", ")
    }

    static func rateText(_ rate: Double) -> String {
        rate < 10 ? String(format: "%.1f", rate) : String(format: "%.0f", rate)
    }

    /// "42s", "3m05s", "2h07m".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "?" }   // Int(_:) traps on these
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m" + String(format: "%02d", whole % 60) + "s" }
        return "\(whole / 3600)h" + String(format: "%02d", (whole % 3600) / 60) + "m"
    }

    /// The number of stories in `paths`, when cheap to know: a .jsonl file's lines (blank lines
    /// included, so an estimate), one per plain-text file; nil when any input is standard input,
    /// CSV or a folder. Only called when a progress line is shown.
    static func estimatedStoryCount(paths: [String], format: InputFormatChoice) -> Int? {
        var total = 0
        for path in paths {
            guard path != "-" else { return nil }
            let resolved: InputFormat? = format.format ?? InputFormat.inferred(from: path)
            switch resolved {
            case .jsonl?:
                guard let lines = lineCount(path) else { return nil }
                total += lines
            case .lines?:
                guard let lines = lineCount(path) else { return nil }
                total += lines
            case .text?, .html?:
                total += 1
            default:
                return nil
            }
        }
        return total
    }

    /// Lines in a file (a last line without a newline counts), read in 1 MiB blocks.
    static func lineCount(_ path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var count = 0
        var last: UInt8 = UInt8(ascii: "\n")
        while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty {
            block.withUnsafeBytes { bytes in
                for byte in bytes where byte == UInt8(ascii: "\n") { count += 1 }
            }
            last = block.last!
        }
        return last == UInt8(ascii: "\n") ? count : count + 1
    }
}
