import Testing
@testable import WSEngine

/// RFC 8441's extended CONNECT and its answer, as `ExtendedConnect` checks them.
@Suite struct ExtendedConnectTests {
    static let request: [(name: String, value: String)] = [
        (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"),
        (":authority", "server.example.com"), ("sec-websocket-protocol", "chat, superchat"),
        ("sec-websocket-extensions", "permessage-deflate"), ("sec-websocket-version", "13"), ("origin", "http://www.example.com"),
    ]

    static func edited(_ edit: (inout [(name: String, value: String)]) -> Void) -> [(name: String, value: String)] {
        var list = request
        edit(&list)
        return list
    }

    @Test("RFC 8441 §5's request is accepted, with its parts")
    func accepted() throws {
        let r = try ExtendedConnect.validateRequest(Self.request)
        #expect(r == ExtendedConnect.Request(scheme: "https", path: "/chat", authority: "server.example.com",
                                             subprotocols: ["chat", "superchat"], extensions: "permessage-deflate"))
    }

    @Test("Malformed requests (RFC 9113 §8.1.1) and refusals", arguments: [
        ("GET with :protocol", edited { $0[0].value = "GET" }, true),
        (":protocol missing", edited { $0.remove(at: 1) }, true),
        (":path missing", edited { $0.remove(at: 3) }, true),
        (":path empty", edited { $0[3].value = "" }, true),
        (":path twice", edited { $0.insert((":path", "/"), at: 4) }, true),
        (":foo", edited { $0.insert((":foo", "bar"), at: 4) }, true),
        ("pseudo after regular", edited { $0.append((":authority", "x")) }, true),
        ("upper case", edited { $0.append(("X-Upper", "1")) }, true),
        ("upgrade", edited { $0.append(("upgrade", "websocket")) }, true),
        ("te: gzip", edited { $0.append(("te", "gzip")) }, true),
        ("leading space", edited { $0.append(("x", " y")) }, true),
        ("line feed", edited { $0.append(("x", "a\nb")) }, true),
        ("version 12", edited { $0[7].value = "12" }, false),
        ("unknown protocol", edited { $0[1].value = "chat" }, false),
        ("scheme ftp", edited { $0[2].value = "ftp" }, false),
        ("host differs", edited { $0.append(("host", "example.invalid")) }, false),
    ])
    func rejected(_ what: String, _ list: [(name: String, value: String)], malformed: Bool) {
        do {
            _ = try ExtendedConnect.validateRequest(list)
            Issue.record("\(what) was accepted")
        } catch {
            if case .malformed = error { #expect(malformed, "\(what): \(error)") } else { #expect(!malformed, "\(what): \(error)") }
        }
    }

    @Test("te: trailers is allowed; a version other than 13 is refused with 426")
    func teAndVersion() throws {
        _ = try ExtendedConnect.validateRequest(Self.request + [("te", "trailers")])
        #expect(throws: ExtendedConnect.Failure.refused(status: 426, "sec-websocket-version is 8, not 13")) {
            try ExtendedConnect.validateRequest(Self.edited { $0[7].value = "8" })
        }
    }

    @Test("Answers: 2xx opens unless it ends the stream; malformed answers are rejected")
    func responses() throws {
        #expect(try ExtendedConnect.validateResponse([(":status", "200")], endStream: false).opens)
        #expect(try !ExtendedConnect.validateResponse([(":status", "200")], endStream: true).opens)
        #expect(try ExtendedConnect.validateResponse([(":status", "426"), ("sec-websocket-version", "13")], endStream: true).status == 426)
        for bad in [[("server", "x"), (":status", "200")], [(":status", "20")], [(":status", "101")], [(":status", "200"), ("connection", "close")],
                    [(":status", "200"), (":status", "200")], [(":method", "GET"), (":status", "200")]] {
            #expect(throws: ExtendedConnect.Failure.self, "\(bad)") { try ExtendedConnect.validateResponse(bad, endStream: false) }
        }
    }
}
