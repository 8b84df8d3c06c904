import Foundation

/// What a summarizer model file's metadata holds.
struct SummarizerMetadata: Codable {
    var kind: String
    var features: [String]
    var means: [Double]
    var deviations: [Double]
    var redundancyPenalty: Double
    var trainingDocuments: Int
    /// Absent in files written before selection weighed length: those rank by probability (0).
    var lengthExponent: Double?

    static let kindName = "sentence-scorer"

    enum CodingKeys: String, CodingKey {
        case kind, features, means, deviations, redundancyPenalty = "redundancy_penalty", trainingDocuments = "training_documents"
        case lengthExponent = "length_exponent"
    }
}

extension SupervisedSummarizer {
    /// Saves the summarizer atomically, in the same container format as topic models.
    public func save(to path: String, trainingDocuments: Int) throws {
        let metadata = SummarizerMetadata(kind: SummarizerMetadata.kindName, features: SentenceFeatures.names, means: means,
                                          deviations: deviations, redundancyPenalty: redundancyPenalty, trainingDocuments: trainingDocuments,
                                          lengthExponent: lengthExponent)
        try ModelFile(metadata: metadata, arrays: [("weights", weights.map(Float.init)), ("bias", [Float(bias)])]).write(to: path)
    }

    /// Loads a summarizer saved by ``save(to:trainingDocuments:)``.
    public static func load(path: String) throws -> SupervisedSummarizer {
        let file = try ModelFile.read(path: path)
        if let kind = file.kind, kind != SummarizerMetadata.kindName {
            throw LapisError.invalidModel(path: path, problem: .wrongKind(found: kind, expected: SummarizerMetadata.kindName))
        }
        let metadata = try file.decodeMetadata(SummarizerMetadata.self, path: path)
        let count = SentenceFeatures.names.count
        guard metadata.features == SentenceFeatures.names, metadata.means.count == count, metadata.deviations.count == count,
              metadata.deviations.allSatisfy({ $0 > 0 && $0.isFinite }), metadata.means.allSatisfy(\.isFinite),
              metadata.redundancyPenalty >= 0, (metadata.lengthExponent ?? 0) >= 0, (metadata.lengthExponent ?? 0).isFinite else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("the sentence features do not match this lapis"))
        }
        let weights = try file.array("weights", count: count, path: path)
        let bias = try file.array("bias", count: 1, path: path)
        return SupervisedSummarizer(weights: weights.map(Double.init), bias: Double(bias[0]), means: metadata.means,
                                    deviations: metadata.deviations, redundancyPenalty: metadata.redundancyPenalty,
                                    lengthExponent: metadata.lengthExponent ?? 0)
    }
}
