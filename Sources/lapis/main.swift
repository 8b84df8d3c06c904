import ArgumentParser
import Foundation
import Lapis

// Exit codes: 0 success, 1 bad data or a runtime error, 2 bad usage.
do {
    var command = try LapisCommand.parseAsRoot()
    try command.run()
} catch let error as LapisError {
    Output.error(error.description)
    exit(1)
} catch let error as CommandFailure {
    Output.error(error.message)
    exit(1)
} catch {
    let code = LapisCommand.exitCode(for: error)
    if code == .success {
        print(LapisCommand.fullMessage(for: error))
        exit(0)
    }
    Output.error(LapisCommand.fullMessage(for: error))
    exit(2)
}
