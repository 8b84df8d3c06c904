import Foundation

/// A value behind a lock: the one lock wrapper of Lapis and its CLI, for the little state
/// shared between threads (progress counts, task queues, memo pools, the CLI's error flag).
/// Every access goes through ``withLock(_:)``, so no caller can forget to unlock.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// Wraps `value`.
    package init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
