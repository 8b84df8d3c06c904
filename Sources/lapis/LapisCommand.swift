import ArgumentParser
import Foundation
import Lapis

struct LapisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lapis",
        abstract: "Tag news stories with topics and write three-sentence summaries.",
        discussion: """
        Every command reads stories from FILE arguments (JSONL, CSV, TSV, plain text, HTML, folders) or standard input, writes results to standard output (or -o FILE) and messages to standard error. The same flags mean the same thing everywhere: -m/--model, -f/--format text|jsonl|json, -o/--output, -q/--quiet, --threads.

        Exit codes: 0 success, 1 error (bad data, runtime, lost output), 2 bad usage.

        Examples:
          lapis classify story.txt
          lapis summarize -f jsonl stories.jsonl
          lapis train TrainingData/corpus.jsonl \\
            --exclude-ids Evaluation/heldout-ids.txt -o heldout.lapis
          lapis evaluate -m heldout.lapis TrainingData/corpus.jsonl \\
            --only-ids Evaluation/heldout-ids.txt
        """,
        version: "0.1.0",
        subcommands: [Train.self, Classify.self, Summarize.self, Evaluate.self, Inspect.self, Sentences.self, TrainSummarizer.self]
    )
}
