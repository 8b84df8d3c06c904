import Foundation

/// How far along a long piece of work is: training, cross-validation, a large batch.
///
/// Long-running library calls accept an optional ``ProgressHandler`` and call it as units of
/// work finish (for training: one per fitted logistic regression, including the
/// cross-validation fits that choose thresholds). The library never draws anything itself;
/// the `lapis` command line turns these updates into a progress line on a terminal.
public struct ProgressUpdate: Sendable, Equatable {
    /// What is being done, e.g. "training".
    public var phase: String
    /// Units of work finished so far.
    public var completed: Int
    /// Units of work in all, when known.
    public var total: Int?
    /// What one unit is, e.g. "labels" or "stories"; nil when the phase has no count to show.
    public var unit: String?

    /// Creates an update.
    public init(phase: String, completed: Int, total: Int?, unit: String? = nil) {
        self.phase = phase
        self.completed = completed
        self.total = total
        self.unit = unit
    }
}

/// Receives ``ProgressUpdate``s. Calls are serialised (never two at once) and `completed`
/// never decreases within a phase, even when the work itself runs on several threads.
public typealias ProgressHandler = @Sendable (ProgressUpdate) -> Void

/// Counts finished units of parallel work and forwards each new count to a ``ProgressHandler``.
///
/// Training fits labels on all cores at once, so completions arrive from several threads;
/// the lock makes the count exact and keeps the handler's calls in order.
final class ProgressCounter: Sendable {
    /// The phase reported in every update.
    let phase: String
    /// Units of work in all, when known.
    let total: Int?
    /// What one unit is.
    let unit: String?
    private let handler: ProgressHandler?
    private let completed = Locked(0)

    /// Creates a counter that reports to `handler` (nothing is reported when it is nil).
    init(phase: String, total: Int?, unit: String? = nil, handler: ProgressHandler?) {
        self.phase = phase
        self.total = total
        self.unit = unit
        self.handler = handler
    }

    /// Reports the start of the phase (zero units done).
    func start() {
        guard let handler else { return }
        completed.withLock { handler(ProgressUpdate(phase: phase, completed: $0, total: total, unit: unit)) }
    }

    /// Records `count` more finished units and reports the new total.
    func advance(by count: Int = 1) {
        completed.withLock { completed in
            completed += count
            handler?(ProgressUpdate(phase: phase, completed: completed, total: total, unit: unit))
        }
    }
}
