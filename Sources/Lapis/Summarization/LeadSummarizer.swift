/// The Lead-N baseline: the first sentences of the story. Strong on news, which puts the
/// most important facts first.
public struct LeadSummarizer: Summarizer {
    public let name = "lead"

    /// Creates the baseline.
    public init() {}

    public func scores(sentences: [String], title: String?) -> [Double] {
        sentences.indices.map { -Double($0) }
    }
}
