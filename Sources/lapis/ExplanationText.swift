import Foundation
import Lapis

/// How `lapis classify --explain` prints an ``Explanation``.
enum ExplanationText {
    /// A block under the prediction line, one paragraph per label:
    ///
    ///     security: p=0.912 (threshold 0.430, predicted), decision 2.341 = bias -1.203 + terms
    ///       + militant         0.214 × 5.120 = +1.096
    ///       - port             0.101 × -2.300 = -0.232
    ///       other terms: +0.123
    static func text(_ explanation: Explanation) -> String {
        var lines: [String] = []
        for label in explanation.labels {
            let verdict = label.isPredicted ? "predicted" : "not predicted"
            let passage = label.passageProbability.map { ", mean of the whole story's \(fixed(2 * label.probability - $0, 3)) and the best passage's \(fixed($0, 3))" } ?? ""
            lines.append("  \(label.label): p=\(fixed(label.probability, 3))\(passage) (threshold \(fixed(label.threshold, 3)), \(verdict)), decision \(fixed(label.decisionValue, 3)) = bias \(fixed(label.bias, 3)) + terms")
            let width = min(30, (label.positive + label.negative).map(\.term.count).max() ?? 0)
            for (sign, terms) in [("+", label.positive), ("-", label.negative)] {
                for term in terms {
                    let name = term.term.padding(toLength: max(width, term.term.count), withPad: " ", startingAt: 0)
                    lines.append("    \(sign) \(name)  \(fixed(term.value, 3)) × \(fixed(term.weight, 3)) = \(signed(term.contribution))")
                }
            }
            lines.append("    other terms: \(signed(label.otherContribution))")
        }
        return lines.joined(separator: "\n")
    }

    /// {"label": {"probability", ["passage_probability",] "threshold", "predicted", "decision", "bias", "other",
    /// "positive": [{"term", "value", "weight", "contribution"}], "negative": [...]}}, labels in model order.
    static func json(_ explanation: Explanation) -> String {
        let labels = explanation.labels.map { label in
            var fields = [
                "\"probability\": \(Output.number(Double(label.probability)))",
                "\"threshold\": \(Output.number(Double(label.threshold)))",
                "\"predicted\": \(label.isPredicted)",
                "\"decision\": \(Output.number(Double(label.decisionValue)))",
                "\"bias\": \(Output.number(Double(label.bias)))",
                "\"other\": \(Output.number(Double(label.otherContribution)))",
                "\"positive\": " + terms(label.positive),
                "\"negative\": " + terms(label.negative),
            ]
            if let passage = label.passageProbability {
                fields.insert("\"passage_probability\": \(Output.number(Double(passage)))", at: 1)
            }
            return "\(Output.json(label.label)): {" + fields.joined(separator: ", ") + "}"
        }
        return "{" + labels.joined(separator: ", ") + "}"
    }

    static func terms(_ contributions: [Explanation.Contribution]) -> String {
        "[" + contributions.map {
            "{\"term\": \(Output.json($0.term)), \"value\": \(Output.number(Double($0.value))), \"weight\": \(Output.number(Double($0.weight))), \"contribution\": \(Output.number(Double($0.contribution)))}"
        }.joined(separator: ", ") + "]"
    }

    static func fixed(_ value: Float, _ decimals: Int) -> String { String(format: "%.\(decimals)f", Double(value)) }

    static func signed(_ value: Float) -> String { String(format: "%+.3f", Double(value)) }
}
