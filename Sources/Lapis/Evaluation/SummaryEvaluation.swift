/// ROUGE of summaries against references over a set of stories: what
/// `lapis evaluate summaries` measures, callable from Swift.
///
/// ```swift
/// let references = try SummaryEvaluation.references(stories, field: "highlights")
/// let report = SummaryEvaluation.score(SummaryEvaluation.summaries(of: stories, by: LeadSummarizer(), count: 3),
///                                      named: "lead", references: references, ids: stories.map(\.id))
/// ```
public enum SummaryEvaluation {
    /// The methods compared when none is named: the baselines and the default.
    public static let defaultMethods = ["lead", "lexrank", "textrank", "default"]

    /// Each story's reference from its `field`: text as it is (empty when absent), or sentence
    /// indices (as TrainingData's `summary_sentences`) resolved against the story's sentences.
    /// - Throws: ``LapisError/malformedRecord(path:line:reason:)`` for an index outside its story.
    public static func references(_ documents: [Document], field: String) throws -> [String] {
        let splitter = SentenceSplitter()
        return try documents.map { document in
            let reference = SupervisedSummarizer.Reference(document: document, field: field)
            guard case .sentenceIndices = reference else { return reference.text(sentences: []) }
            return try reference.text(sentences: splitter.sentences(document.text), of: document, field: field)
        }
    }

    /// Each story's summary by `summarizer`, its sentences joined by line breaks (the form
    /// ROUGE-Lsum splits on).
    public static func summaries(of documents: [Document], by summarizer: any Summarizer, count: Int) -> [String] {
        summarizer.summarize(documents, count: count).map { $0.joined(separator: "\n") }
    }

    /// Scores several systems' summaries (`systems`: name and one summary per story) against
    /// `references`, one report.
    public static func score(_ systems: [(name: String, summaries: [String])], references: [String], ids: [String]) -> RougeReport {
        let scorer = RougeScorer()
        return RougeReport(ids: ids, systems: systems.map { RougeReport.System(name: $0.name, scores: scorer.score(candidates: $0.summaries, references: references)) })
    }
}
