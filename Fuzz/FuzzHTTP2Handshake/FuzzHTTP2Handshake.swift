// The FuzzHTTP2Handshake executable. scripts/fuzz.sh builds it with libFuzzer (defining WSFUZZ_LIBFUZZER and
// passing -parse-as-library, as libFuzzer brings its own main); a normal build makes it a tool that
// replays files and directories through the same property checks. The property is
// `FuzzTarget.http2Handshake` in WSFuzzSupport.
import WSFuzzSupport

#if WSFUZZ_LIBFUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.http2Handshake.fuzz(data, size)
}
#else
@main
enum Replay {
    static func main() { FuzzReplay.main(.http2Handshake) }
}
#endif
