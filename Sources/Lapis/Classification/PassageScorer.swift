/// Scores every passage of a story, a run of a fixed number of consecutive sentences with the
/// title, without building each passage's feature row.
///
/// A passage's decision value for label *l* is b_l + Σ_t x_t w_tl with x_t = v_t / ‖v‖ and
/// v_t = tf(c_t) · idf_t for the counts c_t of its terms, so it is b_l + S_l / √Q with
/// S_l = Σ_t v_t w_tl and Q = Σ_t v_t². The scorer keeps S and Q up to date as the window
/// slides: one sentence's terms leave and one's enter, and only their v_t change. Sums are in
/// double precision and in the same order on every run, so scores are the same on every CPU
/// and thread count; they agree with scoring each passage's row
/// (``TfidfVectorizer/passageRows(prefix:sentences:window:)``) to single precision, not to
/// the last bit.
///
/// - Complexity: O((*n* + *s*) · *L*) for a story of *n* term occurrences in *s* sentences and
///   *L* labels; scoring each passage's row costs O(*w* · *n* · *L*) for passages of *w* sentences.
struct PassageScorer {
    let model: MultiLabelLinearModel
    let idf: [Float]
    let sublinearTF: Bool

    /// Each label's highest probability over the passages of `window` sentences of `pieces`
    /// (renumbered by ``StoryPieces/renumber(using:)``); a story of no more sentences than
    /// `window` is one passage.
    func bestProbabilities(_ pieces: StoryPieces, window: Int) -> [Float] {
        var state = WindowState(pieces: pieces, scorer: self)
        let sentenceCount = pieces.sentences.count
        let width = min(window, sentenceCount)
        for column in pieces.prefix { state.change(column, by: 1) }
        for sentence in 0..<width {
            for column in pieces.sentences[sentence] { state.change(column, by: 1) }
        }
        var best = [Float](repeating: 0, count: model.labels.count)
        for start in 0...max(0, sentenceCount - window) {
            if start > 0 {
                for column in pieces.sentences[start - 1] { state.change(column, by: -1) }
                for column in pieces.sentences[start + width - 1] { state.change(column, by: 1) }
            }
            // The seams belong to the passage, not to its sentences: in for its score only.
            pieces.forEachSeam(in: start..<(start + width)) { state.change($0, by: 1) }
            state.raiseBest(&best)
            pieces.forEachSeam(in: start..<(start + width)) { state.change($0, by: -1) }
        }
        return best
    }

    /// The running sums of one story's current passage.
    private struct WindowState {
        let labelCount: Int
        let biases: [Double]
        let sublinearTF: Bool
        /// Per story column: its idf, and its weight for each label (contiguous).
        var columnIDF: [Float]
        var weights: [Double]
        var counts: [Int32]
        /// S_l and Q of the type's description; `present` counts the columns now in.
        var sums: [Double]
        var squaredNorm = 0.0
        var present = 0

        init(pieces: StoryPieces, scorer: PassageScorer) {
            let model = scorer.model
            labelCount = model.labels.count
            biases = model.biases.map(Double.init)
            sublinearTF = scorer.sublinearTF
            let columnCount = pieces.columns.count
            columnIDF = pieces.columns.map { scorer.idf[Int($0)] }
            weights = [Double](repeating: 0, count: columnCount * labelCount)
            for (local, column) in pieces.columns.enumerated() {
                for label in 0..<labelCount { weights[local * labelCount + label] = Double(model.weights[Int(column) * labelCount + label]) }
            }
            counts = [Int32](repeating: 0, count: columnCount)
            sums = [Double](repeating: 0, count: labelCount)
        }

        private func value(_ count: Int32, _ local: Int) -> Double {
            guard count > 0 else { return 0 }
            let tf = sublinearTF ? TfidfWeighting.sublinearTermFrequency(count) : Float(count)
            return Double(tf * columnIDF[local])
        }

        /// One more (`delta` 1) or one fewer (-1) occurrence of story column `column`.
        mutating func change(_ column: Int32, by delta: Int32) {
            let local = Int(column)
            let before = counts[local]
            let after = before + delta
            let old = value(before, local), new = value(after, local)
            let difference = new - old
            squaredNorm += new * new - old * old
            let base = local * labelCount
            for label in 0..<labelCount { sums[label] += difference * weights[base + label] }
            counts[local] = after
            if before == 0 { present += 1 } else if after == 0 { present -= 1 }
        }

        /// Raises each label's entry of `best` to the current passage's probability.
        func raiseBest(_ best: inout [Float]) {
            // With no term the row is empty: the decision is the bias alone. Otherwise Q ≥ 1
            // (tf ≥ 1 and idf ≥ 1), far above the rounding of the running sums.
            let scale = present > 0 && squaredNorm > 0 ? 1 / squaredNorm.squareRoot() : 0
            for label in 0..<labelCount {
                let probability = Float(sigmoid(biases[label] + sums[label] * scale))
                if probability > best[label] { best[label] = probability }
            }
        }
    }
}
