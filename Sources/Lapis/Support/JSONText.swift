import Foundation

/// Writing JSON text by hand where key order and number format must be stable.
package enum JSONText {
    /// A JSON string literal.
    package static func string(_ text: String) -> String {
        // Most strings (ids, labels) need no escaping: skip the per-scalar rebuild for them.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A number with fixed decimals, exactly as C's `"%.Nf"` writes it; non-finite values become 0.
    package static func number(_ value: Double, decimals: Int = 4) -> String {
        guard value.isFinite else { return "0" }
        return fixedPoint(value, decimals: decimals) ?? String(format: "%.\(decimals)f", value)
    }

    private static let powersOfTen: [UInt64] = (0...9).map { power in (0..<power).reduce(1) { value, _ in value * 10 } }

    /// `"%.Nf"` without Foundation's formatter, which took 38% of `lapis classify` (90 scores a
    /// story). Exact because |value|·10ᴺ < 10⁸ is computed with an error below 10⁻⁸, far inside
    /// the 10⁻⁶ window around a rounding tie that is left to the C formatter (nil).
    static func fixedPoint(_ value: Double, decimals: Int) -> String? {
        guard (0...9).contains(decimals) else { return nil }
        let scale = powersOfTen[decimals]
        let scaled = value.magnitude * Double(scale)
        guard scaled < 1e8 else { return nil }
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        guard (fraction - 0.5).magnitude > 1e-6 else { return nil }
        let units = UInt64(whole) + (fraction > 0.5 ? 1 : 0)
        // Digits written right to left into a small buffer, then one String: building it from
        // pieces was half the cost of formatting a score.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var position = buffer.count
            var remaining = units
            func put(_ byte: UInt8) {
                position -= 1
                buffer[position] = byte
            }
            for _ in 0..<decimals {
                put(0x30 + UInt8(remaining % 10))
                remaining /= 10
            }
            if decimals > 0 { put(UInt8(ascii: ".")) }
            repeat {
                put(0x30 + UInt8(remaining % 10))
                remaining /= 10
            } while remaining > 0
            if value.sign == .minus { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[position...]), as: UTF8.self)
        }
    }
}
