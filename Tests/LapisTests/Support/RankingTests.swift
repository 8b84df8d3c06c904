import Testing
@testable import Lapis

@Suite("Ranking")
struct RankingTests {
    @Test("ranking doubles by sorting (value, position) pairs gives the order of sorting positions by their values, ties, zeros of both signs and NaN included",
          arguments: [0, 1, 2, 17, 1000, 30_000])
    func pairsRankAsPositions(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 5)
        // Few distinct values, so most comparisons are ties that the position must break.
        let pool: [Double] = [0, -0.0, 0.25, 0.5, 1, 1e-300, -3, .infinity, -.infinity, 0.7499999999999999, 0.75]
        let values = (0..<count).map { _ in
            Bool.random(using: &generator) ? pool.randomElement(using: &generator)! : Double.random(in: -1...1, using: &generator)
        }
        /// The ranking as it was first written: positions sorted by looking their values up.
        func positionsSorted(_ values: [Double]) -> [Int] {
            values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        }
        #expect(values.indicesByDescendingValue() == positionsSorted(values))
        if count > 2 {
            var withNaN = values
            withNaN[count / 2] = .nan
            #expect(withNaN.indicesByDescendingValue() == positionsSorted(withNaN))
        }
    }
}
