import Foundation

/// The kinds of model a Lapis model file can hold, as its metadata's `kind` spells them.
public enum ModelKind: String, Sendable, CaseIterable {
    /// A ``TopicClassifier``.
    case topicClassifier = "topic-classifier"
    /// A ``SupervisedSummarizer`` (a sentence scorer).
    case sentenceScorer = "sentence-scorer"
}

/// A model stored in a Lapis model file (``ModelFile``): every model type saves, loads and
/// describes itself the same way.
///
/// ```swift
/// try classifier.save(to: "topics.lapis")
/// let again = try TopicClassifier.load(path: "topics.lapis")
/// print(again.summaryText(top: 5, path: "topics.lapis"))
/// ```
public protocol LapisModel: Sendable {
    /// The kind written in, and expected from, the file.
    static var kind: ModelKind { get }

    /// Rebuilds the model from a parsed file of this kind, checking every value; `path`
    /// names the file in errors. Use ``load(path:)`` or ``load(bytes:name:)``, which also
    /// check the kind.
    init(checking file: ModelFile, path: String) throws

    /// The model as a model file.
    func modelFile() throws -> ModelFile

    /// What `lapis inspect` prints: a readable account, with up to `top` features per list;
    /// `path` is where the model was read from, when it was.
    func summaryText(top: Int, path: String?) -> String

    /// The account as one JSON object.
    func summaryJSON(top: Int) throws -> String
}

extension LapisModel {
    /// Saves the model atomically: an interrupted save leaves any previous file intact.
    public func save(to path: String) throws {
        try modelFile().write(to: path)
    }

    /// Loads a model saved by ``save(to:)``.
    public static func load(path: String) throws -> Self {
        try load(modelFile: ModelFile.read(path: path), path: path)
    }

    /// Loads a model from the bytes of a model file already in memory; `name` stands in for
    /// the path in errors. Validates exactly as ``load(path:)`` does.
    public static func load(bytes: [UInt8], name: String) throws -> Self {
        try load(modelFile: ModelFile.parse(bytes, path: name), path: name)
    }

    /// The model in a parsed file, after checking that the file holds this kind.
    static func load(modelFile file: ModelFile, path: String) throws -> Self {
        if let kind = file.kind, kind != Self.kind.rawValue {
            throw LapisError.invalidModel(path: path, problem: .wrongKind(found: kind, expected: Self.kind.rawValue))
        }
        return try Self(checking: file, path: path)
    }
}

/// Whichever model a file holds, for tools that accept every kind (`lapis inspect`).
public enum AnyLapisModel: Sendable {
    case topicClassifier(TopicClassifier)
    case sentenceScorer(SupervisedSummarizer)

    /// Loads the file at `path` as the kind its metadata names (a topic classifier when it
    /// names none, as the first model files did).
    public static func load(path: String) throws -> AnyLapisModel {
        let file = try ModelFile.read(path: path)
        switch file.kind.flatMap(ModelKind.init(rawValue:)) {
        case .sentenceScorer: return .sentenceScorer(try SupervisedSummarizer.load(modelFile: file, path: path))
        case .topicClassifier, nil: return .topicClassifier(try TopicClassifier.load(modelFile: file, path: path))
        }
    }

    /// The model, as its protocol.
    public var model: any LapisModel {
        switch self {
        case .topicClassifier(let classifier): return classifier
        case .sentenceScorer(let scorer): return scorer
        }
    }
}
