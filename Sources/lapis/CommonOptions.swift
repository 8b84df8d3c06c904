import ArgumentParser
import Foundation
import Lapis

// The option groups every command spells the same way: -m/--model, positional inputs (with the
// old --data as a hidden alias), -q/--quiet and --threads. One vocabulary, so a flag learnt
// on one command works on the next.

/// `-m/--model`: a topic-classifier model file.
struct ModelOption: ParsableArguments {
    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file (default: the built-in four-topic model).", valueName: "file"))
    var model: String?

    func load() throws -> TopicClassifier {
        if let model { return try TopicClassifier.load(path: model) }
        return try TopicClassifier.loadDefault()
    }
}

/// The input files of a command: positional, as in `cat` or fastText; `--data FILE` (the
/// spelling of earlier versions) still works and adds to them.
struct InputFiles: ParsableArguments {
    @Argument(help: ArgumentHelp("Story files (.jsonl, .csv, .tsv, .txt, .html) or folders; '-' is standard input.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: .hidden)
    var data: [String] = []

    /// Every input, `--data` ones first; standard input ("-") when none was given.
    var paths: [String] {
        let all = data + files
        return all.isEmpty ? ["-"] : all
    }

    /// Whether no input was named and standard input is a terminal: nothing would arrive until
    /// the user typed a story, so commands that need data say what to give instead.
    var nothingGiven: Bool { data.isEmpty && files.isEmpty && isatty(STDIN_FILENO) != 0 }

    /// Throws a usage error when no input was named and standard input is a terminal.
    func requireData(_ what: String) throws {
        if nothingGiven { throw ValidationError("give \(what) as FILE arguments (or pipe it to standard input)") }
    }

    /// The inputs as (flag, path) pairs for ``Destination/mustDiffer(_:flag:from:)``.
    var named: [(flag: String, path: String?)] { paths.map { ("input", $0) } }
}

/// `-q/--quiet` and `--threads`, for the commands that run long.
struct RunOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Print nothing on standard error but errors: no progress line, notes or warnings.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: LAPIS_THREADS, else one per core). Results are the same for every count.", valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// Applies the options to this process; call first thing in `run()`.
    func apply() {
        if quiet { Output.quiet = true }
        // The library reads LAPIS_THREADS once, at its first parallel loop, which comes later.
        if let threads { setenv("LAPIS_THREADS", String(threads), 1) }
    }
}

/// `-o/--output` of the commands that print results: a file written when complete.
struct ResultsOption: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the results to this file instead of standard output; it appears only when complete.", valueName: "file"))
    var output: String?
}
