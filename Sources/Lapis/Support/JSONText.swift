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

    /// Appends the bytes of ``number(_:decimals:)`` to `bytes`, without building a String
    /// (joining ninety scores as Strings was a fifth of `lapis classify`'s samples on Reuters).
    package static func appendNumber(_ value: Double, decimals: Int = 4, to bytes: inout [UInt8]) {
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        guard let units = fixedPointUnits(value, decimals: decimals) else {
            bytes.append(contentsOf: String(format: "%.\(decimals)f", value).utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let start = writeDigits(units: units, decimals: decimals, negative: value.sign == .minus, into: buffer)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Writes the bytes of ``number(_:decimals:)`` at the start of `buffer` and returns how
    /// many, or nil when they would not fit (the caller then takes a path that can grow).
    package static func writeNumber(_ value: Double, decimals: Int = 4, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard value.isFinite else {
            guard buffer.count >= 1 else { return nil }
            buffer[0] = UInt8(ascii: "0")
            return 1
        }
        guard let units = fixedPointUnits(value, decimals: decimals) else {
            let text = String(format: "%.\(decimals)f", value).utf8
            guard text.count <= buffer.count else { return nil }
            return UnsafeMutableBufferPointer(rebasing: buffer[..<text.count]).initialize(from: text).1
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            let start = writeDigits(units: units, decimals: decimals, negative: value.sign == .minus, into: digits)
            let count = digits.count - start
            guard count <= buffer.count else { return nil }
            _ = UnsafeMutableBufferPointer(rebasing: buffer[..<count]).initialize(from: UnsafeBufferPointer(rebasing: digits[start...]))
            return count
        }
    }

    private static let powersOfTen: [UInt64] = (0...9).map { power in (0..<power).reduce(1) { value, _ in value * 10 } }

    /// `"%.Nf"` without Foundation's formatter, which took 38% of `lapis classify` (90 scores a
    /// story); nil where the C formatter must decide (see ``fixedPointUnits(_:decimals:)``).
    static func fixedPoint(_ value: Double, decimals: Int) -> String? {
        guard let units = fixedPointUnits(value, decimals: decimals) else { return nil }
        // Digits written right to left into a small buffer, then one String: building it from
        // pieces was half the cost of formatting a score.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let start = writeDigits(units: units, decimals: decimals, negative: value.sign == .minus, into: buffer)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// |value|·10ᴺ rounded to the nearest integer, or nil when N is outside 0…9, the value is too
    /// large, or it lies within 10⁻⁶ of a rounding tie. Exact because |value|·10ᴺ < 10⁸ is
    /// computed with an error below 10⁻⁸, far inside the window left to the C formatter.
    private static func fixedPointUnits(_ value: Double, decimals: Int) -> UInt64? {
        guard (0...9).contains(decimals) else { return nil }
        let scaled = value.magnitude * Double(powersOfTen[decimals])
        guard scaled < 1e8 else { return nil }
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        guard (fraction - 0.5).magnitude > 1e-6 else { return nil }
        return UInt64(whole) + (fraction > 0.5 ? 1 : 0)
    }

    /// Writes `units` as a decimal with `decimals` digits after the point into the end of
    /// `buffer` (24 bytes hold any value below 10⁸ with 9 decimals); returns where it starts.
    private static func writeDigits(units: UInt64, decimals: Int, negative: Bool, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
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
        if negative { put(UInt8(ascii: "-")) }
        return position
    }
}
