/// The term counts of a run of documents, as integer ids: what fitting a vectorizer counts.
///
/// Counting into `[String: Int32]` per document hashed every term's String once per
/// occurrence and again when merging document frequencies, which was most of fitting's time.
/// Here a token's bytes map to a word id through a ``TokenIDMemo``, n-grams are keyed by
/// their words' ids, and a term's String is built once per distinct term of the run.
/// Ids are local to the run: ``TfidfOptions`` merges runs by their term strings, so the
/// result does not depend on how the documents were split among threads.
struct TermCounts: Sendable {
    /// Each local id's term.
    var terms: [String] = []
    /// Document `d`'s distinct terms and counts are `entries[documentStarts[d] ..< documentStarts[d + 1]]`.
    var documentStarts: [Int] = [0]
    var termIDs: [Int32] = []
    var counts: [Int32] = []

    var documentCount: Int { documentStarts.count - 1 }

    /// Counts the terms of `texts` as `analyzer` makes them.
    init<C: Collection>(_ texts: C, analyzer: TextAnalyzer) where C.Element == String {
        var builder = Builder(analyzer: analyzer)
        for text in texts { builder.add(text, to: &self) }
        terms = builder.terms
    }

    private struct Bigram: Hashable { let first: Int32, second: Int32 }
    private struct Trigram: Hashable { let first: Int32, second: Int32, third: Int32 }

    private struct Builder {
        let analyzer: TextAnalyzer
        var terms: [String] = []
        var idByTerm: [String: Int32] = [:]
        /// Token bytes to word id (-1: the token is dropped). Not capped: every word it holds
        /// is also in `terms`, which fitting keeps anyway.
        var memo = TokenIDMemo(capacity: .max)
        var bigrams: [Bigram: Int32] = [:]
        var trigrams: [Trigram: Int32] = [:]
        var numberID: Int32 = -1
        var words: [Int32] = []
        var countByID: [Int32] = []
        var touched: [Int32] = []

        init(analyzer: TextAnalyzer) {
            self.analyzer = analyzer
        }

        /// The id of `term`, new ones numbered as met (so every id occurs in some document).
        mutating func id(of term: String) -> Int32 {
            if let known = idByTerm[term] { return known }
            let id = Int32(terms.count)
            terms.append(term)
            idByTerm[term] = id
            countByID.append(0)
            return id
        }

        mutating func add(_ text: String, to counts: inout TermCounts) {
            words.removeAll(keepingCapacity: true)
            analyzer.forEachTokenBytes(text) { token, kind in
                let word: Int32
                if kind == .number {
                    // Numbers all become one term (or none): not worth a memo entry each.
                    guard analyzer.keepsNumbers else { return }
                    if numberID < 0 { numberID = id(of: TextAnalyzer.numberTerm) }
                    word = numberID
                } else {
                    let hash = TokenIDMemo.hash(token)
                    if let known = memo.value(for: token, hash: hash) {
                        word = known
                    } else {
                        word = analyzer.word(forToken: String(decoding: token, as: UTF8.self), kind: kind).map { id(of: $0) } ?? -1
                        memo.remember(token, hash: hash, value: word)
                    }
                }
                if word >= 0 { words.append(word) }
            }
            // The terms of NGrams.forEach, unigrams first, as ids.
            let lower = max(1, analyzer.ngramRange.lowerBound), upper = analyzer.ngramRange.upperBound
            for n in lower..<max(lower, upper + 1) where n <= words.count {
                switch n {
                case 1:
                    for index in words.indices { count(words[index]) }
                case 2:
                    for start in 0...(words.count - 2) {
                        let key = Bigram(first: words[start], second: words[start + 1])
                        if let known = bigrams[key] { count(known); continue }
                        let id = id(of: joined([key.first, key.second]))
                        bigrams[key] = id
                        count(id)
                    }
                default:
                    precondition(n == 3, "n-grams longer than 3 are not supported")
                    for start in 0...(words.count - 3) {
                        let key = Trigram(first: words[start], second: words[start + 1], third: words[start + 2])
                        if let known = trigrams[key] { count(known); continue }
                        let id = id(of: joined([key.first, key.second, key.third]))
                        trigrams[key] = id
                        count(id)
                    }
                }
            }
            for id in touched {
                counts.termIDs.append(id)
                counts.counts.append(countByID[Int(id)])
                countByID[Int(id)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            counts.documentStarts.append(counts.termIDs.count)
        }

        @inline(__always)
        mutating func count(_ id: Int32) {
            if countByID[Int(id)] == 0 { touched.append(id) }
            countByID[Int(id)] += 1
        }

        /// An n-gram's words joined by spaces, as NGrams writes it.
        func joined(_ words: [Int32]) -> String {
            words.map { terms[Int($0)] }.joined(separator: " ")
        }
    }
}
