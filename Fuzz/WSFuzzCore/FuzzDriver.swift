#if WSFUZZ_DRIVER
import CLibFuzzer
import Foundation

/// The `main` of a fuzz executable in the focused build (scripts/fuzz.sh): hands control to
/// libFuzzer through `LLVMFuzzerRunDriver`, so the executable keeps SwiftPM's usual entry point and
/// needs neither `-parse-as-library` nor SwiftPM's `--sanitize=fuzzer`, which would put coverage
/// instrumentation into every dependency (see Fuzz/README.md, "Focused build").
enum FuzzDriver {
    /// libFuzzer's callback is a C function pointer and cannot capture: the target is set once,
    /// before the driver starts, and libFuzzer calls back on that same thread.
    nonisolated(unsafe) private static var target: FuzzTarget?

    static func main(_ target: FuzzTarget) -> Never {
        Self.target = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.target!.fuzz(data, size)
        }
        exit(status)
    }
}
#endif
