import Foundation

/// Which stories to keep by id: only those listed, and none of those excluded (each list a
/// file of one id per line, as `--only-ids` and `--exclude-ids` take).
public struct DocumentFilter: Sendable {
    /// Ids to keep; nil keeps every id.
    public var only: Set<String>?
    /// Ids to drop.
    public var excluded: Set<String>

    /// A filter from id lists in memory.
    public init(only: Set<String>? = nil, excluded: Set<String> = []) {
        self.only = only
        self.excluded = excluded
    }

    /// A filter from id-list files (nil: no list), each read once.
    public init(onlyIDsFile: String?, excludedIDsFile: String?) throws {
        self.init(only: try onlyIDsFile.map(Self.idList), excluded: try excludedIDsFile.map(Self.idList) ?? [])
    }

    /// Whether `document` passes.
    public func keeps(_ document: Document) -> Bool {
        (only?.contains(document.id) ?? true) && !excluded.contains(document.id)
    }

    /// The ids in a file of one id per line (blank lines and surrounding spaces ignored).
    public static func idList(_ path: String) throws -> Set<String> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw LapisError.unreadableFile(path: path, reason: isFolder.boolValue ? "an id list must be a file, one id per line, not a folder" : "no such file (an id list, one id per line)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LapisError.unreadableFile(path: path, reason: "permission denied (an id list, one id per line)")
        }
        let text = String(decoding: data, as: UTF8.self)
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}

extension DocumentReader {
    /// Reads the stories `filter` keeps and hands them to `body` in batches of `size` (the
    /// last may be smaller). Stories read before a malformed record are handed to `body`
    /// before its error is thrown, so a streaming filter prints every story before the bad one.
    public func forEachBatch(size: Int, keeping filter: DocumentFilter = DocumentFilter(), _ body: ([Document]) throws -> Void) throws {
        precondition(size > 0, "a batch holds at least one story")
        var batch: [Document] = []
        batch.reserveCapacity(size)
        while true {
            let next: Document?
            do { next = try self.next() } catch {
                if !batch.isEmpty { try body(batch) }
                throw error
            }
            guard let document = next else { break }
            guard filter.keeps(document) else { continue }
            batch.append(document)
            if batch.count == size {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}
