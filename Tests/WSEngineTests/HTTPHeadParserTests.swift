import NIOCore
import Testing
@testable import WSEngine

@Suite struct HTTPHeadParserTests {
    typealias Support = HandshakeTestSupport

    @Test func parsesARequestWithFieldsInOrder() throws {
        let head = try Support.request(Support.rfcRequest + ["X-Dup: 1", "x-dup: 2"])
        #expect(head.startLine == .request(method: "GET", target: "/chat", version: .http1_1))
        #expect(head.method == "GET" && head.target == "/chat" && head.status == nil)
        #expect(head.headers.count == 9)
        #expect(head.headers.first?.name == "Host")
        #expect(head.headers.map(\.name).last == "x-dup")
        #expect(head.headers["X-DUP"] == ["1", "2"])
        #expect(head.headers.firstValue("sec-websocket-key") == "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(head.headers.tokens("Sec-WebSocket-Protocol") == ["chat", "superchat"])
        #expect(!head.headers.contains(name: "Cookie"))
    }

    @Test func parsesAStatusLine() throws {
        let head = try Support.response(Support.rfcResponse)
        #expect(head.startLine == .response(version: .http1_1, status: 101, reason: "Switching Protocols"))
        #expect(try Support.response(["HTTP/1.1 200"]).startLine == .response(version: .http1_1, status: 200, reason: ""))
        #expect(try Support.response(["HTTP/1.0 404 "]).startLine == .response(version: .http1_0, status: 404, reason: ""))
    }

    @Test func valuesLoseSurroundingWhitespaceOnly() throws {
        let head = try Support.request(["GET / HTTP/1.1", "A:   x  y \t", "B:", "C:\tz"])
        #expect(head.headers.fields == [HTTPHeaderField(name: "A", value: "x  y"), HTTPHeaderField(name: "B", value: ""),
                                        HTTPHeaderField(name: "C", value: "z")])
    }

    @Test func obsTextValuesKeepTheirBytes() throws {
        var bytes = Array("GET / HTTP/1.1\r\nX: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8)
        var parser = HTTPHeadParser(kind: .request)
        #expect(try parser.feed(bytes)?.head.headers.firstValue("X") == "caf\u{E9}")  // Latin-1
        bytes = Array("GET / HTTP/1.1\r\nX: café\r\n\r\n".utf8)
        #expect(try parser.feed(bytes)?.head.headers.firstValue("X") == "café")  // UTF-8
    }

    @Test func byteByByteFeedingGivesTheSameHead() throws {
        let bytes = Support.wire(Support.rfcRequest)
        let whole = try Support.request(Support.rfcRequest)
        var parser = HTTPHeadParser(kind: .request)
        for (index, byte) in bytes.enumerated() {
            let result = try parser.feed([byte])
            if index < bytes.count - 1 {
                #expect(result == nil, "complete too early at byte \(index)")
            } else {
                #expect(result?.head == whole)
                #expect(result?.consumed == 1)
            }
        }
    }

    @Test func everyTwoWaySplitGivesTheSameHeadAndKeepsTheRest() throws {
        let frame: [UInt8] = [0x81, 0x02, 0x68, 0x69]  // text "hi" right behind the head
        let bytes = Support.wire(Support.rfcResponse) + frame
        let whole = try Support.response(Support.rfcResponse)
        for cut in 0...bytes.count {
            var parser = HTTPHeadParser(kind: .response)
            var rest: [UInt8] = []
            var head: HTTPHead?
            for chunk in [bytes[..<cut], bytes[cut...]] {
                if head != nil { rest += chunk; continue }
                if let (parsed, consumed) = try parser.feed(chunk) {
                    head = parsed
                    rest += chunk.dropFirst(consumed)
                }
            }
            #expect(head == whole, "cut \(cut)")
            #expect(rest == frame, "cut \(cut)")
        }
    }

    @Test func byteBufferFeedLeavesTheFollowingBytesReadable() throws {
        var parser = HTTPHeadParser(kind: .request)
        let bytes = Support.wire(Support.rfcRequest)
        var first = ByteBuffer(bytes: bytes[..<10])
        #expect(try parser.feed(&first) == nil)
        #expect(first.readableBytes == 0)
        var second = ByteBuffer(bytes: bytes[10...] + [0x88, 0x00])
        let head = try parser.feed(&second)
        #expect(head?.target == "/chat")
        #expect(Array(second.readableBytesView) == [0x88, 0x00])
    }

    @Test func leadingEmptyLinesAreSkipped() throws {
        var parser = HTTPHeadParser(kind: .request)
        let bytes = Array("\r\n\r\n".utf8) + Support.wire(["GET / HTTP/1.1", "Host: a"])
        let result = try parser.feed(bytes)
        #expect(result?.head.target == "/")
        #expect(result?.consumed == bytes.count)
    }

    @Test func parserIsReadyForAnotherHeadAfterOne() throws {
        var parser = HTTPHeadParser(kind: .response)
        let one = Support.wire(["HTTP/1.1 401 Unauthorized", "Content-Length: 0"])
        let two = Support.wire(Support.rfcResponse)
        let first = try parser.feed(one + two)
        #expect(first?.head.status == 401 && first?.consumed == one.count)
        #expect(try parser.feed(two)?.head.status == 101)
    }

    @Test func bareLineFeedIsAnError() {
        var parser = HTTPHeadParser(kind: .request)
        #expect(throws: HandshakeError.bareLineFeed(offset: 14)) {
            try parser.feed(Array("GET / HTTP/1.1\nHost: a\n\n".utf8))
        }
        // Sticky: the same error again.
        #expect(throws: HandshakeError.bareLineFeed(offset: 14)) { try parser.feed(Array("\r\n".utf8)) }
    }

    @Test func bareCarriageReturnIsAnError() {
        var parser = HTTPHeadParser(kind: .request)
        #expect(throws: HandshakeError.malformedHead("CR not followed by LF at byte 14 of the head")) {
            try parser.feed(Array("GET / HTTP/1.1\rHost: a\r\n\r\n".utf8))
        }
    }

    @Test func headSizeIsBounded() throws {
        let bytes = Support.wire(["GET / HTTP/1.1", "X: " + String(repeating: "a", count: 100)])
        var exact = HTTPHeadParser(kind: .request, maximumHeadSize: bytes.count)
        #expect(try exact.feed(bytes) != nil)
        var tooSmall = HTTPHeadParser(kind: .request, maximumHeadSize: bytes.count - 1)
        #expect(throws: HandshakeError.headTooLarge(limit: bytes.count - 1)) { try tooSmall.feed(bytes) }
        // Without a terminator the default limit stops growth at 16 KiB.
        var endless = HTTPHeadParser(kind: .request)
        let chunk = Array(repeating: UInt8(ascii: "a"), count: 4096)
        #expect(throws: HandshakeError.headTooLarge(limit: 16 * 1024)) {
            for _ in 0..<5 { _ = try endless.feed(chunk) }
        }
    }

    @Test(arguments: [
        ["GET /"],
        ["GET  / HTTP/1.1"],
        ["GET / HTTP/1.1 extra"],
        ["GET / HTTP/1"],
        ["GET / http/1.1"],
        ["G(T / HTTP/1.1"],
        ["GET / HTTP/1.1", "NoColon"],
        ["GET / HTTP/1.1", "Host : a"],
        ["GET / HTTP/1.1", ": a"],
        ["GET / HTTP/1.1", "A: b", " folded"],
        ["GET / HTTP/1.1", "A: b\u{1}c"],
    ])
    func malformedRequestHeads(lines: [String]) {
        #expect {
            _ = try Support.request(lines)
        } throws: { error in
            guard case .malformedHead = error as? HandshakeError else { return false }
            return true
        }
    }

    @Test(arguments: [["HTTP/1.1"], ["HTTP/1.1 1O1 OK"], ["HTTP/1.1 1010 OK"], ["HTTP/x 101 OK"], ["GET / HTTP/1.1"]])
    func malformedStatusLines(lines: [String]) {
        #expect {
            _ = try Support.response(lines)
        } throws: { error in
            guard case .malformedHead = error as? HandshakeError else { return false }
            return true
        }
    }

    @Test func encodeRoundTrips() throws {
        let head = try Support.request(Support.rfcRequest)
        var parser = HTTPHeadParser(kind: .request)
        #expect(try parser.feed(Array(head.encode().readableBytesView))?.head == head)
        #expect(Array(head.encode().readableBytesView) == Support.wire(Support.rfcRequest))
    }
}
