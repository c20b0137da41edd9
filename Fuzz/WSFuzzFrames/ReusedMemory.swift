import NIOCore
import NIOPosix
import WSFrames

/// The memory of a frame-target run kept from one fuzz input to the next: the two parsers
/// (`FrameParser.reset`) and the stream's ByteBuffer. WHY: fresh ones per input allocated three
/// buffers, and under ASan (stack traces, quarantine, libFuzzer's malloc hooks) allocations were a
/// quarter of the target's time. A class, so that the run works on the parsers where they are
/// instead of copying them in and out. Kept per thread (the replay tests may run the two frame
/// targets on different threads), which costs less than a lock around a shared pool.
final class ReusedMemory {
    var parser: FrameParser
    var other: FrameParser
    var streamBuffer = ByteBuffer()

    private init(_ configuration: FrameParser.Configuration) {
        parser = FrameParser(configuration: configuration)
        other = FrameParser(configuration: configuration)
    }

    /// One thread's kept memory; only its own thread touches it.
    private final class Slot: @unchecked Sendable {
        var memory: ReusedMemory?
    }

    private static let slots = ThreadSpecificVariable<Slot>()

    private static var slot: Slot {
        if let slot = slots.currentValue { return slot }
        let slot = Slot()
        slots.currentValue = slot
        return slot
    }

    /// Memory for a new run: parsers reset to `configuration`, an empty stream buffer.
    static func take(_ configuration: FrameParser.Configuration) -> ReusedMemory {
        let slot = self.slot
        guard let memory = slot.memory else { return ReusedMemory(configuration) }
        slot.memory = nil // a run nested on this thread (none today) would get memory of its own
        memory.parser.reset(configuration: configuration)
        memory.other.reset(configuration: configuration)
        memory.streamBuffer.clear()
        return memory
    }

    /// Keeps `memory` for this thread's next `take`.
    static func give(_ memory: ReusedMemory) {
        slot.memory = memory
    }
}
