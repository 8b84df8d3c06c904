import ArgumentParser
import Foundation
import Lapis

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tag stories with topics.",
        discussion: """
        Each FILE is one story (.txt; .html with tags dropped and <title> as the title), except .jsonl files (one story per line), .csv and .tsv files (one per row; --delimiter for another separator) and folders (one story per file). --input-format lines reads one story per line of plain text, its id the line number. With no FILE, standard input is read: as JSONL when it starts with '{', else as one story. Stories are processed as a stream (one result per story, in order), so the command works as a filter, e.g. under Spark's RDD.pipe.

        Text output: id, the labels (or "-"), and every label's probability, tab-separated. JSONL output: {"id", "labels": [...], "scores": {"label": probability}}, one line per story; json: the same objects in one array. With --top K also "top": [{"label", "score"}] (the K most probable, best first); with --explain also "explanation" (see the README's "JSON outputs").

        --explain lists, for every label, the terms that pushed its decision value up (+) or down (-): contribution = the term's TF-IDF value in the story × its weight for the label. The decision value is the bias plus all contributions ("other" sums the terms not listed); the probability is its logistic.

        A progress line (stories, rate, ETA) is shown on standard error when it is a terminal and the results go to a file or pipe; -q hides it.

        Examples:
          lapis classify story.txt
          lapis classify -f jsonl stories.jsonl > tags.jsonl
          lapis classify stories.jsonl -f jsonl -o tags.jsonl
          cat stories.jsonl | lapis classify -m topics.lapis -f jsonl
          lapis classify --top 2 -f jsonl stories.jsonl
          lapis classify --explain --explain-terms 5 story.txt
          lapis classify --top 1 --min-score 0.3 stories.jsonl
        """
    )

    @OptionGroup var model: ModelOption

    @Option(name: [.customShort("f"), .long], help: "Output format: one line per story (text, jsonl) or one JSON array (json).")
    var format: OutputFormat = .text

    @OptionGroup var results: ResultsOption

    @Option(name: .long, help: "Also list the K most probable labels with their scores, whatever the thresholds (text: only those K scores; jsonl: a \"top\" field).")
    var top: Int?

    @Option(name: .long, help: ArgumentHelp("Predict every label whose probability reaches this value, instead of the model's per-label thresholds (0 to 1).", valueName: "p"))
    var threshold: Float?

    @Option(name: .customLong("min-score"), help: ArgumentHelp("With --top K: predict the K most probable labels whose probability reaches this value (fastText's predict-prob k threshold).", valueName: "p"))
    var minScore: Float?

    @Flag(name: .long, help: "Explain each prediction: per label, the terms that pushed it up or down, with weights.")
    var explain = false

    @Option(name: .customLong("explain-terms"), help: "Terms to list per label and direction with --explain.")
    var explainTerms: Int = 5

    @OptionGroup var execution: RunOptions

    @OptionGroup var input: InputOptions

    @OptionGroup var inputs: InputFiles

    func validate() throws {
        try Destination.mustDiffer(results.output, flag: "--output", from: inputs.named + input.idLists + [("--model", model.model)])
        if let top, top < 1 { throw ValidationError("--top must be at least 1 (got \(top))") }
        guard explainTerms >= 1 else { throw ValidationError("--explain-terms must be at least 1 (got \(explainTerms))") }
        for (flag, value) in [("--threshold", threshold), ("--min-score", minScore)] {
            if let value, !(value >= 0 && value <= 1) { throw ValidationError("\(flag) must be a probability from 0 to 1 (got \(value))") }
        }
        if minScore != nil && top == nil { throw ValidationError("--min-score needs --top K") }
        if threshold != nil && minScore != nil { throw ValidationError("give either --threshold or --top with --min-score, not both") }
    }

    /// The decision the flags ask for: the model's own unless --threshold or --min-score is given.
    var decision: LabelDecision {
        if let threshold { return .threshold(threshold) }
        if let minScore, let top { return .top(top, minimumScore: minScore) }
        return .model
    }

    func run() throws {
        execution.apply()
        let classifier = try model.load()
        let decision = self.decision
        let formatter = PredictionFormatter(labels: classifier.labels, top: top, jsonl: format != .text)
        let writer = try Output.Writer(to: results.output)
        let records = Output.RecordWriter(writer: writer, asArray: format == .json)
        let fields = input.fields(remembered: classifier.provenance.fields)
        let read = try input.streamStories(inputs.paths, fields: fields, label: "classify", size: 512, writer: writer,
                                           writesToFile: results.output != nil) { batch, _ in
            if explain {
                for (document, prediction) in zip(batch, classifier.predict(batch, decision: decision)) {
                    let explanation = classifier.explain(document, terms: explainTerms)
                    if format == .text {
                        try writer.line(formatter.textLine(document, prediction))
                        try writer.line(ExplanationText.text(explanation))
                    } else {
                        try records.record(formatter.jsonLine(document, prediction, explanation: explanation))
                    }
                }
            } else if format == .json {
                for line in classifier.predict(batch, decision: decision, transform: formatter.line) { try records.record(line) }
            } else {
                // Formatting ninety scores per story costs as much as predicting them: done on the workers too.
                for line in classifier.predict(batch, decision: decision, transform: formatter.line) { try writer.line(line) }
            }
        } finishing: {
            try records.finish()
        }
        input.warnIfTitlesMissing(read, classifier: classifier, fields: fields)
    }
}

/// Writes one story's prediction as a JSONL or text line.
///
/// With ninety labels a line is ninety keys and numbers: joining them as Strings was a fifth of
/// `lapis classify`'s samples on Reuters. The scores are written straight into the line's
/// storage, sized beforehand for the keys and a room per number (see
/// ``line(head:scoresOf:_:keys:separator:decimals:tail:)``).
struct PredictionFormatter: Sendable {
    let labels: [String]
    let top: Int?
    let jsonl: Bool
    /// `"label": ` for each label, escaped once rather than per story.
    private let jsonScoreKeys: ScoreKeys
    /// `label=` for each label, the text line's score keys.
    private let textScoreKeys: ScoreKeys

    /// Every label's key in one buffer, so that writing a key retains nothing.
    private struct ScoreKeys: Sendable {
        let bytes: [UInt8]
        /// Label i's key is `bytes[offsets[i]..<offsets[i + 1]]`.
        let offsets: [Int]

        init(_ keys: [String]) {
            bytes = keys.flatMap { Array($0.utf8) }
            offsets = keys.reduce(into: [0]) { offsets, key in offsets.append(offsets.last! + key.utf8.count) }
        }

        func key(_ label: Int) -> Range<Int> { offsets[label]..<offsets[label + 1] }

        /// Bytes enough for the keys of `labels`, their separators and `numberRoom` bytes per number.
        func capacity<Labels: Collection>(for labels: Labels, separator: Int, numberRoom: Int) -> Int where Labels.Element == Int {
            labels.reduce(0) { $0 + key($1).count + separator + numberRoom }
        }
    }

    private static let jsonSeparator = Array(", ".utf8)
    private static let textSeparator = Array(" ".utf8)

    init(labels: [String], top: Int?, jsonl: Bool) {
        self.labels = labels
        self.top = top
        self.jsonl = jsonl
        self.jsonScoreKeys = ScoreKeys(labels.map { Output.json($0) + ": " })
        self.textScoreKeys = ScoreKeys(labels.map { $0 + "=" })
    }

    func line(_ document: Document, _ prediction: TopicPrediction) -> String {
        jsonl ? jsonLine(document, prediction) : textLine(document, prediction)
    }

    func jsonLine(_ document: Document, _ prediction: TopicPrediction, explanation: Explanation? = nil) -> String {
        Self.line(head: jsonHead(document, prediction), scoresOf: prediction.probabilities.indices, prediction.probabilities,
                  keys: jsonScoreKeys, separator: Self.jsonSeparator, decimals: 4, tail: jsonTail(prediction, explanation: explanation))
    }

    /// `{"id": …, "labels": [...], "scores": {`
    private func jsonHead(_ document: Document, _ prediction: TopicPrediction) -> [UInt8] {
        var head = Array("{\"id\": ".utf8)
        head.append(contentsOf: Output.json(document.id).utf8)
        head.append(contentsOf: ", \"labels\": [".utf8)
        for (index, label) in prediction.labels.enumerated() {
            if index > 0 { head.append(contentsOf: ", ".utf8) }
            head.append(contentsOf: Output.json(label).utf8)
        }
        head.append(contentsOf: "], \"scores\": {".utf8)
        return head
    }

    /// `}`, then the `top` and `explanation` fields when asked for, and the closing `}`.
    private func jsonTail(_ prediction: TopicPrediction, explanation: Explanation?) -> [UInt8] {
        var tail: [UInt8] = [UInt8(ascii: "}")]
        if let top {
            let ranked = ranking(prediction).prefix(top)
            tail.append(contentsOf: ", \"top\": [".utf8)
            for (position, label) in ranked.enumerated() {
                if position > 0 { tail.append(contentsOf: ", ".utf8) }
                tail.append(contentsOf: "{\"label\": ".utf8)
                tail.append(contentsOf: Output.json(labels[label]).utf8)
                tail.append(contentsOf: ", \"score\": ".utf8)
                JSONText.appendNumber(Double(prediction.probabilities[label]), to: &tail)
                tail.append(UInt8(ascii: "}"))
            }
            tail.append(UInt8(ascii: "]"))
        }
        if let explanation {
            tail.append(contentsOf: ", \"explanation\": ".utf8)
            tail.append(contentsOf: ExplanationText.json(explanation).utf8)
        }
        tail.append(UInt8(ascii: "}"))
        return tail
    }

    /// Label indices from most to least probable; ties keep model order.
    func ranking(_ prediction: TopicPrediction) -> [Int] {
        prediction.rankedLabelIndices
    }

    func textLine(_ document: Document, _ prediction: TopicPrediction) -> String {
        var head = Array(Output.field(document.id).utf8)
        head.append(UInt8(ascii: "\t"))
        if prediction.labels.isEmpty { head.append(UInt8(ascii: "-")) }
        for (index, label) in prediction.labels.enumerated() {
            if index > 0 { head.append(UInt8(ascii: ",")) }
            head.append(contentsOf: label.utf8)
        }
        head.append(UInt8(ascii: "\t"))
        var ranked = ranking(prediction)
        if let top { ranked = Array(ranked.prefix(top)) }
        return Self.line(head: head, scoresOf: ranked, prediction.probabilities, keys: textScoreKeys, separator: Self.textSeparator,
                         decimals: 3, tail: [])
    }

    /// `head`, then `key number` for each of `labels` with `separator` between them, then
    /// `tail`, written straight into the String's storage. The storage gives each number 24
    /// bytes, which every probability fits; a line whose numbers need more is written again with
    /// four times the room until they fit (any finite number's `%.Nf` does, in a few hundred).
    private static func line<Labels: Collection>(head: [UInt8], scoresOf labels: Labels, _ probabilities: [Float], keys: ScoreKeys,
                                                 separator: [UInt8], decimals: Int, tail: [UInt8]) -> String where Labels.Element == Int {
        var numberRoom = 24
        while true {
            let capacity = head.count + keys.capacity(for: labels, separator: separator.count, numberRoom: numberRoom) + tail.count
            var fitted = true
            let line = String(unsafeUninitializedCapacity: capacity) { buffer in
                var position = UnsafeMutableBufferPointer(rebasing: buffer[..<head.count]).initialize(from: head).1
                guard let written = writeScores(labels, probabilities, keys: keys, separator: separator, decimals: decimals,
                                                into: UnsafeMutableBufferPointer(rebasing: buffer[position...])),
                      buffer.count - position - written >= tail.count else {
                    fitted = false
                    return 0
                }
                position += written
                position += UnsafeMutableBufferPointer(rebasing: buffer[position..<(position + tail.count)]).initialize(from: tail).1
                return position
            }
            if fitted { return line }
            numberRoom *= 4
        }
    }

    /// Writes `key number` for each of `labels`, `separator` between them, at the start of
    /// `buffer`; returns the bytes written, or nil when they do not fit.
    private static func writeScores<Labels: Collection>(_ labels: Labels, _ probabilities: [Float], keys: ScoreKeys, separator: [UInt8],
                                                        decimals: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int?
    where Labels.Element == Int {
        var position = 0
        return keys.bytes.withUnsafeBufferPointer { keyBytes -> Int? in
            for (index, label) in labels.enumerated() {
                let key = keys.key(label)
                guard buffer.count - position >= separator.count + key.count else { return nil }
                if index > 0 {
                    for byte in separator {
                        buffer[position] = byte
                        position += 1
                    }
                }
                position += UnsafeMutableBufferPointer(rebasing: buffer[position..<(position + key.count)])
                    .initialize(from: UnsafeBufferPointer(rebasing: keyBytes[key])).1
                guard let written = JSONText.writeNumber(Double(probabilities[label]), decimals: decimals,
                                                         into: UnsafeMutableBufferPointer(rebasing: buffer[position...])) else { return nil }
                position += written
            }
            return position
        }
    }
}

/// Reading documents in fixed-size batches, so memory stays bounded on any input size.
