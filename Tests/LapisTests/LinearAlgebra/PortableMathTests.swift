import Foundation
import Testing
@testable import Lapis

@Suite("Portable exp, log and log1p")
struct PortableMathTests {
    /// Distance in units of the last place of `reference`.
    func ulps(_ value: Double, _ reference: Double) -> Double {
        value == reference ? 0 : abs(value - reference) / reference.ulp
    }

    @Test("within 2 ulp of the C library's exp, log and log1p, over their whole ranges")
    func accuracy() {
        var generator = SplitMix(seed: 11)
        var worst = (exp: 0.0, log: 0.0, log1p: 0.0)
        for _ in 0..<200_000 {
            let x = -745 + generator.nextDouble() * (709.78 + 745)
            worst.exp = max(worst.exp, ulps(PortableMath.exp(x), Foundation.exp(x)))
            let positive = Foundation.exp(-700 + generator.nextDouble() * 1400)
            worst.log = max(worst.log, ulps(PortableMath.log(positive), Foundation.log(positive)))
            let small = generator.nextDouble() * (generator.nextDouble() < 0.5 ? 1 : 1e-9)
            worst.log1p = max(worst.log1p, ulps(PortableMath.log1p(small), Foundation.log1p(small)))
        }
        #expect(worst.exp <= 2 && worst.log <= 2 && worst.log1p <= 2, "\(worst)")
    }

    @Test("special values: overflow, underflow, zero, negative and non-finite arguments")
    func specialValues() {
        #expect(PortableMath.exp(0) == 1)
        #expect(PortableMath.exp(710) == .infinity && PortableMath.exp(.infinity) == .infinity)
        #expect(PortableMath.exp(-746) == 0 && PortableMath.exp(-.infinity) == 0)
        #expect(PortableMath.exp(-745) > 0)   // the smallest subnormal, as in the C library
        #expect(PortableMath.exp(.nan).isNaN)
        #expect(PortableMath.log(1) == 0)
        #expect(PortableMath.log(0) == -.infinity && PortableMath.log(-1).isNaN && PortableMath.log(.nan).isNaN)
        #expect(PortableMath.log(.infinity) == .infinity)
        #expect(PortableMath.log(0x1p-1070) == Foundation.log(0x1p-1070))   // subnormal argument
        #expect(PortableMath.log1p(0) == 0 && PortableMath.log1p(1e-300) == 1e-300)
        #expect(PortableMath.log1p(-1) == -.infinity)
    }

    @Test("the four-lane exp and log1p give, lane by lane, the scalar versions' bits")
    func vectorMatchesScalar() {
        var generator = SplitMix(seed: 5)
        let specials: [Double] = [0, -0.0, 1, -1, 709.78, 709.79, -745.13, -745.14, -800, .infinity, -.infinity, .nan,
                                  1e-300, -1e-300, 0x1p-1074, -0.999999999, -1, -2, 1e300]
        var arguments = specials
        for _ in 0..<40_000 {
            let magnitude = generator.nextDouble() < 0.5 ? 40.0 : 750.0
            arguments.append((generator.nextDouble() * 2 - 1) * magnitude)
            arguments.append(generator.nextDouble() * (generator.nextDouble() < 0.3 ? 1e-12 : 1))
        }
        while arguments.count % 4 != 0 { arguments.append(0.5) }
        for start in stride(from: 0, to: arguments.count, by: 4) {
            let lanes = SIMD4<Double>(arguments[start], arguments[start + 1], arguments[start + 2], arguments[start + 3])
            let exps = PortableMath.exp(lanes), logs = PortableMath.log1p(lanes)
            for lane in 0..<4 {
                let x = lanes[lane]
                let scalarExp = PortableMath.exp(x), scalarLog = PortableMath.log1p(x)
                #expect(exps[lane].bitPattern == scalarExp.bitPattern || (exps[lane].isNaN && scalarExp.isNaN), "exp(\(x))")
                #expect(logs[lane].bitPattern == scalarLog.bitPattern || (logs[lane].isNaN && scalarLog.isNaN), "log1p(\(x))")
            }
        }
    }

    @Test("the four-lane logistic loss gives, lane by lane, the scalar loss's bits")
    func vectorLossMatchesScalar() {
        var generator = SplitMix(seed: 9)
        for _ in 0..<20_000 {
            let margins = SIMD4<Double>((0..<4).map { _ in (generator.nextDouble() * 2 - 1) * (generator.nextDouble() < 0.1 ? 900 : 12) })
            let signs = SIMD4<Double>((0..<4).map { _ in generator.nextDouble() < 0.5 ? 1.0 : -1.0 })
            let weights = SIMD4<Double>((0..<4).map { _ in generator.nextDouble() * 10 })
            let (losses, slopes) = LogisticRegression.loss(margin: margins, sign: signs, weight: weights)
            for lane in 0..<4 {
                let (loss, slope) = LogisticRegression.loss(margin: margins[lane], sign: signs[lane], weight: weights[lane])
                #expect(losses[lane].bitPattern == loss.bitPattern && slopes[lane].bitPattern == slope.bitPattern)
            }
        }
    }
}
