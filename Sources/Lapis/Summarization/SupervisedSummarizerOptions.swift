/// How a ``SupervisedSummarizer`` is trained: the estimator. ``fit(_:references:progress:)`` returns
/// the fitted sentence scorer, which summarises.
///
/// ```swift
/// let scorer = try SupervisedSummarizerOptions().fit(stories, references: references)
/// ```
public struct SupervisedSummarizerOptions: Sendable, Equatable {
    /// Inverse regularisation strength of the sentence scorer's logistic regression.
    public var c: Double
    /// Sentences per summary that training optimises for.
    public var count: Int
    /// Label every reference (extractive ones too) with the greedy ROUGE oracle.
    public var oracleLabels: Bool
    /// Length exponents to choose from by cross-validation (the first when there is no choice).
    public var lengthExponents: [Double]
    /// Cross-validation folds for the length exponent.
    public var folds: Int

    /// The exponents tried by default.
    public static let candidateLengthExponents: [Double] = [0, 0.5, 1, 1.5, 2]
    /// Seed of the fold assignment for the length exponent.
    static let foldSeed: UInt64 = 42

    /// Creates the estimator; the defaults are what `lapis train-summarizer` uses.
    public init(c: Double = 1, count: Int = 3, oracleLabels: Bool = false,
                lengthExponents: [Double] = Self.candidateLengthExponents, folds: Int = 3) {
        self.c = c
        self.count = count
        self.oracleLabels = oracleLabels
        self.lengthExponents = lengthExponents
        self.folds = folds
    }

    /// Checks the options a user sets.
    /// - Throws: ``LapisError/invalidOption(_:value:allowed:)``.
    public func validate() throws {
        try LogisticRegression(c: c).validate()
    }

    /// Learns a scorer from stories and their references.
    /// With `oracleLabels`, every reference (extractive ones too) is turned into labels by the
    /// greedy ROUGE oracle, which teaches what makes a good `count`-sentence summary rather than
    /// what belongs to a longer reference.
    ///
    /// With more than one of `lengthExponents`, the exponent is the one whose `count`-sentence
    /// summaries score the best mean ROUGE-1 + ROUGE-2 F1 against the references over `folds`-fold
    /// cross-validation on these stories (scorers fitted without the scored fold; ties go to the
    /// smaller exponent). With fewer than 2 × `folds` stories, or when a fold cannot be fitted,
    /// the first of `lengthExponents` is kept.
    ///
    /// `progress` hears of the phases: "sentence features" (one unit per story), "fitting",
    /// and "length exponent by cross-validation" (one unit per fold).
    public func fit(_ documents: [Document], references: [SupervisedSummarizer.Reference], progress: ProgressHandler? = nil) throws -> SupervisedSummarizer {
        precondition(documents.count == references.count, "one reference per document")
        precondition(!lengthExponents.isEmpty && lengthExponents.allSatisfy { $0 >= 0 && $0.isFinite })
        try validate()
        let splitter = SentenceSplitter()
        for (document, reference) in zip(documents, references) {
            if case .sentenceIndices = reference {
                _ = try reference.text(sentences: splitter.sentences(document.text), of: document, field: "the reference")
            }
        }
        let featureCounter = ProgressCounter(phase: "sentence features", total: documents.count, unit: "stories", handler: progress)
        featureCounter.start()
        let examples: [([[Double]], [Bool])] = Parallel.map(Array(zip(documents, references)), minimumChunk: 8) { pair in
            defer { featureCounter.advance() }
            let (document, reference) = pair
            let sentences = splitter.sentences(document.text)
            let features = SentenceFeatures.matrix(graph: SentenceGraph(sentences: sentences), sentences: sentences, title: document.title)
            let window = Array(sentences.prefix(features.count))
            let positives: Set<Int>
            if oracleLabels, case .text(let text) = reference {
                positives = SupervisedSummarizer.greedyOracle(sentences: window, reference: text, count: count)
            } else if oracleLabels {
                positives = SupervisedSummarizer.greedyOracle(sentences: window, reference: reference.text(sentences: sentences), count: count)
            } else {
                positives = SupervisedSummarizer.positiveSentences(sentences: window, reference: reference, count: count)
            }
            return (features, features.indices.map { positives.contains($0) })
        }
        progress?(ProgressUpdate(phase: "fitting", completed: 0, total: nil))
        var summarizer = try SupervisedSummarizer.fit(examples, c: c, trainingDocuments: documents.count)
        summarizer.lengthExponent = lengthExponents[0]
        if lengthExponents.count > 1 && folds >= 2 && documents.count >= 2 * folds {
            let assignment = CrossValidation.foldAssignment(count: documents.count, folds: folds, seed: Self.foldSeed)
            var totals = [Double](repeating: 0, count: lengthExponents.count)
            let foldCounter = ProgressCounter(phase: "length exponent by cross-validation", total: folds, unit: "folds", handler: progress)
            foldCounter.start()
            for fold in 0..<folds {
                defer { foldCounter.advance() }
                // A fold whose other stories mark no sentence (tiny data) cannot be scored: keep the first exponent.
                guard let foldScorer = try? SupervisedSummarizer.fit(examples.indices.filter { assignment[$0] != fold }.map { examples[$0] }, c: c, trainingDocuments: 0) else {
                    return summarizer
                }
                let heldOut = documents.indices.filter { assignment[$0] == fold }
                let scores: [[Double]] = Parallel.map(heldOut, minimumChunk: 8) { index in
                    foldScorer.rougeByExponent(documents[index], reference: references[index], exponents: lengthExponents,
                                               count: count, splitter: splitter)
                }
                for row in scores { for (position, value) in row.enumerated() { totals[position] += value } }
            }
            let best = totals.indexOfLargest()!
            summarizer.lengthExponent = lengthExponents[best]
        }
        return summarizer
    }

}
