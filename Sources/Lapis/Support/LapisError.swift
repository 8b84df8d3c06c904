/// Everything that can go wrong in Lapis, each case saying what happened and how to fix it.
public enum LapisError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A file could not be written.
    case unwritableFile(path: String, reason: String)
    /// A record of a JSONL or CSV file is malformed.
    case malformedRecord(path: String, line: Int, reason: String)
    /// A record lacks a required field.
    case missingField(path: String, line: Int, field: String, available: [String])
    /// A field has the wrong type.
    case wrongFieldType(path: String, line: Int, field: String, expected: String)
    /// A record names labels the model does not know.
    case unknownLabels(path: String, line: Int, labels: [String], known: [String])
    /// A phrase-groups file (``PhraseGroups``) is malformed at `line`.
    case invalidPhraseList(path: String, line: Int, reason: String)
    /// No usable record was found.
    case noDocuments(path: String, reason: String)
    /// A model file is not a valid Lapis model.
    case invalidModel(path: String, problem: ModelFileProblem)
    /// An option has a value that is not allowed; `allowed` says what is.
    case invalidOption(_ option: OptionKey, value: String, allowed: String)
    /// Training cannot proceed with this data.
    case cannotTrain(reason: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unwritableFile(path, reason):
            return "cannot write \(path): \(reason)"
        case let .malformedRecord(path, line, reason):
            return "\(path):\(line): malformed record: \(reason)"
        case let .missingField(path, line, field, available):
            let fields = available.isEmpty ? "none" : available.sorted().joined(separator: ", ")
            return "\(path):\(line): missing field '\(field)' (fields present: \(fields)); name the field that holds it"
        case let .wrongFieldType(path, line, field, expected):
            return "\(path):\(line): field '\(field)' must be \(expected)"
        case let .unknownLabels(path, line, labels, known):
            return "\(path):\(line): unknown label(s) \(labels.joined(separator: ", ")); the model knows: \(known.joined(separator: ", "))"
        case let .invalidPhraseList(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .noDocuments(path, reason):
            return "\(path): no documents: \(reason)"
        case let .invalidModel(path, problem):
            return "\(path): not a usable Lapis model: \(problem)"
        case let .invalidOption(option, value, allowed):
            return "invalid \(option) '\(value)': must be \(allowed)"
        case let .cannotTrain(reason):
            return "cannot train: \(reason)"
        }
    }
}

/// Why a model file was rejected.
public enum ModelFileProblem: Equatable, CustomStringConvertible, Sendable {
    /// The file does not start with the Lapis magic bytes.
    case wrongMagic
    /// The file was written by a newer Lapis.
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The file is shorter than its header says.
    case truncated(expectedBytes: UInt64, actualBytes: UInt64)
    /// The file has bytes after the declared end.
    case trailingBytes(expectedBytes: UInt64, actualBytes: UInt64)
    /// The checksum of the contents does not match the header.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// The metadata or arrays are inconsistent.
    case corrupt(String)
    /// The model is of another kind than expected (e.g. a summarizer where a classifier was wanted).
    case wrongKind(found: String, expected: String)

    public var description: String {
        switch self {
        case .wrongMagic:
            return "it does not start with the Lapis model signature (is it a model file at all?)"
        case let .unsupportedVersion(found, supported):
            return "format version \(found) is newer than this lapis understands (\(supported)); upgrade lapis"
        case let .truncated(expected, actual):
            return "truncated: the header declares \(expected) bytes but the file has \(actual); copy or retrain it"
        case let .trailingBytes(expected, actual):
            return "\(actual - expected) unexpected bytes after the declared end (\(expected) bytes)"
        case let .checksumMismatch(stored, computed):
            return "checksum mismatch (stored \(String(stored, radix: 16)), computed \(String(computed, radix: 16))): the file is corrupted"
        case let .corrupt(reason):
            return "corrupt contents: \(reason)"
        case let .wrongKind(found, expected):
            return "it is a \(found) model, but a \(expected) model is needed"
        }
    }
}

/// An option whose value the library checks, named by what it means rather than by any
/// command-line flag (the `lapis` CLI maps each to its flag).
public enum OptionKey: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The longest n-gram (``TextAnalyzer/ngramRange``).
    case ngrams
    /// ``VocabularyOptions/minDocumentCount``.
    case minimumDocumentCount
    /// ``VocabularyOptions/maxDocumentFraction``.
    case maximumDocumentFraction
    /// ``VocabularyOptions/maxTerms``.
    case maximumTerms
    /// The inverse regularisation strength ``LogisticRegression/c``.
    case regularization
    /// The optimiser's iteration limit ``LogisticRegression/maxIterations``.
    case maximumIterations
    /// The optimiser's stopping tolerance ``LogisticRegression/tolerance``.
    case tolerance
    /// ``TopicClassifierOptions/thresholdFolds``.
    case thresholdFolds
    /// ``TopicClassifierOptions/thresholdBeta``.
    case thresholdBeta
    /// ``TopicClassifierOptions/thresholdRepeats``.
    case thresholdRepeats
    /// ``TopicClassifierOptions/foldIterations``.
    case foldIterations
    /// ``TopicClassifierOptions/passageSentences``.
    case passageSentences
    /// ``TopicClassifierOptions/titleRepeats``.
    case titleRepeats
    /// The format of input bytes (``InputFormat``).
    case inputFormat

    public var description: String {
        switch self {
        case .ngrams: return "longest n-gram"
        case .minimumDocumentCount: return "minimum document count"
        case .maximumDocumentFraction: return "maximum document fraction"
        case .maximumTerms: return "maximum vocabulary size"
        case .regularization: return "inverse regularisation strength C"
        case .maximumIterations: return "iteration limit of the logistic regression fits"
        case .tolerance: return "stopping tolerance of the logistic regression fits"
        case .thresholdFolds: return "number of threshold folds"
        case .thresholdBeta: return "threshold F-beta"
        case .thresholdRepeats: return "number of threshold cross-validation runs"
        case .foldIterations: return "iteration limit of the threshold fold fits"
        case .passageSentences: return "passage length in sentences"
        case .titleRepeats: return "title weight"
        case .inputFormat: return "input format"
        }
    }
}
