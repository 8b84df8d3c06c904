/// ROUGE scores of a candidate summary against a reference, computed as Google's
/// `rouge-score` package computes them with stemming on.
///
/// Tokens: the text is lower-cased, every character other than a–z and 0–9 separates
/// tokens, and tokens longer than three characters are stemmed with ``PorterStemmer``.
/// - ROUGE-N: clipped n-gram overlap; precision over the candidate's n-grams, recall over
///   the reference's.
/// - ROUGE-L: longest common subsequence of the two token sequences.
/// - ROUGE-Lsum: summary-level LCS over sentences (one per line): for each reference sentence,
///   the union of its LCS positions with every candidate sentence, each token counted at most
///   as often as it occurs on both sides.
public struct RougeScorer: Sendable {
    /// Whether tokens are stemmed (the default, as `use_stemmer=True`).
    public var stems: Bool

    /// Creates a scorer.
    public init(stems: Bool = true) { self.stems = stems }

    /// All four scores of one (candidate, reference) pair; sentences are separated by "\n".
    public func score(candidate: String, reference: String) -> RougeScores {
        let candidateTokens = tokens(candidate)
        let referenceTokens = tokens(reference)
        return RougeScores(
            rouge1: Self.ngramScore(candidate: candidateTokens, reference: referenceTokens, n: 1),
            rouge2: Self.ngramScore(candidate: candidateTokens, reference: referenceTokens, n: 2),
            rougeL: Self.lcsScore(candidate: candidateTokens, reference: referenceTokens),
            rougeLsum: Self.summaryLevelLCS(candidate: sentenceTokens(candidate), reference: sentenceTokens(reference))
        )
    }

    /// The ROUGE tokens of `text`.
    public func tokens(_ text: String) -> [String] {
        let stemmer = PorterStemmer()
        var result: [String] = []
        var current: [UInt8] = []
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(decoding: current, as: UTF8.self)
            result.append(stems && current.count > 3 ? stemmer.stem(token) : token)
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.lowercased().utf8 {
            if byte &- 0x61 < 26 || byte &- 0x30 < 10 { current.append(byte) } else { flush() }
        }
        flush()
        return result
    }

    func sentenceTokens(_ text: String) -> [[String]] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { Array(tokens(String($0)).prefix(Self.maximumLsumSentenceTokens)) }
    }

    static func ngramScore(candidate: [String], reference: [String], n: Int) -> PrecisionRecallF1 {
        let candidateCounts = ngramCounts(candidate, n: n)
        let referenceCounts = ngramCounts(reference, n: n)
        var overlap = 0
        for (gram, count) in candidateCounts { overlap += min(count, referenceCounts[gram] ?? 0) }
        let candidateTotal = max(candidate.count - n + 1, 0)
        let referenceTotal = max(reference.count - n + 1, 0)
        return scores(overlap: overlap, candidateTotal: candidateTotal, referenceTotal: referenceTotal)
    }

    static func ngramCounts(_ tokens: [String], n: Int) -> [[String]: Int] {
        var counts: [[String]: Int] = [:]
        guard tokens.count >= n else { return counts }
        for start in 0...(tokens.count - n) { counts[Array(tokens[start..<(start + n)]), default: 0] += 1 }
        return counts
    }

    static func scores(overlap: Int, candidateTotal: Int, referenceTotal: Int) -> PrecisionRecallF1 {
        let precision = Double(overlap) / Double(max(candidateTotal, 1))
        let recall = Double(overlap) / Double(max(referenceTotal, 1))
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return PrecisionRecallF1(precision: precision, recall: recall, f1: f1)
    }

    static func lcsScore(candidate: [String], reference: [String]) -> PrecisionRecallF1 {
        guard !candidate.isEmpty, !reference.isEmpty else { return PrecisionRecallF1(precision: 0, recall: 0, f1: 0) }
        return scores(overlap: lcsLength(reference, candidate), candidateTotal: candidate.count, referenceTotal: reference.count)
    }

    /// The LCS length in two rows of memory, so that long summaries cost time, not memory.
    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Longest sentence (in tokens) that ROUGE-Lsum's per-sentence LCS tables take whole; longer
    /// "sentences" (unsplit text) are cut to this length there, to bound the table's memory.
    static let maximumLsumSentenceTokens = 5_000

    /// The dynamic-programming table of LCS lengths, (|a|+1) × (|b|+1), row-major.
    static func lcsTable(_ a: [String], _ b: [String]) -> [Int] {
        let columns = b.count + 1
        var table = [Int](repeating: 0, count: (a.count + 1) * columns)
        for i in 1...max(a.count, 1) where i <= a.count {
            for j in 1...max(b.count, 1) where j <= b.count {
                table[i * columns + j] = a[i - 1] == b[j - 1]
                    ? table[(i - 1) * columns + j - 1] + 1
                    : max(table[(i - 1) * columns + j], table[i * columns + j - 1])
            }
        }
        return table
    }

    /// Positions in `reference` of one LCS with `candidate`, backtracking as rouge-score does.
    static func lcsPositions(_ reference: [String], _ candidate: [String]) -> [Int] {
        let table = lcsTable(reference, candidate)
        let columns = candidate.count + 1
        var i = reference.count, j = candidate.count
        var positions: [Int] = []
        while i > 0 && j > 0 {
            if reference[i - 1] == candidate[j - 1] {
                positions.append(i - 1)
                i -= 1; j -= 1
            } else if table[i * columns + j - 1] > table[(i - 1) * columns + j] {
                j -= 1
            } else {
                i -= 1
            }
        }
        return positions.reversed()
    }

    static func summaryLevelLCS(candidate: [[String]], reference: [[String]]) -> PrecisionRecallF1 {
        let referenceLength = reference.reduce(0) { $0 + $1.count }
        let candidateLength = candidate.reduce(0) { $0 + $1.count }
        guard !candidate.isEmpty, !reference.isEmpty, referenceLength > 0, candidateLength > 0 else {
            return PrecisionRecallF1(precision: 0, recall: 0, f1: 0)
        }
        var referenceCounts: [String: Int] = [:]
        var candidateCounts: [String: Int] = [:]
        for sentence in reference { for token in sentence { referenceCounts[token, default: 0] += 1 } }
        for sentence in candidate { for token in sentence { candidateCounts[token, default: 0] += 1 } }
        var hits = 0
        for sentence in reference {
            var union = Set<Int>()
            for candidateSentence in candidate { union.formUnion(lcsPositions(sentence, candidateSentence)) }
            for position in union.sorted() {
                let token = sentence[position]
                if candidateCounts[token, default: 0] > 0 && referenceCounts[token, default: 0] > 0 {
                    hits += 1
                    candidateCounts[token]! -= 1
                    referenceCounts[token]! -= 1
                }
            }
        }
        return scores(overlap: hits, candidateTotal: candidateLength, referenceTotal: referenceLength)
    }
}

/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of one summary.
public struct RougeScores: Sendable, Equatable, Codable {
    public var rouge1: PrecisionRecallF1
    public var rouge2: PrecisionRecallF1
    public var rougeL: PrecisionRecallF1
    public var rougeLsum: PrecisionRecallF1

    /// Creates a score set.
    public init(rouge1: PrecisionRecallF1, rouge2: PrecisionRecallF1, rougeL: PrecisionRecallF1, rougeLsum: PrecisionRecallF1) {
        self.rouge1 = rouge1
        self.rouge2 = rouge2
        self.rougeL = rougeL
        self.rougeLsum = rougeLsum
    }

    /// The mean of each score over `scores` (rouge-score's plain average).
    public static func mean(_ scores: [RougeScores]) -> RougeScores {
        func average(_ key: KeyPath<RougeScores, PrecisionRecallF1>) -> PrecisionRecallF1 {
            let n = Double(max(scores.count, 1))
            return PrecisionRecallF1(precision: scores.map { $0[keyPath: key].precision }.reduce(0, +) / n,
                                     recall: scores.map { $0[keyPath: key].recall }.reduce(0, +) / n,
                                     f1: scores.map { $0[keyPath: key].f1 }.reduce(0, +) / n)
        }
        return RougeScores(rouge1: average(\.rouge1), rouge2: average(\.rouge2), rougeL: average(\.rougeL), rougeLsum: average(\.rougeLsum))
    }
}

extension RougeScorer {
    /// Scores of many (candidate, reference) pairs, computed on all cores.
    public func score(candidates: [String], references: [String]) -> [RougeScores] {
        precondition(candidates.count == references.count, "one reference per candidate")
        let pairs = Array(zip(candidates, references))
        return Parallel.map(pairs, minimumChunk: 16) { score(candidate: $0.0, reference: $0.1) }
    }
}
