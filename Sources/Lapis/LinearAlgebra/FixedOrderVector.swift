/// Level-1 vector arithmetic in a summation order fixed here, for the work that decides a model.
///
/// OpenBLAS picks its `ddot`, `daxpy` and `dnrm2` kernels per CPU (and per `OPENBLAS_CORETYPE`):
/// they sum in different orders and some fuse multiply and add, so the same training gave
/// models that differed in the last bit between AVX2 and AVX-512 machines. These loops use only
/// IEEE additions and multiplications (Swift never contracts them into fused multiply-adds) in
/// an order that does not depend on the CPU, the vector width the compiler picks, or the thread
/// count, so L-BFGS and the objectives give the same bits everywhere. The summarizer's
/// matrix work is in ``FixedOrderMatrix``.
///
/// Summation order of ``dot(_:_:count:)``: eight partial sums, element *i* going to partial
/// *i* mod 8 for the first ⌊n/8⌋·8 elements, combined as ((p0+p4)+(p2+p6)) + ((p1+p5)+(p3+p7)),
/// then the remaining elements added one by one in index order.
enum FixedOrderVector {
    /// xᵀy over the first `count` elements of two buffers.
    ///
    /// - Precondition: both pointers address at least `count` initialised elements.
    /// - Complexity: O(`count`).
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        precondition(count >= 0)
        var low = SIMD4<Double>.zero, high = SIMD4<Double>.zero
        let blocks = count / 8
        let rawX = UnsafeRawPointer(x), rawY = UnsafeRawPointer(y)
        let stride = MemoryLayout<Double>.stride
        for block in 0..<blocks {
            let offset = block * 8 * stride
            low += rawX.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                * rawY.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            high += rawX.loadUnaligned(fromByteOffset: offset + 4 * stride, as: SIMD4<Double>.self)
                * rawY.loadUnaligned(fromByteOffset: offset + 4 * stride, as: SIMD4<Double>.self)
        }
        let pairs = low + high
        var sum = (pairs[0] + pairs[2]) + (pairs[1] + pairs[3])
        for index in (blocks * 8)..<count { sum += x[index] * y[index] }
        return sum
    }

    /// xᵀy.
    ///
    /// - Complexity: O(n).
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        return x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return 0 }
                return dot(xBase, yBase, count: x.count)
            }
        }
    }

    /// ‖x‖₂, as √(xᵀx). Without OpenBLAS's rescaling: the vectors here (weights, gradients and
    /// L-BFGS steps of a regularised objective) are far from the ~1e154 where squares overflow.
    static func norm(_ x: [Double]) -> Double {
        dot(x, x).squareRoot()
    }

    /// y ← αx + y, element by element (no reduction, no fused multiply-add).
    ///
    /// - Complexity: O(n).
    static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                for index in 0..<x.count { y[index] += alpha * x[index] }
            }
        }
    }

    /// x ← αx.
    ///
    /// - Complexity: O(n).
    static func scale(_ alpha: Double, _ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { x in
            for index in 0..<x.count { x[index] *= alpha }
        }
    }

    /// out ← a − b, element by element; `out` keeps its storage when it has a's length.
    ///
    /// - Complexity: O(n).
    static func difference(_ a: [Double], _ b: [Double], into out: inout [Double]) {
        precondition(a.count == b.count)
        if out.count != a.count { out = [Double](repeating: 0, count: a.count) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    for index in 0..<a.count { out[index] = a[index] - b[index] }
                }
            }
        }
    }

    /// out ← x + αd, element by element (the same bits as y ← x then ``axpy(_:_:_:)``); `out`
    /// keeps its storage when it has x's length.
    ///
    /// - Complexity: O(n).
    static func sum(_ x: [Double], _ alpha: Double, _ d: [Double], into out: inout [Double]) {
        precondition(x.count == d.count)
        if out.count != x.count { out = [Double](repeating: 0, count: x.count) }
        x.withUnsafeBufferPointer { x in
            d.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { out in
                    for index in 0..<x.count { out[index] = x[index] + alpha * d[index] }
                }
            }
        }
    }
}
