import Foundation

/// Locates the default four-topic model shipped with Lapis.
///
/// SwiftPM copies `default.lapis` into a resource bundle next to the built products; the
/// source-tree copy is the fallback when the executable runs from the build folder's original place.
public enum DefaultModelResource {
    /// The file name of the default topic model.
    public static let fileName = "default.lapis"

    /// Paths where the default topic model may be, most specific first.
    public static var candidatePaths: [String] { candidatePaths(for: fileName, override: "LAPIS_DEFAULT_MODEL") }

    /// Paths where a shipped model file may be, most specific first; `override` names an
    /// environment variable that, when set, comes first.
    public static func candidatePaths(for fileName: String, override: String) -> [String] {
        var paths: [String] = []
        if let value = ProcessInfo.processInfo.environment[override], !value.isEmpty {
            paths.append(value)
        }
        // The running executable's real folder, from the kernel: argv[0] is a bare name when
        // run from $PATH, and resolving it against the working directory let a folder planted
        // there stand in for the built-in model.
        let executable = URL(fileURLWithPath: realExecutablePath()).deletingLastPathComponent()
        for folder in [executable, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            paths.append(folder.appendingPathComponent("Lapis_LapisDefaultModel.resources").appendingPathComponent(fileName).path)
        }
        paths.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(fileName).path)
        return paths
    }

    /// The first candidate path of the topic model that exists, or nil. A path set in
    /// `LAPIS_DEFAULT_MODEL` is taken as it is (an error later if it does not exist), never
    /// passed over for the built-in model.
    public static var path: String? {
        if let value = ProcessInfo.processInfo.environment["LAPIS_DEFAULT_MODEL"], !value.isEmpty { return value }
        return candidatePaths.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The path of the running executable (`/proc/self/exe` on Linux), links resolved.
    static func realExecutablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 { return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? (CommandLine.arguments.first ?? "")
    }
}
