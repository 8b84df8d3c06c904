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
    /// Document `d`'s distinct terms and their counts are `termIDs` and `counts` at
    /// `documentStarts[d] ..< documentStarts[d + 1]`.
    var documentStarts: [Int] = [0]
    var termIDs: [Int32] = []
    var counts: [Int32] = []

    var documentCount: Int { documentStarts.count - 1 }

    /// Counts the terms of `texts` as `analyzer` makes them.
    init<C: Collection>(_ texts: C, analyzer: TextAnalyzer) where C.Element == String {
        var builder = Builder(analyzer: analyzer)
        for text in texts { builder.add(text, to: &self) }
        terms = builder.termIDs.strings
    }

    private struct Builder {
        let analyzer: TextAnalyzer
        var termIDs = StringIDs()
        /// Not capped: every word it holds is also a term, which fitting keeps anyway.
        var wordMemo = WordIDMemo()
        /// Each word id's term id (-1: not given one yet).
        var termOfWord: [Int32] = []
        var grams = WordIDGrams()
        var words: [Int32] = []
        var countByID: [Int32] = []
        var touched: [Int32] = []

        init(analyzer: TextAnalyzer) {
            self.analyzer = analyzer
        }

        /// The id of `term`, new ones numbered as met (so every id occurs in some document).
        mutating func id(of term: String) -> Int32 {
            let id = termIDs.id(of: term)
            if Int(id) == countByID.count { countByID.append(0) }
            return id
        }

        mutating func add(_ text: String, to counts: inout TermCounts) {
            words.removeAll(keepingCapacity: true)
            wordMemo.appendWords(of: text, analyzer: analyzer, to: &words)
            // Moved out while it runs, so that computing a new n-gram's id can change self.
            var grams = self.grams
            self.grams = WordIDGrams()
            grams.forEach(words, range: analyzer.ngramRange, unigram: { termOfWord($0) },
                          compute: { id(of: $0.map { wordMemo.words[Int($0)] }.joined(separator: " ")) }) { count($0) }
            self.grams = grams
            for id in touched {
                counts.termIDs.append(id)
                counts.counts.append(countByID[Int(id)])
                countByID[Int(id)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            counts.documentStarts.append(counts.termIDs.count)
        }

        mutating func termOfWord(_ word: Int32) -> Int32 {
            while termOfWord.count <= Int(word) { termOfWord.append(-1) }
            if termOfWord[Int(word)] < 0 { termOfWord[Int(word)] = id(of: wordMemo.words[Int(word)]) }
            return termOfWord[Int(word)]
        }

        @inline(__always)
        mutating func count(_ id: Int32) {
            if countByID[Int(id)] == 0 { touched.append(id) }
            countByID[Int(id)] += 1
        }
    }
}
