/// How a ``TfidfVectorizer`` is fitted: the estimator. ``fit(_:)`` learns the vocabulary and
/// idf from texts and returns the fitted vectorizer, which transforms.
///
/// ```swift
/// let vectorizer = TfidfOptions(analyzer: TextAnalyzer(ngramRange: 1...2)).fit(texts)
/// let features = vectorizer.transform(moreTexts)
/// ```
public struct TfidfOptions: Sendable, Equatable {
    /// The text pipeline that produces terms.
    public var analyzer: TextAnalyzer
    /// How the vocabulary is chosen.
    public var vocabulary: VocabularyOptions
    /// Sublinear term frequency (1 + ln count).
    public var sublinearTF: Bool

    /// Creates the estimator; the defaults are the topic classifier's.
    public init(analyzer: TextAnalyzer = TextAnalyzer(), vocabulary: VocabularyOptions = VocabularyOptions(), sublinearTF: Bool = true) {
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.sublinearTF = sublinearTF
    }

    /// Learns the vocabulary and idf from `texts`.
    public func fit(_ texts: [String]) -> TfidfVectorizer {
        fitTransform(texts).0
    }

    /// Learns the vocabulary and idf from `texts` and returns the fitted vectorizer with the
    /// TF-IDF matrix of those same texts (one row per text).
    ///
    /// - Complexity: O(total terms) plus sorting the vocabulary.
    public func fitTransform(_ texts: [String]) -> (TfidfVectorizer, SparseMatrix) {
        fitTransform(texts) { $0 }
    }

    /// ``fitTransform(_:)`` on the texts `text` makes of `items`, each made when its chunk is
    /// counted and dropped after: a trainer whose texts are built from its documents (a title
    /// prepended) never holds a second copy of all the stories' text. The items are consumed:
    /// once counted they are let go (and their freed memory handed back to the system), so
    /// a caller that passed its last reference no longer holds them while the matrix is built.
    func fitTransform<Item: Sendable>(_ items: consuming [Item], text: @escaping @Sendable (Item) -> String) -> (TfidfVectorizer, SparseMatrix) {
        let options = vocabulary
        let documentCount = items.count
        // Each chunk counts into ids of its own (one chunk per thread); the chunks' terms are
        // then merged into global ids by string, once per distinct term of each chunk.
        let runs: [TermCounts] = Parallel.mapChunks(items, minimumChunk: 16) { chunk in [TermCounts(chunk.lazy.map(text), analyzer: analyzer)] }
        _ = consume items
        Memory.returnFreedPages()
        var globalID: [String: Int32] = [:]
        var globalTerms: [String] = []
        let globalOfLocal: [[Int32]] = runs.map { run in
            run.terms.map { term in
                if let known = globalID[term] { return known }
                let id = Int32(globalTerms.count)
                globalTerms.append(term)
                globalID[term] = id
                return id
            }
        }
        var documentFrequency = [Int](repeating: 0, count: globalTerms.count)
        var totalFrequency = [Int](repeating: 0, count: globalTerms.count)
        for (run, globals) in zip(runs, globalOfLocal) {
            for (local, count) in zip(run.termIDs, run.counts) {
                let id = Int(globals[Int(local)])
                documentFrequency[id] += 1
                totalFrequency[id] += Int(count)
            }
        }
        let maxDocuments = options.maxDocumentFraction >= 1 ? Int.max
            : Int((options.maxDocumentFraction * Double(documentCount)).rounded(.down))
        var kept = globalTerms.indices.filter { documentFrequency[$0] >= options.minDocumentCount && documentFrequency[$0] <= maxDocuments }
        if let maxTerms = options.maxTerms, kept.count > maxTerms {
            kept.sort {
                let (a, b) = (totalFrequency[$0], totalFrequency[$1])
                return a != b ? a > b : globalTerms[$0].utf8.lexicographicallyPrecedes(globalTerms[$1].utf8)
            }
            kept = Array(kept.prefix(maxTerms))
        }
        let learnt = Vocabulary(kept.map { globalTerms[$0] })
        var columnOfGlobal = [Int32](repeating: -1, count: globalTerms.count)
        var columnFrequency = [Int](repeating: 0, count: learnt.count)
        for id in kept {
            let column = learnt.index(of: globalTerms[id])!
            columnOfGlobal[id] = Int32(column)
            columnFrequency[column] = documentFrequency[id]
        }
        let idf = columnFrequency.map { TfidfWeighting.smoothedIDF(documentCount: documentCount, documentFrequency: $0) }
        let vectorizer = TfidfVectorizer(analyzer: analyzer, vocabulary: learnt, idf: idf, sublinearTF: sublinearTF)
        let columnOfLocal = globalOfLocal.map { globals in globals.map { columnOfGlobal[Int($0)] } }
        return (vectorizer, weightedMatrix(runs, columnOfLocal: columnOfLocal, vectorizer: vectorizer))
    }

    /// The TF-IDF rows of `runs`' documents, in order, written straight into the matrix's
    /// arrays: each row's length is counted first, so no row is held on its own and no array
    /// grows by copying.
    ///
    /// - Complexity: O(counted entries), on all cores, one run each.
    private func weightedMatrix(_ runs: [TermCounts], columnOfLocal: [[Int32]], vectorizer: TfidfVectorizer) -> SparseMatrix {
        let rowLengths: [[Int]] = Parallel.map(Array(runs.indices), minimumChunk: 1) { index in
            let (run, columns) = (runs[index], columnOfLocal[index])
            return (0..<run.documentCount).map { document in
                (run.documentStarts[document]..<run.documentStarts[document + 1]).count { columns[Int(run.termIDs[$0])] >= 0 }
            }
        }
        let rowStarts: [Int] = {
            var starts = [0]
            starts.reserveCapacity(runs.reduce(1) { $0 + $1.documentCount })
            for lengths in rowLengths {
                for length in lengths { starts.append(starts[starts.count - 1] + length) }
            }
            return starts
        }()
        // The row each run's first document becomes.
        let firstRows = runs.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.documentCount) }
        let entryCount = rowStarts[rowStarts.count - 1]
        var columnIndices = [Int32](repeating: 0, count: entryCount)
        var values = [Float](repeating: 0, count: entryCount)
        columnIndices.withUnsafeMutableBufferPointer { columnBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                // Each run writes only its own rows' entries: disjoint ranges of both arrays.
                let (columnsOut, valuesOut) = (UncheckedSendable(columnBuffer), UncheckedSendable(valueBuffer))
                Parallel.forEach(runs.count) { index in
                    let (run, columns) = (runs[index], columnOfLocal[index])
                    var columnCounts: [(Int32, Int32)] = []
                    for document in 0..<run.documentCount {
                        columnCounts.removeAll(keepingCapacity: true)
                        for entry in run.documentStarts[document]..<run.documentStarts[document + 1] {
                            let column = columns[Int(run.termIDs[entry])]
                            if column >= 0 { columnCounts.append((column, run.counts[entry])) }
                        }
                        var offset = rowStarts[firstRows[index] + document]
                        for (column, value) in vectorizer.weightedRow(columnCounts) {
                            columnsOut.value[offset] = column
                            valuesOut.value[offset] = value
                            offset += 1
                        }
                        assert(offset == rowStarts[firstRows[index] + document + 1], "a row's counted length")
                    }
                }
            }
        }
        let matrix = SparseMatrix(columnCount: vectorizer.vocabulary.count, rowStarts: rowStarts, columnIndices: columnIndices, values: values)
        matrix.checkInvariants()
        return matrix
    }

}
