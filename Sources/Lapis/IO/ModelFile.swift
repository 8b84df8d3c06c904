import Foundation

/// The Lapis model file: a small binary container of JSON metadata and float32 arrays.
///
/// Layout (all integers little-endian):
///
/// | offset | size | content |
/// |---|---|---|
/// | 0 | 8 | magic `LAPISMDL` |
/// | 8 | 4 | format version (UInt32: 1, or 2 when the model needs this version's features) |
/// | 12 | 4 | CRC-32 (zlib) of every byte from offset 32 to the end |
/// | 16 | 8 | metadata length *M* (UInt64) |
/// | 24 | 8 | array data length *A* (UInt64, a multiple of 4) |
/// | 32 | *M* | metadata: UTF-8 JSON object with sorted keys |
/// | 32 + *M* | *A* | float32 arrays, back to back |
///
/// The metadata's `"arrays"` entry lists each array's `name` and `count` in storage order.
/// The file is exactly 32 + *M* + *A* bytes. Nothing in it is executable. Reading it from Python:
///
/// ```python
/// import json, struct, zlib, numpy as np
/// raw = open("model.lapis", "rb").read()
/// magic, version, crc, m, a = struct.unpack("<8sIIQQ", raw[:32])
/// assert magic == b"LAPISMDL" and zlib.crc32(raw[32:]) == crc
/// meta = json.loads(raw[32:32 + m])
/// data, arrays = raw[32 + m:], {}
/// for spec in meta["arrays"]:
///     arrays[spec["name"]] = np.frombuffer(data, "<f4", spec["count"]); data = data[4 * spec["count"]:]
/// ```
public struct ModelFile: Equatable, Sendable {
    /// The magic bytes at the start of every model file.
    public static let magic: [UInt8] = Array("LAPISMDL".utf8)
    /// The newest format version this code reads. A file is written with the oldest version
    /// that holds everything its model needs (``version``): 1 for most models, so they keep
    /// their bytes; 2 for a topic model whose analyzer marks ``PhraseGroups``, so that a
    /// Lapis from before them refuses it ("newer than this lapis understands") instead of
    /// reading it without the groups and predicting from other features than it was trained on.
    public static let formatVersion: UInt32 = 2
    /// This file's format version.
    public let version: UInt32
    static let headerSize = 32
    /// Model files larger than this are refused before anything is allocated.
    static let maximumSize: UInt64 = 4 << 30

    /// The metadata JSON object.
    public var metadata: [String: Any] {
        get { (try? JSONSerialization.jsonObject(with: metadataJSON)) as? [String: Any] ?? [:] }
    }
    /// The metadata as stored (UTF-8 JSON).
    public let metadataJSON: Data
    /// The metadata's `kind` (which model type the file holds), read once when the file is
    /// parsed; `nil` when absent.
    public let kind: String?
    /// The arrays, by name, in storage order.
    public let arrays: [(name: String, values: [Float])]

    /// Creates a file from metadata (any `Encodable` value encoding to a JSON object) and arrays.
    /// `version` is the oldest format version whose readers understand everything the
    /// metadata says (see ``formatVersion``).
    public init<Metadata: Encodable>(metadata: Metadata, arrays: [(name: String, values: [Float])], version: UInt32 = 1) throws {
        precondition((1...Self.formatVersion).contains(version), "format versions are 1 to \(Self.formatVersion)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(metadata)
        guard var object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw LapisError.invalidModel(path: "(model being saved)", problem: .corrupt("its metadata must encode to a JSON object"))
        }
        object["arrays"] = arrays.map { ["name": $0.name, "count": $0.values.count] as [String: Any] }
        self.metadataJSON = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        self.kind = object["kind"] as? String
        self.arrays = arrays
        self.version = version
    }

    private init(metadataJSON: Data, kind: String?, arrays: [(name: String, values: [Float])], version: UInt32) {
        self.version = version
        self.metadataJSON = metadataJSON
        self.kind = kind
        self.arrays = arrays
    }

    /// Decodes the metadata as `Metadata`.
    public func decodeMetadata<Metadata: Decodable>(_ type: Metadata.Type, path: String) throws -> Metadata {
        try decodeMetadata(type, path: path, userInfo: [:])
    }

    /// Decodes the metadata as `Metadata`, with `userInfo` handed to its decoder; `json`, when
    /// given, is the metadata with parts already read elsewhere left out.
    func decodeMetadata<Metadata: Decodable>(_ type: Metadata.Type, path: String, userInfo: [CodingUserInfoKey: any Sendable],
                                             json: Data? = nil) throws -> Metadata {
        do {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(Metadata.self, from: json ?? metadataJSON)
        } catch {
            throw LapisError.invalidModel(path: path, problem: .corrupt("metadata does not describe this kind of model (\(Self.describe(error)))"))
        }
    }

    /// The array named `name`, which must hold `count` values.
    public func array(_ name: String, count: Int, path: String) throws -> [Float] {
        guard let values = arrays.first(where: { $0.name == name })?.values else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("array '\(name)' is missing"))
        }
        guard values.count == count else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("array '\(name)' has \(values.count) values, expected \(count)"))
        }
        guard values.allSatisfy({ $0.isFinite }) else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("array '\(name)' holds non-finite numbers"))
        }
        return values
    }

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var payload = [UInt8](metadataJSON)
        let metadataLength = UInt64(payload.count)
        for (_, values) in arrays {
            for value in values { appendLittleEndian(value.bitPattern, to: &payload) }
        }
        var bytes = Self.magic
        appendLittleEndian(version, to: &bytes)
        appendLittleEndian(CRC32.checksum(payload), to: &bytes)
        appendLittleEndian(metadataLength, to: &bytes)
        appendLittleEndian(UInt64(payload.count) - metadataLength, to: &bytes)
        bytes += payload
        return bytes
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(serialized(), to: path)
    }

    /// Reads and validates a model file.
    public static func read(path: String) throws -> ModelFile {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? nil
        guard let size else { throw LapisError.unreadableFile(path: path, reason: "no such file") }
        guard size <= maximumSize else {
            throw LapisError.invalidModel(path: path, problem: .corrupt("\(size) bytes is larger than any Lapis model"))
        }
        return try parse(try FileContents.bytes(path), path: path)
    }

    /// Validates and decodes model bytes. Every size is checked against the actual byte count
    /// before anything is allocated from it.
    public static func parse(_ bytes: [UInt8], path: String) throws -> ModelFile {
        func fail(_ problem: ModelFileProblem) -> LapisError { .invalidModel(path: path, problem: problem) }
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw fail(.wrongMagic) }
        guard bytes.count >= headerSize else {
            throw fail(.truncated(expectedBytes: UInt64(headerSize), actualBytes: UInt64(bytes.count)))
        }
        let version: UInt32 = readLittleEndian(bytes, at: 8)
        guard version >= 1 else { throw fail(.corrupt("format version 0 does not exist")) }
        guard version <= formatVersion else { throw fail(.unsupportedVersion(found: version, supported: formatVersion)) }
        let storedChecksum: UInt32 = readLittleEndian(bytes, at: 12)
        let metadataLength: UInt64 = readLittleEndian(bytes, at: 16)
        let arrayLength: UInt64 = readLittleEndian(bytes, at: 24)
        let actual = UInt64(bytes.count)
        guard metadataLength <= maximumSize, arrayLength <= maximumSize else {
            throw fail(.truncated(expectedBytes: UInt64(headerSize) &+ metadataLength &+ arrayLength, actualBytes: actual))
        }
        let expected = UInt64(headerSize) + metadataLength + arrayLength
        guard expected <= actual else { throw fail(.truncated(expectedBytes: expected, actualBytes: actual)) }
        guard expected == actual else { throw fail(.trailingBytes(expectedBytes: expected, actualBytes: actual)) }
        let computed = CRC32.checksum(bytes[headerSize...])
        guard computed == storedChecksum else { throw fail(.checksumMismatch(stored: storedChecksum, computed: computed)) }
        guard arrayLength % 4 == 0 else { throw fail(.corrupt("array data is not a whole number of float32 values")) }

        let metadataEnd = headerSize + Int(metadataLength)
        let metadataJSON = Data(bytes[headerSize..<metadataEnd])
        // Only the kind and the array list are read here; the model type decodes the rest, and
        // checks the whole metadata. Both fields are cut out and decoded alone: a decoder
        // given the whole metadata would scan every vocabulary term (a fifth of the default
        // model's load time).
        var headerJSON = metadataJSON
        if let arrays = JSONStringArrayScanner.valueRange(field: "arrays", in: metadataJSON) {
            headerJSON = Data("{\"arrays\": ".utf8) + metadataJSON[arrays]
            if let kind = JSONStringArrayScanner.valueRange(field: "kind", in: metadataJSON) {
                headerJSON += Data(", \"kind\": ".utf8) + metadataJSON[kind]
            }
            headerJSON += Data("}".utf8)
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerJSON) else {
            throw fail(.corrupt("metadata is not a JSON object with an \"arrays\" list"))
        }
        var offset = metadataEnd
        var arrays: [(String, [Float])] = []
        for spec in header.arrays {
            guard let name = spec.name, let count = spec.count, count >= 0,
                  count <= (bytes.count - offset) / 4 else {
                throw fail(.corrupt("an array entry is malformed or larger than the data"))
            }
            let values = decodeFloats(bytes, at: offset, count: count)
            arrays.append((name, values))
            offset += 4 * count
        }
        guard offset == bytes.count else { throw fail(.corrupt("the arrays do not fill the array data exactly")) }
        return ModelFile(metadataJSON: metadataJSON, kind: header.kind, arrays: arrays, version: version)
    }

    /// The part of the metadata every model file shares. Fields of the wrong type read as
    /// missing, so that the array check reports them.
    private struct Header: Decodable {
        let kind: String?
        let arrays: [ArraySpec]

        struct ArraySpec: Decodable {
            let name: String?
            let count: Int?

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try? container.decodeIfPresent(String.self, forKey: .name)
                count = try? container.decodeIfPresent(Int.self, forKey: .count)
            }

            enum CodingKeys: String, CodingKey { case name, count }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try? container.decodeIfPresent(String.self, forKey: .kind)
            arrays = try container.decode([ArraySpec].self, forKey: .arrays)
        }

        enum CodingKeys: String, CodingKey { case kind, arrays }
    }

    /// `count` little-endian float32 values starting at `offset` (which the caller has
    /// checked lie inside `bytes`): one block copy on little-endian machines.
    static func decodeFloats(_ bytes: [UInt8], at offset: Int, count: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        #if _endian(little)
        bytes.withUnsafeBytes { source in
            values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + 4 * count)])) }
        }
        #else
        for index in 0..<count { values[index] = Float(bitPattern: readLittleEndian(bytes, at: offset + 4 * index)) }
        #endif
        return values
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        default: return "\(error)"
        }
    }

    public static func == (lhs: ModelFile, rhs: ModelFile) -> Bool {
        lhs.version == rhs.version && lhs.metadataJSON == rhs.metadataJSON && lhs.arrays.map(\.name) == rhs.arrays.map(\.name)
            && lhs.arrays.map(\.values) == rhs.arrays.map(\.values)
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
    var value: T = 0
    for index in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + index]) << (8 * index) }
    return value
}
