import ArgumentParser
import Foundation
import Lapis

/// Start-up checks on the files a command will write.
enum Destination {
    /// Refuses (usage error, exit 2) a destination that is the same file as one of the inputs:
    /// `lapis train --data td.jsonl --output td.jsonl` would replace the training data with a
    /// model. Compares device and inode, so another name or a link for the same file is caught.
    static func mustDiffer(_ destination: String?, flag: String, from inputs: [(flag: String, path: String?)]) throws {
        guard let destination else { return }
        for input in inputs {
            guard let path = input.path else { continue }
            if path == "-" ? isStandardInput(destination) : AtomicFile.isSameFile(destination, path) {
                throw ValidationError("\(flag) \(destination) is the same file as \(input.flag) \(path) and would overwrite it; write to another path")
            }
        }
    }

    private static func isStandardInput(_ path: String) -> Bool {
        var a = stat(), b = stat()
        guard fstat(STDIN_FILENO, &a) == 0, stat(path, &b) == 0, (a.st_mode & S_IFMT) == S_IFREG else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
