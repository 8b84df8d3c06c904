import Foundation

/// Writing files so that readers see either the old contents or the complete new ones, never
/// a partial file: the bytes go to a temporary file in the same folder, are flushed to disk,
/// and the temporary file is renamed over the destination.
///
/// The destination is what the path names after following symbolic links: a link keeps
/// pointing where it did and its target gets the new contents (the temporary file is made
/// beside the target, so the rename stays within one file system). A destination that exists
/// and is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written into directly:
/// renaming over it would replace a device node. An existing file keeps its permission bits.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try Stream(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// `path` with every symbolic link along the final component followed (a dangling link
    /// gives the path it points to, so the write creates the link's target).
    static func resolvingSymbolicLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {   // the kernel's own limit on nested links
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { return current }
            let destination = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        return current
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying after signals and short writes.
    /// Returns the `errno` of a failed write, `nil` when everything was written. The one write
    /// loop of Lapis: model files here, and the `lapis` command's standard output and error.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }

    /// Whether two paths name the same file (same device and inode, after following links).
    /// A path that does not exist is no other file.
    public static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// A writer killed mid-write (`kill -9`, power loss) leaves its hidden temporary file
    /// behind; the destination itself is untouched. The next successful write of the same
    /// destination removes such leftovers whose writing process no longer exists.
    static func removeStaleTemporaries(folder: String, name: String) {
        let prefix = ".\(name)."
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let parts = entry.dropFirst(prefix.count).dropLast(4).split(separator: ".")
            guard parts.count == 2, let pid = pid_t(parts[0]), UInt32(parts[1]) != nil else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                unlink((folder.isEmpty ? "." : folder) + "/" + entry)
            }
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }
}
