/// TextRank's own sentence graph (Mihalcea & Tarau 2004): edges weighted by the terms two
/// sentences share, normalised by the logs of their lengths, and PageRank on it. Double
/// precision, every sum in a fixed order, `PortableMath.log`: the same bits on every CPU.
///
/// Only the sentences' terms are needed (``windowTerms(_:analyzer:)``), not the TF-IDF graph.
extension SentenceGraph {
    /// The overlap similarities of the sentences whose term ids are `terms` (as
    /// ``windowTerms(_:analyzer:)`` gives them), row-major n × n:
    ///
    /// wᵢⱼ = (Cᵢ·Cⱼ) / (ln max(Lᵢ, 1) + ln max(Lⱼ, 1)) for i ≠ j, where Cᵢ is sentence i's
    /// term-count vector and Lᵢ its number of terms; Cᵢ·Cⱼ when the denominator is 0 (two
    /// one-term sentences sharing their term); wᵢᵢ = 0.
    ///
    /// The dot products are integers (exact in any order); each weight is one division.
    ///
    /// - Complexity: O(Σₜ dfₜ²) for the story's terms t (dfₜ: sentences holding t), at most O(n² · k)
    /// for k terms a sentence.
    static func overlapWeights(_ terms: [[Int]]) -> [Double] {
        let n = terms.count
        guard n > 0 else { return [] }
        // Postings: for each term id, the sentences holding it (ascending) with their counts.
        var postings = [[(sentence: Int, count: Int)]](repeating: [], count: (terms.lazy.flatMap { $0 }.max() ?? -1) + 1)
        for (sentence, ids) in terms.enumerated() {
            let sorted = ids.sorted()
            var start = 0
            while start < sorted.count {
                var end = start + 1
                while end < sorted.count, sorted[end] == sorted[start] { end += 1 }
                postings[sorted[start]].append((sentence, end - start))
                start = end
            }
        }
        var dots = [Int](repeating: 0, count: n * n)
        for list in postings where list.count > 1 {
            for a in 0..<(list.count - 1) {
                let (i, ci) = list[a]
                for b in (a + 1)..<list.count {
                    let (j, cj) = list[b]
                    dots[i * n + j] += ci * cj
                }
            }
        }
        let logLength = terms.map { PortableMath.log(Double(max($0.count, 1))) }
        var weights = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n where dots[i * n + j] > 0 {
                let dot = Double(dots[i * n + j])
                let denominator = logLength[i] + logLength[j]
                let weight = denominator > 0 ? dot / denominator : dot
                weights[i * n + j] = weight
                weights[j * n + i] = weight
            }
        }
        return weights
    }

    /// TextRank scores of the sentences whose terms are `terms`: PageRank on
    /// ``overlapWeights(_:)``, as sumy's `TextRankSummarizer` computes it.
    ///
    /// Rows are normalised as Wᵢⱼ = wᵢⱼ / (Σⱼ wᵢⱼ + 10⁻⁷) (a sentence sharing no term with any
    /// other keeps a zero row), M = (1 − d)/n + d·W, and from the uniform vector
    /// p ← Mᵀp until ‖Δp‖₂ ≤ `tolerance` (at most `maximumIterations` steps); the last p is
    /// returned. A zero row keeps only its teleport share, so the walk loses mass and p shrinks
    /// towards 0 along the leading eigenvector of Mᵀ: on news, often a few hundred steps (median
    /// 278 on the CNN/DailyMail sample) before the absolute stopping rule is met.
    static func overlapTextRankScores(_ terms: [[Int]], damping: Double, tolerance: Double = 1e-4, maximumIterations: Int = 1_000) -> [Double] {
        let n = terms.count
        guard n > 0 else { return [] }
        var matrix = overlapWeights(terms)
        let teleport = (1 - damping) / Double(n)
        for row in 0..<n {
            var sum = 0.0
            for column in 0..<n { sum += matrix[row * n + column] }
            let scale = sum + 1e-7
            for column in 0..<n { matrix[row * n + column] = teleport + damping * (matrix[row * n + column] / scale) }
        }
        var scores = [Double](repeating: 1 / Double(n), count: n)
        var next = [Double](repeating: 0, count: n)
        matrix.withUnsafeBufferPointer { matrix in
            for _ in 0..<maximumIterations {
                let converged = scores.withUnsafeBufferPointer { p in
                    next.withUnsafeMutableBufferPointer { q in
                        for index in 0..<n { q[index] = 0 }
                        // (Mᵀp)ⱼ sums over the rows i in ascending order (the column loop is
                        // independent per j, so vectorising it keeps every sum's order).
                        for row in 0..<n {
                            let weight = p[row]
                            let base = row * n
                            for column in 0..<n { q[column] += matrix[base + column] * weight }
                        }
                        var squares = 0.0
                        for index in 0..<n {
                            let change = q[index] - p[index]
                            squares += change * change
                        }
                        return squares.squareRoot() <= tolerance
                    }
                }
                swap(&scores, &next)
                if converged { break }
            }
        }
        return scores
    }
}
