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
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for folder in [executable, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            paths.append(folder.appendingPathComponent("Lapis_LapisDefaultModel.resources").appendingPathComponent(fileName).path)
        }
        paths.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(fileName).path)
        return paths
    }

    /// The first candidate path of the topic model that exists, or nil.
    public static var path: String? {
        candidatePaths.first { FileManager.default.fileExists(atPath: $0) }
    }
}
