/// Word n-grams: contiguous runs of `n` terms joined by a single space.
public enum NGrams {
    /// All n-grams of `terms` for each `n` in `range`, unigrams first.
    ///
    /// ```swift
    /// NGrams.make(["trade", "deal", "sign"], range: 1...2)
    /// // ["trade", "deal", "sign", "trade deal", "deal sign"]
    /// ```
    public static func make(_ terms: [String], range: ClosedRange<Int>) -> [String] {
        var result: [String] = []
        forEach(terms, range: range) { result.append($0) }
        return result
    }

    /// Calls `body` with each n-gram of `terms` for each `n` in `range`, unigrams first.
    public static func forEach(_ terms: [String], range: ClosedRange<Int>, _ body: (String) -> Void) {
        let lower = max(1, range.lowerBound)
        guard lower <= range.upperBound else { return }
        for n in lower...range.upperBound where n <= terms.count {
            if n == 1 {
                terms.forEach(body)
                continue
            }
            for start in 0...(terms.count - n) {
                var gram = terms[start]
                for offset in 1..<n {
                    gram += " "
                    gram += terms[start + offset]
                }
                body(gram)
            }
        }
    }
}
