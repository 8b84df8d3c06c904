import Foundation

/// Everything that decides how a ``TopicClassifier`` is trained: the estimator.
/// ``fit(_:labels:progress:)`` returns the fitted classifier, which predicts.
///
/// ```swift
/// let classifier = try TopicClassifierOptions(analyzer: TextAnalyzer(ngramRange: 1...2)).fit(documents)
/// ```
public struct TopicClassifierOptions: Sendable, Codable, Equatable {
    /// The text pipeline.
    public var analyzer: TextAnalyzer
    /// How the vocabulary is chosen.
    public var vocabulary: VocabularyOptions
    /// Sublinear term frequency (1 + ln count).
    public var sublinearTF: Bool
    /// The per-label logistic regression.
    public var logistic: LogisticRegression
    /// Cross-validation folds used to choose per-label thresholds (0 keeps 0.5 for all).
    public var thresholdFolds: Int
    /// How many times the title is counted (it is prepended to the text this many times).
    public var titleRepeats: Int
    /// Seed of every random choice (fold assignment).
    public var seed: UInt64
    /// The β of the F-score that per-label thresholds maximise on out-of-fold probabilities
    /// (1: F1). Above 1 recall weighs more: for a model trained on one kind of text and used on
    /// another, where the true labels' probabilities come out lower than in cross-validation
    /// (the default model: our corpus → real news, see `Models/README.md`).
    public var thresholdBeta: Double
    /// Single-label (multiclass) training: every training story must carry exactly one label,
    /// and the model predicts the most probable label of each story instead of applying
    /// per-label thresholds (so no threshold cross-validation is run).
    public var multiclass: Bool
    /// How many times the threshold cross-validation runs, each with another fold assignment
    /// drawn from `seed`; each label's threshold maximises the F-score averaged over the runs.
    /// One run leaves a threshold to the luck of a single split (on a flat F1 curve the best
    /// cut can move far between splits); model files written before this option ran one.
    /// Default 3 (chosen with ``foldIterations`` on five 80/20 splits of the Reuters-21578
    /// training set; `Evaluation/RESULTS.md`, "Thresholds without full refits").
    public var thresholdRepeats: Int
    /// The most iterations a threshold fold model takes from its warm start (the full model's
    /// weights); `nil` fits fold models to convergence, as model files written before this
    /// option did. The fold models only score held-out rows to place thresholds, and a few
    /// steps from the full solution cost a fraction of a refit (default 3).
    public var foldIterations: Int?
    /// Passage scoring: when set to *k*, a story is also scored in windows of *k* consecutive
    /// sentences (each with the title), and each label's probability is the mean of the whole
    /// story's and the best window's. A topic that is one substantive section of a long story
    /// is diluted in the whole story's features but not in the window that holds it, which is
    /// how `../shared/LABELS.md` defines a label ("in at least one full sentence"). Thresholds
    /// are still chosen on whole stories' out-of-fold probabilities. `nil` (the default) scores
    /// whole stories only.
    public var passageSentences: Int?

    /// Creates options; the defaults are what `lapis train` uses.
    public init(analyzer: TextAnalyzer = TextAnalyzer(), vocabulary: VocabularyOptions = VocabularyOptions(),
                sublinearTF: Bool = true, logistic: LogisticRegression = LogisticRegression(),
                thresholdFolds: Int = 3, titleRepeats: Int = 1, seed: UInt64 = 42, thresholdBeta: Double = 1,
                multiclass: Bool = false, thresholdRepeats: Int = 3, foldIterations: Int? = 3, passageSentences: Int? = nil) {
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.sublinearTF = sublinearTF
        self.logistic = logistic
        self.thresholdFolds = thresholdFolds
        self.titleRepeats = titleRepeats
        self.seed = seed
        self.thresholdBeta = thresholdBeta
        self.multiclass = multiclass
        self.thresholdRepeats = thresholdRepeats
        self.foldIterations = foldIterations
        self.passageSentences = passageSentences
    }

    enum CodingKeys: String, CodingKey {
        case analyzer, vocabulary, sublinearTF = "sublinear_tf", logistic = "logistic_regression"
        case thresholdFolds = "threshold_folds", titleRepeats = "title_repeats", seed, thresholdBeta = "threshold_beta"
        case multiclass, thresholdRepeats = "threshold_repeats", foldIterations = "fold_iterations"
        case passageSentences = "passage_sentences"
    }

    /// Writes the options; `multiclass`, `threshold_repeats` and `fold_iterations` only when they
    /// differ from the behaviour of files written before they existed, so such models keep their bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(analyzer, forKey: .analyzer)
        try container.encode(vocabulary, forKey: .vocabulary)
        try container.encode(sublinearTF, forKey: .sublinearTF)
        try container.encode(logistic, forKey: .logistic)
        try container.encode(thresholdFolds, forKey: .thresholdFolds)
        try container.encode(titleRepeats, forKey: .titleRepeats)
        try container.encode(seed, forKey: .seed)
        try container.encode(thresholdBeta, forKey: .thresholdBeta)
        if multiclass { try container.encode(true, forKey: .multiclass) }
        if thresholdRepeats != 1 { try container.encode(thresholdRepeats, forKey: .thresholdRepeats) }
        if let foldIterations { try container.encode(foldIterations, forKey: .foldIterations) }
        if let passageSentences { try container.encode(passageSentences, forKey: .passageSentences) }
    }

    /// Reads options from a model file; files written before `threshold_beta` existed used F1.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        analyzer = try container.decode(TextAnalyzer.self, forKey: .analyzer)
        vocabulary = try container.decode(VocabularyOptions.self, forKey: .vocabulary)
        sublinearTF = try container.decode(Bool.self, forKey: .sublinearTF)
        logistic = try container.decode(LogisticRegression.self, forKey: .logistic)
        thresholdFolds = try container.decode(Int.self, forKey: .thresholdFolds)
        titleRepeats = try container.decode(Int.self, forKey: .titleRepeats)
        seed = try container.decode(UInt64.self, forKey: .seed)
        thresholdBeta = try container.decodeIfPresent(Double.self, forKey: .thresholdBeta) ?? 1
        multiclass = try container.decodeIfPresent(Bool.self, forKey: .multiclass) ?? false
        thresholdRepeats = try container.decodeIfPresent(Int.self, forKey: .thresholdRepeats) ?? 1
        foldIterations = try container.decodeIfPresent(Int.self, forKey: .foldIterations)
        passageSentences = try container.decodeIfPresent(Int.self, forKey: .passageSentences)
    }

    /// Checks that every option is in its allowed range (the one place these ranges live).
    /// - Throws: ``LapisError/invalidOption(_:value:allowed:)`` naming the first bad option.
    public func validate() throws {
        try TextAnalyzer.validate(longestNgram: analyzer.ngramRange.upperBound)
        if analyzer.ngramRange.lowerBound < 1 { try TextAnalyzer.validate(longestNgram: analyzer.ngramRange.lowerBound) }
        if vocabulary.minDocumentCount < 1 {
            throw LapisError.invalidOption(.minimumDocumentCount, value: "\(vocabulary.minDocumentCount)", allowed: "a whole number of documents, at least 1")
        }
        if !(vocabulary.maxDocumentFraction > 0 && vocabulary.maxDocumentFraction <= 1) {
            throw LapisError.invalidOption(.maximumDocumentFraction, value: "\(vocabulary.maxDocumentFraction)", allowed: "a fraction in (0, 1]")
        }
        if let maxTerms = vocabulary.maxTerms, maxTerms < 1 {
            throw LapisError.invalidOption(.maximumTerms, value: "\(maxTerms)", allowed: "at least 1")
        }
        try logistic.validate()
        if thresholdFolds < 0 || thresholdFolds == 1 || thresholdFolds > 20 {
            throw LapisError.invalidOption(.thresholdFolds, value: "\(thresholdFolds)", allowed: "0 or 2 to 20 (0: no threshold tuning)")
        }
        if !(thresholdBeta >= 0.1 && thresholdBeta <= 10) {
            throw LapisError.invalidOption(.thresholdBeta, value: "\(thresholdBeta)", allowed: "from 0.1 to 10")
        }
        if thresholdRepeats < 1 || thresholdRepeats > 20 {
            throw LapisError.invalidOption(.thresholdRepeats, value: "\(thresholdRepeats)", allowed: "1 to 20")
        }
        if let foldIterations, foldIterations < 1 || foldIterations > logistic.maxIterations {
            throw LapisError.invalidOption(.foldIterations, value: "\(foldIterations)",
                                           allowed: "1 to the full fits' iteration limit (\(logistic.maxIterations))")
        }
        if let passageSentences, passageSentences < 1 || passageSentences > 20 {
            throw LapisError.invalidOption(.passageSentences, value: "\(passageSentences)", allowed: "1 to 20 sentences")
        }
        if passageSentences != nil && multiclass {
            throw LapisError.invalidOption(.passageSentences, value: "\(passageSentences!)", allowed: "none with single-label (multiclass) training")
        }
        if titleRepeats < 0 || titleRepeats > 10 {
            throw LapisError.invalidOption(.titleRepeats, value: "\(titleRepeats)", allowed: "0 to 10")
        }
    }

    /// Trains a classifier on labelled documents. Labels are those found in the data, or
    /// `labels` when given (then a document naming any other label is an error). `progress`
    /// hears when vectorising starts and of every fitted logistic regression (see
    /// ``OneVsRestClassifier/fit(_:labelSets:labels:progress:)``).
    ///
    /// The documents are consumed: a caller that passes its last reference to them (as
    /// `fit(consume documents)`) has their text freed once its terms are counted, before the
    /// feature matrix is built and the fits run.
    public func fit(_ documents: consuming [Document], labels: [String]? = nil, progress: ProgressHandler? = nil) throws -> TopicClassifier {
        var training = try batchedFit(labels: labels)
        try training.add(consume documents)
        return try training.finish(progress: progress)
    }
}

/// The name the options had before they became the estimator.
@available(*, deprecated, renamed: "TopicClassifierOptions")
public typealias TrainingOptions = TopicClassifierOptions

/// The labels and probabilities predicted for one story.
public struct TopicPrediction: Sendable, Equatable {
    /// The predicted labels, in model order.
    public var labels: [String]
    /// The probability of every label, by name. Built from ``probabilities`` on each access:
    /// in loops over many stories prefer ``probabilities``.
    public var scores: [String: Float] { Dictionary(uniqueKeysWithValues: zip(labelOrder, probabilities)) }
    /// The probability of every label, in model order (``TopicClassifier/labels``).
    public var probabilities: [Float]
    /// The model's labels, the order of ``probabilities`` (shared, not copied, per story).
    let labelOrder: [String]

    /// Label positions (in ``probabilities``) from the most probable down; equal
    /// probabilities keep model order.
    public var rankedLabelIndices: [Int] { probabilities.indicesByDescendingValue() }
}

/// A trained multi-label topic classifier: TF-IDF features and one logistic regression per label.
///
/// ```swift
/// let classifier = try TopicClassifierOptions().fit(documents)
/// let prediction = classifier.predict(Document(id: "1", text: story))
/// print(prediction.labels)
/// try classifier.save(to: "topics.lapis")
/// ```
public struct TopicClassifier: Sendable, Equatable {
    /// Turns text into features.
    public let vectorizer: TfidfVectorizer
    /// The per-label weights and thresholds.
    public let model: MultiLabelLinearModel
    /// The options it was trained with.
    public let options: TopicClassifierOptions
    /// Facts about the training data.
    public let provenance: Provenance

    /// Facts about the data a model was trained on.
    public struct Provenance: Sendable, Codable, Equatable {
        /// Number of training documents.
        public var documents: Int
        /// Training documents carrying each label.
        public var labelCounts: [String: Int]
        /// FNV-1a 64-bit fingerprint of the training texts and labels (hex).
        public var dataFingerprint: String
        /// Training documents that had a title (nil in models written before it was recorded).
        /// A model trained mostly on titled stories loses evidence on stories without one.
        public var documentsWithTitles: Int?
        /// The record fields the training data was read with, when the trainer recorded them
        /// (`lapis train` does): reading other data the same way is then the default.
        public var fields: FieldNames?

        /// Creates a provenance record.
        public init(documents: Int, labelCounts: [String: Int], dataFingerprint: String, documentsWithTitles: Int? = nil, fields: FieldNames? = nil) {
            self.documents = documents
            self.labelCounts = labelCounts
            self.dataFingerprint = dataFingerprint
            self.documentsWithTitles = documentsWithTitles
            self.fields = fields
        }

        /// Whether most training documents had a title.
        public var trainedMostlyWithTitles: Bool { (documentsWithTitles ?? 0) * 2 > documents }

        enum CodingKeys: String, CodingKey {
            case documents, labelCounts = "label_counts", dataFingerprint = "data_fingerprint"
            case documentsWithTitles = "documents_with_titles", fields
        }
    }

    /// This classifier with `fields` recorded as the fields its training data was read with,
    /// so that reading other data for it defaults to the same fields (see ``Provenance/fields``).
    public func recordingFields(_ fields: FieldNames) -> TopicClassifier {
        var provenance = provenance
        provenance.fields = fields
        return TopicClassifier(vectorizer: vectorizer, model: model, options: options, provenance: provenance)
    }

    /// The label names.
    public var labels: [String] { model.labels }

    /// Characters a label may not contain: the separators of label strings and of the text
    /// output (tab, newline, `,`, `;`, `|`) and control characters, which would break every
    /// tab-separated line the label appears on.
    static func labelNameProblem(_ label: String) -> String? {
        if label.isEmpty { return "a label is empty" }
        if label != label.trimmingWhitespace() { return "label '\(label)' starts or ends with white space" }
        if let bad = label.unicodeScalars.first(where: { $0.properties.generalCategory == .control || ",;|".unicodeScalars.contains($0) }) {
            return "label \(JSONText.string(label)) contains \(bad.value < 32 || bad.value == 127 ? "a control character (U+\(String(bad.value, radix: 16, uppercase: true)))" : "'\(bad)'"); labels may not contain tabs, line breaks, control characters or , ; |"
        }
        return nil
    }

    static func validateLabelNames(_ labels: [String]) throws {
        for (position, label) in labels.enumerated() {
            if label.isEmpty { throw LapisError.cannotTrain(reason: "label \(position + 1) of \(labels.count) is empty: the list has an extra separator") }
            if let problem = labelNameProblem(label) { throw LapisError.cannotTrain(reason: problem) }
        }
        var seen = Set<String>()
        for label in labels where !seen.insert(label).inserted {
            throw LapisError.cannotTrain(reason: "label '\(label)' is listed twice")
        }
    }

    /// What is wrong with the training data of each label that trains but cannot work well:
    /// no positive story (never predicted), a single one, or every story (always predicted).
    /// Empty when every label had some positives and some negatives.
    public var labelWarnings: [String] {
        labels.compactMap { label in
            let count = provenance.labelCounts[label] ?? 0
            switch count {
            case 0: return "label '\(label)': no training story carries it, so it is never predicted"
            case 1: return "label '\(label)': only one training story carries it; its model and threshold are guesses"
            case provenance.documents: return "label '\(label)': every training story carries it, so it is always predicted"
            default: return nil
            }
        }
    }

    /// Creates a classifier from its parts.
    public init(vectorizer: TfidfVectorizer, model: MultiLabelLinearModel, options: TopicClassifierOptions, provenance: Provenance) {
        self.vectorizer = vectorizer
        self.model = model
        self.options = options
        self.provenance = provenance
    }

    /// The text the features are computed from: the title (repeated) and the body.
    static func featureText(_ document: Document, titleRepeats: Int) -> String {
        guard let title = document.title, !title.isEmpty, titleRepeats > 0 else { return document.text }
        return String(repeating: title + "\n", count: titleRepeats) + document.text
    }

    /// Predicts the labels of one document.
    public func predict(_ document: Document) -> TopicPrediction {
        predict([document])[0]
    }

    /// Predicts the labels of many documents, using all cores; `decision` overrides the
    /// model's own rule (see ``LabelDecision``).
    public func predict(_ documents: [Document], decision: LabelDecision = .model) -> [TopicPrediction] {
        predict(documents, decision: decision) { $1 }
    }

    /// Predicts the labels of many documents and passes each document with its prediction
    /// through `transform`, all on the worker threads; results are in document order. For
    /// work per story that costs as much as predicting it, such as formatting output lines.
    public func predict<Result: Sendable>(_ documents: [Document], decision: LabelDecision = .model,
                                          transform: @Sendable (Document, TopicPrediction) -> Result) -> [Result] {
        let features: SparseMatrix
        let passages: [[Float]]?
        if let count = options.passageSentences {
            let scored = Parallel.map(documents, minimumChunk: 16) { passageScores($0, sentences: count) }
            features = TfidfVectorizer.assemble(scored.map(\.whole), columnCount: vectorizer.vocabulary.count)
            passages = scored.map(\.bestPassage)
        } else {
            features = vectorizer.transform(documents.map { Self.featureText($0, titleRepeats: options.titleRepeats) })
            passages = nil
        }
        return Parallel.map(Array(0..<features.rowCount), minimumChunk: 32) { row in
            var probabilities = model.probabilities(features, row: row)
            if let passages { probabilities = Self.combining(whole: probabilities, passage: passages[row]) }
            let hasEvidence = features.rowStarts[row + 1] > features.rowStarts[row]
            return transform(documents[row], TopicPrediction(labels: model.predictedLabels(probabilities: probabilities, hasEvidence: hasEvidence,
                                                                                           decision: decision),
                                                             probabilities: probabilities, labelOrder: model.labels))
        }
    }
}

extension TopicClassifier {
    /// Each label's probability from the whole story and from its best passage: their mean.
    static func combining(whole: [Float], passage: [Float]) -> [Float] {
        zip(whole, passage).map { ($0 + $1) / 2 }
    }

    /// The passages of `document` that passage scoring reads: every run of `sentences`
    /// consecutive sentences (by ``SentenceSplitter``), each with the story's title; a story
    /// with fewer sentences is one passage.
    static func passages(of document: Document, sentences count: Int) -> [Document] {
        let sentences = SentenceSplitter().sentences(document.text)
        guard sentences.count > count else {
            return [Document(id: document.id, title: document.title, text: sentences.joined(separator: " "))]
        }
        return (0...(sentences.count - count)).map { start in
            Document(id: document.id, title: document.title, text: sentences[start..<(start + count)].joined(separator: " "))
        }
    }

    /// The feature row of `document` as a whole and each label's highest probability over its
    /// passages (see ``passages(of:sentences:)``), from one analysis of its sentences. The
    /// whole story's row is the one ``TfidfVectorizer/transform(_:)`` gives its feature text.
    func passageScores(_ document: Document, sentences count: Int) -> (whole: [(Int32, Float)], bestPassage: [Float]) {
        let prefix = Self.featureText(Document(id: document.id, title: document.title, text: ""), titleRepeats: options.titleRepeats)
        let sentences = SentenceSplitter().sentences(document.text)
        if let story = vectorizer.localStoryPieces(prefix: prefix, sentences: sentences) {
            let scorer = PassageScorer(model: model, idf: vectorizer.idf, sublinearTF: vectorizer.sublinearTF)
            return (story.whole, scorer.bestProbabilities(story.pieces, window: count))
        }
        // Trigram models: each passage's row.
        let rows = vectorizer.storyRows(prefix: prefix, sentences: sentences, window: count)
        var best = [Float](repeating: 0, count: model.labels.count)
        for row in rows.passages {
            for (label, probability) in model.probabilities(row: row).enumerated() where probability > best[label] {
                best[label] = probability
            }
        }
        return (rows.whole, best)
    }
}
