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
/// Input: flags (API of the run, minimal-length and mask-direction enforcement, allowed RSV bits),
/// frame-size class, message-size class, split plan (3 bytes), append-overload selector, then the
/// byte stream.
///
/// One chunked run, checked against the input as it goes (`FrameParserRun`): only rule-consistent
/// `ProtocolError`s (against `FrameHeaderModel`) with offsets inside the failing header, and no
/// waiting on bytes that already show one; no frame or message above the limits; no bytes held
/// beyond those fed; headers and payloads re-written by `FrameWriter` in their header form reproduce
/// the input byte for byte, and re-written minimally they parse back, through the other API, to the
/// same frames. A run that fails is compared with one over the whole stream: same error, same frames.
enum FrameParserProperties {
    static let sizeClasses: [UInt64] = [
        FrameParser.Configuration.defaultSizeLimit, 0, 1, 125, 126, 127, 65535, 65536, 1 << 20,
        FrameParser.maximumWholeFrameSize, FrameParser.maximumWholeFrameSize + 1, 1 << 63, .max,
    ]

    /// Bytes of options before the stream.
    static let optionBytes = 7

    struct Options {
        var configuration: FrameParser.Configuration
        var api: FrameParserRun.API
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
            api = flags & 1 != 0 ? .events : .frames
            plan = SplitPlan(from: &input)
            overloads = input.byte()
        }
    }

    static func run(_ raw: UnsafeRawBufferPointer, role: Role) throws(FuzzFailure) {
        // Only the option bytes are copied; the stream is parsed where libFuzzer put it.
        var input = FuzzedInput(UnsafeRawBufferPointer(rebasing: raw.prefix(optionBytes)))
        let options = Options(from: &input, role: role)
        let stream = UnsafeRawBufferPointer(rebasing: raw.dropFirst(optionBytes))

        var run = FrameParserRun(stream: stream, configuration: options.configuration, api: options.api)
        var chunks = 0
        for range in options.plan.cuts(of: stream.count) {
            let overload = (Int(options.overloads) >> (chunks % 4 * 2)) & 3
            chunks += 1
            guard try run.feed(range, overload: overload) else { break }
        }
        guard let error = run.error, chunks > 1 else { return }
        let whole = FrameParserRun.whole(stream, options.configuration, api: options.api)
        try checkEqual(whole.error, error, "error with the stream whole and in chunks (\(options.plan))")
        try checkEqual(whole.frames, run.frameCount, "frames before the error, whole and in chunks (\(options.plan))")
    }
}
