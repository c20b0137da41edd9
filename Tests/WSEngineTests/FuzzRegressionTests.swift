import NIOCore
import Testing
import WSEngine

/// Bugs found by the fuzz targets in Fuzz/, one test each. The crashing input itself is kept in
/// `Fuzz/<Target>/regressions/<name>` and replayed by WSFuzzTests and `scripts/fuzz.sh regress`.
@Suite struct FuzzRegressionTests {
    /// FuzzHandshakeResponse, regressions/crash-status-code-leading-zero: "HTTP/1.1 001 ..." was read
    /// as status 1, which `HTTPHead.encode()` wrote back as "HTTP/1.1 1 ...", a head that no longer
    /// parses. No status code starts with 0, so such a status line is malformed.
    @Test(arguments: ["001", "099", "000"])
    func statusCodeWithLeadingZeroIsMalformed(code: String) {
        var parser = HTTPHeadParser(kind: .response)
        #expect {
            _ = try parser.feed(Array("HTTP/1.1 \(code) Switching Protocols\r\n\r\n".utf8))
        } throws: { error in
            guard case .malformedHead = error as? HandshakeError else { return false }
            return true
        }
    }

    @Test func statusCodesFrom100StillParseAndRoundTrip() throws {
        for code in [100, 101, 599, 999] {
            var parser = HTTPHeadParser(kind: .response)
            let head = try #require(try parser.feed(Array("HTTP/1.1 \(code) X\r\n\r\n".utf8))?.head)
            #expect(head.status == code)
            var again = HTTPHeadParser(kind: .response)
            #expect(try again.feed(Array(head.encode().readableBytesView))?.head == head)
        }
    }
}
