import Foundation
import LapisDefaultModel

/// What a classifier model file's metadata holds.
struct ClassifierMetadata: Codable {
    var kind: String
    var labels: [String]
    var vocabulary: [String]
    var options: TopicClassifierOptions
    var provenance: TopicClassifier.Provenance
    /// See ``MultiLabelLinearModel/minimumLabels`` (absent in models written before it existed: 0).
    var minimumLabels: Int?

    static let kindName = ModelKind.topicClassifier.rawValue

    enum CodingKeys: String, CodingKey {
        case kind, labels, vocabulary, options, provenance, minimumLabels = "minimum_labels"
    }

    init(kind: String, labels: [String], vocabulary: [String], options: TopicClassifierOptions, provenance: TopicClassifier.Provenance, minimumLabels: Int?) {
        self.kind = kind
        self.labels = labels
        self.vocabulary = vocabulary
        self.options = options
        self.provenance = provenance
        self.minimumLabels = minimumLabels
    }

    /// The decoder's `userInfo` may carry the vocabulary already read by
    /// ``JSONStringArrayScanner`` (see ``decode(_:path:)``); the field must still be there.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        labels = try container.decode([String].self, forKey: .labels)
        if let scanned = decoder.userInfo[Self.scannedVocabulary] as? [String], container.contains(.vocabulary) {
            vocabulary = scanned
        } else {
            vocabulary = try container.decode([String].self, forKey: .vocabulary)
        }
        options = try container.decode(TopicClassifierOptions.self, forKey: .options)
        provenance = try container.decode(TopicClassifier.Provenance.self, forKey: .provenance)
        minimumLabels = try container.decodeIfPresent(Int.self, forKey: .minimumLabels)
    }

    static let scannedVocabulary = CodingUserInfoKey(rawValue: "lapis.scannedVocabulary")!

    /// The metadata of `file`, with the vocabulary (most of a large model's metadata) read by
    /// the fast scanner when it can; the full decoder still reads and checks everything else.
    static func decode(_ file: ModelFile, path: String) throws -> ClassifierMetadata {
        guard let scanned = JSONStringArrayScanner.strings(field: CodingKeys.vocabulary.rawValue, in: file.metadataJSON) else {
            return try file.decodeMetadata(ClassifierMetadata.self, path: path, userInfo: [:])
        }
        // The decoder gets the metadata with an empty vocabulary in its place: it still checks
        // everything else, and no longer scans tens of thousands of terms only to skip them.
        var json = file.metadataJSON
        if let range = JSONStringArrayScanner.valueRange(field: CodingKeys.vocabulary.rawValue, in: json) {
            json.replaceSubrange(range, with: Array("[]".utf8))
        }
        return try file.decodeMetadata(ClassifierMetadata.self, path: path, userInfo: [scannedVocabulary: scanned], json: json)
    }
}

extension TopicClassifier: LapisModel {
    /// ``ModelKind/topicClassifier``.
    public static var kind: ModelKind { .topicClassifier }

    /// The model as a ``ModelFile``.
    public func modelFile() throws -> ModelFile {
        let metadata = ClassifierMetadata(kind: ClassifierMetadata.kindName, labels: labels, vocabulary: vectorizer.vocabulary.terms,
                                          options: options, provenance: provenance,
                                          minimumLabels: model.minimumLabels)
        // Phrase groups need format 2: a reader from before them would ignore the groups.
        return try ModelFile(metadata: metadata, arrays: [
            ("idf", vectorizer.idf), ("weights", model.weights), ("biases", model.biases), ("thresholds", model.thresholds),
        ], version: vectorizer.analyzer.phraseGroups.isEmpty ? 1 : 2)
    }

    /// The default four-topic model shipped with Lapis: the one built into the binary, or the
    /// file named by `LAPIS_DEFAULT_MODEL` when that is set.
    public static func loadDefault() throws -> TopicClassifier {
        if let path = DefaultModelResource.overridePath { return try load(path: path) }
        return try load(bytes: DefaultModelResource.embeddedBytes, name: DefaultModelResource.embeddedName)
    }

    /// Rebuilds a classifier from a topic-classifier file, checking every array and option.
    public init(checking file: ModelFile, path: String) throws {
        let metadata = try ClassifierMetadata.decode(file, path: path)
        let featureCount = metadata.vocabulary.count
        let labelCount = metadata.labels.count
        guard labelCount > 0, Set(metadata.labels).count == labelCount else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("labels are empty or repeated"))
        }
        let vocabulary = Vocabulary(metadata.vocabulary)
        // Vocabulary keeps strictly increasing terms as they are and otherwise sorts and
        // de-duplicates them: fewer terms means repeats, other terms a wrong order.
        guard vocabulary.count == featureCount else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("vocabulary terms are repeated"))
        }
        guard vocabulary.terms == metadata.vocabulary else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("vocabulary is not in canonical order"))
        }
        let (product, overflow) = featureCount.multipliedReportingOverflow(by: labelCount)
        guard !overflow else { throw LapisError.invalidModel(path: path, problem: .corrupt("weight matrix size overflows")) }
        let idf = try file.array("idf", count: featureCount, path: path)
        let weights = try file.array("weights", count: product, path: path)
        let biases = try file.array("biases", count: labelCount, path: path)
        let thresholds = try file.array("thresholds", count: labelCount, path: path)
        guard thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("thresholds must lie in [0, 1]"))
        }
        // Options stored in a file are the file's problem, not a command-line option's.
        do {
            try metadata.options.validate()
        } catch let error as LapisError {
            throw LapisError.invalidModel(path: path, problem: .corrupt("stored training options are invalid (\(error))"))
        }
        let vectorizer = TfidfVectorizer(analyzer: metadata.options.analyzer, vocabulary: vocabulary, idf: idf, sublinearTF: metadata.options.sublinearTF)
        let minimumLabels = metadata.minimumLabels ?? 0
        guard (0...labelCount).contains(minimumLabels) else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("minimumLabels must lie in 0...\(labelCount)"))
        }
        let model = MultiLabelLinearModel(labels: metadata.labels, featureCount: featureCount, weights: weights, biases: biases,
                                          thresholds: thresholds, minimumLabels: minimumLabels, singleLabel: metadata.options.multiclass)
        // A loaded model is there to predict: the n-gram index builds while the caller reads input.
        vectorizer.prepareInBackground()
        self.init(vectorizer: vectorizer, model: model, options: metadata.options, provenance: metadata.provenance)
    }
}

extension TopicClassifier {
    public func summaryText(top: Int, path: String?) -> String {
        ModelSummary(self).text(topFeatures: top)
    }

    public func summaryJSON(top: Int) throws -> String {
        try ModelSummary(self).json(topFeatures: top)
    }
}
