import ArgumentParser
import Lapis

// The values of the options that take one of a few words: as enums, help and shell
// completions list them and ArgumentParser rejects anything else at start-up.

/// `--format` of the commands that print one result per story.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, jsonl
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
}

extension ClassWeighting: ExpressibleByArgument {}

extension OptionKey {
    /// The flag that sets this option on the command line.
    var flag: String {
        switch self {
        case .ngrams: return "--ngrams"
        case .minimumDocumentCount: return "--min-df"
        case .maximumDocumentFraction: return "--max-df"
        case .maximumTerms: return "--max-features"
        case .regularization: return "-C"
        case .thresholdFolds: return "--folds"
        case .thresholdBeta: return "--threshold-beta"
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
