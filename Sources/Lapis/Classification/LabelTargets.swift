/// Which training rows carry each label, kept as each label's positive rows rather than a
/// Boolean for every row and label.
///
/// Why: a story carries one or two of the labels, so the positives are about as many as the
/// rows, while a Boolean per row and label is rows × labels bytes (45 MB for Reuters' 90 labels
/// at half a million stories, held through every fit, and each cross-validation fold made a
/// copy of most of it). A fit's targets are made from the positives when its lane takes it
/// and dropped when it ends.
struct LabelTargets: Sendable, Equatable {
    /// For each label, the rows that carry it, ascending.
    private(set) var positiveRows: [[Int]]
    /// The rows there are targets for.
    let rowCount: Int

    /// The targets of `labelSets` (one set of label indices per row) for labels `0..<labelCount`;
    /// indices outside that range are ignored.
    /// - Complexity: O(rows + labels in the sets).
    init(labelSets: [Set<Int>], labelCount: Int) {
        var positiveRows = [[Int]](repeating: [], count: labelCount)
        for (row, labelSet) in labelSets.enumerated() {
            for label in labelSet where (0..<labelCount).contains(label) { positiveRows[label].append(row) }
        }
        self.positiveRows = positiveRows
        rowCount = labelSets.count
    }

    /// The targets given as one Boolean per row for each label (`targets[label][row]`).
    init(_ targets: [[Bool]]) {
        precondition(Set(targets.map(\.count)).count <= 1, "one target per row for every label")
        positiveRows = targets.map { column in column.indices.filter { column[$0] } }
        rowCount = targets.first?.count ?? 0
    }

    /// The number of labels.
    var labelCount: Int { positiveRows.count }

    /// How many rows carry `label`.
    func positiveCount(_ label: Int) -> Int { positiveRows[label].count }

    /// Whether each of `rows` (ascending; every row when nil) carries `label`, in that order.
    /// - Complexity: O(`rows.count` + the label's positives).
    func targets(_ label: Int, rows: [Int]? = nil) -> [Bool] {
        let positives = positiveRows[label]
        guard let rows else {
            var targets = [Bool](repeating: false, count: rowCount)
            for row in positives { targets[row] = true }
            return targets
        }
        assert(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }, "rows ascend")
        var targets = [Bool](repeating: false, count: rows.count)
        // Both ascend: one merge walk.
        var next = 0
        for (position, row) in rows.enumerated() {
            while next < positives.count && positives[next] < row { next += 1 }
            if next < positives.count && positives[next] == row { targets[position] = true }
        }
        return targets
    }
}
