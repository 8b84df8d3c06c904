import ArgumentParser
import Lapis

// The values of the options that take one of a few words: as enums, help and shell
// completions list them and ArgumentParser rejects anything else at start-up.

/// `-f/--format`, the same three words on every command. Commands that print one result per
/// story write one line per story for text and jsonl, and one JSON array for json; commands
/// that print one result (evaluate, inspect) write one JSON object on one line for both json
/// and jsonl.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, jsonl, json

    var isJSON: Bool { self != .text }
}

/// `--input-format`: a format of ``InputFormat``, or `auto` (by extension and content).
enum InputFormatChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, jsonl, csv, tsv, lines, text, html, folders

    /// The library's format; nil for auto.
    var format: InputFormat? { InputFormat(rawValue: rawValue) }
}

/// `--method` of `summarize` and `evaluate summaries`: the names of ``SummarizerCatalog``.
enum SummaryMethod: String, CaseIterable, ExpressibleByArgument {
    case `default`, lead, lexrank, textrank, positional

    /// The summarizer of this name.
    var summarizer: any Summarizer { SummarizerCatalog.summarizer(named: rawValue)! }

    /// The summarizer of this name; a centrality method with its minimum sentence length set
    /// to `minimumWords` when given.
    func summarizer(minimumWords: Int?) -> any Summarizer {
        guard let minimumWords else { return summarizer }
        switch self {
        case .default, .positional: return PositionalCentralitySummarizer(minimumWords: minimumWords)
        case .lexrank: return LexRankSummarizer(minimumWords: minimumWords)
        case .textrank: return TextRankSummarizer(minimumWords: minimumWords)
        case .lead: return LeadSummarizer()
        }
    }
}

/// `--min-sentence-words`, shared by summarize and evaluate summaries.
struct MinimumWordsOption: ParsableArguments {
    @Option(name: .customLong("min-sentence-words"), help: ArgumentHelp("Centrality methods (lexrank, textrank, default) take a sentence of fewer words only when the story has too few longer ones (default: \(SentenceFragments.defaultMinimumWords); 0 takes every sentence on its score).", valueName: "n"))
    var minimumWords: Int?

    func validate() throws {
        if let minimumWords, minimumWords < 0 { throw ValidationError("--min-sentence-words must be 0 or more (got \(minimumWords))") }
    }
}

extension ClassWeighting: ExpressibleByArgument {}
extension LogisticRegression.Solver: ExpressibleByArgument {}

extension OptionKey {
    /// The flag that sets this option on the command line.
    var flag: String {
        switch self {
        case .ngrams: return "--ngrams"
        case .minimumDocumentCount: return "--min-df"
        case .maximumDocumentFraction: return "--max-df"
        case .maximumTerms: return "--max-features"
        case .regularization: return "-C"
        case .maximumIterations: return "--max-iterations"
        case .tolerance: return "--tolerance"
        case .thresholdFolds: return "--folds"
        case .thresholdBeta: return "--threshold-beta"
        case .thresholdRepeats: return "--threshold-repeats"
        case .foldIterations: return "--fold-iterations"
        case .passageSentences: return "--passage-sentences"
        case .titleRepeats: return "--title-weight"
        case .inputFormat: return "--input-format"
        }
    }
}

/// Runs the library's option checks, reporting a bad value as bad usage of its flag (exit 2).
func validatingOptions(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch LapisError.invalidOption(let key, let value, let allowed) {
        throw ValidationError("\(key.flag) must be \(allowed) (got \(value))")
    }
}

/// `-n/--sentences`: a number of sentences, or a share of each story's sentences ("20%").
enum SummaryLength: ExpressibleByArgument, Equatable {
    case count(Int)
    /// Percent of the story's sentences, in (0, 100].
    case share(Double)

    /// Any number parses; ``validate()`` checks the range, so the message can say what fits.
    init?(argument: String) {
        if argument.hasSuffix("%") {
            guard let percent = Double(argument.dropLast()) else { return nil }
            self = .share(percent)
        } else {
            guard let count = Int(argument) else { return nil }
            self = .count(count)
        }
    }

    /// Throws the usage error for a count or share out of range.
    func validate() throws {
        let fits: Bool
        switch self {
        case .count(let count): fits = (1...100).contains(count)
        case .share(let percent): fits = percent > 0 && percent <= 100
        }
        if !fits {
            throw ValidationError("--sentences must be a whole number from 1 to 100, or a share such as 20% (got \(defaultValueDescription))")
        }
    }

    var defaultValueDescription: String {
        switch self {
        case .count(let count): return String(count)
        case .share(let percent): return (percent == percent.rounded() && abs(percent) < 1e9 ? String(Int(percent)) : String(percent)) + "%"
        }
    }

    /// The sentence count for a story of `sentenceCount` sentences: a share is rounded to the
    /// nearest whole sentence, and is at least one.
    func count(forStoryOf sentenceCount: Int) -> Int {
        switch self {
        case .count(let count): return count
        case .share(let percent): return max(1, Int((Double(sentenceCount) * percent / 100).rounded()))
        }
    }

    /// Summaries of `documents` by `summarizer`: one batch call for a count; for a share, one
    /// batch per distinct length, so stories still run in parallel.
    func summarize(_ documents: [Document], with summarizer: any Summarizer, splitter: SentenceSplitter) -> [[String]] {
        if case .count(let count) = self { return summarizer.summarize(documents, count: count) }
        let counts = documents.map { count(forStoryOf: splitter.sentences($0.text).count) }
        var summaries = [[String]](repeating: [], count: documents.count)
        for length in Set(counts).sorted() {
            let positions = counts.indices.filter { counts[$0] == length }
            for (position, summary) in zip(positions, summarizer.summarize(positions.map { documents[$0] }, count: length)) {
                summaries[position] = summary
            }
        }
        return summaries
    }
}
