import ArgumentParser
import Foundation
import Lapis
import LapisReports

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a classifier on labelled data (per-label and micro/macro precision, recall, F1).",
        discussion: """
        Labels of the data the model does not know count as misses (see --model-labels-only).
        --json prints {"micro", "macro", "weighted", "samples": {"precision", "recall", "f1"},
        "labels": {"name": {"precision", "recall", "f1", "support", "average_precision",
        "threshold", ...}}, "accuracy", "hamming_loss", "single_label", ...}; with --top K also
        "at_k": {"k", "precision", "recall"}.

        Examples:
          lapis evaluate --data test.jsonl
          lapis evaluate --model reuters.lapis --data test.jsonl --label-field topics --json
          lapis evaluate --data test.jsonl --report report.html
          lapis evaluate summaries --data stories.jsonl --reference-field highlights
        """,
        subcommands: [EvaluateClassifier.self, EvaluateSummaries.self],
        defaultSubcommand: EvaluateClassifier.self
    )
}

struct EvaluateClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "Evaluate a topic classifier (the default).",
        discussion: """
        Examples:
          lapis evaluate classifier --data test.jsonl
          lapis evaluate classifier --model reuters.lapis --data test.jsonl --label-field topics --json
        """
    )

    @OptionGroup var model: ModelOption

    @Option(name: .long, help: "Labelled data file or folder.")
    var data: String

    @Option(name: .customLong("label-field"), help: "Field holding the true labels.")
    var labelField: String = "labels"

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .long, help: "Also write a self-contained HTML report (table, precision-recall curves, label heat map, worst errors) to this file.")
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Also report precision@K and recall@K of the K most probable labels.", valueName: "K"))
    var top: Int?

    @Flag(name: .customLong("model-labels-only"), help: "Average over the model's labels only (the Reuters-90 convention); by default the data's labels the model does not know count too, each instance a miss.")
    var modelLabelsOnly = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1 (got \(top))") }
        try Destination.mustDiffer(report, flag: "--report", from: [("--data", data), ("--model", model.model),
                                                                    ("--only-ids", input.onlyIDs), ("--exclude-ids", input.excludeIDs)])
    }

    func run() throws {
        let classifier = try model.load()
        let documents = try input.readAll(data, labels: labelField)
        if documents.allSatisfy({ $0.labels == nil }) {
            // Plain text carries no labels: a table of zeros would look like a real result.
            throw LapisError.noDocuments(path: data, reason: "no story has a '\(labelField)' field to evaluate against; give JSONL or CSV with that field (or --label-field), or label folders")
        }
        let known = Set(classifier.labels)
        let unknown = Set(documents.flatMap { $0.labels ?? [] }).subtracting(known).sorted()
        if !unknown.isEmpty {
            Output.note("warning: \(unknown.count) label(s) of the data are not in the model and count as misses: \(unknown.joined(separator: ", "))")
        }
        let predictions = classifier.predict(documents)
        if let path = self.report {
            let page = ClassificationHTMLReport(classifier: classifier, documents: documents, predictions: predictions,
                                                metadata: ReportMetadata(model: model.model ?? "built-in model", data: input.describe(data)),
                                                averagesOverModelLabelsOnly: modelLabelsOnly)
            try AtomicFile.write(page.render(), to: path)
            Output.note("wrote the report to \(path)")
        }
        let truth = documents.map { Set($0.labels ?? []) }
        let report = ClassificationReport(labels: classifier.labels, truth: truth,
                                          predicted: predictions.map { Set($0.labels) }, averagesOverModelLabelsOnly: modelLabelsOnly)
        let probabilities = predictions.map(\.probabilities)
        let atK = top.map { RankingAtK(k: $0, labels: classifier.labels, probabilities: probabilities, truth: truth) }
        if json {
            let ranking = LabelRanking.of(labels: classifier.labels, thresholds: classifier.model.thresholds, probabilities: probabilities, truth: truth)
            var text = report.json(ranking: ranking)
            if let atK {
                text = String(text.dropLast()) + ", \"at_k\": {\"k\": \(atK.k), \"precision\": \(Output.number(atK.precision)), \"recall\": \(Output.number(atK.recall))}}"
            }
            try Output.standardOutput(text + "\n")
        } else {
            var text = report.table()
            if let atK { text += "\nprecision@\(atK.k) \(String(format: "%.4f", atK.precision)), recall@\(atK.k) \(String(format: "%.4f", atK.recall))" }
            try Output.standardOutput(text + "\n")
        }
    }
}

struct EvaluateSummaries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summaries",
        abstract: "ROUGE-1/2/L/Lsum of summaries against references (rouge-score compatible, stemming on).",
        discussion: """
        The reference field holds a string (one sentence per line), a list of sentences, or a list
        of sentence indices into the story (as TrainingData's summary_sentences). Without
        --candidate-field, each --method summarises the stories and is scored (default: lead,
        lexrank, textrank, default). Scores are F1 × 100 averaged over stories in text output;
        --json gives precision, recall and F1 in [0, 1].

        Examples:
          lapis evaluate summaries --data TrainingData/corpus.jsonl --reference-field summary_sentences
          lapis evaluate summaries --data pairs.jsonl --reference-field ref --candidate-field cand --per-story --json
        """
    )

    @Option(name: .long, help: "Data file with stories and references.")
    var data: String

    @Option(name: .customLong("reference-field"), help: "Field holding the reference summary.")
    var referenceField: String

    @Option(name: .customLong("candidate-field"), help: "Field holding a ready summary to score (one sentence per line).")
    var candidateField: String?

    @Option(name: .long, help: "Summarizer to score (repeatable).")
    var method: [SummaryMethod] = []

    @Option(name: .long, parsing: .unconditional, help: "Sentences per summary (1 to 100).")
    var sentences: Int = 3

    @Option(name: .customLong("summarizer-model"), help: "Also score a sentence-scorer model from `lapis train-summarizer` (as \"supervised\").")
    var summarizerModel: String?

    @Flag(name: .customLong("per-story"), help: "Include every story's scores (JSON only).")
    var perStory = false

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Option(name: .long, help: "Also write a self-contained HTML report (ROUGE per method, stories with the picked sentences highlighted) to this file.")
    var report: String?

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard (1...100).contains(sentences) else { throw ValidationError("--sentences must be a whole number from 1 to 100 (got \(sentences))") }
        if candidateField != nil && !method.isEmpty { throw ValidationError("give either --candidate-field or --method, not both") }
        if perStory && !json { throw ValidationError("--per-story needs --json") }
        try Destination.mustDiffer(report, flag: "--report", from: [("--data", data), ("--summarizer-model", summarizerModel),
                                                                    ("--only-ids", input.onlyIDs), ("--exclude-ids", input.excludeIDs)])
    }

    func run() throws {
        let documents = try input.readAll(data, extra: [referenceField] + (candidateField.map { [$0] } ?? []),
                                          requiresText: candidateField == nil)
        let references = try SummaryEvaluation.references(documents, field: referenceField)
        var systems: [(name: String, summaries: [String])] = []
        if let candidateField {
            systems.append((candidateField, documents.map { $0.extraFields[candidateField] ?? "" }))
        } else {
            let methods = method.isEmpty && summarizerModel == nil ? SummaryEvaluation.defaultMethods : method.map(\.rawValue)
            for name in methods {
                systems.append((name, SummaryEvaluation.summaries(of: documents, by: SummarizerCatalog.summarizer(named: name)!, count: sentences)))
            }
            if let summarizerModel {
                systems.append(("supervised", SummaryEvaluation.summaries(of: documents, by: try SupervisedSummarizer.load(path: summarizerModel), count: sentences)))
            }
        }
        let report = SummaryEvaluation.score(systems, references: references, ids: documents.map(\.id))
        if let path = self.report {
            let page = SummaryHTMLReport(rouge: report, documents: documents, summaries: systems.map(\.summaries), references: references,
                                         metadata: ReportMetadata(model: systems.map(\.name).joined(separator: ", "), data: input.describe(data)))
            try AtomicFile.write(page.render(), to: path)
        }
        try Output.standardOutput((json ? report.json(perStory: perStory) : report.table()) + "\n")
    }
}

extension InputOptions {
    /// The data's name for a report title: the path and any id filters.
    func describe(_ path: String) -> String {
        path + (onlyIDs.map { " (only ids in \($0))" } ?? "") + (excludeIDs.map { " (without ids in \($0))" } ?? "")
    }
}
