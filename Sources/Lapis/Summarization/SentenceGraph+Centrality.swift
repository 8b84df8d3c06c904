/// Graph measures of a story's sentences: the one place the summarizers and the sentence
/// features get centrality, directed (position-aware) centrality and similarities from.
extension SentenceGraph {
    /// The stationary distribution of a random walk on the similarity graph with damping
    /// (PageRank), by power iteration. `weights` overrides the edge weights.
    func centrality(weights: [Float]? = nil, damping: Float = 0.85, iterations: Int = 100, tolerance: Float = 1e-6) -> [Float] {
        guard count > 0 else { return [] }
        var transition = weights ?? similarity
        // Row-normalise: each sentence spreads its score over its neighbours.
        for row in 0..<count {
            var sum: Float = 0
            for column in 0..<count { sum += transition[row * count + column] }
            if sum > 0 {
                for column in 0..<count { transition[row * count + column] /= sum }
            } else {
                for column in 0..<count { transition[row * count + column] = 1 / Float(count) }
            }
        }
        var scores = [Float](repeating: 1 / Float(count), count: count)
        var next = scores
        let teleport = (1 - damping) / Float(count)
        for _ in 0..<iterations {
            next = [Float](repeating: teleport, count: count)
            FixedOrderMatrix.transposedProduct(transition, rows: count, columns: count, scores, alpha: damping, adding: &next)
            var change: Float = 0
            for index in 0..<count { change += abs(next[index] - scores[index]) }
            swap(&scores, &next)
            if change < tolerance { break }
        }
        return scores
    }

    /// LexRank / TextRank centrality: PageRank on the similarity graph without self-loops,
    /// edges below `similarityThreshold` dropped (0 keeps the continuous graph, TextRank).
    /// One score per sentence of the window.
    func lexRankScores(damping: Float, similarityThreshold: Float) -> [Double] {
        var weights = similarity
        for row in 0..<count {
            weights[row * count + row] = 0
            for column in 0..<count where weights[row * count + column] < similarityThreshold {
                weights[row * count + column] = 0
            }
        }
        return centrality(weights: weights, damping: damping).map(Double.init)
    }

    /// PacSum-style directed centrality, min-max normalised to [0, 1] (all 0 when every
    /// sentence scores the same): Σ_{j>i} sim(i, j) · `forwardWeight` + Σ_{j<i} sim(i, j) ·
    /// `backwardWeight`. A sentence that later ones elaborate introduces the story.
    func directedCentrality(forwardWeight: Double, backwardWeight: Double) -> [Double] {
        var directed = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var sum = 0.0
            for j in 0..<count where j != i {
                let similarity = Double(similarity[i * count + j])
                sum += similarity * (j > i ? forwardWeight : backwardWeight)
            }
            directed[i] = sum
        }
        let low = directed.min() ?? 0, high = directed.max() ?? 0
        let span = high - low
        return directed.map { span > 0 ? ($0 - low) / span : 0 }
    }

    /// Cosine similarity of each sentence row with the title's terms, weighted by the story's
    /// idf; all 0 without a title or shared terms.
    func titleSimilarities(_ title: String?) -> [Double] {
        guard let title, !title.isEmpty, termCount > 0 else { return [Double](repeating: 0, count: count) }
        var vector = [Float](repeating: 0, count: termCount)
        for word in TextAnalyzer(ngramRange: 1...1).words(title) {
            if let id = termIndex[word] { vector[id] = idf[id] }
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [Double](repeating: 0, count: count) }
        return FixedOrderMatrix.product(rows, rows: count, columns: termCount, vector, alpha: 1 / norm).map(Double.init)
    }

    /// Cosine similarity of each sentence with the story's centroid (the sum of the unit rows).
    func centroidSimilarities() -> [Float] {
        var centroid = [Float](repeating: 0, count: termCount)
        for row in 0..<count { for term in 0..<termCount { centroid[term] += rows[row * termCount + term] } }
        let centroidNorm = centroid.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return centroidNorm > 0
            ? FixedOrderMatrix.product(rows, rows: count, columns: termCount, centroid, alpha: 1 / centroidNorm)
            : [Float](repeating: 0, count: count)
    }

    /// `scores` of the window followed by `filler` for the sentences beyond it, `total` in all:
    /// sentences past the graph window rank below every sentence inside it.
    static func padded(_ scores: [Double], to total: Int, with filler: Double) -> [Double] {
        scores + [Double](repeating: filler, count: total - scores.count)
    }
}
