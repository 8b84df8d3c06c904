/// The term counts of documents that arrive in batches, for fitting a ``TfidfVectorizer``
/// without holding every document at once: each batch is counted on all cores, its terms are
/// merged into one set of ids, and the batch itself can then be let go.
///
/// The result does not depend on how the documents were cut into batches: term ids follow
/// first appearance in document order whatever the cuts, and the vocabulary is sorted, so
/// ``fitTransform()`` gives the vectorizer and matrix of ``TfidfOptions/fitTransform(_:)`` on
/// all the texts in order, to the last bit.
struct TermCountBatches {
    let options: TfidfOptions
    /// Every term met so far, numbered by first appearance.
    private var termIDs = StringIDs()
    /// Each counted chunk of documents, in order, its term ids rewritten to ``termIDs``' ids (its
    /// own list of terms dropped, so a term's text is held once however many batches hold it).
    private var chunks: [TermCounts] = []
    /// The documents counted so far.
    private(set) var documentCount = 0

    init(options: TfidfOptions) {
        self.options = options
    }

    /// Counts the texts `text` makes of `items`, each made when its chunk is counted. The items
    /// are consumed: a caller that passed its last reference has them freed on return.
    ///
    /// - Complexity: O(terms in the texts), on all cores; merging is O(distinct terms per chunk).
    mutating func add<Item: Sendable>(_ items: consuming [Item], text: @escaping @Sendable (Item) -> String) {
        let analyzer = options.analyzer
        // One chunk per thread, each counting into ids of its own; merged below by string, once
        // per distinct term of each chunk.
        let counted: [TermCounts] = Parallel.mapChunks(items, minimumChunk: 16) { chunk in [TermCounts(chunk.lazy.map(text), analyzer: analyzer)] }
        _ = consume items
        for var chunk in counted {
            let globalOfLocal = chunk.terms.map { termIDs.id(of: $0) }
            chunk.termIDs.withUnsafeMutableBufferPointer { ids in
                for entry in ids.indices { ids[entry] = globalOfLocal[Int(ids[entry])] }
            }
            chunk.terms = []
            documentCount += chunk.documentCount
            chunks.append(chunk)
        }
    }

    /// Learns the vocabulary and idf from every document added, and returns the fitted
    /// vectorizer with their TF-IDF matrix (one row per document, in the order added). The
    /// memory freed by the batches is handed back to the system first, and the counts are let
    /// go once the matrix is built (this leaves nothing counted: the matrix is all that
    /// remains of them).
    ///
    /// - Complexity: O(counted entries) plus sorting the vocabulary.
    mutating func fitTransform() -> (TfidfVectorizer, SparseMatrix) {
        Memory.returnFreedPages()
        let vocabularyOptions = options.vocabulary
        let terms = termIDs.strings
        var documentFrequency = [Int](repeating: 0, count: terms.count)
        var totalFrequency = [Int](repeating: 0, count: terms.count)
        for chunk in chunks {
            for (id, count) in zip(chunk.termIDs, chunk.counts) {
                documentFrequency[Int(id)] += 1
                totalFrequency[Int(id)] += Int(count)
            }
        }
        let maxDocuments = vocabularyOptions.maxDocumentFraction >= 1 ? Int.max
            : Int((vocabularyOptions.maxDocumentFraction * Double(documentCount)).rounded(.down))
        var kept = terms.indices.filter { documentFrequency[$0] >= vocabularyOptions.minDocumentCount && documentFrequency[$0] <= maxDocuments }
        if let maxTerms = vocabularyOptions.maxTerms, kept.count > maxTerms {
            kept.sort {
                let (a, b) = (totalFrequency[$0], totalFrequency[$1])
                return a != b ? a > b : terms[$0].utf8.lexicographicallyPrecedes(terms[$1].utf8)
            }
            kept = Array(kept.prefix(maxTerms))
        }
        let learnt = Vocabulary(kept.map { terms[$0] })
        var columnOfTerm = [Int32](repeating: -1, count: terms.count)
        var columnFrequency = [Int](repeating: 0, count: learnt.count)
        for id in kept {
            let column = learnt.index(of: terms[id])!
            columnOfTerm[id] = Int32(column)
            columnFrequency[column] = documentFrequency[id]
        }
        termIDs = StringIDs()
        let idf = columnFrequency.map { TfidfWeighting.smoothedIDF(documentCount: documentCount, documentFrequency: $0) }
        let vectorizer = TfidfVectorizer(analyzer: options.analyzer, vocabulary: learnt, idf: idf, sublinearTF: options.sublinearTF)
        let matrix = weightedMatrix(columnOfTerm: columnOfTerm, vectorizer: vectorizer)
        documentCount = 0
        // glibc keeps freed blocks this large in the heap once larger ones have been freed
        // (its mmap threshold rises): without this the counts stayed resident through the fits.
        Memory.returnFreedPages()
        return (vectorizer, matrix)
    }

    /// The TF-IDF rows of the counted documents, in order, written straight into the matrix's
    /// arrays: each row's length is counted first, so no row is held on its own and no array
    /// grows by copying. `columnOfTerm` is each term id's column, or -1 when not kept. The
    /// counted chunks are let go as their rows are written (``chunks`` is empty on return).
    ///
    /// Why let go as it goes: the counts are about the matrix's size, and held whole beside
    /// the finished matrix they made the peak of reading (457 MiB at 64× Reuters, where the
    /// matrix is 185). The matrix's arrays are not zero-filled first either, so their pages
    /// become resident only as rows are written and the counts' pages go back as they do.
    ///
    /// - Complexity: O(counted entries), on all cores, a counted chunk at a time each.
    private mutating func weightedMatrix(columnOfTerm columns: [Int32], vectorizer: TfidfVectorizer) -> SparseMatrix {
        let rowLengths: [[Int]] = Parallel.map(Array(chunks.indices), minimumChunk: 1) { [chunks] index in
            let run = chunks[index]
            return (0..<run.documentCount).map { document in
                (run.documentStarts[document]..<run.documentStarts[document + 1]).count { columns[Int(run.termIDs[$0])] >= 0 }
            }
        }
        let rowStarts: [Int] = {
            var starts = [0]
            starts.reserveCapacity(chunks.reduce(1) { $0 + $1.documentCount })
            for lengths in rowLengths {
                for length in lengths { starts.append(starts[starts.count - 1] + length) }
            }
            return starts
        }()
        // The row each run's first document becomes.
        let firstRows = chunks.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.documentCount) }
        let entryCount = rowStarts[rowStarts.count - 1]
        let runCount = chunks.count
        // The only reference to each run from here on, moved out by the thread that writes it.
        let pending = UnsafeMutableBufferPointer<TermCounts>.allocate(capacity: runCount)
        _ = pending.initialize(from: chunks)
        chunks = []
        defer { pending.deallocate() }
        let runsOut = UncheckedSendable(pending)
        let written = Locked(0)
        let trimEvery = max(1, runCount / 8)
        var values: [Float] = []
        let columnIndices = [Int32](unsafeUninitializedCapacity: entryCount) { columnBuffer, columnsInitialized in
            values = [Float](unsafeUninitializedCapacity: entryCount) { valueBuffer, valuesInitialized in
                // Each run writes only its own rows' entries: disjoint ranges of both arrays,
                // every entry written once (the rows' lengths were counted with the same test).
                let (columnsOut, valuesOut) = (UncheckedSendable(columnBuffer), UncheckedSendable(valueBuffer))
                Parallel.forEach(runCount) { index in
                    do {
                        let run = (runsOut.value.baseAddress! + index).move()
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
                    }  // the run is freed here
                    let done = written.withLock { written in
                        written += 1
                        return written
                    }
                    // Runs are smaller than glibc's mmap threshold, so their pages stay in the
                    // heap until trimmed.
                    if done % trimEvery == 0 { Memory.returnFreedPages() }
                }
                valuesInitialized = entryCount
            }
            columnsInitialized = entryCount
        }
        let matrix = SparseMatrix(columnCount: vectorizer.vocabulary.count, rowStarts: rowStarts, columnIndices: columnIndices, values: values)
        matrix.checkInvariants()
        return matrix
    }
}
