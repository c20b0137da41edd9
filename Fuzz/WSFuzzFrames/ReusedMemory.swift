import NIOConcurrencyHelpers
import NIOCore
import WSFrames

/// The memory of a frame-target run kept from one fuzz input to the next: the two parsers
/// (`FrameParser.reset`) and the stream's ByteBuffer. WHY: fresh ones per input allocated three
/// buffers, and under ASan (stack traces, quarantine, libFuzzer's malloc hooks) allocations were a
/// quarter of the target's time. Locked, because the replay tests may run the two frame targets on
/// different threads.
struct ReusedMemory {
    var parser: FrameParser
    var other: FrameParser
    var streamBuffer: ByteBuffer

    private static let free = NIOLockedValueBox<[ReusedMemory]>([])

    /// Memory for a new run: parsers reset to `configuration`, an empty stream buffer.
    static func take(_ configuration: FrameParser.Configuration) -> ReusedMemory {
        guard var memory = free.withLockedValue({ $0.popLast() }) else {
            return ReusedMemory(parser: FrameParser(configuration: configuration), other: FrameParser(configuration: configuration),
                                streamBuffer: ByteBuffer())
        }
        memory.parser.reset(configuration: configuration)
        memory.other.reset(configuration: configuration)
        memory.streamBuffer.clear()
        return memory
    }

    /// Keeps `memory` for a later `take` (a few at most).
    static func give(_ memory: ReusedMemory) {
        free.withLockedValue { if $0.count < 4 { $0.append(memory) } }
    }
}
