/// `exp`, `log` and `log1p` computed with IEEE additions and multiplications only, so that they
/// give the same bits on every CPU.
///
/// glibc picks its `exp`, `log` and `log1p` per CPU at load time (a fused multiply-add variant
/// where the CPU has FMA and AVX2, a plain one elsewhere); the two round differently in the last
/// bit for some arguments, and those bits reach a model through the loss, the thresholds and the
/// IDF weights (measured: `GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA` changed the default
/// model). These versions are table-driven, as the C library's are, but without fused
/// operations or divisions: Swift does not contract `a * b + c`, so the order written is the
/// order run on x86-64 and aarch64 alike. Accuracy is within 2 ulp of the C library
/// (``PortableMathTests`` measures it), far more than a loss or an IDF weight needs.
///
/// The tables hold correctly rounded values of 2^(j/32), 1/cⱼ and ln cⱼ (computed with mpmath
/// at 300 bits): math constants, the same on every machine.
enum PortableMath {
    /// ln 2 split so that k·ln2High is exact for |k| < 2²¹ (fdlibm's split).
    private static let ln2High = 6.93147180369123816490e-01
    private static let ln2Low = 1.90821492927058770002e-10
    /// Adding and subtracting 1.5·2⁵² rounds a double of magnitude below 2⁵¹ to the nearest
    /// integer (ties to even) on every IEEE machine, without a rounding instruction.
    private static let roundingShift = 6755399441055744.0

    /// 2^n for an n in the normal exponent range, from its bits.
    @inline(__always)
    private static func powerOfTwo(_ n: Int) -> Double {
        Double(bitPattern: UInt64(n + 1023) << 52)
    }

    /// e^x within 2 ulp; +∞ above 709.78, 0 below −745.13, NaN for NaN.
    ///
    /// x = (32m + j)·(ln 2)/32 + r with |r| ≤ (ln 2)/64, so e^x = 2^m · 2^(j/32) · e^r, and e^r − 1
    /// is its Taylor polynomial of degree 6 (truncation below 4·10⁻¹⁸ relative).
    @inline(__always)
    static func exp(_ x: Double) -> Double {
        if !(x <= 709.782712893383973096) { return x.isNaN ? x : .infinity }
        if x < -745.133219101941108420 { return 0 }
        let kd = (x * 46.166241308446828384 + roundingShift) - roundingShift   // round(x · 32/ln 2)
        let r = (x - kd * (ln2High / 32)) - kd * (ln2Low / 32)
        let q = r + r * r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720)))))
        let k = Int(kd)
        let t = twoToTheJOver32.withUnsafeBufferPointer { $0[k & 31] }
        let (scale, secondScale) = scales(k >> 5)
        return ((t + t * q) * scale) * secondScale
    }

    /// e^x for four arguments at once: lane by lane the same operations as ``exp(_:)-8j0vx``,
    /// so the same bits (``PortableMathTests`` checks it), with the arithmetic in vector registers.
    @inline(__always)
    static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let overflow = x .> 709.782712893383973096, underflow = x .< -745.133219101941108420
        let inRange = .!(overflow .| underflow) .& (x .== x)
        let xc = x.replacing(with: 0, where: .!inRange)
        let kd = (xc * 46.166241308446828384 + roundingShift) - roundingShift
        let r = (xc - kd * (ln2High / 32)) - kd * (ln2Low / 32)
        // The scalar version's Horner polynomial, one step per line (the same operations).
        var horner: SIMD4<Double> = r * (1.0 / 720)
        horner = r * (horner + 1.0 / 120)
        horner = r * (horner + 1.0 / 24)
        horner = r * (horner + 1.0 / 6)
        horner = horner + 1.0 / 2
        let q: SIMD4<Double> = r + (r * r) * horner
        var t = SIMD4<Double>.zero, scale = t, secondScale = t
        twoToTheJOver32.withUnsafeBufferPointer { table in
            for lane in 0..<4 {
                let k = Int(kd[lane])
                t[lane] = table[k & 31]
                (scale[lane], secondScale[lane]) = scales(k >> 5)
            }
        }
        var result = ((t + t * q) * scale) * secondScale
        result.replace(with: 0, where: underflow)
        result.replace(with: Double.infinity, where: overflow)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// 2^m as two factors applied one after the other, (y · first) · second, so that no factor
    /// is subnormal or infinite where 2^m alone would be (m < −1021 or m > 1023).
    @inline(__always)
    private static func scales(_ m: Int) -> (first: Double, second: Double) {
        if m < -1021 { return (powerOfTwo(m + 1000), 0x1p-1000) }
        if m > 1023 { return (2, powerOfTwo(m - 1)) }
        return (powerOfTwo(m), 1)
    }

    /// The pieces of ln x for a positive finite x: x = 2^k · (cⱼ + d), where cⱼ is x's
    /// significand cut to 7 bits (taken in [0.75, 1.5) so that k and ln cⱼ never cancel), d is
    /// exact, and r = d/cⱼ with |r| < 1/128.
    @inline(__always)
    private static func reduce(_ x: Double) -> (k: Int, j: Int, r: Double) {
        if x < 0x1p-1022 {   // subnormal: scale into the normal range first
            let (k, j, r) = reduceNormal((x * 0x1p54).bitPattern)
            return (k - 54, j, r)
        }
        return reduceNormal(x.bitPattern)
    }

    /// ``reduce(_:)`` for the bits of a positive normal double.
    @inline(__always)
    private static func reduceNormal(_ bits: UInt64) -> (k: Int, j: Int, r: Double) {
        var k = Int(bits >> 52) - 1023
        let j = Int((bits >> 45) & 127)
        // A significand in [1.5, 2) (j ≥ 64) is halved into [0.75, 1); without a branch, since
        // which half an argument falls in is unpredictable.
        let half = UInt64(j >> 6)
        let significandBits = ((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - (half << 52)
        k += Int(half)
        let m = Double(bitPattern: significandBits)
        // The centre is the significand cut to 7 bits, except just below 1, where it is 1 itself
        // (the table's last entry): ln x would otherwise cancel as x → 1⁻.
        let cut = j == 127 ? 1 : Double(bitPattern: significandBits & 0xFFFF_E000_0000_0000)
        return (k, j, (m - cut) * centre(j).inverse)
    }

    /// ln(1 + r) for |r| < 1/128: its series to degree 8 (truncation below 2·10⁻¹⁸ relative),
    /// evaluated in Estrin's scheme so that the terms do not wait on each other.
    @inline(__always)
    private static func logOnePlusSmall(_ r: Double) -> Double {
        let r2 = r * r
        let r4 = r2 * r2
        let low = (-1.0 / 2 + r * (1.0 / 3)) + r2 * (-1.0 / 4 + r * (1.0 / 5))
        let high = (-1.0 / 6 + r * (1.0 / 7)) + r2 * (-1.0 / 8)
        return r + r2 * (low + r4 * high)
    }

    /// ln x within 2 ulp; −∞ at 0, NaN below 0 and for NaN, +∞ at +∞.
    @inline(__always)
    static func log(_ x: Double) -> Double {
        guard x > 0, x < .infinity else {
            if x == 0 { return -.infinity }
            return x.isNaN || x < 0 ? .nan : x
        }
        let (exponent, j, r) = reduce(x)
        let k = Double(exponent)
        return (k * ln2High + centre(j).log) + (logOnePlusSmall(r) + k * ln2Low)
    }

    /// ln(1 + x) within 2 ulp, accurate also where x is tiny; NaN below −1.
    ///
    /// u = 1 + x is rounded; for |x| ≤ 1 the rounding error c = x − (u − 1) is exact, and
    /// ln(1 + x) = ln u + c/u to far below an ulp, with 1/u ≈ 2^−k/cⱼ · (1 − r) from ln u's own
    /// reduction (no division).
    @inline(__always)
    static func log1p(_ x: Double) -> Double {
        let u = 1 + x
        guard u > 0, u < .infinity else {
            if u == 0 { return -.infinity }
            return u.isNaN || u < 0 ? .nan : u
        }
        // u ≥ 2⁻⁵³ here, never subnormal; u = 1 needs no case of its own (r = 0, and the
        // correction is x itself).
        let (exponent, j, r) = reduceNormal(u.bitPattern)
        let k = Double(exponent)
        let (inverseCentre, logCentre) = centre(j)
        let inverse = inverseCentre * (1 - r) * powerOfTwo(-exponent)
        let correction = (x - (u - 1)) * inverse
        return (k * ln2High + logCentre) + ((logOnePlusSmall(r) + correction) + k * ln2Low)
    }

    /// ln(1 + x) for four arguments at once: lane by lane the same operations as
    /// ``log1p(_:)-4k2x5``, so the same bits, with the arithmetic in vector registers.
    @inline(__always)
    static func log1p(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let u = 1 + x
        let inRange = (u .> 0) .& (u .< Double.infinity)
        let uc = u.replacing(with: 1, where: .!inRange), xc = x.replacing(with: 0, where: .!inRange)
        var k = SIMD4<Double>.zero, r = k, inverseCentre = k, logCentre = k, power = k
        for lane in 0..<4 {
            let (exponent, j, reduced) = reduceNormal(uc[lane].bitPattern)
            k[lane] = Double(exponent)
            r[lane] = reduced
            (inverseCentre[lane], logCentre[lane]) = centre(j)
            power[lane] = powerOfTwo(-exponent)
        }
        let inverse = inverseCentre * (1 - r) * power
        let correction = (xc - (uc - 1)) * inverse
        let r2 = r * r
        let r4 = r2 * r2
        // logOnePlusSmall's Estrin scheme, one step per line (the same operations).
        let third: SIMD4<Double> = r * (1.0 / 3) + (-1.0 / 2)
        let fifth: SIMD4<Double> = r * (1.0 / 5) + (-1.0 / 4)
        let low: SIMD4<Double> = third + r2 * fifth
        let seventh: SIMD4<Double> = r * (1.0 / 7) + (-1.0 / 6)
        let high: SIMD4<Double> = seventh + r2 * (-1.0 / 8)
        let series: SIMD4<Double> = r + r2 * (low + r4 * high)
        let whole: SIMD4<Double> = k * ln2High + logCentre
        let fraction: SIMD4<Double> = (series + correction) + k * ln2Low
        var result = whole + fraction
        if !all(inRange) {
            result.replace(with: Double.nan, where: .!inRange)
            result.replace(with: -Double.infinity, where: u .== 0)
            result.replace(with: Double.infinity, where: u .== Double.infinity)
        }
        return result
    }

    /// 1/cⱼ and ln cⱼ.
    @inline(__always)
    private static func centre(_ j: Int) -> (inverse: Double, log: Double) {
        (inverseCentres.withUnsafeBufferPointer { $0[j] }, logCentres.withUnsafeBufferPointer { $0[j] })
    }
}

extension PortableMath {
    static let twoToTheJOver32: [Double] = [
        0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
        0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
        0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
        0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
        0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
        0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
        0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
        0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
    ]
    static let inverseCentres: [Double] = [
        0x1.0000000000000p+0, 0x1.fc07f01fc07f0p-1, 0x1.f81f81f81f820p-1, 0x1.f44659e4a4271p-1,
        0x1.f07c1f07c1f08p-1, 0x1.ecc07b301ecc0p-1, 0x1.e9131abf0b767p-1, 0x1.e573ac901e574p-1,
        0x1.e1e1e1e1e1e1ep-1, 0x1.de5d6e3f8868ap-1, 0x1.dae6076b981dbp-1, 0x1.d77b654b82c34p-1,
        0x1.d41d41d41d41dp-1, 0x1.d0cb58f6ec074p-1, 0x1.cd85689039b0bp-1, 0x1.ca4b3055ee191p-1,
        0x1.c71c71c71c71cp-1, 0x1.c3f8f01c3f8f0p-1, 0x1.c0e070381c0e0p-1, 0x1.bdd2b899406f7p-1,
        0x1.bacf914c1bad0p-1, 0x1.b7d6c3dda338bp-1, 0x1.b4e81b4e81b4fp-1, 0x1.b2036406c80d9p-1,
        0x1.af286bca1af28p-1, 0x1.ac5701ac5701bp-1, 0x1.a98ef606a63bep-1, 0x1.a6d01a6d01a6dp-1,
        0x1.a41a41a41a41ap-1, 0x1.a16d3f97a4b02p-1, 0x1.9ec8e951033d9p-1, 0x1.9c2d14ee4a102p-1,
        0x1.999999999999ap-1, 0x1.970e4f80cb872p-1, 0x1.948b0fcd6e9e0p-1, 0x1.920fb49d0e229p-1,
        0x1.8f9c18f9c18fap-1, 0x1.8d3018d3018d3p-1, 0x1.8acb90f6bf3aap-1, 0x1.886e5f0abb04ap-1,
        0x1.8618618618618p-1, 0x1.83c977ab2beddp-1, 0x1.8181818181818p-1, 0x1.7f405fd017f40p-1,
        0x1.7d05f417d05f4p-1, 0x1.7ad2208e0ecc3p-1, 0x1.78a4c8178a4c8p-1, 0x1.767dce434a9b1p-1,
        0x1.745d1745d1746p-1, 0x1.724287f46debcp-1, 0x1.702e05c0b8170p-1, 0x1.6e1f76b4337c7p-1,
        0x1.6c16c16c16c17p-1, 0x1.6a13cd1537290p-1, 0x1.6816816816817p-1, 0x1.661ec6a5122f9p-1,
        0x1.642c8590b2164p-1, 0x1.623fa77016240p-1, 0x1.6058160581606p-1, 0x1.5e75bb8d015e7p-1,
        0x1.5c9882b931057p-1, 0x1.5ac056b015ac0p-1, 0x1.58ed2308158edp-1, 0x1.571ed3c506b3ap-1,
        0x1.5555555555555p+0, 0x1.5390948f40febp+0, 0x1.51d07eae2f815p+0, 0x1.5015015015015p+0,
        0x1.4e5e0a72f0539p+0, 0x1.4cab88725af6ep+0, 0x1.4afd6a052bf5bp+0, 0x1.49539e3b2d067p+0,
        0x1.47ae147ae147bp+0, 0x1.460cbc7f5cf9ap+0, 0x1.446f86562d9fbp+0, 0x1.42d6625d51f87p+0,
        0x1.4141414141414p+0, 0x1.3fb013fb013fbp+0, 0x1.3e22cbce4a902p+0, 0x1.3c995a47babe7p+0,
        0x1.3b13b13b13b14p+0, 0x1.3991c2c187f63p+0, 0x1.3813813813814p+0, 0x1.3698df3de0748p+0,
        0x1.3521cfb2b78c1p+0, 0x1.33ae45b57bcb2p+0, 0x1.323e34a2b10bfp+0, 0x1.30d190130d190p+0,
        0x1.2f684bda12f68p+0, 0x1.2e025c04b8097p+0, 0x1.2c9fb4d812ca0p+0, 0x1.2b404ad012b40p+0,
        0x1.29e4129e4129ep+0, 0x1.288b01288b013p+0, 0x1.27350b8812735p+0, 0x1.25e22708092f1p+0,
        0x1.2492492492492p+0, 0x1.23456789abcdfp+0, 0x1.21fb78121fb78p+0, 0x1.20b470c67c0d9p+0,
        0x1.1f7047dc11f70p+0, 0x1.1e2ef3b3fb874p+0, 0x1.1cf06ada2811dp+0, 0x1.1bb4a4046ed29p+0,
        0x1.1a7b9611a7b96p+0, 0x1.19453808ca29cp+0, 0x1.1811811811812p+0, 0x1.16e0689427379p+0,
        0x1.15b1e5f75270dp+0, 0x1.1485f0e0acd3bp+0, 0x1.135c81135c811p+0, 0x1.12358e75d3033p+0,
        0x1.1111111111111p+0, 0x1.0fef010fef011p+0, 0x1.0ecf56be69c90p+0, 0x1.0db20a88f4696p+0,
        0x1.0c9714fbcda3bp+0, 0x1.0b7e6ec259dc8p+0, 0x1.0a6810a6810a7p+0, 0x1.0953f39010954p+0,
        0x1.0842108421084p+0, 0x1.073260a47f7c6p+0, 0x1.0624dd2f1a9fcp+0, 0x1.05197f7d73404p+0,
        0x1.0410410410410p+0, 0x1.03091b51f5e1ap+0, 0x1.0204081020408p+0, 0x1.0000000000000p+0,
    ]
    static let logCentres: [Double] = [
        0x0.0p+0, 0x1.fe02a6b106789p-8, 0x1.fc0a8b0fc03e4p-7, 0x1.7b91b07d5b11bp-6,
        0x1.f829b0e783300p-6, 0x1.39e87b9febd60p-5, 0x1.77458f632dcfcp-5, 0x1.b42dd711971bfp-5,
        0x1.f0a30c01162a6p-5, 0x1.16536eea37ae1p-4, 0x1.341d7961bd1d1p-4, 0x1.51b073f06183fp-4,
        0x1.6f0d28ae56b4cp-4, 0x1.8c345d6319b21p-4, 0x1.a926d3a4ad563p-4, 0x1.c5e548f5bc743p-4,
        0x1.e27076e2af2e6p-4, 0x1.fec9131dbeabbp-4, 0x1.0d77e7cd08e59p-3, 0x1.1b72ad52f67a0p-3,
        0x1.29552f81ff523p-3, 0x1.371fc201e8f74p-3, 0x1.44d2b6ccb7d1ep-3, 0x1.526e5e3a1b438p-3,
        0x1.5ff3070a793d4p-3, 0x1.6d60fe719d21dp-3, 0x1.7ab890210d909p-3, 0x1.87fa06520c911p-3,
        0x1.9525a9cf456b4p-3, 0x1.a23bc1fe2b563p-3, 0x1.af3c94e80bff3p-3, 0x1.bc286742d8cd6p-3,
        0x1.c8ff7c79a9a22p-3, 0x1.d5c216b4fbb91p-3, 0x1.e27076e2af2e6p-3, 0x1.ef0adcbdc5936p-3,
        0x1.fb9186d5e3e2bp-3, 0x1.0402594b4d041p-2, 0x1.0a324e27390e3p-2, 0x1.1058bf9ae4ad5p-2,
        0x1.1675cababa60ep-2, 0x1.1c898c16999fbp-2, 0x1.22941fbcf7966p-2, 0x1.2895a13de86a3p-2,
        0x1.2e8e2bae11d31p-2, 0x1.347dd9a987d55p-2, 0x1.3a64c556945eap-2, 0x1.404308686a7e4p-2,
        0x1.4618bc21c5ec2p-2, 0x1.4be5f957778a1p-2, 0x1.51aad872df82dp-2, 0x1.5767717455a6cp-2,
        0x1.5d1bdbf5809cap-2, 0x1.62c82f2b9c795p-2, 0x1.686c81e9b14afp-2, 0x1.6e08eaa2ba1e4p-2,
        0x1.739d7f6bbd007p-2, 0x1.792a55fdd47a2p-2, 0x1.7eaf83b82afc3p-2, 0x1.842d1da1e8b17p-2,
        0x1.89a3386c1425bp-2, 0x1.8f11e873662c7p-2, 0x1.947941c2116fbp-2, 0x1.99d958117e08bp-2,
        -0x1.269621134db92p-2, -0x1.214456d0eb8d4p-2, -0x1.1bf99635a6b95p-2, -0x1.16b5ccbacfb73p-2,
        -0x1.1178e8227e47cp-2, -0x1.0c42d676162e3p-2, -0x1.07138604d5862p-2, -0x1.01eae5626c691p-2,
        -0x1.f991c6cb3b379p-3, -0x1.ef5ade4dcffe6p-3, -0x1.e530effe71012p-3, -0x1.db13db0d48940p-3,
        -0x1.d1037f2655e7bp-3, -0x1.c6ffbc6f00f71p-3, -0x1.bd087383bd8adp-3, -0x1.b31d8575bce3dp-3,
        -0x1.a93ed3c8ad9e3p-3, -0x1.9f6c407089664p-3, -0x1.95a5adcf7017fp-3, -0x1.8beafeb38fe8cp-3,
        -0x1.823c16551a3c2p-3, -0x1.7898d85444c73p-3, -0x1.6f0128b756abcp-3, -0x1.6574ebe8c133ap-3,
        -0x1.5bf406b543db2p-3, -0x1.527e5e4a1b58dp-3, -0x1.4913d8333b561p-3, -0x1.3fb45a59928ccp-3,
        -0x1.365fcb0159016p-3, -0x1.2d1610c86813ap-3, -0x1.23d712a49c202p-3, -0x1.1aa2b7e23f72ap-3,
        -0x1.1178e8227e47cp-3, -0x1.08598b59e3a07p-3, -0x1.fe89139dbd566p-4, -0x1.ec739830a1120p-4,
        -0x1.da727638446a2p-4, -0x1.c885801bc4b23p-4, -0x1.b6ac88dad5b1cp-4, -0x1.a4e7640b1bc38p-4,
        -0x1.9335e5d594989p-4, -0x1.8197e2f40e3f0p-4, -0x1.700d30aeac0e1p-4, -0x1.5e95a4d9791cbp-4,
        -0x1.4d3115d207eacp-4, -0x1.3bdf5a7d1ee64p-4, -0x1.2aa04a44717a5p-4, -0x1.1973bd1465567p-4,
        -0x1.08598b59e3a07p-4, -0x1.eea31c006b87cp-5, -0x1.ccb73cdddb2ccp-5, -0x1.aaef2d0fb10fcp-5,
        -0x1.894aa149fb343p-5, -0x1.67c94f2d4bb58p-5, -0x1.466aed42de3eap-5, -0x1.252f32f8d183fp-5,
        -0x1.0415d89e74444p-5, -0x1.c63d2ec14aaf2p-6, -0x1.8492528c8cabfp-6, -0x1.432a925980cc1p-6,
        -0x1.0205658935847p-6, -0x1.82448a388a2aap-7, -0x1.010157588de71p-7, 0x0.0p+0,
    ]
}
