import NIOCore
import WSEngine

/// What a parser made of a whole stream: the frames it completed and the error it stopped with.
struct FrameParseOutcome: Equatable {
    var frames: [Frame] = []
    var error: ProtocolError?
}

enum FrameTestDriver {
    /// Feeds `chunks` one by one to a parser, draining `nextFrame()` after each.
    static func frames(_ chunks: [[UInt8]], _ configuration: FrameParser.Configuration) -> FrameParseOutcome {
        var parser = FrameParser(configuration: configuration)
        var outcome = FrameParseOutcome()
        do throws(ProtocolError) {
            for chunk in chunks {
                parser.append(ByteBuffer(bytes: chunk))
                while let frame = try parser.nextFrame() { outcome.frames.append(frame) }
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Feeds `chunks` to a parser driven by `nextEvent()` and rebuilds frames from the events,
    /// checking the event grammar (header, then payload chunks ending with exactly one complete one).
    static func events(_ chunks: [[UInt8]], _ configuration: FrameParser.Configuration)
        -> (outcome: FrameParseOutcome, grammarOK: Bool, chunkCount: Int)
    {
        var parser = FrameParser(configuration: configuration)
        var outcome = FrameParseOutcome()
        var current: FrameHeader?
        var payload = ByteBuffer()
        var grammarOK = true
        var chunkCount = 0
        do throws(ProtocolError) {
            for chunk in chunks {
                parser.append(ByteBuffer(bytes: chunk))
                while let event = try parser.nextEvent() {
                    switch event {
                    case let .header(header):
                        if current != nil { grammarOK = false }
                        current = header
                        payload.clear()
                    case .payload(var bytes, let complete):
                        chunkCount += 1
                        guard let header = current else { grammarOK = false; continue }
                        payload.writeBuffer(&bytes)
                        if complete {
                            if UInt64(payload.readableBytes) != header.payloadLength { grammarOK = false }
                            outcome.frames.append(Frame(fin: header.fin, rsv: header.rsv, opcode: header.opcode,
                                                        maskingKey: header.maskingKey, payload: payload))
                            current = nil
                        }
                    }
                }
            }
        } catch {
            outcome.error = error
        }
        return (outcome, grammarOK, chunkCount)
    }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// Parses hex with optional spaces: "81 05 48" (shared by the frame and deflate tests).
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0)
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        out.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return out
}
