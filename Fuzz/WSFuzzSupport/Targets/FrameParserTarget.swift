import NIOCore
import WSEngine

extension FuzzTarget {
    /// `FrameParser` in the server role (expects masked frames). See `FrameParserProperties`.
    public static let frameParserServer = FuzzTarget(name: "FuzzFrameParserServer") { raw throws(FuzzFailure) in
        try FrameParserProperties.run(raw, role: .server)
    }

    /// `FrameParser` in the client role (expects unmasked frames). See `FrameParserProperties`.
    public static let frameParserClient = FuzzTarget(name: "FuzzFrameParserClient") { raw throws(FuzzFailure) in
        try FrameParserProperties.run(raw, role: .client)
    }
}

/// The frame parser's properties, for either role.
///
/// Input: flags (API of the chunked run, minimal-length and mask-direction enforcement, allowed RSV
/// bits), frame-size class, message-size class, split plan (3 bytes), append-overload selector, then
/// the byte stream.
///
/// Checked: only rule-consistent `ProtocolError`s (against `FrameHeaderModel`) with offsets inside
/// the failing header; no frame or message above the limits; no bytes held beyond those fed;
/// identical results for the whole stream and for the stream in chunks, and for both APIs; the
/// parsed frames re-written by `FrameWriter` in their header form reproduce the input byte for byte,
/// and re-written minimally they parse back to the same frames.
enum FrameParserProperties {
    static let sizeClasses: [UInt64] = [
        FrameParser.Configuration.defaultSizeLimit, 0, 1, 125, 126, 127, 65535, 65536, 1 << 20,
        FrameParser.maximumWholeFrameSize, FrameParser.maximumWholeFrameSize + 1, 1 << 63, .max,
    ]

    struct Options {
        var configuration: FrameParser.Configuration
        var chunkedUsesEvents: Bool
        var plan: SplitPlan
        var overloads: UInt8

        init(from input: inout FuzzedInput, role: Role) {
            let flags = input.byte()
            configuration = FrameParser.Configuration(
                role: role,
                maxFrameSize: input.pick(FrameParserProperties.sizeClasses),
                maxMessageSize: input.pick(FrameParserProperties.sizeClasses),
                allowedReservedBits: ReservedBits(rawValue: flags >> 3 & 7),
                requireMinimalLength: flags & 2 == 0,
                enforceMaskDirection: flags & 4 == 0)
            chunkedUsesEvents = flags & 1 != 0
            plan = SplitPlan(from: &input)
            overloads = input.byte()
        }
    }

    static func run(_ raw: UnsafeRawBufferPointer, role: Role) throws(FuzzFailure) {
        var input = FuzzedInput(raw)
        let options = Options(from: &input, role: role)
        let stream = input.remainingBytes()
        let configuration = options.configuration

        let events = try FrameParserRun.events([stream[...]], configuration, overloads: options.overloads, model: stream)
        let frames = try FrameParserRun.frames([stream[...]], configuration, overloads: options.overloads, model: stream)
        let chunks = options.plan.chunks(of: stream)
        if options.chunkedUsesEvents {
            let chunked = try FrameParserRun.events(chunks, configuration, overloads: options.overloads, model: nil)
            try checkEqual(chunked, events, "events API: chunked (\(options.plan)) and whole")
        } else {
            let chunked = try FrameParserRun.frames(chunks, configuration, overloads: options.overloads, model: nil)
            try checkEqual(chunked, frames, "frames API: chunked (\(options.plan)) and whole")
        }
        // The two APIs differ only where nextFrame() caps the frame size at what one buffer can hold.
        if configuration.maxFrameSize <= FrameParser.maximumWholeFrameSize {
            try checkEqual(frames.frames, events.frames, "frames from nextFrame() and nextEvent()")
            try checkEqual(frames.error, events.error, "error from nextFrame() and nextEvent()")
        }
        try checkLimits(events, configuration)
        try checkRewrite(events, stream: stream, configuration)
    }

    /// Accepted frames respect the size limits.
    static func checkLimits(_ trace: FrameParserRun.Trace, _ configuration: FrameParser.Configuration) throws(FuzzFailure) {
        var messageSize: UInt64 = 0
        for frame in trace.frames {
            let length = UInt64(frame.payload.readableBytes)
            try check(length <= configuration.maxFrameSize, "\(length)-byte frame above maxFrameSize \(configuration.maxFrameSize)")
            guard frame.opcode.isData else { continue }
            messageSize = frame.opcode == .continuation ? messageSize + length : length
            try check(messageSize <= configuration.maxMessageSize,
                      "message of \(messageSize) bytes above maxMessageSize \(configuration.maxMessageSize)")
        }
    }

    /// Re-writing the frames reproduces the input exactly, and a minimal re-write parses back.
    static func checkRewrite(_ trace: FrameParserRun.Trace, stream: [UInt8],
                             _ configuration: FrameParser.Configuration) throws(FuzzFailure) {
        var exact = ByteBuffer()
        var minimal = ByteBuffer()
        for (header, frame) in zip(trace.headers, trace.frames) {
            let key = FrameWriter.writeHeader(header, into: &exact)
            FrameWriter.writePayload(frame.payload, maskingKey: key, into: &exact)
            FrameWriter.write(frame, into: &minimal)
        }
        let written = Array(exact.readableBytesView)
        try check(written.count <= stream.count && written[...] == stream[..<written.count],
                  "FrameWriter output of the parsed headers differs from the input")
        let again = try FrameParserRun.frames([Array(minimal.readableBytesView)[...]], configuration, overloads: 0, model: nil)
        try checkEqual(again.frames, trace.frames, "minimally re-written frames parse back")
        try checkEqual(again.error, nil, "minimally re-written frames are accepted")
    }
}
