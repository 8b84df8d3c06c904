import Foundation

extension AtomicFile {
    /// A file written piece by piece that appears at its path only when complete.
    ///
    /// For output that is produced as a stream (`lapis classify -o tags.jsonl` writes one line
    /// per story as it goes): the bytes go to a hidden temporary file beside the destination,
    /// and ``commit()`` flushes it to disk and renames it over the destination. A writer that
    /// is dropped without committing (an error half-way) removes its temporary file, so the
    /// destination keeps its old contents. A destination that exists and is not a regular file
    /// (`/dev/stdout`, a FIFO) is written into directly, as ``AtomicFile/write(_:to:)-([UInt8],_)`` does.
    public final class Stream {
        /// The path the caller named.
        public let path: String
        private let descriptor: Int32
        /// The temporary file and the file it replaces; nil when writing directly.
        private let rename: (temporary: String, target: String, keepsMode: mode_t?)?
        private var finished = false

        /// Opens a temporary file beside `path` (or `path` itself when it is a device or FIFO).
        /// - Throws: ``LapisError/unwritableFile(path:reason:)`` when the folder cannot be written.
        public init(path: String) throws {
            self.path = path
            var existing = stat()
            let exists = stat(path, &existing) == 0
            if exists && (existing.st_mode & S_IFMT) != S_IFREG {
                descriptor = open(path, O_WRONLY | O_TRUNC)
                guard descriptor >= 0 else { throw LapisError.unwritableFile(path: path, reason: String(cString: strerror(errno))) }
                rename = nil
                return
            }
            let target = AtomicFile.resolvingSymbolicLinks(path)
            let url = URL(fileURLWithPath: target)
            let temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else { throw LapisError.unwritableFile(path: path, reason: String(cString: strerror(errno))) }
            rename = (temporary, target, exists ? existing.st_mode & 0o7777 : nil)
        }

        /// Appends `bytes`.
        public func write(_ bytes: [UInt8]) throws {
            precondition(!finished, "write after commit")
            if let code = AtomicFile.writeAll(bytes, to: descriptor) {
                throw LapisError.unwritableFile(path: path, reason: String(cString: strerror(code)))
            }
        }

        /// Makes the file complete: flushes it to disk and puts it in place of the destination.
        public func commit() throws {
            precondition(!finished, "commit twice")
            finished = true
            var failure: String?
            if let rename {
                if let mode = rename.keepsMode, fchmod(descriptor, mode) != 0 { failure = String(cString: strerror(errno)) }
                if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
            }
            close(descriptor)
            if let rename {
                if failure == nil && Foundation.rename(rename.temporary, rename.target) != 0 { failure = String(cString: strerror(errno)) }
                if failure != nil { unlink(rename.temporary) }
            }
            if let failure { throw LapisError.unwritableFile(path: path, reason: failure) }
            guard let rename else { return }
            // Make the rename itself durable.
            let url = URL(fileURLWithPath: rename.target)
            let folder = url.deletingLastPathComponent().path
            let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY)
            if folderDescriptor >= 0 {
                fsync(folderDescriptor)
                close(folderDescriptor)
            }
            AtomicFile.removeStaleTemporaries(folder: folder, name: url.lastPathComponent)
        }

        deinit {
            guard !finished else { return }
            close(descriptor)
            if let rename { unlink(rename.temporary) }
        }
    }
}
