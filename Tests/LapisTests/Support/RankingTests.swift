import Testing
@testable import Lapis

@Suite("Ranking")
struct RankingTests {
    @Test("sorting (value, position) pairs ranks doubles exactly as indicesByDescendingValue, ties, zeros of both signs and NaN included",
          arguments: [0, 1, 2, 17, 1000, 30_000])
    func pairsRankAsPositions(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 5)
        // Few distinct values, so most comparisons are ties that the position must break.
        let pool: [Double] = [0, -0.0, 0.25, 0.5, 1, 1e-300, -3, .infinity, -.infinity, 0.7499999999999999, 0.75]
        let values = (0..<count).map { _ in
            Bool.random(using: &generator) ? pool.randomElement(using: &generator)! : Double.random(in: -1...1, using: &generator)
        }
        #expect(values.indicesByDescendingValueSortingPairs() == values.indicesByDescendingValue())
        if count > 2 {
            var withNaN = values
            withNaN[count / 2] = .nan
            #expect(withNaN.indicesByDescendingValueSortingPairs() == withNaN.indicesByDescendingValue())
        }
    }
}
