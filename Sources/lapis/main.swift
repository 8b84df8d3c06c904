import ArgumentParser
import Foundation
import Lapis

// Exit codes: 0 success, 1 bad data, a runtime error or lost output, 2 bad usage.
// Every exit goes through `finish`, so a message that could not be written to standard error
// (e.g. `2>/dev/full`) still turns success into status 1.
func finish(_ status: Int32) -> Never {
    exit(status == 0 && Output.standardErrorFailed ? 1 : status)
}

// `lapis evaluate --help` describes what `lapis evaluate FILE` runs: the classifier evaluation.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["evaluate", "--help"] || arguments == ["evaluate", "-h"] || arguments == ["help", "evaluate"] {
    do { try Output.standardOutput(Evaluate.helpText(columns: nil) + "\n") } catch { finish(1) }
    finish(0)
}

do {
    var command = try LapisCommand.parseAsRoot()
    try command.run()
    finish(0)
} catch let failure as OutputFailure {
    // A reader that went away (EPIPE with SIGPIPE ignored) needs no message.
    if !failure.isBrokenPipe { Output.error(failure.message) }
    finish(1)
} catch let error as LapisError {
    Output.error(error.description)
    finish(1)
} catch {
    let code = LapisCommand.exitCode(for: error)
    if code == .success {
        // --help, --version and the like.
        do {
            try Output.standardOutput(LapisCommand.fullMessage(for: error) + "\n")
        } catch {
            if !error.isBrokenPipe { Output.error(error.message) }
            finish(1)
        }
        finish(0)
    }
    // ArgumentParser's message starts with "Error: ", which after "lapis: error: " says it twice.
    let message = LapisCommand.fullMessage(for: error)
    Output.error(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
    finish(2)
}
