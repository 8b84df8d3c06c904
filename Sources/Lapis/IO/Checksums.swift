/// CRC-32 (IEEE 802.3, as zlib's `crc32`), used to detect corrupted model files.
///
/// Computed eight bytes at a time ("slicing-by-8": eight derived tables, one per byte
/// position), because a byte at a time made checksumming a third of loading a model.
enum CRC32 {
    /// `tables[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
    private static let tables: [[UInt32]] = {
        var tables = [(0..<256).map { value -> UInt32 in
            var crc = UInt32(value)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            return crc
        }]
        for k in 1..<8 {
            tables.append((0..<256).map { tables[k - 1][$0] >> 8 ^ tables[0][Int(tables[k - 1][$0] & 0xFF)] })
        }
        return tables
    }()

    static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        var index = 0
        let count = bytes.count
        Self.tables.withUnsafeBufferPointer { tables in
            let (t0, t1, t2, t3) = (tables[0], tables[1], tables[2], tables[3])
            let (t4, t5, t6, t7) = (tables[4], tables[5], tables[6], tables[7])
            while index + 8 <= count {
                let low = crc ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian
                let high = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                crc = t7[Int(low & 0xFF)] ^ t6[Int(low >> 8 & 0xFF)] ^ t5[Int(low >> 16 & 0xFF)] ^ t4[Int(low >> 24)]
                    ^ t3[Int(high & 0xFF)] ^ t2[Int(high >> 8 & 0xFF)] ^ t1[Int(high >> 16 & 0xFF)] ^ t0[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// FNV-1a, 64 bits: a fingerprint of training data recorded in models (not for security).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func combine<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
    }

    mutating func combine(_ text: String) {
        // Through the contiguous bytes: iterating String.UTF8View byte by byte was 2-3% of
        // reading a corpus for training (the fingerprint covers every story's text).
        var text = text
        text.withUTF8 { combine($0) }
        combine([0xFF])  // separator: "ab"+"c" differs from "a"+"bc"
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
