import CBLAS
import Foundation

/// Thin, bounds-checked wrappers over the CBLAS routines Lapis uses.
///
/// This file is the only place in Lapis that calls CBLAS: every dense vector and matrix
/// operation of the optimiser and the summarizer goes through here.
enum BLAS {
    /// xᵀy.
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        return cblas_ddot(Int32(x.count), x, 1, y, 1)
    }

    /// xᵀy over the first `count` elements of two buffers.
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }

    /// y ← αx + y.
    static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count)
        let count = Int32(x.count)
        y.withUnsafeMutableBufferPointer { cblas_daxpy(count, alpha, x, 1, $0.baseAddress, 1) }
    }

    /// x ← αx.
    static func scale(_ alpha: Double, _ x: inout [Double]) {
        let count = Int32(x.count)
        x.withUnsafeMutableBufferPointer { cblas_dscal(count, alpha, $0.baseAddress, 1) }
    }

    /// ‖x‖₂.
    static func norm(_ x: [Double]) -> Double {
        cblas_dnrm2(Int32(x.count), x, 1)
    }

    /// C = A·Aᵀ for a row-major `rows × columns` matrix A (single precision): the Gram matrix.
    static func gram(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        precondition(a.count == rows * columns)
        _ = singleThreaded
        var c = [Float](repeating: 0, count: rows * rows)
        guard rows > 0, columns > 0 else { return c }
        c.withUnsafeMutableBufferPointer { output in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(rows), Int32(columns),
                        1, a, Int32(columns), a, Int32(columns), 0, output.baseAddress, Int32(rows))
        }
        return c
    }

    /// y = α·op(A)·x + β·y for a row-major `rows × columns` matrix A (single precision).
    static func gemv(_ a: [Float], rows: Int, columns: Int, transposed: Bool = false,
                     _ x: [Float], alpha: Float = 1, beta: Float = 0, _ y: inout [Float]) {
        precondition(a.count == rows * columns)
        precondition(x.count == (transposed ? rows : columns) && y.count == (transposed ? columns : rows))
        _ = singleThreaded
        y.withUnsafeMutableBufferPointer { output in
            cblas_sgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                        alpha, a, Int32(columns), x, 1, beta, output.baseAddress, 1)
        }
    }

    /// y = α·A·x + β·y for a row-major `rows × columns` matrix A (double precision).
    static func gemv(_ a: [Double], rows: Int, columns: Int, _ x: [Double], alpha: Double = 1, beta: Double = 0, _ y: inout [Double]) {
        precondition(a.count == rows * columns && x.count == columns && y.count == rows)
        _ = singleThreaded
        y.withUnsafeMutableBufferPointer { output in
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns), alpha, a, Int32(columns), x, 1, beta, output.baseAddress, 1)
        }
    }
}

extension BLAS {
    /// Makes OpenBLAS single-threaded: Lapis parallelises across labels and documents itself,
    /// and nested BLAS threads would only oversubscribe the cores (measured: with OpenBLAS's
    /// own threads, summarizing 2,000 CNN/DM stories spent 3.5 s of 6.2 s in the kernel,
    /// spinning). Every matrix-level wrapper touches this before its first call, and so does
    /// model loading: OpenBLAS starts its worker threads when the library is loaded and they
    /// spin on sched_yield for a while before sleeping, taking a core from a short job such as
    /// classifying one file. They are shut down here; single-threaded calls never need them.
    static let singleThreaded: Void = {
        openblas_set_num_threads(1)
        // Looked up at run time: only OpenBLAS's pthreads build has (and needs) this entry point.
        if let shutdown = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            _ = unsafeBitCast(shutdown, to: (@convention(c) () -> Int32).self)()
        }
    }()
}
