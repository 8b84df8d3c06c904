import Foundation

extension ClassificationReport {
    /// A table for people: one row per label with precision, recall, F1, support and confusion
    /// counts, then the micro and macro averages.
    public func table() -> String {
        let width = max(12, (labels.map(\.count).max() ?? 0) + 2)
        func pad(_ text: String, _ size: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return left ? text + padding : padding + text
        }
        func row(_ name: String, _ scores: PrecisionRecallF1, support: Int?, counts: ConfusionCounts?) -> String {
            var line = pad(name, width, left: true)
            for value in [scores.precision, scores.recall, scores.f1] { line += pad(String(format: "%.3f", value), 10) }
            line += pad(support.map(String.init) ?? "", 9)
            if let counts {
                line += pad("\(counts.truePositives)", 7) + pad("\(counts.falsePositives)", 7) + pad("\(counts.falseNegatives)", 7)
            }
            return line
        }
        var lines = [pad("label", width, left: true) + pad("precision", 10) + pad("recall", 10) + pad("f1", 10)
                     + pad("support", 9) + pad("TP", 7) + pad("FP", 7) + pad("FN", 7)]
        for (index, label) in labels.enumerated() {
            var line = row(label, perLabel[index], support: counts[index].support, counts: counts[index])
            if labelsNotInModel.contains(label) { line += "  (not in the model)" }
            lines.append(line)
        }
        lines.append("")
        let totalSupport = averagedLabels.reduce(0) { $0 + counts[$1].support }
        lines.append(row("micro avg", micro, support: totalSupport, counts: nil))
        lines.append(row("macro avg", macro, support: totalSupport, counts: nil))
        lines.append("")
        if !labelsNotInModel.isEmpty {
            lines.append(averagedLabels.count == labels.count
                         ? "averages over the model's labels and the \(labelsNotInModel.count) label(s) of the data it does not know"
                         : "averages over the model's \(averagedLabels.count) labels only")
        }
        lines.append("\(documentCount) documents, \(exactMatches) with exactly the true label set (\(String(format: "%.1f", 100 * Double(exactMatches) / Double(max(documentCount, 1))))%)")
        return lines.joined(separator: "\n")
    }

    /// The report as JSON: `{"micro": {...}, "macro": {...}, "labels": {name: {...}}, "documents": n}`.
    public func json() -> String {
        func triple(_ scores: PrecisionRecallF1) -> String {
            "\"precision\": \(JSONText.number(scores.precision)), \"recall\": \(JSONText.number(scores.recall)), \"f1\": \(JSONText.number(scores.f1))"
        }
        let labelEntries = labels.indices.map { index -> String in
            let c = counts[index]
            return "\(JSONText.string(labels[index])): {\(triple(perLabel[index])), \"support\": \(c.support), "
                + "\"true_positives\": \(c.truePositives), \"false_positives\": \(c.falsePositives), \"false_negatives\": \(c.falseNegatives), "
                + "\"in_model\": \(!labelsNotInModel.contains(labels[index]))}"
        }
        let averaged = "[" + averagedLabels.map { JSONText.string(labels[$0]) }.joined(separator: ", ") + "]"
        return "{\"micro\": {\(triple(micro))}, \"macro\": {\(triple(macro))}, \"labels\": {\(labelEntries.joined(separator: ", "))}, \"documents\": \(documentCount), \"exact_matches\": \(exactMatches), \"averaged_labels\": \(averaged)}"
    }
}

/// ROUGE results of one or more summarizers over the same stories.
public struct RougeReport: Sendable {
    /// One summarizer's scores, one per story.
    public struct System: Sendable {
        public var name: String
        public var scores: [RougeScores]

        /// Creates a system's results.
        public init(name: String, scores: [RougeScores]) {
            self.name = name
            self.scores = scores
        }
    }

    /// Story ids, in order.
    public var ids: [String]
    /// The systems compared.
    public var systems: [System]

    /// Creates a report.
    public init(ids: [String], systems: [System]) {
        self.ids = ids
        self.systems = systems
    }

    /// A table of mean F1 × 100 per system.
    public func table() -> String {
        let width = max(12, (systems.map(\.name.count).max() ?? 0) + 2)
        func pad(_ text: String, _ size: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return left ? text + padding : padding + text
        }
        var lines = [pad("method", width, left: true) + pad("ROUGE-1", 10) + pad("ROUGE-2", 10) + pad("ROUGE-L", 10) + pad("ROUGE-Lsum", 12)]
        for system in systems {
            let mean = RougeScores.mean(system.scores)
            lines.append(pad(system.name, width, left: true)
                         + [mean.rouge1, mean.rouge2, mean.rougeL].map { pad(String(format: "%.2f", 100 * $0.f1), 10) }.joined()
                         + pad(String(format: "%.2f", 100 * mean.rougeLsum.f1), 12))
        }
        lines.append("")
        lines.append("F1 × 100, mean over \(ids.count) stories; rouge-score tokenisation with Porter stemming")
        return lines.joined(separator: "\n")
    }

    /// JSON: for one system `{"rouge1": {...}, ..., "stories": [...]?}`; for several,
    /// `{"methods": {name: {...}}}`.
    public func json(perStory: Bool) -> String {
        func triple(_ s: PrecisionRecallF1) -> String {
            "{\"precision\": \(JSONText.number(s.precision, decimals: 8)), \"recall\": \(JSONText.number(s.recall, decimals: 8)), \"f1\": \(JSONText.number(s.f1, decimals: 8))}"
        }
        func scores(_ s: RougeScores) -> String {
            "\"rouge1\": \(triple(s.rouge1)), \"rouge2\": \(triple(s.rouge2)), \"rougeL\": \(triple(s.rougeL)), \"rougeLsum\": \(triple(s.rougeLsum))"
        }
        func body(_ system: System) -> String {
            var text = "{" + scores(RougeScores.mean(system.scores)) + ", \"stories_count\": \(system.scores.count)"
            if perStory {
                let stories = zip(ids, system.scores).map { "{\"id\": \(JSONText.string($0.0)), \(scores($0.1))}" }
                text += ", \"stories\": [" + stories.joined(separator: ", ") + "]"
            }
            return text + "}"
        }
        if systems.count == 1 { return body(systems[0]) }
        return "{\"methods\": {" + systems.map { "\(JSONText.string($0.name)): \(body($0))" }.joined(separator: ", ") + "}}"
    }
}

/// Writing JSON text by hand where key order and number format must be stable.
public enum JSONText {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        // Most strings (ids, labels) need no escaping: skip the per-scalar rebuild for them.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A number with fixed decimals, exactly as C's `"%.Nf"` writes it; non-finite values become 0.
    public static func number(_ value: Double, decimals: Int = 4) -> String {
        guard value.isFinite else { return "0" }
        return fixedPoint(value, decimals: decimals) ?? String(format: "%.\(decimals)f", value)
    }

    private static let powersOfTen: [UInt64] = (0...9).map { power in (0..<power).reduce(1) { value, _ in value * 10 } }

    /// `"%.Nf"` without Foundation's formatter, which took 38% of `lapis classify` (90 scores a
    /// story). Exact because |value|·10ᴺ < 10⁸ is computed with an error below 10⁻⁸, far inside
    /// the 10⁻⁶ window around a rounding tie that is left to the C formatter (nil).
    static func fixedPoint(_ value: Double, decimals: Int) -> String? {
        guard (0...9).contains(decimals) else { return nil }
        let scale = powersOfTen[decimals]
        let scaled = value.magnitude * Double(scale)
        guard scaled < 1e8 else { return nil }
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        guard (fraction - 0.5).magnitude > 1e-6 else { return nil }
        let units = UInt64(whole) + (fraction > 0.5 ? 1 : 0)
        // Digits written right to left into a small buffer, then one String: building it from
        // pieces was half the cost of formatting a score.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var position = buffer.count
            var remaining = units
            func put(_ byte: UInt8) {
                position -= 1
                buffer[position] = byte
            }
            for _ in 0..<decimals {
                put(0x30 + UInt8(remaining % 10))
                remaining /= 10
            }
            if decimals > 0 { put(UInt8(ascii: ".")) }
            repeat {
                put(0x30 + UInt8(remaining % 10))
                remaining /= 10
            } while remaining > 0
            if value.sign == .minus { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[position...]), as: UTF8.self)
        }
    }
}
