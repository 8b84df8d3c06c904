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

/// A thread-safe stack of memos (``TokenMemo``, ``TokenIDMemo``) that outlives single calls,
/// so that memos stay warm across the batches of a stream.
final class TokenMemoPool<Memo>: @unchecked Sendable {
    private let idle = Locked<[Memo]>([])
    private let make: @Sendable () -> Memo

    /// A pool that makes a new memo with `make` when none is idle.
    init(_ make: @escaping @Sendable () -> Memo) {
        self.make = make
    }

    /// Runs `body` with a memo of its own, returned to the pool afterwards.
    func withMemo<R>(_ body: (inout Memo) -> R) -> R {
        var memo = idle.withLock { $0.popLast() } ?? make()
        let result = body(&memo)
        idle.withLock { $0.append(memo) }
        return result
    }
}

/// A ``TokenMemo`` keyed by a token's UTF-8 bytes with an integer value (a term id or a
/// column; -1 for none), so that a token seen before costs a hash of its bytes and one
/// comparison: no String is built for it, and no String hashing is paid.
///
/// Open addressing with linear probing over a power-of-two table; the keys' bytes live in one
/// arena. Like ``TokenMemo`` it starts afresh past `capacity` entries, so memory stays bounded.
struct TokenIDMemo {
    /// Per slot: 0 when empty, else the entry's index + 1.
    private var slots: [Int32]
    private var entryHash: [UInt64] = []
    private var entryStart: [Int32] = []
    private var entryValue: [Int32] = []
    private var arena: [UInt8] = []
    private var mask: Int
    /// Past this many entries the memo starts afresh. 0 remembers nothing.
    let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
        slots = [Int32](repeating: 0, count: 1024)
        mask = 1023
    }

    /// A memo with room for `expected` entries before its table grows.
    init(capacity: Int, expected: Int) {
        self.init(capacity: capacity)
        var size = 1024
        while size < 2 * expected { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        entryHash.reserveCapacity(expected)
        entryStart.reserveCapacity(expected)
        entryValue.reserveCapacity(expected)
    }

    var count: Int { entryValue.count }

    /// The remembered value of `token`, computing and remembering it the first time.
    @inline(__always)
    mutating func value(for token: UnsafeBufferPointer<UInt8>, _ compute: () -> Int32) -> Int32 {
        guard capacity > 0 else { return compute() }
        let hash = Self.hash(token)
        if let known = value(for: token, hash: hash) { return known }
        let value = compute()
        remember(token, hash: hash, value: value)
        return value
    }

    /// The remembered value of `token` (whose ``hash(_:)`` is `hash`), or nil. With
    /// ``remember(_:hash:value:)``, for callers whose computation changes state of their own
    /// that holds the memo.
    @inline(__always)
    func value(for token: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let occupant = Int(slots[slot])
            if occupant == 0 { return nil }
            let entry = occupant - 1
            if entryHash[entry] == hash && matches(entry, token) { return entryValue[entry] }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers `value` for `token`, not remembered yet.
    mutating func remember(_ token: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        guard capacity > 0 else { return }
        if count >= capacity { removeAll() }
        insert(token, hash: hash, value: value)
    }

    private func matches(_ entry: Int, _ token: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(entryStart[entry])
        let end = entry + 1 < entryStart.count ? Int(entryStart[entry + 1]) : arena.count
        guard end - start == token.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            token.count == 0 || memcmp(stored.baseAddress! + start, token.baseAddress!, token.count) == 0
        }
    }

    private mutating func insert(_ token: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        // At most half full, so probes stay short.
        if (count + 1) * 2 > slots.count { grow() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        entryHash.append(hash)
        entryStart.append(Int32(arena.count))
        entryValue.append(value)
        arena.append(contentsOf: token)
        slots[slot] = Int32(count)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for (entry, hash) in entryHash.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry + 1)
        }
    }

    private mutating func removeAll() {
        for index in slots.indices { slots[index] = 0 }
        entryHash.removeAll(keepingCapacity: true)
        entryStart.removeAll(keepingCapacity: true)
        entryValue.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    /// A multiply-xorshift hash over the bytes eight at a time (a byte at a time cost a tenth of
    /// building the n-gram index of a large model), with a finish that mixes every byte into
    /// the low bits (the slot). Not stored anywhere, so it may differ between machines.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 31
                index += 8
            }
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }
}

/// Gives each distinct word of an analyzer's output an integer id, remembering what each
/// token became (``TokenIDMemo``), so that counting and n-gram keys work on ids.
struct WordIDMemo {
    private var wordIDs = StringIDs()
    /// Each id's word.
    var words: [String] { wordIDs.strings }
    /// Token bytes to word id (-1: the token is dropped).
    private var tokens = TokenIDMemo(capacity: .max)
    private var numberID: Int32 = -1

    /// How many words and tokens are remembered.
    var count: Int { words.count + tokens.count }

    /// Appends to `ids` the word id of each token of `text` that `analyzer` keeps, in order:
    /// the words of ``TextAnalyzer/words(_:)``.
    mutating func appendWords(of text: String, analyzer: TextAnalyzer, to ids: inout [Int32]) {
        analyzer.forEachTokenBytes(text) { token, kind in
            let word: Int32
            if kind == .number {
                // Numbers all become one word (or none): not worth a memo entry each.
                guard analyzer.keepsNumbers else { return }
                if numberID < 0 { numberID = wordIDs.id(of: TextAnalyzer.numberTerm) }
                word = numberID
            } else {
                let hash = TokenIDMemo.hash(token)
                if let known = tokens.value(for: token, hash: hash) {
                    word = known
                } else {
                    word = analyzer.word(forToken: String(decoding: token, as: UTF8.self), kind: kind).map { wordIDs.id(of: $0) } ?? -1
                    tokens.remember(token, hash: hash, value: word)
                }
            }
            if word >= 0 { ids.append(word) }
        }
    }
}
