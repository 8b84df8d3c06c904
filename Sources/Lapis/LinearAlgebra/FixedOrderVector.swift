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

    /// out ← (src + α·x)·γ element by element, returning zᵀout in ``dot(_:_:count:)``'s order.
    ///
    /// One pass where L-BFGS's two-loop recursion would otherwise make two or three (an axpy,
    /// perhaps a scale, then the next pair's dot product over the vector just written): the
    /// recursion is bound by memory traffic over vectors of the vocabulary's size. Each element
    /// is `(src[i] + α * x[i]) * γ`, the bits of ``axpy(_:_:_:)`` followed by
    /// ``scale(_:_:)``; a γ of 1 changes nothing (t · 1 = t exactly), so callers without a scale
    /// pass 1. `out` may be `src` (an update in place), never `x` or `z` unless they are equal to
    /// `src` and `out` too.
    ///
    /// - Precondition: every pointer addresses at least `count` initialised elements.
    /// - Complexity: O(`count`).
    @inline(__always)
    static func axpyScaleDot(_ alpha: Double, _ x: UnsafePointer<Double>, _ src: UnsafePointer<Double>, scale gamma: Double,
                             into out: UnsafeMutablePointer<Double>, dotWith z: UnsafePointer<Double>, count: Int) -> Double {
        precondition(count >= 0)
        var low = SIMD4<Double>.zero, high = SIMD4<Double>.zero
        let blocks = count / 8
        let alphas = SIMD4<Double>(repeating: alpha), gammas = SIMD4<Double>(repeating: gamma)
        let rawX = UnsafeRawPointer(x), rawSource = UnsafeRawPointer(src), rawZ = UnsafeRawPointer(z)
        let rawOut = UnsafeMutableRawPointer(out)
        let stride = MemoryLayout<Double>.stride
        for block in 0..<blocks {
            let offset = block * 8 * stride
            let first = (rawSource.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                + alphas * rawX.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)) * gammas
            let second = (rawSource.loadUnaligned(fromByteOffset: offset + 4 * stride, as: SIMD4<Double>.self)
                + alphas * rawX.loadUnaligned(fromByteOffset: offset + 4 * stride, as: SIMD4<Double>.self)) * gammas
            rawOut.storeBytes(of: first, toByteOffset: offset, as: SIMD4<Double>.self)
            rawOut.storeBytes(of: second, toByteOffset: offset + 4 * stride, as: SIMD4<Double>.self)
            low += rawZ.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self) * first
            high += rawZ.loadUnaligned(fromByteOffset: offset + 4 * stride, as: SIMD4<Double>.self) * second
        }
        let pairs = low + high
        var sum = (pairs[0] + pairs[2]) + (pairs[1] + pairs[3])
        for index in (blocks * 8)..<count {
            let value = (src[index] + alpha * x[index]) * gamma
            out[index] = value
            sum += z[index] * value
        }
        return sum
    }

    /// The products one accepted L-BFGS step needs, in one pass: with the step s = a − b and
    /// the gradient change y = c − d written to `step` and `change`, returns sᵀy, yᵀy, cᵀc
    /// and aᵀa, each in ``dot(_:_:count:)``'s order (the bits of ``difference(_:_:into:)``
    /// twice and four dot products, in a third of the memory traffic).
    ///
    /// - Precondition: every pointer addresses at least `count` initialised elements; the
    ///   outputs overlap no input.
    /// - Complexity: O(`count`).
    static func stepProducts(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafePointer<Double>, _ d: UnsafePointer<Double>,
                             step: UnsafeMutablePointer<Double>, change: UnsafeMutablePointer<Double>, count: Int)
        -> (curvature: Double, changeNormSquared: Double, cNormSquared: Double, aNormSquared: Double) {
        precondition(count >= 0)
        // Partials of the four sums, elements 0–3 and 4–7 of each block of eight.
        var curvature = (SIMD4<Double>.zero, SIMD4<Double>.zero), changeNorm = curvature, cNorm = curvature, aNorm = curvature
        let blocks = count / 8
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b), rawC = UnsafeRawPointer(c), rawD = UnsafeRawPointer(d)
        let rawStep = UnsafeMutableRawPointer(step), rawChange = UnsafeMutableRawPointer(change)
        let stride = MemoryLayout<Double>.stride
        @inline(__always) func half(_ offset: Int, _ curvaturePartial: inout SIMD4<Double>, _ changePartial: inout SIMD4<Double>,
                                    _ cPartial: inout SIMD4<Double>, _ aPartial: inout SIMD4<Double>) {
            let aValues = rawA.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            let cValues = rawC.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            let s = aValues - rawB.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            let y = cValues - rawD.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            rawStep.storeBytes(of: s, toByteOffset: offset, as: SIMD4<Double>.self)
            rawChange.storeBytes(of: y, toByteOffset: offset, as: SIMD4<Double>.self)
            curvaturePartial += s * y
            changePartial += y * y
            cPartial += cValues * cValues
            aPartial += aValues * aValues
        }
        for block in 0..<blocks {
            let offset = block * 8 * stride
            half(offset, &curvature.0, &changeNorm.0, &cNorm.0, &aNorm.0)
            half(offset + 4 * stride, &curvature.1, &changeNorm.1, &cNorm.1, &aNorm.1)
        }
        @inline(__always) func combine(_ partials: (SIMD4<Double>, SIMD4<Double>)) -> Double {
            let pairs = partials.0 + partials.1
            return (pairs[0] + pairs[2]) + (pairs[1] + pairs[3])
        }
        var sums = (combine(curvature), combine(changeNorm), combine(cNorm), combine(aNorm))
        for index in (blocks * 8)..<count {
            let s = a[index] - b[index], y = c[index] - d[index]
            step[index] = s
            change[index] = y
            sums.0 += s * y
            sums.1 += y * y
            sums.2 += c[index] * c[index]
            sums.3 += a[index] * a[index]
        }
        return (sums.0, sums.1, sums.2, sums.3)
    }
}
