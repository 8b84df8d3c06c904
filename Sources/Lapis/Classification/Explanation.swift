import Foundation

/// Why a ``TopicClassifier`` scored a story as it did: for every label, the terms that pushed
/// its decision value up or down.
///
/// A label's decision value is `b + Σ xᵢ·wᵢ` over the story's terms, where `xᵢ` is the term's
/// TF-IDF value in the story and `wᵢ` its weight for the label; its probability is the
/// logistic of that value. Each term's contribution is `xᵢ·wᵢ`, so the listed contributions,
/// ``LabelExplanation/otherContribution`` and the bias add up to the decision value exactly
/// (up to float rounding).
///
/// ```swift
/// let explanation = classifier.explain(Document(id: "1", text: story), terms: 5)
/// for label in explanation.labels {
///     print(label.label, label.probability, label.positive.map(\.term))
/// }
/// ```
public struct Explanation: Sendable, Equatable {
    /// One term's part in a label's decision value.
    public struct Contribution: Sendable, Equatable {
        /// The vocabulary term (stemmed, possibly an n-gram joined by spaces).
        public var term: String
        /// The term's TF-IDF value in the story.
        public var value: Float
        /// The term's weight for the label.
        public var weight: Float
        /// `value × weight`: how far the term moved the decision value.
        public var contribution: Float

        /// Creates a contribution.
        public init(term: String, value: Float, weight: Float, contribution: Float) {
            self.term = term
            self.value = value
            self.weight = weight
            self.contribution = contribution
        }
    }

    /// How one label's decision value came about.
    public struct LabelExplanation: Sendable, Equatable {
        /// The label.
        public var label: String
        /// The label's bias (intercept).
        public var bias: Float
        /// The decision value `w·x + b`.
        public var decisionValue: Float
        /// The label's probability: the logistic of ``decisionValue``, or for a model that scores
        /// passages (``TopicClassifierOptions/passageSentences``) the mean of that and
        /// ``passageProbability``; the one `classify` reports and compares with the threshold.
        public var probability: Float
        /// For a model that scores passages, the label's probability in the story's best passage
        /// (the terms listed here explain the whole story's decision value only); otherwise `nil`.
        public var passageProbability: Float?
        /// The probability the label needs to be predicted.
        public var threshold: Float
        /// Whether the label is predicted.
        public var isPredicted: Bool
        /// The terms that raised the decision value most, largest first.
        public var positive: [Contribution]
        /// The terms that lowered it most, most negative first.
        public var negative: [Contribution]
        /// The summed contribution of the story's terms not listed in ``positive`` or ``negative``.
        public var otherContribution: Float
    }

    /// One entry per label, in model order.
    public var labels: [LabelExplanation]
}

extension TopicClassifier {
    /// Explains the prediction for `document`: for each label, the `terms` terms with the
    /// largest positive contributions and the `terms` with the largest negative ones.
    public func explain(_ document: Document, terms: Int = 10) -> Explanation {
        // The same analysis as predict's, so that the probabilities are the ones classify reports.
        let scored = options.passageSentences.map { passageScores(document, sentences: $0) }
        let features = scored.map { TfidfVectorizer.assemble([$0.whole], columnCount: vectorizer.vocabulary.count) }
            ?? vectorizer.transform([Self.featureText(document, titleRepeats: options.titleRepeats)])
        let decisions = model.decisionValues(features, row: 0)
        let passage = scored?.bestPassage
        let probabilities = passage.map { Self.combining(whole: model.probabilities(features, row: 0), passage: $0) }
            ?? model.probabilities(features, row: 0)
        let vocabulary = vectorizer.vocabulary.terms
        let labelCount = model.labels.count
        let row = features.row(0)
        let limit = max(0, terms)
        // What the model predicts (a single-label model: only the most probable label).
        let predicted = Set(model.predictedLabels(probabilities: probabilities, hasEvidence: !row.isEmpty))
        let explanations = model.labels.indices.map { label -> Explanation.LabelExplanation in
            let contributions = row.map { entry -> Explanation.Contribution in
                let weight = model.weights[entry.column * labelCount + label]
                return Explanation.Contribution(term: vocabulary[entry.column], value: entry.value, weight: weight, contribution: entry.value * weight)
            }
            // Ties broken by term so the listing is the same on every run.
            let positive = contributions.filter { $0.contribution > 0 }
                .sorted { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.term < $1.term }
                .prefix(limit)
            let negative = contributions.filter { $0.contribution < 0 }
                .sorted { $0.contribution != $1.contribution ? $0.contribution < $1.contribution : $0.term < $1.term }
                .prefix(limit)
            let total = contributions.reduce(0.0) { $0 + Double($1.contribution) }
            let listed = (positive + negative).reduce(0.0) { $0 + Double($1.contribution) }
            return Explanation.LabelExplanation(
                label: model.labels[label], bias: model.biases[label], decisionValue: decisions[label],
                probability: probabilities[label], passageProbability: passage?[label], threshold: model.thresholds[label],
                isPredicted: predicted.contains(model.labels[label]),
                positive: Array(positive), negative: Array(negative), otherContribution: Float(total - listed))
        }
        return Explanation(labels: explanations)
    }
}
