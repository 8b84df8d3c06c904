/// The one TF-IDF weighting of Lapis, shared by the document features (``TfidfVectorizer``)
/// and the sentence graphs the summarizers rank with (each sentence a document of its story).
///
///     tf(t, d)  = 1 + ln c(t, d)                  (sublinear; c(t, d) otherwise)
///     idf(t)    = ln((1 + n) / (1 + df(t))) + 1   (smoothed: as if one extra document held every term)
///     x(t, d)   = tf(t, d) · idf(t) / ‖tf(·, d) · idf(·)‖₂
///
/// Logarithms go through ``PortableMath`` and sums run in column order, so a row is the same
/// bits on every CPU.
enum TfidfWeighting {
    /// The smoothed idf of a term found in `documentFrequency` of `documentCount` documents.
    static func smoothedIDF(documentCount: Int, documentFrequency: Int) -> Float {
        Float(PortableMath.log(Double(1 + documentCount) / Double(1 + documentFrequency)) + 1)
    }

    /// The same smoothed idf with the ratio and the final sum in single precision: the sentence
    /// graphs of the summarizers have always computed it so, and the last bit it changes moves
    /// near-tied centrality rankings, so summaries stay byte-identical by keeping it.
    static func smoothedIDFSinglePrecision(documentCount: Int, documentFrequency: Int) -> Float {
        let n = Float(documentCount)
        return Float(PortableMath.log(Double((1 + n) / (1 + Float(documentFrequency))))) + 1
    }

    /// 1 + ln `count`, the sublinear term frequency; small counts (nearly all) from a table of
    /// the same values, since a story's rows and its passages' rows ask for them by the thousand.
    @inline(__always)
    static func sublinearTermFrequency(_ count: Int32) -> Float {
        count < smallSublinearTermFrequencies.count ? smallSublinearTermFrequencies[Int(count)] : 1 + Float(PortableMath.log(Double(count)))
    }

    private static let smallSublinearTermFrequencies: [Float] = (0..<64).map { 1 + Float(PortableMath.log(Double($0))) }

    /// The L2-normalised TF-IDF row of one document from its (column, count) pairs, sorted by
    /// column. An empty row stays empty; a row whose weights are all zero stays unscaled.
    ///
    /// - Complexity: O(*k* log *k*) for *k* distinct columns.
    static func normalizedRow(_ columnCounts: [(Int32, Int32)], idf: [Float], sublinearTF: Bool) -> [(Int32, Float)] {
        var row = columnCounts.map { column, count -> (Int32, Float) in
            let tf = sublinearTF ? sublinearTermFrequency(count) : Float(count)
            return (column, tf * idf[Int(column)])
        }
        // Column order: dictionary order changes from run to run, and float sums with it.
        row.sort { $0.0 < $1.0 }
        var squaredNorm: Float = 0
        for (_, value) in row { squaredNorm += value * value }
        if squaredNorm > 0 {
            let scale = 1 / squaredNorm.squareRoot()
            for index in row.indices { row[index].1 *= scale }
        }
        return row
    }
}
