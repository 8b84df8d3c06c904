import Foundation

/// Remembers what each distinct token became, so that a word met again (most are: news
/// vocabulary is small next to its running text) skips the stop-word test, stemming and
/// vocabulary lookup. One memo per worker thread; ``TokenMemoPool`` hands them out.
struct TokenMemo<Value> {
    private var valueByToken: [String: Value] = [:]
    /// Past this many entries the memo starts afresh, so a long stream of unusual tokens
    /// cannot grow memory without bound (streaming classify's peak RSS stays flat: see
    /// Evaluation/RESULTS.md). 0 remembers nothing.
    let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The remembered value of `token`, computing and remembering it the first time.
    @inline(__always)
    mutating func value(for token: String, _ compute: () -> Value) -> Value {
        guard capacity > 0 else { return compute() }
        if let known = valueByToken[token] { return known }
        let value = compute()
        if valueByToken.count >= capacity { valueByToken.removeAll(keepingCapacity: true) }
        valueByToken[token] = value
        return value
    }
}

/// A thread-safe stack of ``TokenMemo``s that outlives single calls, so that memos stay warm
/// across the batches of a stream.
final class TokenMemoPool<Value>: @unchecked Sendable {
    private let idle = Locked<[TokenMemo<Value>]>([])

    /// Runs `body` with a memo of its own, returned to the pool afterwards.
    func withMemo<R>(_ body: (inout TokenMemo<Value>) -> R) -> R {
        var memo = idle.withLock { $0.popLast() } ?? TokenMemo()
        let result = body(&memo)
        idle.withLock { $0.append(memo) }
        return result
    }
}
