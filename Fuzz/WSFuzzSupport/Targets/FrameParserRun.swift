import NIOCore
import WSEngine

/// Drives a `FrameParser` over a stream fed in chunks, checking the per-call properties, and records
/// what came out so that runs can be compared.
enum FrameParserRun {
    struct Trace: Equatable {
        /// Complete frames, in order.
        var frames: [Frame] = []
        /// Their headers as on the wire (events API only).
        var headers: [FrameHeader] = []
        /// A frame whose header arrived but not all of its payload (events API only).
        var partial: PartialFrame?
        var error: ProtocolError?
        var streamOffset = 0
    }

    struct PartialFrame: Equatable {
        var header: FrameHeader
        var payload: [UInt8]
    }

    /// Appends a chunk through one of the three `append` overloads.
    static func append(_ chunk: ArraySlice<UInt8>, to parser: inout FrameParser, overload: Int) {
        switch overload {
        case 0: chunk.withUnsafeBytes { parser.append($0) }
        case 1: parser.append(ByteBuffer(bytes: chunk))
        default: parser.append(chunk)
        }
    }

    /// Uses `nextEvent()`. With `model` (the whole stream, fed as one chunk) every header and error is
    /// also judged by `FrameHeaderModel`.
    static func events(_ chunks: [ArraySlice<UInt8>], _ configuration: FrameParser.Configuration,
                       overloads: UInt8, model stream: [UInt8]?) throws(FuzzFailure) -> Trace {
        var parser = FrameParser(configuration: configuration)
        var model = FrameHeaderModel(configuration: configuration, frameLimit: configuration.maxFrameSize)
        var trace = Trace()
        var fed = 0
        feeding: for (index, chunk) in chunks.enumerated() {
            append(chunk, to: &parser, overload: (Int(overloads) >> (index % 4 * 2)) & 3)
            fed += chunk.count
            while true {
                let headerOffset = parser.streamOffset
                let event: FrameParserEvent?
                do {
                    event = try parser.nextEvent()
                } catch {
                    let repeated = Result { () throws(ProtocolError) in _ = try parser.nextEvent() }
                    try checkError(error, parser, repeated: repeated, fed: fed, model: model, stream: stream)
                    trace.error = error
                    break feeding
                }
                guard let event else { break }
                switch event {
                case let .header(header):
                    try check(trace.partial == nil, "a header before the previous payload ended")
                    if let stream {
                        let verdict = model.judge(stream[headerOffset...], offset: headerOffset)
                        try checkEqual(verdict, .valid(header, length: header.headerLength), "model's verdict on an accepted header")
                    }
                    model.accept(header)
                    try checkEqual(parser.streamOffset, headerOffset + header.headerLength, "streamOffset after a header")
                    trace.partial = PartialFrame(header: header, payload: [])
                case let .payload(chunk, frameComplete):
                    guard var partial = trace.partial else { throw FuzzFailure("payload without a header") }
                    try check(chunk.readableBytes > 0 || frameComplete, "an empty payload chunk that does not end the frame")
                    partial.payload += chunk.readableBytesView
                    let have = UInt64(partial.payload.count)
                    try check(frameComplete ? have == partial.header.payloadLength : have < partial.header.payloadLength,
                              "\(have) payload bytes of \(partial.header.payloadLength), frameComplete: \(frameComplete)")
                    if frameComplete {
                        let h = partial.header
                        trace.frames.append(Frame(fin: h.fin, rsv: h.rsv, opcode: h.opcode, maskingKey: h.maskingKey,
                                                  bytes: partial.payload))
                        trace.headers.append(h)
                        trace.partial = nil
                    } else {
                        trace.partial = partial
                    }
                }
            }
            try checkEqual(parser.streamOffset + parser.bufferedBytes, fed, "consumed + buffered bytes")
            try checkEqual(parser.isInsideFragmentedMessage, model.messageInProgress, "isInsideFragmentedMessage")
        }
        if let stream, trace.error == nil, trace.partial == nil {
            // Fail fast: what is left must not already show a violation.
            let verdict = model.judge(stream[parser.streamOffset...], offset: parser.streamOffset)
            try checkEqual(verdict, .needMore, "model's verdict on the trailing bytes the parser waits on")
        }
        trace.streamOffset = parser.streamOffset
        return trace
    }

    /// Uses `nextFrame()`. With `model` (the whole stream, fed as one chunk) errors are also judged by
    /// `FrameHeaderModel`, with the frame limit `nextFrame()` applies.
    static func frames(_ chunks: [ArraySlice<UInt8>], _ configuration: FrameParser.Configuration,
                       overloads: UInt8, model stream: [UInt8]?) throws(FuzzFailure) -> Trace {
        var parser = FrameParser(configuration: configuration)
        var model = FrameHeaderModel(configuration: configuration,
                                     frameLimit: min(configuration.maxFrameSize, FrameParser.maximumWholeFrameSize))
        var trace = Trace()
        var fed = 0
        feeding: for (index, chunk) in chunks.enumerated() {
            append(chunk, to: &parser, overload: (Int(overloads) >> (index % 4 * 2)) & 3)
            fed += chunk.count
            while true {
                let frameOffset = parser.streamOffset
                let frame: Frame?
                do {
                    frame = try parser.nextFrame()
                } catch {
                    let repeated = Result { () throws(ProtocolError) in _ = try parser.nextFrame() }
                    try checkError(error, parser, repeated: repeated, fed: fed, model: model, stream: stream)
                    trace.error = error
                    break feeding
                }
                guard let frame else { break }
                try check(parser.streamOffset > frameOffset, "a frame consumed no bytes")
                model.accept(frame.header)
                trace.frames.append(frame)
            }
            try checkEqual(parser.streamOffset + parser.bufferedBytes, fed, "consumed + buffered bytes")
        }
        trace.streamOffset = parser.streamOffset
        return trace
    }

    /// An error points into the header that failed, is one of the violations the model finds there,
    /// is repeated by every later call, and leaves no bytes buffered.
    static func checkError(_ error: ProtocolError, _ parser: FrameParser, repeated: Result<Void, ProtocolError>,
                           fed: Int, model: FrameHeaderModel, stream: [UInt8]?) throws(FuzzFailure) {
        let start = parser.streamOffset
        try check(error.offset >= start && error.offset < min(fed, start + FrameWriter.maximumHeaderLength),
                  "error offset \(error.offset) outside the failing header at \(start) (\(fed) bytes fed)")
        try checkEqual(parser.failure, error, "failure property")
        try checkEqual(parser.bufferedBytes, 0, "buffer released after a failure")
        try check([CloseCode.protocolError, .invalidPayloadData, .messageTooBig].contains(error.closeCode),
                  "close code \(error.closeCode)")
        guard case let .failure(again) = repeated else { throw FuzzFailure("parser continued after \(error)") }
        try checkEqual(again, error, "a failed parser repeats its error")
        if let stream {
            guard case let .invalid(violations) = model.judge(stream[start...], offset: start) else {
                throw FuzzFailure("parser failed with \(error) on a header the model accepts")
            }
            try check(violations.contains(error), "\(error) is none of the model's violations \(violations)")
        }
    }
}
