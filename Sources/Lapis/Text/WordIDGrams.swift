/// The n-grams (n = 1 to 3) of a story's words given as integer ids, each mapped once to a
/// value of the caller's (a term id when fitting, a column when transforming) and then looked
/// up by its ids: no n-gram string is built or hashed for an n-gram met before.
struct WordIDGrams {
    private struct Trigram: Hashable { let first: Int32, second: Int32, third: Int32 }
    private var bigrams: [UInt64: Int32] = [:]
    private var trigrams: [Trigram: Int32] = [:]

    /// How many n-grams (n ≥ 2) have a remembered value.
    var count: Int { bigrams.count + trigrams.count }

    /// Calls `body` with the value of every n-gram of `words` for each n in `range`, in the
    /// order of ``NGrams/forEach(_:range:_:)`` (unigrams first). A word's value is
    /// `unigram(word)`; a longer n-gram's is `compute(its words)` the first time it is met.
    mutating func forEach(_ words: [Int32], range: ClosedRange<Int>, unigram: (Int32) -> Int32,
                          compute: (ArraySlice<Int32>) -> Int32, _ body: (Int32) -> Void) {
        let lower = max(1, range.lowerBound)
        guard lower <= range.upperBound else { return }
        for n in lower...range.upperBound where n <= words.count {
            switch n {
            case 1:
                for word in words { body(unigram(word)) }
            case 2:
                for start in 0...(words.count - 2) {
                    let key = UInt64(UInt32(bitPattern: words[start])) << 32 | UInt64(UInt32(bitPattern: words[start + 1]))
                    if let known = bigrams[key] { body(known); continue }
                    let value = compute(words[start...start + 1])
                    bigrams[key] = value
                    body(value)
                }
            default:
                precondition(n == 3, "n-grams longer than 3 are not supported")
                for start in 0...(words.count - 3) {
                    let key = Trigram(first: words[start], second: words[start + 1], third: words[start + 2])
                    if let known = trigrams[key] { body(known); continue }
                    let value = compute(words[start...start + 2])
                    trigrams[key] = value
                    body(value)
                }
            }
        }
    }
}
