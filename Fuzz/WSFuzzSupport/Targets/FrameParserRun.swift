import Foundation
import NIOCore
import WSEngine

/// One `FrameParser` fed the fuzz input in chunks, with everything it produces checked against the
/// input itself as it comes out. WHY this shape: comparing whole traces of several runs (whole vs
/// chunked, both APIs) parsed every input three times and built arrays of frames; checking each
/// result against the bytes it came from needs one parse, a second parser for the re-writes and,
/// per frame, only the unmasked payload the parser itself allocates.
///
/// - every accepted header is the one `FrameHeaderModel` reads at that offset, and `FrameWriter`
///   re-writes it (header form kept) to the input's bytes; every payload, masked again, too;
/// - after every chunk the parser does not wait on bytes that already show a violation (fail fast),
///   and an error is one of the violations the model finds in the failing header;
/// - every complete frame, re-written with a minimal length, is parsed back by a second parser using
///   the other API, which must return the same frame;
/// - no frame or message exceeds the limits; consumed + buffered = fed.
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
    private var parser: FrameParser
    private var model: FrameHeaderModel
    /// Gets the minimal re-write of every complete frame; uses the other API.
    private var back: FrameParser
    /// Reused for every re-write, so checking a frame allocates nothing.
    private var scratch = ByteBufferAllocator().buffer(capacity: FrameWriter.maximumHeaderLength + 256)
    private var fed = 0
    private var arriving: Arriving?
    private var messageBytes: UInt64 = 0
    private(set) var frameCount = 0
    private(set) var error: ProtocolError?

    init(stream: UnsafeRawBufferPointer, configuration: FrameParser.Configuration, api: API) {
        self.stream = stream
        self.configuration = configuration
        self.api = api
        parser = FrameParser(configuration: configuration)
        back = FrameParser(configuration: configuration)
        let frameLimit = api == .frames
            ? min(configuration.maxFrameSize, FrameParser.maximumWholeFrameSize) : configuration.maxFrameSize
        model = FrameHeaderModel(configuration: configuration, frameLimit: frameLimit)
    }

    /// Feeds `stream[range]` through append overload `overload` (0 raw, 1 ByteBuffer, 2 Sequence) and
    /// checks what comes out. Returns false once the parser has failed.
    mutating func feed(_ range: Range<Int>, overload: Int) throws(FuzzFailure) -> Bool {
        switch overload {
        case 0: parser.append(UnsafeRawBufferPointer(rebasing: stream[range]))
        case 1: parser.append(ByteBuffer(bytes: stream[range]))
        default: parser.append(stream[range])
        }
        fed = range.upperBound
        switch api {
        case .frames: try pullFrames()
        case .events: try pullEvents()
        }
        if error != nil { return false }
        try checkEqual(parser.streamOffset + parser.bufferedBytes, fed, "consumed + buffered bytes")
        try checkEqual(parser.isInsideFragmentedMessage, model.messageInProgress, "isInsideFragmentedMessage")
        try checkWaiting()
        return true
    }

    // MARK: The run under test

    private mutating func pullFrames() throws(FuzzFailure) {
        while true {
            let offset = parser.streamOffset
            let frame: Frame?
            do {
                frame = try parser.nextFrame()
            } catch {
                let again = Result { () throws(ProtocolError) in _ = try parser.nextFrame() }
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
            try checkEqual(parser.streamOffset, offset + headerLength + length, "streamOffset after a frame")
            scratch.clear()
            let key = FrameWriter.writeHeader(header, into: &scratch)
            FrameWriter.writePayload(frame.payload, maskingKey: key, into: &scratch)
            try checkInput(at: offset, "FrameWriter's re-write of the frame")
            model.accept(header)
            try completed(header, payloadOffset: offset + headerLength)
        }
    }

    private mutating func pullEvents() throws(FuzzFailure) {
        while true {
            let offset = parser.streamOffset
            let event: FrameParserEvent?
            do {
                event = try parser.nextEvent()
            } catch {
                let again = Result { () throws(ProtocolError) in _ = try parser.nextEvent() }
                return try failed(error, again: again)
            }
            switch event {
            case nil:
                return
            case let .header(header):
                try check(arriving == nil, "a header before the previous payload ended")
                try checkEqual(model.judge(rest(from: offset), offset: offset), .valid(header, length: header.headerLength),
                               "model's verdict on an accepted header")
                try checkEqual(parser.streamOffset, offset + header.headerLength, "streamOffset after a header")
                scratch.clear()
                FrameWriter.writeHeader(header, into: &scratch)
                try checkInput(at: offset, "FrameWriter's re-write of the header")
                model.accept(header)
                arriving = Arriving(header: header, headerOffset: offset)
            case let .payload(chunk, frameComplete):
                guard var frame = arriving else { throw FuzzFailure("payload without a header") }
                let count = chunk.readableBytes
                try check(count > 0 || frameComplete, "an empty payload chunk that does not end the frame")
                try checkEqual(parser.streamOffset, offset + count, "streamOffset after a payload chunk")
                scratch.clear()
                FrameWriter.writePayload(chunk, maskingKey: frame.header.maskingKey, phase: frame.received & 3, into: &scratch)
                try checkInput(at: offset, "payload chunk masked again")
                frame.received += count
                let have = UInt64(frame.received), want = frame.header.payloadLength
                try check(frameComplete ? have == want : have < want, "\(have) payload bytes of \(want), frameComplete: \(frameComplete)")
                arriving = frameComplete ? nil : frame
                if frameComplete { try completed(frame.header, payloadOffset: frame.headerOffset + frame.header.headerLength) }
            }
        }
    }

    /// Fail fast: while the parser waits at a header, the bytes it holds show no violation yet, and
    /// do not make up something it should have returned.
    private func checkWaiting() throws(FuzzFailure) {
        guard arriving == nil else { return }
        let offset = parser.streamOffset
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
    /// is repeated by every later call, and leaves no bytes buffered.
    private mutating func failed(_ e: ProtocolError, again: Result<Void, ProtocolError>) throws(FuzzFailure) {
        let start = parser.streamOffset
        try check(arriving == nil, "\(e) in the middle of a payload")
        try check(e.offset >= start && e.offset < min(fed, start + FrameWriter.maximumHeaderLength),
                  "error offset \(e.offset) outside the failing header at \(start) (\(fed) bytes fed)")
        try checkEqual(parser.failure, e, "failure property")
        try checkEqual(parser.bufferedBytes, 0, "buffer released after a failure")
        try check([CloseCode.protocolError, .invalidPayloadData, .messageTooBig].contains(e.closeCode), "close code \(e.closeCode)")
        guard case let .failure(repeated) = again else { throw FuzzFailure("parser continued after \(e)") }
        try checkEqual(repeated, e, "a failed parser repeats its error")
        guard case let .invalid(violations) = model.judge(rest(from: start), offset: start) else {
            throw FuzzFailure("parser failed with \(e) on a header the model accepts")
        }
        try check(violations.contains(e), "\(e) is none of the model's violations \(violations)")
        error = e
    }

    // MARK: Complete frames

    /// Limits, then the minimal re-write parsed back by the other API.
    private mutating func completed(_ header: FrameHeader, payloadOffset: Int) throws(FuzzFailure) {
        frameCount += 1
        let length = header.payloadLength
        try check(length <= configuration.maxFrameSize, "\(length)-byte frame above maxFrameSize \(configuration.maxFrameSize)")
        if header.opcode.isData {
            messageBytes = header.opcode == .continuation ? messageBytes + length : length
            try check(messageBytes <= configuration.maxMessageSize,
                      "message of \(messageBytes) bytes above maxMessageSize \(configuration.maxMessageSize)")
        }

        let minimal = FrameHeader(fin: header.fin, rsv: header.rsv, opcode: header.opcode, maskingKey: header.maskingKey,
                                  payloadLength: length)
        scratch.clear()
        FrameWriter.writeHeader(minimal, into: &scratch)
        // Same key, so the payload goes out exactly as it came in (checked above).
        scratch.writeBytes(UnsafeRawBufferPointer(rebasing: stream[payloadOffset..<(payloadOffset + Int(length))]))
        back.append(scratch.readableBytesView)
        do {
            switch api {
            case .events:
                guard let frame = try back.nextFrame() else { throw FuzzFailure("minimal re-write of a frame incomplete") }
                try checkEqual(frame.header, minimal, "minimal re-write parsed back (frames API)")
                try checkPayload(frame.payload, key: minimal.maskingKey, phase: 0, at: payloadOffset)
            case .frames:
                guard case let .header(again) = try back.nextEvent() else { throw FuzzFailure("minimal re-write: no header") }
                try checkEqual(again, minimal, "minimal re-write parsed back (events API)")
                var received = 0
                while case let .payload(chunk, complete)? = try back.nextEvent() {
                    try checkPayload(chunk, key: minimal.maskingKey, phase: received & 3, at: payloadOffset + received)
                    received += chunk.readableBytes
                    if complete { break }
                }
                try checkEqual(UInt64(received), length, "minimal re-write's payload parsed back (events API)")
            }
        } catch let e as ProtocolError {
            throw FuzzFailure("minimal re-write of \(header) rejected: \(e)")
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("unexpected \(error)")
        }
        try checkEqual(back.bufferedBytes, 0, "bytes left after parsing back a minimal re-write")
        try checkEqual(back.isInsideFragmentedMessage, parser.isInsideFragmentedMessage, "isInsideFragmentedMessage after parsing back")
    }

    private mutating func checkPayload(_ payload: ByteBuffer, key: MaskingKey?, phase: Int, at offset: Int) throws(FuzzFailure) {
        scratch.clear()
        FrameWriter.writePayload(payload, maskingKey: key, phase: phase, into: &scratch)
        try checkInput(at: offset, "payload parsed back from the minimal re-write, masked again")
    }

    // MARK: Bytes

    private func rest(from offset: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: stream[offset...])
    }

    /// `scratch` equals the input at `offset`.
    private func checkInput(at offset: Int, _ what: @autoclosure () -> String) throws(FuzzFailure) {
        let count = scratch.readableBytes
        let same = offset + count <= stream.count && scratch.withUnsafeReadableBytes { written in
            count == 0 || memcmp(written.baseAddress!, stream.baseAddress! + offset, count) == 0
        }
        try check(same, "\(what()) differs from the input at \(offset)")
    }

    // MARK: The whole stream at once

    /// Frames and error of a plain run over the whole stream in one chunk, for comparison with a
    /// chunked run that failed (the chunked run itself is checked against the input and the model).
    static func whole(_ stream: UnsafeRawBufferPointer, _ configuration: FrameParser.Configuration,
                      api: API) -> (frames: Int, error: ProtocolError?) {
        var parser = FrameParser(configuration: configuration)
        parser.append(stream)
        var frames = 0
        do {
            switch api {
            case .frames:
                while try parser.nextFrame() != nil { frames += 1 }
            case .events:
                while let event = try parser.nextEvent() {
                    if case .payload(_, true) = event { frames += 1 }
                }
            }
            return (frames, nil)
        } catch {
            return (frames, error)
        }
    }
}
