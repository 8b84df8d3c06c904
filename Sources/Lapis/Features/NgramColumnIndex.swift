/// The columns of a vocabulary's n-gram terms, looked up by word ids instead of by strings.
///
/// Every distinct word of the vocabulary's terms gets an id; a unigram's column is then one
/// array read, and a bigram's or trigram's one probe of an open-addressing table keyed by its
/// word ids. Transforming a story with n-grams so builds no n-gram string and hashes no
/// string but each distinct token's once (``TokenIDMemo`` remembers the rest). Before, each
/// n-gram met for the first time was joined into a string and looked up in the vocabulary,
/// and on a stream most bigrams are met for the first time.
///
/// Built once per vectorizer, from the vocabulary alone, so it holds nothing a story adds and
/// its memory is bounded by the model's.
///
/// - Complexity: building is O(*t*) for *t* terms; every lookup O(1) expected.
struct NgramColumnIndex: Sendable {
    /// A word that is kept by the analyzer but appears in no vocabulary term.
    static let unknownWord: Int32 = -1

    /// Each word's id, by its UTF-8 bytes (no String is built while the index is built).
    private let idByWord: TokenIDMemo
    /// Each word id's column as a unigram (-1: the word alone is not a term).
    private let unigramColumns: [Int32]
    /// Per slot: 0 when empty, else the entry's index + 1.
    private let slots: [Int32]
    private let mask: Int
    /// Three word ids per entry (the third -1 for a bigram).
    private let keys: [Int32]
    private let columns: [Int32]

    init(vocabulary: Vocabulary) {
        // Room for every term's words: terms are mostly words or share them.
        var idByWord = TokenIDMemo(capacity: .max, expected: vocabulary.count)
        var unigramColumns: [Int32] = []
        unigramColumns.reserveCapacity(vocabulary.count)
        var keys: [Int32] = []
        keys.reserveCapacity(3 * vocabulary.count)
        var columns: [Int32] = []
        columns.reserveCapacity(vocabulary.count)
        // Terms are in byte order, so the n-grams that start with a word follow one another
        // (and follow the word itself): the first word's id is found once for the run.
        var previousFirst: [UInt8] = []
        var previousFirstID: Int32 = -1
        for (column, term) in vocabulary.terms.enumerated() {
            var term = term
            term.withUTF8 { bytes in
                // The ids of the term's space-separated words (at most 3 are kept; more means
                // a term no analyzer produces, n ≤ 3, which no story can match).
                var ids: (Int32, Int32, Int32) = (-1, -1, -1)
                var count = 0
                var start = 0
                for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: " ") {
                    let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    let id: Int32
                    if count == 0 && previousFirstID >= 0 && word.elementsEqual(previousFirst) {
                        id = previousFirstID
                    } else {
                        id = idByWord.value(for: word) {
                            unigramColumns.append(-1)
                            return Int32(unigramColumns.count - 1)
                        }
                        if count == 0 {
                            previousFirst = Array(word)
                            previousFirstID = id
                        }
                    }
                    switch count {
                    case 0: ids.0 = id
                    case 1: ids.1 = id
                    case 2: ids.2 = id
                    default: break
                    }
                    count += 1
                    start = end + 1
                }
                switch count {
                case 1:
                    unigramColumns[Int(ids.0)] = Int32(column)
                case 2, 3:
                    keys.append(ids.0)
                    keys.append(ids.1)
                    keys.append(ids.2)
                    columns.append(Int32(column))
                default:
                    break
                }
            }
        }
        var capacity = 16
        while capacity < 2 * columns.count { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        for entry in columns.indices {
            var slot = Int(truncatingIfNeeded: Self.hash(keys[3 * entry], keys[3 * entry + 1], keys[3 * entry + 2])) & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(entry + 1)
        }
        self.idByWord = idByWord
        self.unigramColumns = unigramColumns
        self.slots = slots
        self.mask = capacity - 1
        self.keys = keys
        self.columns = columns
    }

    /// The id of `word`, or ``unknownWord`` when no term holds it.
    func id(of word: String) -> Int32 {
        var word = word
        return word.withUTF8 { bytes in idByWord.value(for: bytes, hash: TokenIDMemo.hash(bytes)) } ?? Self.unknownWord
    }

    /// The column of word `word` alone (-1: none).
    @inline(__always)
    func column(of word: Int32) -> Int32 {
        word >= 0 ? unigramColumns[Int(word)] : -1
    }

    /// The column of the bigram (`first`, `second`), or of the trigram when `third` ≥ 0
    /// (-1: none, also when a word is unknown).
    @inline(__always)
    func column(_ first: Int32, _ second: Int32, _ third: Int32 = -1) -> Int32 {
        if first < 0 || second < 0 { return -1 }
        var slot = Int(truncatingIfNeeded: Self.hash(first, second, third)) & mask
        while true {
            let occupant = Int(slots[slot])
            if occupant == 0 { return -1 }
            let base = 3 * (occupant - 1)
            if keys[base] == first && keys[base + 1] == second && keys[base + 2] == third { return columns[occupant - 1] }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with the column of every n-gram of `words` (ids from ``id(of:)``) for
    /// each n in `range` that the vocabulary holds.
    @inline(__always)
    func forEachColumn(_ words: UnsafeBufferPointer<Int32>, range: ClosedRange<Int>, _ body: (Int32) -> Void) {
        let count = words.count
        if range.contains(1) {
            for word in words {
                let column = column(of: word)
                if column >= 0 { body(column) }
            }
        }
        if range.contains(2), count >= 2 {
            for start in 0..<(count - 1) {
                let column = column(words[start], words[start + 1])
                if column >= 0 { body(column) }
            }
        }
        if range.contains(3), count >= 3 {
            for start in 0..<(count - 2) {
                // A trigram's third id is never below -1 here: unknown words are -1 and make
                // the key absent, as an unknown word must.
                guard words[start + 2] >= 0 else { continue }
                let column = column(words[start], words[start + 1], words[start + 2])
                if column >= 0 { body(column) }
            }
        }
    }

    /// A multiply-xorshift mix of the three ids.
    @inline(__always)
    private static func hash(_ first: Int32, _ second: Int32, _ third: Int32) -> UInt64 {
        var hash = UInt64(UInt32(bitPattern: first)) &* 0x9E37_79B9_7F4A_7C15
        hash ^= UInt64(UInt32(bitPattern: second)) &* 0xC2B2_AE3D_27D4_EB4F
        hash ^= UInt64(UInt32(bitPattern: third)) &* 0x1656_67B1_9E37_79F9
        hash ^= hash >> 31
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 29)
    }
}
