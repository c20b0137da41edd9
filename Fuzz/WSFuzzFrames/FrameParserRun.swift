import Foundation
import NIOCore
import WSFrames
import WSFuzzCore

/// One `FrameParser` fed the fuzz input in chunks, with everything it produces checked against the
/// input itself as it comes out, and in step against a second parser that reads the whole stream in
/// one piece through the other API.
///
/// - every accepted header is the one `FrameHeaderModel` reads at that offset, and `FrameWriter`
///   re-writes it (header form kept) to the input's bytes; every payload, masked again with the
///   frame's key (`MaskedBytes`, independent of the engine's masking), is the input's bytes too; a
///   header whose length takes a longer form than needed, re-written minimally, reads back (in the
///   model) as the same header in the minimal form;
/// - after every chunk: consumed + buffered = fed, the fragmented-message state is the model's, and
///   the parser does not wait on bytes that already show a violation (fail fast);
/// - an error points into the header that failed, is one of the violations the model finds there,
///   is repeated by every later call and leaves nothing buffered;
/// - the other parser returns the same frames, header and payload bytes, and then the same error:
///   neither the split points nor the API change anything (except that the frames API refuses the
///   frames above `maximumWholeFrameSize` that the events API streams);
/// - no frame or message exceeds the limits.
///
/// The checks are inlined into the mutating run: called out of line, a non-mutating method gets a
/// copy of the whole run (two parsers) for every call.
///
/// WHY this shape: the fuzzer's speed is this target's budget, and it is spent per frame. Comparing
/// whole traces of several runs parsed every input three times and built arrays of frames; parsing
/// minimal re-writes of every frame back through a third parser copied every frame again. Here the
/// input's own bytes are the re-writes (checked byte for byte), so the one extra pass reads them
/// where they are, and it doubles as the whole-stream reference for the chunked run.
struct FrameParserRun {
    enum API { case frames, events }

    /// The frame whose payload is arriving (events API).
    private struct Arriving {
        var header: FrameHeader
        var headerOffset: Int
        var received = 0
    }

    let stream: UnsafeRawBufferPointer
    let configuration: FrameParser.Configuration
    let api: API
    /// The parser under test (`parser`), the whole stream in one piece read through the other API
    /// in step with the run (`other`), and the whole stream in one ByteBuffer, filled on first use
    /// (`streamBuffer`): the ByteBuffer chunks are its slices, as a channel's reads are slices of its
    /// receive buffers.
    private let memory: ReusedMemory
    private var model: FrameHeaderModel
    private var fed = 0
    private var arriving: Arriving?
    private var messageBytes: UInt64 = 0
    private(set) var error: ProtocolError?

    init(stream: UnsafeRawBufferPointer, configuration: FrameParser.Configuration, api: API) {
        self.stream = stream
        self.configuration = configuration
        self.api = api
        memory = ReusedMemory.take(configuration)
        memory.other.append(stream)
        model = FrameHeaderModel(configuration: configuration, frameLimit: Self.frameLimit(configuration, api))
    }

    /// The per-frame limit the API applies: `nextFrame()` caps the configured one.
    static func frameLimit(_ configuration: FrameParser.Configuration, _ api: API) -> UInt64 {
        api == .frames ? min(configuration.maxFrameSize, FrameParser.maximumWholeFrameSize) : configuration.maxFrameSize
    }

    /// Feeds `stream[range]` through append overload `overload` (0 raw, 1 ByteBuffer, 2 Sequence) and
    /// checks what comes out. Returns false once the parser has failed.
    mutating func feed(_ range: Range<Int>, overload: Int) throws(FuzzFailure) -> Bool {
        switch overload {
        case 0: memory.parser.append(UnsafeRawBufferPointer(rebasing: stream[range]))
        case 1:
            if memory.streamBuffer.readableBytes == 0 { memory.streamBuffer.writeBytes(stream) }
            memory.parser.append(memory.streamBuffer.getSlice(at: range.lowerBound, length: range.count)!)
        default: memory.parser.append(stream[range])
        }
        fed = range.upperBound
        switch api {
        case .frames: try pullFrames()
        case .events: try pullEvents()
        }
        if error != nil { return false }
        try checkEqual(memory.parser.streamOffset + memory.parser.bufferedBytes, fed, "consumed + buffered bytes")
        try checkEqual(memory.parser.isInsideFragmentedMessage, model.messageInProgress, "isInsideFragmentedMessage")
        try checkWaiting()
        return true
    }

    /// Hands the memory back for the next input (the run's payloads are gone with it).
    consuming func recycle() {
        ReusedMemory.give(memory)
    }

    /// After the last chunk: the other parser has nothing the run did not return.
    mutating func finish() throws(FuzzFailure) {
        guard error == nil else { return }
        do {
            switch api {
            case .frames:
                // The events API shows the header and the payload so far of the frame the run waits on.
                guard let event = try memory.other.nextEvent() else { return }
                let waiting = memory.parser.streamOffset
                guard case let .header(header) = event,
                      case .valid(header, header.headerLength) = model.judge(rest(from: waiting), offset: waiting)
                else { throw FuzzFailure("the events API returns \(event) where the frames API waits") }
                while case .payload(_, let complete)? = try memory.other.nextEvent() {
                    try check(!complete, "the events API completes a frame the frames API waits on")
                }
            case .events:
                guard let frame = try memory.other.nextFrame() else { return }
                throw FuzzFailure("the frames API returns \(frame) where the events API waits")
            }
        } catch let e as ProtocolError {
            // Only the frames API's cap can refuse what the events API still waits on (a header, or
            // the payload of a frame above the cap).
            let headerStart = arriving?.headerOffset ?? memory.parser.streamOffset
            guard api == .events, isCapped(e), (headerStart..<(headerStart + FrameWriter.maximumHeaderLength)).contains(e.offset)
            else { throw FuzzFailure("the frames API fails with \(e) where the events API waits") }
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("unexpected \(error)")
        }
    }

    // MARK: The run under test

    private mutating func pullFrames() throws(FuzzFailure) {
        while true {
            let offset = memory.parser.streamOffset
            let frame: Frame?
            do {
                frame = try memory.parser.nextFrame()
            } catch {
                let again = Result { () throws(ProtocolError) in _ = try memory.parser.nextFrame() }
                return try failed(error, again: again)
            }
            guard let frame else { return }
            guard case let .valid(header, headerLength) = model.judge(rest(from: offset), offset: offset) else {
                throw FuzzFailure("frame at \(offset) accepted, but the model does not find a valid header there")
            }
            let length = frame.payload.readableBytes
            try checkEqual(frame.header, FrameHeader(fin: header.fin, rsv: header.rsv, opcode: header.opcode,
                                                     maskingKey: header.maskingKey, payloadLength: UInt64(length)),
                           "frame at \(offset) and the model's header")
            try checkEqual(memory.parser.streamOffset, offset + headerLength + length, "streamOffset after a frame")
            try checkRewrite(header, at: offset)
            try checkPayload(frame.payload, key: header.maskingKey, phase: 0, at: offset + headerLength)
            try checkMinimalRewrite(header, at: offset)
            model.accept(header)
            try completed(header, payload: frame.payload)
        }
    }

    private mutating func pullEvents() throws(FuzzFailure) {
        while true {
            let offset = memory.parser.streamOffset
            let event: FrameParserEvent?
            do {
                event = try memory.parser.nextEvent()
            } catch {
                let again = Result { () throws(ProtocolError) in _ = try memory.parser.nextEvent() }
                return try failed(error, again: again)
            }
            switch event {
            case nil:
                return
            case let .header(header):
                try check(arriving == nil, "a header before the previous payload ended")
                try checkEqual(model.judge(rest(from: offset), offset: offset), .valid(header, length: header.headerLength),
                               "model's verdict on an accepted header")
                try checkEqual(memory.parser.streamOffset, offset + header.headerLength, "streamOffset after a header")
                try checkRewrite(header, at: offset)
                try checkMinimalRewrite(header, at: offset)
                model.accept(header)
                arriving = Arriving(header: header, headerOffset: offset)
            case let .payload(chunk, frameComplete):
                guard var frame = arriving else { throw FuzzFailure("payload without a header") }
                let count = chunk.readableBytes
                try check(count > 0 || frameComplete, "an empty payload chunk that does not end the frame")
                try checkEqual(memory.parser.streamOffset, offset + count, "streamOffset after a payload chunk")
                try checkPayload(chunk, key: frame.header.maskingKey, phase: frame.received & 3, at: offset)
                frame.received += count
                let have = UInt64(frame.received), want = frame.header.payloadLength
                try check(frameComplete ? have == want : have < want, "\(have) payload bytes of \(want), frameComplete: \(frameComplete)")
                arriving = frameComplete ? nil : frame
                if frameComplete { try completed(frame.header, payload: nil) }
            }
        }
    }

    /// A header in a longer length form than needed, re-written minimally, is the same header to the
    /// model (in the message state before it).
    private mutating func checkMinimalRewrite(_ header: FrameHeader, at offset: Int) throws(FuzzFailure) {
        let minimal = FrameHeader(fin: header.fin, rsv: header.rsv, opcode: header.opcode, maskingKey: header.maskingKey,
                                  payloadLength: header.payloadLength)
        guard minimal.lengthEncoding != header.lengthEncoding else { return }
        let verdict = withUnsafeTemporaryAllocation(byteCount: FrameWriter.maximumHeaderLength, alignment: 1) { out in
            let count = FrameWriter.writeHeader(minimal, to: out).count
            return model.judge(UnsafeRawBufferPointer(rebasing: out[..<count]), offset: offset)
        }
        try checkEqual(verdict, .valid(minimal, length: minimal.headerLength), "model's verdict on the minimal re-write")
    }

    /// Fail fast: while the parser waits at a header, the bytes it holds show no violation yet, and
    /// do not make up something it should have returned.
    @inline(__always)
    private func checkWaiting() throws(FuzzFailure) {
        guard arriving == nil else { return }
        let offset = memory.parser.streamOffset
        let verdict = model.judge(UnsafeRawBufferPointer(rebasing: stream[offset..<fed]), offset: offset)
        switch verdict {
        case .needMore:
            return
        case let .valid(header, length) where api == .frames:
            try check(UInt64(fed - offset - length) < header.payloadLength, "a complete frame at \(offset) not returned")
        default:
            throw FuzzFailure("parser waits at \(offset) on bytes the model judges \(verdict)")
        }
    }

    /// An error points into the header that failed, is one of the violations the model finds there,
    /// is repeated by every later call, leaves no bytes buffered, and is the other API's error too.
    private mutating func failed(_ e: ProtocolError, again: Result<Void, ProtocolError>) throws(FuzzFailure) {
        let start = memory.parser.streamOffset
        try check(arriving == nil, "\(e) in the middle of a payload")
        try check(e.offset >= start && e.offset < min(fed, start + FrameWriter.maximumHeaderLength),
                  "error offset \(e.offset) outside the failing header at \(start) (\(fed) bytes fed)")
        try checkEqual(memory.parser.failure, e, "failure property")
        try checkEqual(memory.parser.bufferedBytes, 0, "buffer released after a failure")
        switch e.closeCode {
        case .protocolError, .invalidPayloadData, .messageTooBig: break
        default: throw FuzzFailure("close code \(e.closeCode)")
        }
        guard case let .failure(repeated) = again else { throw FuzzFailure("parser continued after \(e)") }
        try checkEqual(repeated, e, "a failed parser repeats its error")
        var among = false
        guard model.judge(rest(from: start), offset: start, violation: { among = among || $0 == e }) == .invalid([]) else {
            throw FuzzFailure("parser failed with \(e) on a header the model accepts")
        }
        try check(among, "\(e) is none of the model's violations \(model.judge(rest(from: start), offset: start))")
        error = e

        // The whole stream through the other API: the same error at the same header, however the
        // stream was split (fail fast at the same byte), unless the frames API's cap makes the difference.
        let reference: Result<Bool, ProtocolError> = api == .frames
            ? Result { () throws(ProtocolError) in try memory.other.nextEvent() != nil }
            : Result { () throws(ProtocolError) in try memory.other.nextFrame() != nil }
        if case let .failure(otherError) = reference, otherError == e { return }
        // The frames API refused a frame above its cap: the events API may accept that header or
        // find another violation in it; or the other way round.
        if api == .frames && isCapped(e) { return }
        if api == .events, case let .failure(otherError) = reference, isCapped(otherError) { return }
        throw FuzzFailure("the other API over the whole stream gives \(reference) where the run failed with \(e)")
    }

    /// `e` is the frames API refusing a frame at its cap (the most a ByteBuffer holds), below the
    /// configured limit that the events API applies to the same header.
    @inline(__always)
    private func isCapped(_ e: ProtocolError) -> Bool {
        guard case .frameTooLarge(_, FrameParser.maximumWholeFrameSize) = e.violation else { return false }
        return configuration.maxFrameSize > FrameParser.maximumWholeFrameSize
    }

    // MARK: Complete frames

    /// Limits, then the same frame from the other API. `payload` is the frame's unmasked payload when
    /// the run uses the frames API (the events API has seen it in chunks).
    private mutating func completed(_ header: FrameHeader, payload: ByteBuffer?) throws(FuzzFailure) {
        let length = header.payloadLength
        try check(length <= configuration.maxFrameSize, "\(length)-byte frame above maxFrameSize \(configuration.maxFrameSize)")
        if header.opcode.isData {
            messageBytes = header.opcode == .continuation ? messageBytes + length : length
            try check(messageBytes <= configuration.maxMessageSize,
                      "message of \(messageBytes) bytes above maxMessageSize \(configuration.maxMessageSize)")
        }
        do {
            if let payload {
                guard case let .header(again) = try memory.other.nextEvent() else { throw FuzzFailure("events API: no header") }
                try checkEqual(again, header, "frame from the events API over the whole stream")
                var received = 0
                while case let .payload(chunk, complete)? = try memory.other.nextEvent() {
                    try check(Self.same(chunk, payload, at: received), "payload from the events API differs at \(received)")
                    received += chunk.readableBytes
                    if complete { break }
                }
                try checkEqual(UInt64(received), length, "payload bytes from the events API over the whole stream")
            } else {
                guard let frame = try memory.other.nextFrame() else { throw FuzzFailure("frames API: frame incomplete") }
                try checkEqual(frame.header, FrameHeader(fin: header.fin, rsv: header.rsv, opcode: header.opcode,
                                                         maskingKey: header.maskingKey, payloadLength: length),
                               "frame from the frames API over the whole stream")
                try checkPayload(frame.payload, key: header.maskingKey, phase: 0, at: memory.other.streamOffset - Int(length))
            }
        } catch let e as ProtocolError {
            throw FuzzFailure("the other API over the whole stream fails with \(e) on \(header)")
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("unexpected \(error)")
        }
        try checkEqual(memory.other.streamOffset, memory.parser.streamOffset, "streamOffset of the other API after the frame")
        try checkEqual(memory.other.isInsideFragmentedMessage, memory.parser.isInsideFragmentedMessage, "isInsideFragmentedMessage of the other API")
    }

    /// `chunk` equals `payload`'s bytes from `offset` on.
    private static func same(_ chunk: ByteBuffer, _ payload: ByteBuffer, at offset: Int) -> Bool {
        chunk.withUnsafeReadableBytes { a in
            payload.withUnsafeReadableBytes { b in
                a.isEmpty || (offset + a.count <= b.count && memcmp(a.baseAddress!, b.baseAddress! + offset, a.count) == 0)
            }
        }
    }

    // MARK: Bytes

    @inline(__always)
    private func rest(from offset: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: stream[offset...])
    }

    /// `FrameWriter` re-writes `header` (its length form kept) to the input's bytes at `offset`.
    @inline(__always)
    private func checkRewrite(_ header: FrameHeader, at offset: Int) throws(FuzzFailure) {
        let same = withUnsafeTemporaryAllocation(byteCount: FrameWriter.maximumHeaderLength, alignment: 1) { out in
            let count = FrameWriter.writeHeader(header, to: out).count
            return offset + count <= stream.count && memcmp(out.baseAddress!, stream.baseAddress! + offset, count) == 0
        }
        try check(same, "FrameWriter's re-write of \(header) differs from the input at \(offset)")
    }

    /// `payload`, masked again with `key` from key position `phase`, is the input's bytes at `offset`.
    @inline(__always)
    private func checkPayload(_ payload: ByteBuffer, key: MaskingKey?, phase: Int, at offset: Int) throws(FuzzFailure) {
        let same = payload.withUnsafeReadableBytes { bytes in
            offset >= 0 && offset + bytes.count <= stream.count
                && MaskedBytes.match(payload: bytes, wire: UnsafeRawBufferPointer(rebasing: stream[offset..<(offset + bytes.count)]),
                                     key: key, phase: phase)
        }
        try check(same, "\(payload.readableBytes) payload bytes, masked again, differ from the input at \(offset)")
    }
}
