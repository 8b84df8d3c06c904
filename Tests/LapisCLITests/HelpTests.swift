import Foundation
import LapisTestSupport
import Testing

/// Help that reads well at 80 columns and examples that run as written (issue 20, point 4).
@Suite("lapis --help: 80 columns, allowed values, runnable examples", .serialized)
struct HelpTests {
    /// Every command's help, in the order their examples can run: the commands that write the
    /// models the later examples use come first.
    static let commands: [[String]] = [["train"], ["train-summarizer"], [], ["classify"], ["summarize"], ["sentences"],
                                       ["evaluate"], ["evaluate", "classifier"], ["evaluate", "summaries"], ["inspect"]]

    static func help(_ command: [String], columns: Int = 80) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = String(columns)
        let result = try LapisProcess.run(command + ["--help"], environment: environment)
        #expect(result.status == 0, "\(command): \(result.stderr)")
        return result.stdout
    }

    /// The example commands of a help text: the indented lines after "Examples:", with lines
    /// ending in " \" joined to the next, as a shell would.
    static func examples(in help: String) -> [String] {
        var commands: [String] = []
        var inExamples = false
        var pending = ""
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "Examples:" { inExamples = true; continue }
            guard inExamples else { continue }
            guard line.hasPrefix("  ") else { inExamples = false; continue }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasSuffix(" \\") {
                pending += text.dropLast(2) + " "
            } else {
                commands.append(pending + text)
                pending = ""
            }
        }
        return commands
    }

    @Test("no help line is wider than 80 columns, and no example is broken across lines")
    func eightyColumns() throws {
        for command in Self.commands {
            let help = try Self.help(command)
            for line in help.split(separator: "\n") {
                #expect(line.count <= 80, "\(command): \(line.count) columns: \(line)")
            }
            for example in Self.examples(in: help) {
                #expect(example.hasPrefix("lapis ") || example.hasPrefix("cat "), "\(command): an example line does not start a command: \(example)")
            }
        }
    }

    @Test("lapis evaluate --help shows the flags of what `lapis evaluate FILE` runs, and the other subcommand")
    func evaluateHelp() throws {
        for spelling in [["evaluate", "--help"], ["evaluate", "-h"], ["help", "evaluate"]] {
            let result = try LapisProcess.run(spelling)
            #expect(result.status == 0)
            for expected in ["--label-field", "--report", "-m, --model", "summaries"] {
                #expect(result.stdout.contains(expected), "\(spelling) lacks \(expected)")
            }
        }
    }

    @Test("usage errors say 'lapis: error:' once, never 'Error:' again", arguments: [
        ["classify", "--bogus"], ["train", "-C"], ["summarize", "-n", "0"], ["evaluate", "summaries"], ["inspect", "--top", "-1"],
        ["classify", "-f", "xml"],
    ])
    func usageErrorPrefix(arguments: [String]) throws {
        let result = try LapisProcess.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.status)")
        #expect(result.stderr.hasPrefix("lapis: error: "), "\(result.stderr)")
        #expect(!result.stderr.contains("Error:"), "\(result.stderr)")
    }

    @Test("lapis with no subcommand prints the overview and exits 0")
    func bareLapis() throws {
        let result = try LapisProcess.run([])
        #expect(result.status == 0)
        #expect(result.stdout.contains("SUBCOMMANDS"))
    }

    /// A folder laid out like the repository for the examples: `TrainingData/corpus.jsonl` (the
    /// first 300 stories of the real one, so the training examples run in seconds in a debug
    /// build), `Evaluation/heldout-ids.txt`, and the two files the README's tour creates.
    static func exampleFolder(_ scratch: TemporaryFolder) throws -> String {
        let root = LapisProcess.packageRoot
        let corpus = try String(contentsOfFile: root + "/TrainingData/corpus.jsonl", encoding: .utf8).split(separator: "\n")
        scratch.write("TrainingData/corpus.jsonl", corpus.prefix(300).joined(separator: "\n") + "\n")
        scratch.write("Evaluation/heldout-ids.txt", try String(contentsOfFile: root + "/Evaluation/heldout-ids.txt", encoding: .utf8))
        scratch.write("TrainingData/phrase-groups.txt", try String(contentsOfFile: root + "/TrainingData/phrase-groups.txt", encoding: .utf8))
        scratch.write("stories.jsonl", corpus.prefix(50).joined(separator: "\n") + "\n")
        scratch.write("story.txt", """
            PORT STRIKE HALTS GRAIN EXPORTS

            Dock workers at the country's largest grain terminal walked out on Monday, halting loading of wheat bound for Egypt and Indonesia. The shipping ministry said talks with the union would resume on Wednesday. Traders said export contracts worth $40 million could be delayed. Freight rates for bulk carriers on the route rose 6 percent.

            """)
        return scratch.path
    }

    @Test("every example in every help text runs as written, exit 0")
    func examplesRun() throws {
        let scratch = TemporaryFolder()
        let folder = try Self.exampleFolder(scratch)
        var environment = ProcessInfo.processInfo.environment
        let binaries = URL(fileURLWithPath: LapisProcess.executable).deletingLastPathComponent().path
        environment["PATH"] = binaries + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        var seen = Set<String>()
        var ran = 0
        for command in Self.commands {
            for example in Self.examples(in: try Self.help(command)) where seen.insert(example).inserted {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", example + " > /dev/null"]
                process.currentDirectoryURL = URL(fileURLWithPath: folder)
                process.environment = environment
                let errors = Pipe()
                process.standardError = errors
                process.standardInput = FileHandle.nullDevice
                try process.run()
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "\(command): `\(example)` exited \(process.terminationStatus): \(message)")
                ran += 1
            }
        }
        #expect(ran >= 25, "only \(ran) examples found")
    }
}
