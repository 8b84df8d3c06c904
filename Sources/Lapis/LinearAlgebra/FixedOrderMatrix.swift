/// The summarizer's single-precision matrix work, in a summation order fixed here.
///
/// These products decide which sentences a summary takes and the features a sentence scorer
/// is trained on, so they must give the same bits on every CPU: OpenBLAS's `sgemm` and `sgemv`
/// kernels differ per CPU in summation order and in fusing multiply and add (measured: the
/// same `lapis train-summarizer` run gave other model bytes under `OPENBLAS_CORETYPE=SkylakeX`
/// than under `Haswell`). The matrices are small (a story's sentences), and the similarity
/// matrix is built from the rows' nonzeros rather than the dense rows. Like ``FixedOrderVector``, only IEEE additions and multiplications, never fused.
enum FixedOrderMatrix {
    /// One nonzero of a sparse row.
    struct Entry {
        var column: Int
        var value: Float
    }

    /// The Gram matrix A·Aᵀ (row-major, rows²) of a row-major `rows × columns` matrix A whose
    /// nonzeros are also given row by row, `nonzeros[i]` with strictly increasing columns.
    ///
    /// Entry (i, j), i ≤ j, sums aᵢ꜀·aⱼ꜀ over row i's nonzero columns c in ascending order; the
    /// matrix is exactly symmetric. The zero terms this adds (row j has no entry at c) leave a
    /// sum of non-negative products unchanged, so for non-negative A (TF-IDF rows) it is the sum
    /// over the shared columns.
    ///
    /// - Complexity: O(rows² · k), where k is the mean number of nonzeros per row.
    static func gram(_ a: [Float], rows: Int, columns: Int, nonzeros: [[Entry]]) -> [Float] {
        precondition(a.count == rows * columns && nonzeros.count == rows)
        var result = [Float](repeating: 0, count: rows * rows)
        a.withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { result in
                for i in 0..<rows {
                    let entries = nonzeros[i]
                    assert(zip(entries, entries.dropFirst()).allSatisfy { $0.column < $1.column }, "columns must increase")
                    for j in i..<rows {
                        let base = j * columns
                        var sum: Float = 0
                        for entry in entries { sum += entry.value * a[base + entry.column] }
                        result[i * rows + j] = sum
                        result[j * rows + i] = sum
                    }
                }
            }
        }
        return result
    }

    /// y ← α·Aᵀx + y for a row-major `rows × columns` matrix A: each (Aᵀx)ⱼ sums over the rows
    /// in ascending order.
    ///
    /// - Complexity: O(rows · columns).
    static func transposedProduct(_ a: [Float], rows: Int, columns: Int, _ x: [Float], alpha: Float, adding y: inout [Float]) {
        precondition(a.count == rows * columns && x.count == rows && y.count == columns)
        var sums = [Float](repeating: 0, count: columns)
        a.withUnsafeBufferPointer { a in
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<rows {
                    let weight = x[row]
                    let base = row * columns
                    for column in 0..<columns { sums[column] += a[base + column] * weight }
                }
            }
        }
        for column in 0..<columns { y[column] = alpha * sums[column] + y[column] }
    }

    /// α·Ax for a row-major `rows × columns` matrix A, each row's dot product in the order of
    /// ``FixedOrderVector``'s (eight partial sums, combined pairwise, then the tail).
    ///
    /// - Complexity: O(rows · columns).
    static func product(_ a: [Float], rows: Int, columns: Int, _ x: [Float], alpha: Float) -> [Float] {
        precondition(a.count == rows * columns && x.count == columns)
        guard rows > 0, columns > 0 else { return [Float](repeating: 0, count: rows) }
        return a.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { x in
                (0..<rows).map { row in alpha * dot(a.baseAddress! + row * columns, x.baseAddress!, count: columns) }
            }
        }
    }

    /// xᵀy in single precision over `count` elements, in ``FixedOrderVector``'s order.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var partials = SIMD8<Float>.zero
        let blocks = count / 8
        let rawX = UnsafeRawPointer(x), rawY = UnsafeRawPointer(y)
        for block in 0..<blocks {
            let offset = block * 8 * MemoryLayout<Float>.stride
            partials += rawX.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rawY.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        }
        var sum = ((partials[0] + partials[4]) + (partials[2] + partials[6]))
            + ((partials[1] + partials[5]) + (partials[3] + partials[7]))
        for index in (blocks * 8)..<count { sum += x[index] * y[index] }
        return sum
    }
}
