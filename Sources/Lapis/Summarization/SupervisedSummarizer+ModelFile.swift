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

    static let kindName = ModelKind.sentenceScorer.rawValue

    enum CodingKeys: String, CodingKey {
        case kind, features, means, deviations, redundancyPenalty = "redundancy_penalty", trainingDocuments = "training_documents"
        case lengthExponent = "length_exponent"
    }
}

extension SupervisedSummarizer: LapisModel {
    /// ``ModelKind/sentenceScorer``.
    public static var kind: ModelKind { .sentenceScorer }

    /// The scorer as a ``ModelFile``, in the same container format as topic models.
    public func modelFile() throws -> ModelFile {
        let metadata = SummarizerMetadata(kind: SummarizerMetadata.kindName, features: SentenceFeatures.names, means: means,
                                          deviations: deviations, redundancyPenalty: redundancyPenalty, trainingDocuments: trainingDocuments,
                                          lengthExponent: lengthExponent)
        return try ModelFile(metadata: metadata, arrays: [("weights", weights.map(Float.init)), ("bias", [Float(bias)])])
    }

    /// Rebuilds a scorer from a sentence-scorer file, checking that its features are this Lapis's.
    public init(checking file: ModelFile, path: String) throws {
        let metadata = try file.decodeMetadata(SummarizerMetadata.self, path: path)
        let count = SentenceFeatures.names.count
        guard metadata.features == SentenceFeatures.names, metadata.means.count == count, metadata.deviations.count == count,
              metadata.deviations.allSatisfy({ $0 > 0 && $0.isFinite }), metadata.means.allSatisfy(\.isFinite),
              metadata.redundancyPenalty >= 0, (metadata.lengthExponent ?? 0) >= 0, (metadata.lengthExponent ?? 0).isFinite else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("the sentence features do not match this lapis"))
        }
        let weights = try file.array("weights", count: count, path: path)
        let bias = try file.array("bias", count: 1, path: path)
        self.init(weights: weights.map(Double.init), bias: Double(bias[0]), means: metadata.means,
                  deviations: metadata.deviations, redundancyPenalty: metadata.redundancyPenalty,
                  lengthExponent: metadata.lengthExponent ?? 0, trainingDocuments: max(metadata.trainingDocuments, 0))
    }

    /// Features by weight, largest magnitude first (weights are on standardised features, so comparable).
    func rankedFeatures() -> [Int] {
        weights.indices.sorted { abs(weights[$0]) > abs(weights[$1]) }
    }

    public func summaryText(top: Int, path: String?) -> String {
        let names = Self.featureNames
        let width = names.map(\.count).max() ?? 0
        var lines = [
            "sentence scorer (lapis train-summarizer), used by: lapis summarize --model \(path ?? "")",
            "selection:     P(summary) × words^\(JSONText.number(lengthExponent, decimals: 2)), MMR redundancy penalty \(JSONText.number(redundancyPenalty, decimals: 2))",
            "bias:          \(JSONText.number(bias))",
            "feature weights (standardised features), largest first:",
        ]
        for index in rankedFeatures() {
            let name = names[index].padding(toLength: width, withPad: " ", startingAt: 0)
            let weight = weights[index]
            lines.append("  \(name)  \(weight >= 0 ? "+" : "")\(JSONText.number(weight))   (mean \(JSONText.number(means[index])), sd \(JSONText.number(deviations[index])))")
        }
        return lines.joined(separator: "\n")
    }

    public func summaryJSON(top: Int) throws -> String {
        let names = Self.featureNames
        let features = rankedFeatures().map { index in
            "{\"name\": \(JSONText.string(names[index])), \"weight\": \(JSONText.number(weights[index])), "
                + "\"mean\": \(JSONText.number(means[index])), \"deviation\": \(JSONText.number(deviations[index]))}"
        }
        return "{\"kind\": \"sentence-scorer\", \"length_exponent\": \(JSONText.number(lengthExponent)), "
            + "\"redundancy_penalty\": \(JSONText.number(redundancyPenalty)), \"bias\": \(JSONText.number(bias)), "
            + "\"features\": [\(features.joined(separator: ", "))]}"
    }
}
