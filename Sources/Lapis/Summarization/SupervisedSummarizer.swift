import Foundation

/// A sentence scorer learnt from reference summaries: logistic regression (the same
/// trainer as the topic classifier) over `SentenceFeatures`, standardised with
/// the training data's means and deviations.
///
/// Training labels: a sentence is positive when it belongs to the reference. Extractive
/// references (sentence indices, or text whose sentences occur in the story) mark their
/// sentences; abstractive references (e.g. highlights) are turned into labels by a greedy
/// ROUGE oracle that adds the sentence improving ROUGE-1 + ROUGE-2 F1 the most, up to three.
///
/// Selection ranks sentences by P(summary) × words^``lengthExponent``: when references are long
/// (BBC's cover about 40% of a story), a long sentence that belongs to them recovers more of
/// them than a short one. Training picks the exponent by cross-validated ROUGE.
public struct SupervisedSummarizer: Summarizer {
    public let name = "supervised"
    /// One weight per feature (on standardised features).
    public let weights: [Double]
    /// The bias.
    public let bias: Double
    /// Feature means and standard deviations of the training sentences.
    public let means: [Double]
    public let deviations: [Double]
    /// Weight of redundancy in the MMR selection.
    public var redundancyPenalty: Double
    /// How much sentence length (in words) weighs in selection: 0 ranks by probability alone.
    public var lengthExponent: Double
    /// How many stories it was trained on (0 when unknown), kept in its model file.
    public let trainingDocuments: Int

    /// The names of the sentence features, in the order of ``weights``, ``means`` and ``deviations``.
    public static var featureNames: [String] { SentenceFeatures.names }

    /// The exponents training tries by default (``SupervisedSummarizerOptions/candidateLengthExponents``).
    public static var candidateLengthExponents: [Double] { SupervisedSummarizerOptions.candidateLengthExponents }

    /// Creates a summarizer from learnt parameters.
    public init(weights: [Double], bias: Double, means: [Double], deviations: [Double], redundancyPenalty: Double = 0.3,
                lengthExponent: Double = 0, trainingDocuments: Int = 0) {
        precondition(weights.count == SentenceFeatures.names.count && means.count == weights.count && deviations.count == weights.count)
        self.weights = weights
        self.bias = bias
        self.means = means
        self.deviations = deviations
        self.redundancyPenalty = redundancyPenalty
        self.lengthExponent = lengthExponent
        self.trainingDocuments = trainingDocuments
    }

    /// A reference summary of one training story.
    public enum Reference: Sendable {
        /// Indices of the reference sentences among the story's sentences (by ``SentenceSplitter``).
        case sentenceIndices([Int])
        /// Reference text: extractive when its sentences occur in the story, else abstractive.
        case text(String)

        /// The reference a story's `field` holds: sentence indices when the field is a list of
        /// whole numbers, else its text (empty when the field is absent).
        public init(document: Document, field: String) {
            if let indices = document.indexFields[field] { self = .sentenceIndices(indices) } else { self = .text(document.extraFields[field] ?? "") }
        }

        /// The reference as text, given the story's `sentences` (by ``SentenceSplitter``): the
        /// one rule that training and `lapis evaluate summaries` share. An index outside the
        /// story is an error naming the story's record, never silently dropped.
        public func text(sentences: [String], of document: Document, field: String) throws -> String {
            if case .sentenceIndices(let indices) = self, let bad = indices.first(where: { !sentences.indices.contains($0) }) {
                throw LapisError.malformedRecord(path: document.source.path, line: document.source.line,
                                                 reason: "\(field) names sentence \(bad) but the story has \(sentences.count) (numbered from 0)")
            }
            return text(sentences: sentences)
        }

        /// The reference as text; indices outside the story (already reported by
        /// ``text(sentences:of:field:)``) are left out.
        func text(sentences: [String]) -> String {
            switch self {
            case .text(let text): return text
            case .sentenceIndices(let indices): return indices.filter { sentences.indices.contains($0) }.map { sentences[$0] }.joined(separator: "\n")
            }
        }
    }

    /// ROUGE-1 + ROUGE-2 F1 of this scorer's summary of `document` under each length exponent.
    func rougeByExponent(_ document: Document, reference: Reference, exponents: [Double], count: Int,
                         splitter: SentenceSplitter) -> [Double] {
        let sentences = splitter.sentences(document.text)
        let referenceText = reference.text(sentences: sentences)
        let scorer = RougeScorer()
        let referenceTokens = scorer.tokens(referenceText)
        let sentenceTokens = sentences.map { scorer.tokens($0) }
        let graph = SentenceGraph(sentences: sentences)
        let scores = scores(graph: graph, sentences: sentences, title: document.title)
        return exponents.map { exponent in
            var variant = self
            variant.lengthExponent = exponent
            let tokens = variant.select(graph: graph, sentences: sentences, scores: scores, count: count).flatMap { sentenceTokens[$0] }
            return RougeScorer.ngramScore(candidate: tokens, reference: referenceTokens, n: 1).f1
                + RougeScorer.ngramScore(candidate: tokens, reference: referenceTokens, n: 2).f1
        }
    }

    /// Optimiser limits of the scorer's logistic regression: 15 features converge fast, and a
    /// tight tolerance makes the weights stable to the printed digits.
    static let maximumIterations = 500
    static let tolerance = 1e-6
    /// A feature constant over the training sentences gets this deviation instead of 0, so
    /// standardising it gives 0, not a division by zero.
    static let smallestDeviation = 1e-9

    /// Fits the logistic regression on standardised features of the given stories' sentences.
    static func fit(_ examples: [([[Double]], [Bool])], c: Double, trainingDocuments: Int) throws -> SupervisedSummarizer {
        let rows = examples.flatMap(\.0)
        let targets = examples.flatMap(\.1)
        guard !rows.isEmpty, targets.contains(true), targets.contains(false) else {
            throw LapisError.cannotTrain(reason: "the references mark no sentence (or every sentence); check which field holds them")
        }
        let featureCount = SentenceFeatures.names.count
        var means = [Double](repeating: 0, count: featureCount)
        var deviations = [Double](repeating: 0, count: featureCount)
        for row in rows { for f in 0..<featureCount { means[f] += row[f] } }
        for f in 0..<featureCount { means[f] /= Double(rows.count) }
        for row in rows { for f in 0..<featureCount { deviations[f] += (row[f] - means[f]) * (row[f] - means[f]) } }
        for f in 0..<featureCount { deviations[f] = max((deviations[f] / Double(rows.count)).squareRoot(), Self.smallestDeviation) }
        var matrix = SparseMatrix(columnCount: featureCount)
        for row in rows {
            matrix.appendRow((0..<featureCount).map { (Int32($0), Float((row[$0] - means[$0]) / deviations[$0])) })
        }
        let model = LogisticRegression(c: c, classWeighting: .none, maxIterations: Self.maximumIterations, tolerance: Self.tolerance)
            .fit(matrix, targets: targets)
        return SupervisedSummarizer(weights: model.weights, bias: model.bias, means: means, deviations: deviations,
                                    trainingDocuments: trainingDocuments)
    }

    /// The sentences a reference marks as summary-worthy.
    static func positiveSentences(sentences: [String], reference: Reference, count: Int) -> Set<Int> {
        switch reference {
        case .sentenceIndices(let indices):
            return Set(indices.filter { $0 >= 0 && $0 < sentences.count })
        case .text(let text):
            let normalised = Self.squeezed(text)
            let extractive = sentences.indices.filter { Self.squeezed(sentences[$0]).count > 10 && normalised.contains(Self.squeezed(sentences[$0])) }
            if extractive.count >= 1 && extractive.count >= min(2, sentences.count) { return Set(extractive) }
            return greedyOracle(sentences: sentences, reference: text, count: count)
        }
    }

    static func squeezed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Greedy ROUGE oracle: repeatedly add the sentence that most improves ROUGE-1 + ROUGE-2 F1.
    static func greedyOracle(sentences: [String], reference: String, count: Int) -> Set<Int> {
        let scorer = RougeScorer()
        let referenceTokens = scorer.tokens(reference)
        let sentenceTokens = sentences.map { scorer.tokens($0) }
        var chosen: [Int] = []
        var best = 0.0
        while chosen.count < count {
            var bestCandidate: Int?
            for candidate in sentences.indices where !chosen.contains(candidate) {
                let tokens = (chosen + [candidate]).sorted().flatMap { sentenceTokens[$0] }
                let score = RougeScorer.ngramScore(candidate: tokens, reference: referenceTokens, n: 1).f1
                    + RougeScorer.ngramScore(candidate: tokens, reference: referenceTokens, n: 2).f1
                if score > best { best = score; bestCandidate = candidate }
            }
            guard let next = bestCandidate else { break }
            chosen.append(next)
        }
        return Set(chosen)
    }

    public func scores(sentences: [String], title: String?) -> [Double] {
        scores(graph: SentenceGraph(sentences: sentences), sentences: sentences, title: title)
    }

    func scores(graph: SentenceGraph, sentences: [String], title: String?) -> [Double] {
        let features = SentenceFeatures.matrix(graph: graph, sentences: sentences, title: title)
        return SentenceGraph.padded(features.map(score), to: sentences.count, with: -.infinity)
    }

    func score(_ row: [Double]) -> Double {
        var value = bias
        for f in row.indices { value += weights[f] * (row[f] - means[f]) / deviations[f] }
        return value
    }

    public func select(sentences: [String], title: String?, count: Int) -> [Int] {
        let graph = SentenceGraph(sentences: sentences)
        return select(graph: graph, sentences: sentences, scores: scores(graph: graph, sentences: sentences, title: title), count: count)
    }

    /// Selection from decision values `scores` (see the type's documentation for the length term).
    func select(graph: SentenceGraph, sentences: [String], scores: [Double], count: Int) -> [Int] {
        var relevance = scores.prefix(graph.count).map(sigmoid)
        if lengthExponent > 0 {
            for index in relevance.indices {
                let words = sentences[index].split(whereSeparator: \.isWhitespace).count
                // words^exponent through PortableMath, so a selection is the same on every CPU.
                relevance[index] *= PortableMath.exp(lengthExponent * PortableMath.log(Double(max(words, 1))))
            }
            // Back to the probabilities' 0...1 scale, so the redundancy penalty keeps its weight.
            let largest = relevance.max() ?? 1
            if largest > 0 { relevance = relevance.map { $0 / largest } }
        }
        guard redundancyPenalty > 0 else { return Self.topIndices(SentenceGraph.padded(relevance, to: sentences.count, with: -.infinity), count: count) }
        return graph.maximalMarginalRelevance(relevance: relevance, count: count, penalty: redundancyPenalty)
    }
}
