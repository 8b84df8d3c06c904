/// ``PhraseGroups`` compiled for matching a stream of tokens: a trie over the phrases' words
/// (by integer id), with a wildcard edge per node for `*`. Matching keeps the set of trie nodes
/// reached by the phrases in progress; each token advances them all and starts a new one at
/// the root, so overlapping phrases are all found and the work per token is a hash of its
/// bytes plus one step per phrase in progress (usually none).
///
/// A class, built once per model and never changed: the analyzer that holds it is copied into
/// every closure of the text pipeline, and one reference costs one retain where the trie's
/// arrays would cost one each.
final class PhraseMatcher: Sendable {
    /// The phrases' words (token bytes) to word ids.
    private let wordIDs: TokenIDMemo
    /// The child of a node along a word: key `node << 32 | word`.
    private let children: [UInt64: Int32]
    /// Per node: its child along `*`, or -1.
    private let wildcardChild: [Int32]
    /// Per node: the groups (indices) with a phrase ending there.
    private let endingGroups: [[Int32]]
    /// Per group: its term's UTF-8 bytes.
    let markers: [[UInt8]]

    /// Where a token stream stands: the nodes reached by the phrases in progress, and where the
    /// previous token ended (a byte offset into the normalised text).
    struct State {
        fileprivate var active: [Int32] = []
        fileprivate var next: [Int32] = []
        fileprivate(set) var ending: [Int32] = []
        fileprivate var previousEnd = -1
    }

    init(groups: [PhraseGroups.Group]) {
        var wordIDs = TokenIDMemo(capacity: .max)
        var children: [UInt64: Int32] = [:]
        var wildcardChild: [Int32] = [-1]
        var endingGroups: [[Int32]] = [[]]
        func newNode() -> Int32 {
            wildcardChild.append(-1)
            endingGroups.append([])
            return Int32(wildcardChild.count - 1)
        }
        func step(from node: Int32, word: String) -> Int32 {
            if word == "*" {
                if wildcardChild[Int(node)] < 0 { wildcardChild[Int(node)] = newNode() }
                return wildcardChild[Int(node)]
            }
            var bytes = Array(word.utf8)
            let id: Int32 = bytes.withUnsafeMutableBufferPointer { mutable in
                let token = UnsafeBufferPointer(mutable)
                let hash = TokenIDMemo.hash(token)
                if let known = wordIDs.value(for: token, hash: hash) { return known }
                let id = Int32(wordIDs.count)
                wordIDs.remember(token, hash: hash, value: id)
                return id
            }
            let key = UInt64(UInt32(node)) << 32 | UInt64(UInt32(id))
            if let known = children[key] { return known }
            let child = newNode()
            children[key] = child
            return child
        }
        for (group, entry) in groups.enumerated() {
            for phrase in entry.phrases {
                let node = phrase.reduce(Int32(0)) { step(from: $0, word: $1) }
                if !endingGroups[Int(node)].contains(Int32(group)) { endingGroups[Int(node)].append(Int32(group)) }
            }
        }
        self.wordIDs = wordIDs
        self.children = children
        self.wildcardChild = wildcardChild
        self.endingGroups = endingGroups
        markers = groups.map { Array($0.term.utf8) }
    }

    /// The word id of a token (without a possessive "'s"), or -1 when no phrase holds it.
    @inline(__always)
    private func wordID(_ token: UnsafeBufferPointer<UInt8>) -> Int32 {
        var token = token
        if token.count > 2 && token[token.count - 2] == UInt8(ascii: "'") && token[token.count - 1] == UInt8(ascii: "s") {
            token = UnsafeBufferPointer(rebasing: token[..<(token.count - 2)])
        }
        return wordIDs.value(for: token, hash: TokenIDMemo.hash(token)) ?? -1
    }

    /// Calls `body` with each token of `text` (normalised bytes) in order and, after a token
    /// that ends phrases, with the term of each group they belong to (group order, once each).
    ///
    /// The tokens are collected first and then walked in a plain loop: calling `body` from
    /// inside the tokenizer's own callback made every token pay for copying the caller's
    /// captured state (a profile of `lapis classify` showed retain/release doubling its time).
    @inline(__always)
    func forEachToken(in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        var spans: [(start: Int, end: Int, kind: TokenKind)] = []
        spans.reserveCapacity(text.count / 5)
        let base = text.baseAddress
        Tokenizer().forEachTokenBytes(in: text) { token, kind in
            let start = base!.distance(to: token.baseAddress!)
            spans.append((start, start + token.count, kind))
        }
        var state = State()
        for span in spans {
            body(UnsafeBufferPointer(rebasing: text[span.start..<span.end]), span.kind)
            advance(&state, text: text, range: span.start..<span.end)
            for group in state.ending {
                markers[Int(group)].withUnsafeBufferPointer { body($0, .word) }
            }
        }
    }

    /// Advances `state` past the token at `range` of `text` (the normalised text's bytes) and
    /// leaves in `state.ending` the groups (sorted, once each) a phrase of which ends at it.
    @inline(__always)
    func advance(_ state: inout State, text: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        state.ending.removeAll(keepingCapacity: true)
        // Anything but spaces since the previous token (punctuation, a line break) ends every
        // phrase in progress.
        if !state.active.isEmpty {
            for offset in max(state.previousEnd, 0)..<range.lowerBound where text[offset] != UInt8(ascii: " ") && text[offset] != UInt8(ascii: "\t") {
                state.active.removeAll(keepingCapacity: true)
                break
            }
        }
        state.previousEnd = range.upperBound
        let word = wordID(UnsafeBufferPointer(rebasing: text[range]))
        if word < 0 && state.active.isEmpty { return }
        state.next.removeAll(keepingCapacity: true)
        if word >= 0, let child = children[UInt64(UInt32(word))] { state.next.append(child) }
        for node in state.active {
            if word >= 0, let child = children[UInt64(UInt32(node)) << 32 | UInt64(UInt32(word))] { state.next.append(child) }
            let wildcard = wildcardChild[Int(node)]
            if wildcard >= 0 { state.next.append(wildcard) }
        }
        if state.next.count > 1 {
            state.next.sort()
            state.next = state.next.uniqued()
        }
        for node in state.next { state.ending.append(contentsOf: endingGroups[Int(node)]) }
        if state.ending.count > 1 {
            state.ending.sort()
            state.ending = state.ending.uniqued()
        }
        swap(&state.active, &state.next)
    }
}

private extension Array where Element == Int32 {
    /// The sorted array without repeats.
    func uniqued() -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count)
        for value in self where result.last != value { result.append(value) }
        return result
    }
}
