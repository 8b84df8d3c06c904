import Foundation

extension DocumentReader {
    /// ``forEachBatch(size:keeping:_:)`` with the next batch read on another thread while
    /// `body` handles the current one, so that parsing the input overlaps with the work on the
    /// stories (a stream's reading is otherwise a serial step between parallel ones).
    ///
    /// Batches arrive in order, and an error of the reader arrives after every batch read
    /// before it, as with ``forEachBatch(size:keeping:_:)``. At most two batches are held at
    /// once, so memory stays flat on a stream. After a normal end the reading thread has
    /// finished when the call returns. When `body` throws, the error is rethrown at once and
    /// the reading thread stops at its next batch: it is not waited for, since it may be
    /// blocked reading a slow input (a pipe that is still open), and the reader must not be
    /// used again.
    public func forEachBatchReadingAhead(size: Int, keeping filter: DocumentFilter = DocumentFilter(),
                                         _ body: ([Document]) throws -> Void) throws {
        let handoff = BatchHandoff()
        let finished = DispatchSemaphore(value: 0)
        let work = ReadAhead(reader: self, size: size, filter: filter, handoff: handoff)
        Thread {
            work.run()
            finished.signal()
        }.start()
        do {
            while let batch = try handoff.take() { try body(batch) }
        } catch {
            handoff.stop()
            throw error
        }
        finished.wait()
    }
}

/// What the reading thread of ``DocumentReader/forEachBatchReadingAhead(size:keeping:_:)``
/// runs. The reader is used by that thread alone until the call returns.
private final class ReadAhead: @unchecked Sendable {
    let reader: DocumentReader
    let size: Int
    let filter: DocumentFilter
    let handoff: BatchHandoff

    init(reader: DocumentReader, size: Int, filter: DocumentFilter, handoff: BatchHandoff) {
        self.reader = reader
        self.size = size
        self.filter = filter
        self.handoff = handoff
    }

    func run() {
        do {
            try reader.forEachBatch(size: size, keeping: filter) { try handoff.put($0) }
            handoff.finish(failure: nil)
        } catch is BatchHandoff.Stopped {
            handoff.finish(failure: nil)
        } catch {
            handoff.finish(failure: error)
        }
    }
}

/// A one-batch handoff between the reading thread and the consumer.
private final class BatchHandoff: @unchecked Sendable {
    /// Thrown to the reading thread when the consumer has stopped.
    struct Stopped: Error {}

    private let condition = NSCondition()
    private var pending: [Document]?
    private var finished = false
    private var failure: (any Error)?
    private var stopped = false

    /// Hands over `batch`, waiting while the previous one is still pending.
    func put(_ batch: [Document]) throws {
        condition.lock()
        defer { condition.unlock() }
        while pending != nil && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        pending = batch
        condition.broadcast()
    }

    /// The reading thread is done: after the pending batch, `take` returns nil or throws `failure`.
    func finish(failure: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        self.failure = failure
        condition.broadcast()
    }

    /// The next batch, or nil at the end of the input; rethrows the reader's error in its place.
    func take() throws -> [Document]? {
        condition.lock()
        defer { condition.unlock() }
        while pending == nil && !finished { condition.wait() }
        if let batch = pending {
            pending = nil
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer has stopped: a waiting or later `put` throws ``Stopped``.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
    }
}
