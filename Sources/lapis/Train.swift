import ArgumentParser
import Foundation
import Lapis

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a multi-label topic classifier.",
        discussion: """
        The data holds labelled stories: JSONL ({"id", "title", "text", "labels": [...]}), CSV or TSV with a header, or a folder with one sub-folder of .txt files per label. A story may carry any subset of the labels, or none. Per-label thresholds are chosen by cross-validation on the training data (--folds, run --threshold-repeats times with other folds). With --passage-sentences N a story is also scored in windows of N sentences, for topics that are one section of a long story. Training is deterministic: same data and options, same bytes, on any CPU and thread count. The model remembers the fields it was trained with (--text-field, --title-field, --id-field, --label-field), and classify and evaluate read other data the same way unless told otherwise.

        Examples:
          lapis train TrainingData/corpus.jsonl -o topics.lapis
          lapis train TrainingData/corpus.jsonl --ngrams 2 -C 20 -o bigrams.lapis
          lapis train TrainingData/corpus.jsonl \\
            --exclude-ids Evaluation/heldout-ids.txt -o heldout.lapis
          lapis train TrainingData/corpus.jsonl --ngrams 2 --min-df 3 -C 100 \\
            --fold-iterations 20 --passage-sentences 3 \\
            --phrase-groups TrainingData/phrase-groups.txt \\
            --labels trade,security,transport,multilateral -o default.lapis
        """
    )

    @OptionGroup var inputs: InputFiles

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write the model (written atomically).", valueName: "file"))
    var output: String

    @Option(name: .customLong("label-field"), help: "Field holding the labels (a list, or a string separated by , ; or |).")
    var labelField: String = "labels"

    @Option(name: .long, help: "The complete label set, comma-separated (default: the labels found in the data).")
    var labels: String?

    @Option(name: .long, help: "Longest word n-gram (1 to 3).")
    var ngrams: Int = 1

    @Option(name: .customLong("min-df"), help: "Minimum number of training documents a term must occur in.")
    var minDF: Int = 2

    @Option(name: .customLong("max-df"), help: "Maximum fraction of documents a term may occur in (0 < f ≤ 1).")
    var maxDF: Double = 1.0

    @Option(name: .customLong("max-features"), help: "Keep at most this many terms (most frequent first).")
    var maxFeatures: Int?

    @Option(name: [.customShort("C"), .customLong("c")], help: "Inverse regularisation strength of the logistic regression.")
    var c: Double = 10

    @Option(name: .customLong("class-weight"), help: "How the two classes of each label are weighted.")
    var classWeight: ClassWeighting = .balanced

    @Option(name: [.customLong("max-iterations"), .customLong("max-iter")], help: "The most optimiser iterations each label's fit takes (scikit-learn's max_iter; 1 to 10000).")
    var maxIterations: Int = LogisticRegression().maxIterations

    @Option(name: [.customLong("tolerance"), .customLong("tol")], help: "A fit stops when its gradient's norm falls to this fraction of max(1, ‖w‖) (scikit-learn's tol; 1e-12 to 1; default 1e-4); with --solver dual-cd, when an epoch's largest dual gradient falls below it (LIBLINEAR's -e; default 0.1).")
    var tolerance: Double?

    @Option(name: .long, help: "The optimiser of each label's fit: lbfgs (primal, unregularised bias) or dual-cd (LIBLINEAR's dual coordinate descent, regularised bias; --max-iterations then counts epochs). Threshold fold fits use L-BFGS either way.")
    var solver: LogisticRegression.Solver = .lbfgs

    @Option(name: .long, help: "Cross-validation folds for threshold tuning (0 keeps 0.5; 2 to 20).")
    var folds: Int = 3

    @Option(name: .customLong("threshold-beta"), help: "Thresholds maximise the out-of-fold F-beta score: 1 is F1, 2 weighs recall twice as much (0.1 to 10).")
    var thresholdBeta: Double = 1

    @Option(name: .customLong("threshold-repeats"), help: "Run the threshold cross-validation this many times, each with other folds; thresholds maximise the average F-score (1 to 20).")
    var thresholdRepeats: Int = 3

    @Option(name: .customLong("fold-iterations"), help: "The most iterations each threshold fold fit takes from the full model's weights (0: fit each fold to convergence; default 3, or --max-iterations when that is lower).")
    var foldIterations: Int?

    @Option(name: .customLong("passage-sentences"), help: "Also score each story in windows of N consecutive sentences; a label's probability is the mean of the whole story's and the best window's (0: whole stories only).")
    var passageSentences: Int = 0

    @Option(name: .customLong("title-weight"), help: "How many times the title counts (0 to 10).")
    var titleWeight: Int = 1

    @Flag(name: .long, help: "Single-label data: every story has exactly one label, and the model predicts the most probable label (no per-label thresholds).")
    var multiclass = false

    @Flag(name: .customLong("no-stemming"), help: "Do not stem words.")
    var noStemming = false

    @Flag(name: .customLong("keep-stop-words"), help: "Keep stop words.")
    var keepStopWords = false

    @Option(name: .customLong("phrase-groups"), help: ArgumentHelp("Mark the phrases of each group in this file with one extra term per group ('[name]' lines start a group, one phrase per line, '*' for any one word; see the README).", valueName: "file"))
    var phraseGroups: String?

    @Option(name: .long, help: "Seed for fold assignment.")
    var seed: UInt64 = 42

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        try validatingOptions { _ = try options(phraseGroups: .none) }
        if let labels, labels.split(separator: ",").isEmpty { throw ValidationError("--labels needs at least one label") }
        try inputs.requireData("the training data")
        try Destination.mustDiffer(output, flag: "--output", from: inputs.named + input.idLists + [("--phrase-groups", phraseGroups)])
    }

    /// The fold fits' limit: the flag's value (0: none), else the library's default within the
    /// full fits' limit, so `--max-iterations 2` alone is not refused for a fold limit the user
    /// never set.
    var foldIterationLimit: Int? {
        guard let foldIterations else { return TopicClassifierOptions().foldIterations.map { min($0, maxIterations) } }
        return foldIterations == 0 ? nil : foldIterations
    }

    /// The estimator the flags describe with `groups` (read from --phrase-groups when the run
    /// starts: a bad file is bad data, exit 1, not bad usage), checked by the library (the one
    /// place option ranges live).
    func options(phraseGroups groups: PhraseGroups) throws -> TopicClassifierOptions {
        try TextAnalyzer.validate(longestNgram: ngrams)
        let options = TopicClassifierOptions(
            analyzer: TextAnalyzer(ngramRange: 1...ngrams, removesStopWords: !keepStopWords, stems: !noStemming, phraseGroups: groups),
            vocabulary: VocabularyOptions(minDocumentCount: minDF, maxDocumentFraction: maxDF, maxTerms: maxFeatures),
            logistic: LogisticRegression(c: c, classWeighting: classWeight, maxIterations: maxIterations, tolerance: tolerance, solver: solver),
            thresholdFolds: folds, titleRepeats: titleWeight, seed: seed, thresholdBeta: thresholdBeta, multiclass: multiclass,
            thresholdRepeats: thresholdRepeats, foldIterations: foldIterationLimit,
            passageSentences: passageSentences == 0 ? nil : passageSentences)
        try options.validate()
        return options
    }

    /// Stories read and counted at a time: a few megabytes of text, and large enough that the
    /// chunks' merges (once per distinct term of each) cost little. The model does not depend on it.
    static let batchSize = 16_384

    func run() throws {
        execution.apply()
        let started = Date()
        // Read before the data, so that a bad phrase file fails at once.
        let options = try options(phraseGroups: phraseGroups.map { try PhraseGroups.read(contentsOf: $0) } ?? .none)
        let fields = input.fields(labels: labelField)
        let progress = ProgressLine.onStandardError(label: "training", unit: "stories", quiet: false)
        progress?.phase("reading", unit: "stories")
        let labelList = labels.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) } }
        var training = try options.batchedFit(labels: labelList)
        var everyStorySingleLabelled = true
        // Counted a batch at a time, so no more than a batch of the stories' text is held.
        let read = try input.readBatches(inputs.paths, fields: fields, size: Self.batchSize, progress: progress) { batch in
            everyStorySingleLabelled = everyStorySingleLabelled && batch.allSatisfy { Set($0.labels ?? []).count == 1 }
            try training.add(batch)
        }
        let storyCount = read.stories
        let classifier = try training.finish(progress: progress?.handler).recordingFields(fields)
        progress?.finish()
        for warning in classifier.labelWarnings { Output.note("warning: " + warning) }
        if !multiclass && classifier.labels.count > 2 && everyStorySingleLabelled {
            Output.note("note: every training story has exactly one label; --multiclass makes the model predict the single most probable label instead of applying per-label thresholds")
        }
        try classifier.save(to: output)
        let seconds = Date().timeIntervalSince(started)
        Output.note("trained on \(storyCount) stories: \(classifier.labels.count) labels, \(classifier.vectorizer.vocabulary.count) terms, \(String(format: "%.2f", seconds)) s; wrote \(output)")
    }
}
