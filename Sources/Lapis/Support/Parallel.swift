import Dispatch

/// Work split across the machine's cores with results kept in input order.
enum Parallel {
    /// The number of worker threads to use.
    static var workerCount: Int { max(1, min(ProcessInfoCores.count, 64)) }

    /// Maps `items` with `transform` on all cores; the result is in the order of `items`.
    static func map<T: Sendable, R: Sendable>(_ items: [T], minimumChunk: Int = 64, _ transform: @Sendable (T) -> R) -> [R] {
        // More chunks than cores, so a chunk of slow items does not leave a core idle.
        mapChunks(items, chunks: workerCount * 4, minimumChunk: minimumChunk) { $0.map(transform) }
    }

    /// Like ``map(_:minimumChunk:_:)``, but `transform` gets a whole chunk at a time, so it can
    /// keep per-thread state (such as a memo) across the items of the chunk.
    static func mapChunks<T: Sendable, R: Sendable>(_ items: [T], chunks requested: Int = workerCount, minimumChunk: Int = 64,
                                                  _ transform: @Sendable (ArraySlice<T>) -> [R]) -> [R] {
        let count = items.count
        if count == 0 { return [] }
        let chunkCount = min(max(1, requested), max(1, count / minimumChunk))
        if chunkCount <= 1 { return transform(items[...]) }
        let results = UnsafeMutableBufferPointer<[R]>.allocate(capacity: chunkCount)
        results.initialize(repeating: [])
        defer { results.deinitialize(); results.deallocate() }
        let box = UncheckedSendable(results)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * count / chunkCount
            let end = (chunk + 1) * count / chunkCount
            box.value[chunk] = transform(items[start..<end])
        }
        return Array(results.joined())
    }

    /// Runs `body(index)` for every index in `0..<count` on all cores.
    static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count <= 1 || workerCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

/// Wraps a value that is shared across threads under the caller's own discipline
/// (each thread writes disjoint indices).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

import Foundation

enum ProcessInfoCores {
    static let count: Int = {
        if let text = ProcessInfo.processInfo.environment["LAPIS_THREADS"], let value = Int(text), value > 0 {
            return value
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }()
}
