import Foundation

/// The `main` of a fuzz executable in a normal (non-libFuzzer) build: replays the files and
/// directories named on the command line through the target's property, like libFuzzer's
/// `-runs=0` replay. This keeps every target usable, and its corpus checkable, on toolchains
/// without libFuzzer (e.g. Xcode's). Arguments starting with `-` are ignored, so the same command
/// line works for both builds.
public enum FuzzReplay {
    /// Replays the command line's arguments and exits with `run`'s status.
    public static func main(_ target: FuzzTarget) -> Never {
        #if WSFUZZ_DRIVER
        FuzzDriver.main(target) // the focused libFuzzer build: this is libFuzzer's main
        #else
        exit(run(target, arguments: Array(CommandLine.arguments.dropFirst())))
        #endif
    }

    /// Replays `arguments` (files, or directories whose regular files are replayed in name order)
    /// and returns the process exit status: 0 when every input passed, 1 otherwise.
    public static func run(_ target: FuzzTarget, arguments: [String]) -> Int32 {
        let paths = arguments.filter { !$0.hasPrefix("-") }
        guard !paths.isEmpty else {
            print("usage: \(target.name) FILE_OR_DIR...  (replays inputs through the property checks;")
            print("       build with scripts/fuzz.sh build to get the libFuzzer executable)")
            return 2
        }
        var failures = 0, count = 0
        for file in paths.flatMap(inputFiles(at:)) {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(target.name): cannot read \(file)")
                failures += 1
                continue
            }
            count += 1
            do {
                try target.run(Array(data))
            } catch {
                failures += 1
                print("\(target.name): FAIL \(file): \(error)")
            }
        }
        print("\(target.name): replayed \(count) input(s), \(failures) failure(s)")
        return failures == 0 ? 0 : 1
    }

    /// The regular files at `path`: the path itself, or a directory's files (recursively) in name order.
    public static func inputFiles(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [path] }
        guard isDirectory.boolValue else { return [path] }
        let names = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { file in
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &dir) && !dir.boolValue
                && !(file as NSString).lastPathComponent.hasPrefix(".")
        }
    }
}
