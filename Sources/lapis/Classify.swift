import ArgumentParser
import Foundation
import Lapis

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tag stories with topics.",
        discussion: """
        Each FILE is one story, except .jsonl files (one story per line) and .csv files (one per
        row). With no FILE, standard input is read: as JSONL when it starts with '{', else as one
        story. JSONL is processed as a stream (one line out per story, in order), so the command
        works as a filter, e.g. under Spark's RDD.pipe.

        Text output: id, the labels (or "-"), and every label's probability, tab-separated.
        JSONL output: {"id": ..., "labels": [...], "scores": {"label": probability}}.

        Examples:
          lapis classify story.txt
          lapis classify --format jsonl stories.jsonl > tags.jsonl
          cat stories.jsonl | lapis classify --model my.lapis --format jsonl
        """
    )

    @OptionGroup var model: ModelOption

    @Option(name: .long, help: "text or jsonl.")
    var format: String = "text"

    @Option(name: .long, help: "Also list the K most probable labels in text output, whatever the thresholds.")
    var top: Int?

    @OptionGroup var input: InputOptions

    @Argument(help: "Story files (.txt, .jsonl, .csv); standard input when none.")
    var files: [String] = []

    func validate() throws {
        guard format == "text" || format == "jsonl" else { throw ValidationError("--format must be text or jsonl (got '\(format)')") }
        if let top, top < 1 { throw ValidationError("--top must be at least 1 (got \(top))") }
    }

    func run() throws {
        let classifier = try model.load()
        let writer = Output.Writer()
        for path in files.isEmpty ? ["-"] : files {
            let reader = try input.reader(path)
            try Batches.forEach(reader, size: 512) { batch in
                for (document, prediction) in zip(batch, classifier.predict(batch)) {
                    writer.line(format == "jsonl" ? jsonLine(document, prediction, classifier.labels) : textLine(document, prediction, classifier.labels))
                }
                writer.flush()
            }
            input.reportSkipped(reader)
        }
        writer.flush()
    }

    func jsonLine(_ document: Document, _ prediction: TopicPrediction, _ labels: [String]) -> String {
        let labelList = prediction.labels.map(Output.json).joined(separator: ", ")
        let scores = labels.map { "\(Output.json($0)): \(Output.number(Double(prediction.scores[$0] ?? 0)))" }.joined(separator: ", ")
        return "{\"id\": \(Output.json(document.id)), \"labels\": [\(labelList)], \"scores\": {\(scores)}}"
    }

    func textLine(_ document: Document, _ prediction: TopicPrediction, _ labels: [String]) -> String {
        let chosen = prediction.labels.isEmpty ? "-" : prediction.labels.joined(separator: ",")
        var ranked = labels.sorted { (prediction.scores[$0] ?? 0) > (prediction.scores[$1] ?? 0) }
        if let top { ranked = Array(ranked.prefix(top)) }
        let scores = ranked.map { "\($0)=\(Output.number(Double(prediction.scores[$0] ?? 0), decimals: 3))" }.joined(separator: " ")
        return "\(document.id)\t\(chosen)\t\(scores)"
    }
}

/// Reading documents in fixed-size batches, so memory stays bounded on any input size.
enum Batches {
    static func forEach(_ reader: DocumentReader, size: Int, _ body: ([Document]) throws -> Void) throws {
        var batch: [Document] = []
        batch.reserveCapacity(size)
        while let document = try reader.next() {
            batch.append(document)
            if batch.count == size {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}
