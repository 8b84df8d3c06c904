import Foundation
import LapisTestSupport
import Testing

/// The same data and options give the same model bytes whatever CPU features the process sees:
/// trains the default model in child processes of the built `lapis` under several OpenBLAS
/// kernel choices (`OPENBLAS_CORETYPE`, and the automatic choice with the variable removed),
/// under the C library's non-FMA math (`GLIBC_TUNABLES`, as on a CPU without FMA/AVX2) and on
/// one thread, and compares each model with `Models/default.lapis`. Lapis links no BLAS and
/// uses its own `exp`/`log`, so all must agree; this keeps a CPU-dependent sum from coming back.
@Suite("Reproducibility across CPUs and kernels", .serialized)
struct ReproducibilityTests {
    static let topics = "trade,security,transport,multilateral"
    let scratch = TemporaryFolder()

    /// Environments a user's machine may present; `nil` removes the variable.
    static let variants: [(name: String, changes: [String: String?])] = [
        ("automatic kernel choice", ["OPENBLAS_CORETYPE": nil, "OPENBLAS_L2_SIZE": nil]),
        ("Haswell", ["OPENBLAS_CORETYPE": "Haswell"]),
        ("SkylakeX", ["OPENBLAS_CORETYPE": "SkylakeX"]),
        ("Zen", ["OPENBLAS_CORETYPE": "Zen"]),
        ("Sandybridge", ["OPENBLAS_CORETYPE": "Sandybridge"]),
        ("C library without FMA and AVX2", ["OPENBLAS_CORETYPE": nil, "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F"]),
        ("one thread", ["LAPIS_THREADS": "1"]),
    ]

    static func environment(_ changes: [String: String?]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in changes { environment[key] = value }
        return environment
    }

    @Test("training the default model gives Models/default.lapis byte for byte (automatic kernel choice, and the C library without FMA)")
    func defaultModelEverywhere() throws {
        // The whole default model takes about a minute and a half to train in a debug build:
        // the two variants that differ most (the C library's FMA and non-FMA code) train it
        // whole; every variant trains a slice of the corpus below.
        let shipped = try Data(contentsOf: URL(fileURLWithPath: LapisProcess.packageRoot + "/Models/default.lapis"))
        for variant in Self.variants where variant.name == "automatic kernel choice" || variant.name.hasPrefix("C library") {
            let output = scratch.path + "/default-\(variant.name.replacingOccurrences(of: " ", with: "-")).lapis"
            let result = try LapisProcess.run(["train", "--data", LapisProcess.packageRoot + "/TrainingData/corpus.jsonl",
                                               "--labels", Self.topics, "--ngrams", "2", "--min-df", "3", "-C", "100", "--fold-iterations", "20", "--passage-sentences", "3", "--phrase-groups", LapisProcess.packageRoot + "/TrainingData/phrase-groups.txt", "--output", output, "--quiet"],
                                              environment: Self.environment(variant.changes))
            #expect(result.status == 0, "\(variant.name): \(result.stderr)")
            let trained = try Data(contentsOf: URL(fileURLWithPath: output))
            #expect(trained == shipped, "\(variant.name): the model's bytes differ from Models/default.lapis")
        }
    }

    @Test("the default recipe on a slice of the corpus gives the same model bytes under every variant")
    func defaultRecipeEverywhere() throws {
        let corpus = try String(contentsOfFile: LapisProcess.packageRoot + "/TrainingData/corpus.jsonl", encoding: .utf8)
        let stories = scratch.write("recipe-slice.jsonl", corpus.split(separator: "\n").prefix(400).joined(separator: "\n") + "\n")
        var first: Data?
        for variant in Self.variants {
            let output = scratch.path + "/slice-\(variant.name.replacingOccurrences(of: " ", with: "-")).lapis"
            let result = try LapisProcess.run(["train", "--data", stories, "--labels", Self.topics, "--ngrams", "2", "--min-df", "3", "-C", "100", "--fold-iterations", "20", "--passage-sentences", "3", "--phrase-groups", LapisProcess.packageRoot + "/TrainingData/phrase-groups.txt", "--output", output, "--quiet"],
                                              environment: Self.environment(variant.changes))
            #expect(result.status == 0, "\(variant.name): \(result.stderr)")
            let trained = try Data(contentsOf: URL(fileURLWithPath: output))
            if let first { #expect(trained == first, "\(variant.name): the model's bytes differ from the automatic kernel choice's") }
            first = first ?? trained
        }
    }

    @Test("the dual solver gives the same model bytes under every variant and on one or two threads")
    func dualSolverEverywhere() throws {
        let corpus = try String(contentsOfFile: LapisProcess.packageRoot + "/TrainingData/corpus.jsonl", encoding: .utf8)
        let stories = scratch.write("dual-slice.jsonl", corpus.split(separator: "\n").prefix(300).joined(separator: "\n") + "\n")
        var first: Data?
        for variant in Self.variants + [("two threads", ["LAPIS_THREADS": "2"])] {
            let output = scratch.path + "/dual-\(variant.name.replacingOccurrences(of: " ", with: "-")).lapis"
            let result = try LapisProcess.run(["train", "--data", stories, "--labels", Self.topics, "--solver", "dual-cd", "--output", output, "--quiet"],
                                              environment: Self.environment(variant.changes))
            #expect(result.status == 0, "\(variant.name): \(result.stderr)")
            let trained = try Data(contentsOf: URL(fileURLWithPath: output))
            if let first { #expect(trained == first, "\(variant.name): the model's bytes differ from the automatic kernel choice's") }
            first = first ?? trained
        }
        let summary = try LapisProcess.run(["inspect", scratch.path + "/dual-one-thread.lapis"])
        #expect(summary.stdout.contains("solver dual-cd"), "\(summary.stdout)")
        let refused = try LapisProcess.run(["train", "--data", stories, "--labels", Self.topics, "--solver", "newton", "--output", scratch.path + "/x.lapis"])
        #expect(refused.status == 2 && refused.stderr.contains("dual-cd"), "\(refused.stderr)")
    }

    @Test("classify prints the same labels and probabilities, and a trained sentence scorer has the same bytes, under every variant")
    func predictionsAndScorerEverywhere() throws {
        // A slice of the corpus keeps the scorer's training short in a debug build.
        let corpus = try String(contentsOfFile: LapisProcess.packageRoot + "/TrainingData/corpus.jsonl", encoding: .utf8)
        let stories = scratch.write("stories.jsonl", corpus.split(separator: "\n").prefix(200).joined(separator: "\n") + "\n")
        var firstOutput: String?
        var firstScorer: Data?
        for variant in Self.variants {
            let environment = Self.environment(variant.changes)
            let classified = try LapisProcess.run(["classify", "--format", "jsonl", stories], environment: environment)
            #expect(classified.status == 0 && !classified.stdout.isEmpty, "\(variant.name): \(classified.stderr)")
            if let firstOutput { #expect(classified.stdout == firstOutput, "\(variant.name): classify output differs") }
            firstOutput = firstOutput ?? classified.stdout
            let scorer = scratch.path + "/scorer.lapis"
            let trained = try LapisProcess.run(["train-summarizer", "--data", stories, "--reference-field", "summary_sentences",
                                                "--output", scorer, "--quiet"], environment: environment)
            #expect(trained.status == 0, "\(variant.name): \(trained.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: scorer))
            if let firstScorer { #expect(bytes == firstScorer, "\(variant.name): the sentence scorer's bytes differ") }
            firstScorer = firstScorer ?? bytes
        }
    }
}
