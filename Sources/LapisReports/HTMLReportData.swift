import Foundation
import Lapis

/// Who and what a report is about, shown in its title line.
public struct ReportMetadata: Sendable, Equatable {
    /// The model's name, e.g. its file path or "built-in model".
    public var model: String
    /// The data's name, e.g. its file path and any id filter.
    public var data: String
    /// When the report was made (shown in UTC).
    public var date: Date

    /// Creates report metadata.
    public init(model: String, data: String, date: Date = Date()) {
        self.model = model
        self.data = data
        self.date = date
    }

    /// The date as `yyyy-MM-dd HH:mm UTC`, independent of the machine's locale.
    var dateText: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

/// One evaluated story as the classification report needs it: what it is, its true and
/// predicted labels, and the probability of every label.
package struct ScoredDocument: Sendable, Equatable {
    /// The story's id.
    package var id: String
    /// The headline, if any (shown for the worst errors).
    package var title: String?
    /// The body (its first words stand in for a missing headline).
    package var text: String
    /// The true labels.
    package var truth: Set<String>
    /// The predicted labels.
    package var predicted: Set<String>
    /// The probability of each label, in the report's label order.
    package var probabilities: [Double]

    /// Creates a scored document.
    package init(id: String, title: String? = nil, text: String, truth: Set<String>, predicted: Set<String>, probabilities: [Double]) {
        self.id = id
        self.title = title
        self.text = text
        self.truth = truth
        self.predicted = predicted
        self.probabilities = probabilities
    }

    /// The headline, or the first `words` words of the text followed by an ellipsis.
    package func caption(words: Int = 14) -> String {
        if let title, !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return title }
        let all = text.split(whereSeparator: { $0.isWhitespace })
        let head = all.prefix(words).joined(separator: " ")
        return all.count > words ? head + " …" : head
    }
}

/// A confusion matrix for label sets: documents by true label (rows) × predicted label
/// (columns), with a "none" row for documents without a true label and a "none" column for
/// documents given no label.
///
/// For a document with true labels T and predicted labels P, every t in T (or "none") adds
/// one to (t, t) when t ∈ P (a correct label), and one to (t, p) for every p ∈ P that is not
/// in T (a wrong label); when P is empty it adds one to (t, none). Labels predicted correctly
/// alongside t are not counted in t's row, so the off-diagonal cells are errors only, the
/// diagonal share of a row is the label's recall, and for single-label data it is the usual
/// confusion matrix. (none, none) counts unlabelled documents given no label.
public struct LabelSetConfusion: Sendable, Equatable {
    /// The labels; row and column `labels.count` is "none".
    public let labels: [String]
    /// `counts[trueIndex][predictedIndex]`, (labels + 1) × (labels + 1).
    public let counts: [[Int]]
    /// Documents per row: those carrying the row's true label (or no label, for "none").
    public let rowDocuments: [Int]

    /// Counts over the true and predicted label sets of each document; labels not in
    /// `labels` are ignored.
    public init(labels: [String], truth: [Set<String>], predicted: [Set<String>]) {
        precondition(truth.count == predicted.count, "one prediction per document")
        self.labels = labels
        let index = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let none = labels.count
        var counts = [[Int]](repeating: [Int](repeating: 0, count: none + 1), count: none + 1)
        var rowDocuments = [Int](repeating: 0, count: none + 1)
        for (actual, guess) in zip(truth, predicted) {
            let rows = Set(actual.compactMap { index[$0] })
            let columns = Set(guess.compactMap { index[$0] })
            for row in rows.isEmpty ? [none] : rows.sorted() {
                rowDocuments[row] += 1
                if columns.isEmpty { counts[row][none] += 1; continue }
                if columns.contains(row) { counts[row][row] += 1 }
                for column in columns.subtracting(rows) { counts[row][column] += 1 }
            }
        }
        self.counts = counts
        self.rowDocuments = rowDocuments
    }

    init(labels: [String], counts: [[Int]], rowDocuments: [Int]) {
        assert(counts.count == labels.count + 1 && rowDocuments.count == labels.count + 1, "one row per label and one for none")
        self.labels = labels
        self.counts = counts
        self.rowDocuments = rowDocuments
    }

    /// The rows and columns of the labels at `indices` (in that order) and "none"; the counts
    /// are the whole matrix's, so "none" still means no true or no predicted label at all.
    func restricted(to indices: [Int]) -> LabelSetConfusion {
        let kept = indices + [labels.count]
        return LabelSetConfusion(labels: indices.map { labels[$0] },
                                 counts: kept.map { row in kept.map { counts[row][$0] } },
                                 rowDocuments: kept.map { rowDocuments[$0] })
    }

    /// One off-diagonal cell: documents of `trueLabel` that were given `predictedLabel`.
    struct Confusion: Equatable {
        var trueLabel: Int
        var predictedLabel: Int
        var documents: Int
    }

    /// The `limit` largest off-diagonal cells, largest first (ties by row, then column), with
    /// "none" (index `labels.count`) as a row or column like any label.
    ///
    /// - Complexity: O(L² log L) for L labels.
    func mostConfused(limit: Int) -> [Confusion] {
        var cells: [Confusion] = []
        for (row, counts) in counts.enumerated() {
            for (column, count) in counts.enumerated() where column != row && count > 0 {
                cells.append(Confusion(trueLabel: row, predictedLabel: column, documents: count))
            }
        }
        cells.sort { ($0.documents, $1.trueLabel, $1.predictedLabel) > ($1.documents, $0.trueLabel, $0.predictedLabel) }
        return Array(cells.prefix(limit))
    }
}

/// A label given wrongly (false positive) or missed (false negative) for one document.
struct LabelError: Sendable, Equatable {
    /// Whether the label was predicted but not true, or true but not predicted.
    public enum Kind: Sendable, Equatable { case falsePositive, falseNegative }

    /// Which mistake it is.
    public var kind: Kind
    /// Index of the document in the report's documents.
    public var document: Int
    /// Index of the label in the report's labels.
    public var label: Int
    /// The label's probability for the document.
    public var score: Double
    /// The label's threshold.
    public var threshold: Double

    /// The worst errors of one kind: false positives with the highest scores, or false
    /// negatives with the lowest, ties broken by document then label order.
    public static func worst(_ kind: Kind, documents: [ScoredDocument], labels: [String], thresholds: [Double], limit: Int) -> [LabelError] {
        var errors: [LabelError] = []
        for (d, document) in documents.enumerated() {
            for (l, label) in labels.enumerated() {
                let isTrue = document.truth.contains(label), isPredicted = document.predicted.contains(label)
                let matches = kind == .falsePositive ? (isPredicted && !isTrue) : (isTrue && !isPredicted)
                if matches { errors.append(LabelError(kind: kind, document: d, label: l, score: document.probabilities[l], threshold: thresholds[l])) }
            }
        }
        errors.sort { a, b in
            if a.score != b.score { return kind == .falsePositive ? a.score > b.score : a.score < b.score }
            return a.document != b.document ? a.document < b.document : a.label < b.label
        }
        return Array(errors.prefix(limit))
    }
}

/// A story shown in the summary report: its sentences, the ones each method picked, and the
/// reference summary's sentences.
struct HighlightedStory: Sendable, Equatable {
    /// The story's id.
    public var id: String
    /// The headline, if any.
    public var title: String?
    /// The story's sentences, in order.
    public var sentences: [String]
    /// Per method (in report order): the indices of the sentences it picked.
    public var picks: [(method: String, sentences: Set<Int>)]
    /// Indices of the sentences that are in the reference summary.
    public var reference: Set<Int>
    /// Summary lines (reference or a method's) that are not sentences of the story, verbatim;
    /// the reference's are listed under the name "reference".
    public var unmatched: [(source: String, line: String)]

    /// Finds each summary line among `sentences` (comparing with whitespace collapsed);
    /// lines that are not found go to `unmatched`.
    public init(id: String, title: String?, sentences: [String], summaries: [(method: String, lines: [String])], reference: [String]) {
        self.id = id
        self.title = title
        self.sentences = sentences
        let keys = sentences.map(Self.key)
        var unmatched: [(String, String)] = []
        func locate(_ lines: [String], source: String) -> Set<Int> {
            var found = Set<Int>()
            for line in lines where !Self.key(line).isEmpty {
                let key = Self.key(line)
                if let position = keys.indices.first(where: { keys[$0] == key && !found.contains($0) }) ?? keys.firstIndex(of: key) {
                    found.insert(position)
                } else {
                    unmatched.append((source, line))
                }
            }
            return found
        }
        self.reference = locate(reference, source: "reference")
        self.picks = summaries.map { (method: $0.method, sentences: locate($0.lines, source: $0.method)) }
        self.unmatched = unmatched
    }

    private static func key(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Equal when every field is (tuples cannot derive it).
    public static func == (lhs: HighlightedStory, rhs: HighlightedStory) -> Bool {
        lhs.id == rhs.id && lhs.title == rhs.title && lhs.sentences == rhs.sentences && lhs.reference == rhs.reference
            && lhs.picks.map(\.method) == rhs.picks.map(\.method) && lhs.picks.map(\.sentences) == rhs.picks.map(\.sentences)
            && lhs.unmatched.map(\.source) == rhs.unmatched.map(\.source) && lhs.unmatched.map(\.line) == rhs.unmatched.map(\.line)
    }
}
