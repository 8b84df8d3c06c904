/// A sparse matrix in compressed sparse row (CSR) form with `Float` values.
///
/// Row `r` holds the entries `rowStarts[r] ..< rowStarts[r + 1]` of `columnIndices` and
/// `values`; within a row, column indices are strictly increasing.
public struct SparseMatrix: Sendable, Equatable {
    /// Number of rows (documents).
    public private(set) var rowCount: Int
    /// Number of columns (features).
    public let columnCount: Int
    /// Offsets into `columnIndices`/`values` where each row starts, plus one final end offset.
    public private(set) var rowStarts: [Int]
    /// Column of each stored entry.
    public private(set) var columnIndices: [Int32]
    /// Value of each stored entry.
    public private(set) var values: [Float]

    /// An empty matrix with `columnCount` columns and no rows.
    public init(columnCount: Int) {
        self.rowCount = 0
        self.columnCount = columnCount
        self.rowStarts = [0]
        self.columnIndices = []
        self.values = []
    }

    /// A matrix of the given compressed-row arrays, which must satisfy the invariants of
    /// ``checkInvariants()``: for builders that write the arrays in place.
    init(columnCount: Int, rowStarts: [Int], columnIndices: [Int32], values: [Float]) {
        self.rowCount = rowStarts.count - 1
        self.columnCount = columnCount
        self.rowStarts = rowStarts
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Number of stored (non-zero) entries.
    public var storedCount: Int { values.count }

    /// Appends a row given as (column, value) pairs sorted by strictly increasing column.
    public mutating func appendRow<C: Collection>(_ entries: C) where C.Element == (Int32, Float) {
        let rowStart = values.count
        for (column, value) in entries {
            precondition(column >= 0 && Int(column) < columnCount, "column \(column) out of range")
            assert(values.count == rowStart || column > columnIndices[values.count - 1], "columns of a row must be strictly increasing")
            columnIndices.append(column)
            values.append(value)
        }
        rowStarts.append(values.count)
        rowCount += 1
    }

    /// Appends all rows of `other`, which must have the same number of columns.
    public mutating func appendRows(of other: SparseMatrix) {
        precondition(other.columnCount == columnCount)
        let offset = values.count
        columnIndices.append(contentsOf: other.columnIndices)
        values.append(contentsOf: other.values)
        rowStarts.append(contentsOf: other.rowStarts.dropFirst().map { $0 + offset })
        rowCount += other.rowCount
    }

    /// The entries of row `row` as (column, value) pairs.
    public func row(_ row: Int) -> [(column: Int, value: Float)] {
        (rowStarts[row]..<rowStarts[row + 1]).map { (Int(columnIndices[$0]), values[$0]) }
    }

    /// A matrix made of the given rows of this one, in the given order.
    public func selectingRows<S: Sequence>(_ rows: S) -> SparseMatrix where S.Element == Int {
        var result = SparseMatrix(columnCount: columnCount)
        for row in rows {
            let range = rowStarts[row]..<rowStarts[row + 1]
            result.columnIndices.append(contentsOf: columnIndices[range])
            result.values.append(contentsOf: values[range])
            result.rowStarts.append(result.values.count)
            result.rowCount += 1
        }
        return result
    }

    /// The value at (`row`, `column`), zero when not stored.
    public subscript(row: Int, column: Int) -> Float {
        let range = rowStarts[row]..<rowStarts[row + 1]
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            let found = Int(columnIndices[middle])
            if found == column { return values[middle] }
            if found < column { low = middle + 1 } else { high = middle }
        }
        return 0
    }

    /// Calls `body` with the raw compressed-row arrays (row starts, column indices, values),
    /// for inner loops that must not pay for bounds checks.
    func withUnsafeBuffers<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> R) -> R {
        rowStarts.withUnsafeBufferPointer { starts in
            columnIndices.withUnsafeBufferPointer { columns in
                values.withUnsafeBufferPointer { values in body(starts, columns, values) }
            }
        }
    }

    /// Dot product of row `row` with a dense vector.
    ///
    /// - Precondition: `vector` addresses at least ``columnCount`` initialised values (every
    ///   stored column index is below it, see ``checkInvariants()``), and `row` < ``rowCount``.
    /// - Complexity: O(entries of the row).
    @inline(__always)
    func dot(row: Int, _ vector: UnsafePointer<Double>) -> Double {
        assert(row >= 0 && row < rowCount, "row \(row) out of range")
        var sum = 0.0
        for entry in rowStarts[row]..<rowStarts[row + 1] {
            sum += Double(values[entry]) * vector[Int(columnIndices[entry])]
        }
        return sum
    }

    /// Checks the CSR invariants every reader relies on (the binary search of a column in a
    /// row, the unchecked pointer reads of `dot(row:_:)`): `rowStarts` starts at 0, never
    /// decreases and ends at the entry count; within a row, columns are strictly increasing
    /// and below ``columnCount``. Debug builds trap on a violation; release builds skip the walk.
    ///
    /// - Complexity: O(rows + entries) in debug builds, O(1) in release builds.
    public func checkInvariants() {
        #if DEBUG
        precondition(rowStarts.count == rowCount + 1 && rowStarts.first == 0 && rowStarts.last == values.count,
                     "row offsets must run from 0 to the entry count, one per row plus one")
        precondition(columnIndices.count == values.count, "one column index per value")
        for row in 0..<rowCount {
            precondition(rowStarts[row] <= rowStarts[row + 1], "row \(row) ends before it starts")
            var previous: Int32 = -1
            for entry in rowStarts[row]..<rowStarts[row + 1] {
                let column = columnIndices[entry]
                precondition(column > previous, "row \(row): columns must be strictly increasing")
                precondition(Int(column) < columnCount, "row \(row): column \(column) out of range")
                previous = column
            }
        }
        #endif
    }
}
