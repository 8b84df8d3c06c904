import ArgumentParser
import Foundation
import Lapis
import LapisReports

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a classifier on labelled data (per-label and micro/macro precision, recall, F1).",
        discussion: """
        `lapis evaluate FILE...` is `lapis evaluate classifier FILE...`; `lapis evaluate summaries` scores summaries with ROUGE.
        """,
        subcommands: [EvaluateClassifier.self, EvaluateSummaries.self],
        defaultSubcommand: EvaluateClassifier.self
    )

    /// `lapis evaluate --help` shows the default subcommand's flags (what `lapis evaluate FILE`
    /// runs), then points at the other subcommand; ArgumentParser alone lists only the names.
    static func helpText(columns: Int?) -> String {
        LapisCommand.helpMessage(for: EvaluateClassifier.self, columns: columns)
            + "\n\nSUBCOMMANDS:\n  classifier (default)    Evaluate a topic classifier (this help).\n"
            + "  summaries               ROUGE of summaries against references; see\n"
            + "                          'lapis evaluate summaries --help'."
    }
}

/// `-f/--format` of the commands that print one result (a table, or one JSON object), with the
/// earlier `--json` flag kept as a hidden alias.
struct ReportFormatOption: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: "Output format: a table (text), or one JSON object on one line (json, jsonl).")
    var format: OutputFormat = .text

    @Flag(name: .long, help: .hidden)
    var json = false

    var isJSON: Bool { json || format.isJSON }
}

struct EvaluateClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "Evaluate a topic classifier (the default).",
        discussion: """
        Labels of the data the model does not know count as misses (see --model-labels-only). The labels are read from the field the model was trained with (--label-field to change it). JSON output: {"micro", "macro", "weighted", "samples": {"precision", "recall", "f1"}, "labels": {"name": {"precision", "recall", "f1", "support", "average_precision", "threshold", ...}}, "accuracy", "hamming_loss", "single_label", ...}; with --top K also "at_k": {"k", "precision", "recall"}. Every field is listed in the README's "JSON outputs".

        Examples:
          lapis evaluate -m heldout.lapis TrainingData/corpus.jsonl \\
            --only-ids Evaluation/heldout-ids.txt
          lapis evaluate -m heldout.lapis TrainingData/corpus.jsonl \\
            --only-ids Evaluation/heldout-ids.txt -f json --top 2
          lapis evaluate -m heldout.lapis TrainingData/corpus.jsonl \\
            --only-ids Evaluation/heldout-ids.txt --report report.html
        """
    )

    @OptionGroup var model: ModelOption

    @Option(name: .customLong("label-field"), help: ArgumentHelp("Field holding the true labels (default: as the model was trained, else 'labels').", valueName: "name"))
    var labelField: String?

    @OptionGroup var format: ReportFormatOption

    @OptionGroup var results: ResultsOption

    @Option(name: .long, help: ArgumentHelp("Also write a self-contained HTML report (table, precision-recall curves, label heat map, worst errors) to this file.", valueName: "file"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Also report precision@K and recall@K of the K most probable labels.", valueName: "K"))
    var top: Int?

    @Flag(name: .customLong("model-labels-only"), help: "Average over the model's labels only (the Reuters-90 convention); by default the data's labels the model does not know count too, each instance a miss.")
    var modelLabelsOnly = false

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    @OptionGroup var inputs: InputFiles

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1 (got \(top))") }
        try inputs.requireData("the labelled data")
        let protected = inputs.named + input.idLists + [("--model", model.model)]
        try Destination.mustDiffer(report, flag: "--report", from: protected)
        try Destination.mustDiffer(results.output, flag: "--output", from: protected + [("--report", report)])
    }

    func run() throws {
        execution.apply()
        let classifier = try model.load()
        let labelField = self.labelField ?? classifier.provenance.fields?.labels ?? "labels"
        let fields = input.fields(labels: labelField, remembered: classifier.provenance.fields)
        let progress = ProgressLine.onStandardError(label: "evaluate", unit: "stories", quiet: false)
        progress?.phase("reading", unit: "stories")
        let read = try input.readAll(inputs.paths, fields: fields, progress: progress)
        let documents = read.documents
        if documents.allSatisfy({ $0.labels == nil }) {
            progress?.finish()
            // Plain text carries no labels: a table of zeros would look like a real result.
            throw LapisError.noDocuments(path: inputs.paths.joined(separator: ", "), reason: "no story has a '\(labelField)' field to evaluate against; give JSONL or CSV with that field (or --label-field), or label folders")
        }
        progress?.phase("classifying")
        let predictions = classifier.predict(documents)
        progress?.finish()
        input.warnIfTitlesMissing(read, classifier: classifier, fields: fields)
        let known = Set(classifier.labels)
        let unknown = Set(documents.flatMap { $0.labels ?? [] }).subtracting(known).sorted()
        if !unknown.isEmpty {
            Output.note("warning: \(unknown.count) label(s) of the data are not in the model and count as misses: \(unknown.joined(separator: ", "))")
        }
        if let path = self.report {
            let page = ClassificationHTMLReport(classifier: classifier, documents: documents, predictions: predictions,
                                                metadata: ReportMetadata(model: model.model ?? "built-in model", data: input.describe(inputs.paths)),
                                                averagesOverModelLabelsOnly: modelLabelsOnly)
            try AtomicFile.write(page.render(), to: path)
            Output.note("wrote the report to \(path)")
        }
        let truth = documents.map { Set($0.labels ?? []) }
        let report = ClassificationReport(labels: classifier.labels, truth: truth,
                                          predicted: predictions.map { Set($0.labels) }, averagesOverModelLabelsOnly: modelLabelsOnly)
        let probabilities = predictions.map(\.probabilities)
        let atK = top.map { RankingAtK(k: $0, labels: classifier.labels, probabilities: probabilities, truth: truth) }
        var text: String
        if format.isJSON {
            let ranking = LabelRanking.of(labels: classifier.labels, thresholds: classifier.model.thresholds, probabilities: probabilities, truth: truth)
            text = report.json(ranking: ranking)
            if let atK {
                text = String(text.dropLast()) + ", \"at_k\": {\"k\": \(atK.k), \"precision\": \(Output.number(atK.precision)), \"recall\": \(Output.number(atK.recall))}}"
            }
        } else {
            text = report.table()
            if let atK { text += "\nprecision@\(atK.k) \(String(format: "%.4f", atK.precision)), recall@\(atK.k) \(String(format: "%.4f", atK.recall))" }
        }
        try Output.result(text + "\n", to: results.output)
    }
}

struct EvaluateSummaries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summaries",
        abstract: "ROUGE-1/2/L/Lsum of summaries against references (rouge-score compatible, stemming on).",
        usage: "lapis evaluate summaries <file> ... --reference-field <name> [<options>]",
        discussion: """
        The reference field holds a string (one sentence per line), a list of sentences, or a list of sentence indices into the story (as TrainingData's summary_sentences). Without --candidate-field, each --method summarises the stories and is scored (default: lead, lexrank, textrank, default). Scores are F1 × 100 averaged over stories in text output; JSON output gives precision, recall and F1 in [0, 1] as {"methods": {"name": {"rouge1": {"precision", "recall", "f1"}, "rouge2", "rougeL", "rougeLsum", "stories_count", "stories"?}}}.

        Examples:
          lapis evaluate summaries TrainingData/corpus.jsonl \\
            --reference-field summary_sentences
          lapis evaluate summaries stories.jsonl --reference-field summary_sentences \\
            --method lead --method textrank -f json --per-story
        """
    )

    @OptionGroup var inputs: InputFiles

    @Option(name: .customLong("reference-field"), help: ArgumentHelp("Field holding the reference summary.", valueName: "name"))
    var referenceField: String

    @Option(name: .customLong("candidate-field"), help: ArgumentHelp("Field holding a ready summary to score (one sentence per line).", valueName: "name"))
    var candidateField: String?

    @Option(name: .long, help: "Summarizer to score (repeatable).")
    var method: [SummaryMethod] = []

    @Option(name: [.customShort("n"), .long], parsing: .unconditional, help: ArgumentHelp("Sentences per summary: a count (1 to 100) or a share of the story's sentences (\"20%\").", valueName: "n|p%"))
    var sentences: SummaryLength = .count(3)

    @OptionGroup var fragments: MinimumWordsOption

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Also score a sentence-scorer model from `lapis train-summarizer` (as \"supervised\").", valueName: "file"))
    var model: String?

    @Option(name: .customLong("summarizer-model"), help: .hidden)
    var summarizerModel: String?

    @Flag(name: .customLong("per-story"), help: "Include every story's scores (JSON only).")
    var perStory = false

    @OptionGroup var format: ReportFormatOption

    @OptionGroup var results: ResultsOption

    @Option(name: .long, help: ArgumentHelp("Also write a self-contained HTML report (ROUGE per method, stories with the picked sentences highlighted) to this file.", valueName: "file"))
    var report: String?

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    /// The scorer model, by `-m/--model` or the earlier `--summarizer-model`.
    var scorerModel: String? { model ?? summarizerModel }

    func validate() throws {
        try sentences.validate()
        if model != nil && summarizerModel != nil { throw ValidationError("give the sentence-scorer model once (--model)") }
        if candidateField != nil && (!method.isEmpty || scorerModel != nil) { throw ValidationError("give either --candidate-field or --method/--model, not both") }
        if perStory && !format.isJSON { throw ValidationError("--per-story needs --format json") }
        try inputs.requireData("the stories with reference summaries")
        let protected = inputs.named + input.idLists + [("--model", scorerModel)]
        try Destination.mustDiffer(report, flag: "--report", from: protected)
        try Destination.mustDiffer(results.output, flag: "--output", from: protected + [("--report", report)])
    }

    func run() throws {
        execution.apply()
        let progress = ProgressLine.onStandardError(label: "evaluate summaries", unit: "stories", quiet: false)
        progress?.phase("reading", unit: "stories")
        var fields = input.fields(extra: [referenceField] + (candidateField.map { [$0] } ?? []))
        // A story without a text field is fine when a ready summary is scored.
        fields.requiresText = candidateField == nil
        let documents = try input.readAll(inputs.paths, fields: fields, progress: progress).documents
        let references = try SummaryEvaluation.references(documents, field: referenceField)
        var systems: [(name: String, summaries: [String])] = []
        let splitter = SentenceSplitter()
        if let candidateField {
            systems.append((candidateField, documents.map { $0.extraFields[candidateField] ?? "" }))
        } else {
            let methods = method.isEmpty && scorerModel == nil ? SummaryEvaluation.defaultMethods : method.map(\.rawValue)
            var summarizers: [(String, any Summarizer)] = methods.map { ($0, SummaryMethod(rawValue: $0)!.summarizer(minimumWords: fragments.minimumWords)) }
            if let scorerModel { summarizers.append(("supervised", try SupervisedSummarizer.load(path: scorerModel))) }
            for (position, (name, summarizer)) in summarizers.enumerated() {
                progress?.phase("summarising (\(name))", unit: "methods", completed: position, total: summarizers.count)
                systems.append((name, sentences.summarize(documents, with: summarizer, splitter: splitter).map { $0.joined(separator: "\n") }))
            }
        }
        progress?.phase("scoring")
        let report = SummaryEvaluation.score(systems, references: references, ids: documents.map(\.id))
        progress?.finish()
        if let path = self.report {
            let page = SummaryHTMLReport(rouge: report, documents: documents, summaries: systems.map(\.summaries), references: references,
                                         metadata: ReportMetadata(model: systems.map(\.name).joined(separator: ", "), data: input.describe(inputs.paths)))
            try AtomicFile.write(page.render(), to: path)
            Output.note("wrote the report to \(path)")
        }
        try Output.result((format.isJSON ? report.json(perStory: perStory) : report.table()) + "\n", to: results.output)
    }
}
