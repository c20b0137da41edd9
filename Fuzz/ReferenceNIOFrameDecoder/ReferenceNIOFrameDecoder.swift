// Not a target of ours: SwiftNIO's WebSocketFrameDecoder wrapped as a libFuzzer target the way the
// throughput anchor in the field was measured (a fresh EmbeddedChannel per input, the input written
// in two pieces, every frame read and dropped; no property beyond "no crash"). `scripts/fuzz.sh
// compare` runs it next to FuzzFrameParserServer, so that the frame target's exec/s is quoted as a
// ratio against a reference measured in the same run. Built like FuzzCaseLoader: everything
// instrumented (WSFUZZ_FULL), since the code under test is a dependency.
import NIOCore
import NIOEmbedded
import NIOWebSocket
import WSFuzzCore

private let reference = FuzzTarget(name: "ReferenceNIOFrameDecoder") { raw throws(FuzzFailure) in
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
    let half = raw.count / 2
    for part in [UnsafeRawBufferPointer(rebasing: raw[..<half]), UnsafeRawBufferPointer(rebasing: raw[half...])] {
        var buffer = channel.allocator.buffer(capacity: part.count)
        buffer.writeBytes(part)
        do {
            try channel.writeInbound(buffer)
            while let _: WebSocketFrame = try channel.readInbound() {}
        } catch {
            break // the decoder refused the stream: its channel is done
        }
    }
    _ = try? channel.finish(acceptAlreadyClosed: true)
}

#if WSFUZZ_LIBFUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    reference.fuzz(data, size)
}
#else
@main
enum Replay {
    static func main() { FuzzReplay.main(reference) }
}
#endif
