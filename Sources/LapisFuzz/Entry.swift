import Foundation

#if LAPIS_FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer -DLAPIS_FUZZING`).
@_cdecl("LLVMFuzzerTestOneInput")
public func lapisFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// SwiftPM links an executable's `main` to the module's entry point, so libFuzzer's own `main`
/// is never used: this entry point hands control to libFuzzer's driver instead.
@main
struct FuzzDriver {
    typealias Driver = @convention(c) (UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                                       @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

    static func main() {
        _ = FuzzTarget.selected  // fail early, before libFuzzer starts, on a bad LAPIS_FUZZ_TARGET
        // dlsym(nil, ...) is RTLD_DEFAULT: the executable and everything it links.
        guard let symbol = dlsym(nil, "LLVMFuzzerRunDriver") else {
            FileHandle.standardError.write(Data("lapis-fuzz: libFuzzer's LLVMFuzzerRunDriver not found (build with -sanitize=fuzzer)\n".utf8))
            exit(2)
        }
        let driver = unsafeBitCast(symbol, to: Driver.self)
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(driver(&argc, &argv, lapisFuzzTestOneInput))
    }
}
#else
/// Without libFuzzer: replays the files (or folders of files) given as arguments through the
/// same target, e.g. a seed corpus or saved crash inputs, as a regression run.
@main
struct ReplayRunner {
    static func main() {
        let target = FuzzTarget.selected
        let manager = FileManager.default
        var files: [String] = []
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("lapis-fuzz: no such file: \(argument)\n".utf8))
                exit(2)
            }
            if isDirectory.boolValue {
                let names = ((try? manager.contentsOfDirectory(atPath: argument)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                files += names.map { argument + "/" + $0 }
            } else {
                files.append(argument)
            }
        }
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: LAPIS_FUZZ_TARGET=<target> lapis-fuzz FILE-OR-FOLDER...\n".utf8))
            exit(2)
        }
        for file in files {
            guard let data = manager.contents(atPath: file) else { continue }
            target.run([UInt8](data))
        }
        print("lapis-fuzz: \(target.rawValue): replayed \(files.count) input(s) without a crash")
    }
}
#endif
