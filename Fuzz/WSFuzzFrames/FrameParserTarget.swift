import NIOCore
import WSFrames
import WSFuzzCore

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
/// Input: flags (API of the run, minimal-length and mask-direction enforcement, allowed RSV bits,
/// small buffer thresholds: the parser adopts every ByteBuffer chunk it gets while empty and
/// compacts its buffer from 16 consumed bytes, where it otherwise waits for 4 KiB, which inputs of
/// at most `max_len` never reach),
/// frame-size class, message-size class, split plan (3 bytes: piece count, 16-bit seed),
/// append-overload selector, then the byte stream.
///
/// One chunked run, checked against the input as it goes and against the whole stream read through
/// the other API (`FrameParserRun` lists the properties).
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

        /// Reads the options from the input's first bytes (zeros past its end) without copying them:
        /// at this target's speed an array per input shows in the profile.
        init(_ raw: UnsafeRawBufferPointer, role: Role) {
            func byte(_ i: Int) -> UInt8 { i < raw.count ? raw[i] : 0 }
            let sizes = FrameParserProperties.sizeClasses
            let flags = byte(0)
            var configuration = FrameParser.Configuration(
                role: role,
                maxFrameSize: sizes[Int(byte(1)) % sizes.count],
                maxMessageSize: sizes[Int(byte(2)) % sizes.count],
                allowedReservedBits: ReservedBits(rawValue: flags >> 3 & 7),
                requireMinimalLength: flags & 2 == 0,
                enforceMaskDirection: flags & 4 == 0)
            if flags & 0x40 != 0 { (configuration.adoptionThreshold, configuration.compactionThreshold) = (1, 16) }
            self.configuration = configuration
            api = flags & 1 != 0 ? .events : .frames
            plan = SplitPlan(optionBytes: byte(3), byte(4), byte(5))
            overloads = byte(6)
        }
    }

    static func run(_ raw: UnsafeRawBufferPointer, role: Role) throws(FuzzFailure) {
        let options = Options(raw, role: role)
        let stream = UnsafeRawBufferPointer(rebasing: raw.dropFirst(optionBytes))
        var run = FrameParserRun(stream: stream, configuration: options.configuration, api: options.api)
        var chunks = 0
        for range in options.plan.cuts(of: stream.count) {
            let overload = (Int(options.overloads) >> (chunks % 4 * 2)) & 3
            chunks += 1
            guard try run.feed(range, overload: overload) else { break }
        }
        try run.finish()
        run.recycle()
    }
}

