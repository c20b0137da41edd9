import NIOCore
import WSEngine

extension FuzzTarget {
    /// A server's handshake response, as a client reads it: `HTTPHeadParser` (whole and split), then
    /// `ClientHandshake.validate` against a fixed request (the RFC 6455 §1.3 key) offering a fuzzed
    /// choice of subprotocols and extensions. Accepted responses must really satisfy §4.1, and both
    /// `validate` overloads must agree.
    ///
    /// Input: head-size limit class, split plan (3 bytes), overload selector, offer flags, then the
    /// response bytes.
    public static let handshakeResponse = FuzzTarget(name: "FuzzHandshakeResponse") { raw throws(FuzzFailure) in
        var input = FuzzedInput(raw)
        let limit = input.pick(HandshakeProperties.headLimits)
        let plan = SplitPlan(from: &input)
        let overloads = input.byte()
        let offerFlags = input.byte()
        let bytes = input.remainingBytes()
        guard case let .head(head, _) = try HandshakeProperties.parse(bytes, kind: .response, limit: limit,
                                                                       plan: plan, overloads: overloads)
        else { return }
        try HandshakeResponseProperties.validate(head, offerFlags: offerFlags)
    }
}

enum HandshakeResponseProperties {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    static let subprotocols = ["chat", "superchat", "v1.json"]
    static let extensions = ["permessage-deflate; client_max_window_bits", "x-webkit-deflate-frame", "permessage-deflate"]

    static func validate(_ head: HTTPHead, offerFlags: UInt8) throws(FuzzFailure) {
        let offeredSubprotocols = subprotocols.indices.filter { offerFlags >> $0 & 1 == 1 }.map { subprotocols[$0] }
        let offeredExtensions = extensions.indices.filter { offerFlags >> (3 + $0) & 1 == 1 }.map { extensions[$0] }
        let request = ClientHandshakeRequest(host: "server.example.com", path: "/chat", key: key,
                                             subprotocols: offeredSubprotocols,
                                             extensions: offeredExtensions.isEmpty ? nil : offeredExtensions.joined(separator: ", "))
        let offeredNames = offeredExtensions.map { String($0.prefix { $0 != ";" }) }
        let direct = Result { () throws(HandshakeError) in
            try ClientHandshake.validate(response: head, key: key, offeredSubprotocols: offeredSubprotocols,
                                         offeredExtensionNames: offeredNames)
        }
        let viaRequest = Result { () throws(HandshakeError) in try ClientHandshake.validate(response: head, for: request) }
        try checkEqual(viaRequest, direct, "validate(response:for:) and validate(response:key:...)")

        switch direct {
        case let .failure(error):
            if case let .statusNot101(status, _) = error { try check(status != 101, "statusNot101 for a 101") }
        case let .success(accepted):
            try checkEqual(head.status, 101, "accepted status")
            try check(head.version >= .http1_1, "accepted version \(head.version)")
            try checkEqual(head.headers["Sec-WebSocket-Accept"], [AcceptKey.compute(forKey: key)], "accepted Sec-WebSocket-Accept")
            try check(head.headers.hasToken("websocket", in: "Upgrade"), "accepted Upgrade")
            try check(head.headers.hasToken("upgrade", in: "Connection"), "accepted Connection")
            if let subprotocol = accepted.subprotocol {
                try check(offeredSubprotocols.contains(subprotocol), "accepted unoffered subprotocol \(subprotocol)")
            } else {
                try check(!head.headers.contains(name: "Sec-WebSocket-Protocol"), "subprotocol header ignored")
            }
            if let value = accepted.extensions, let answered = try? ExtensionHeader.parse(value) {
                for element in answered {
                    try check(offeredNames.contains { $0.lowercased() == element.name.lowercased() },
                              "accepted unoffered extension \(element.name)")
                    // The deflate answer is then judged against what the client offered: any outcome but a crash.
                    if element.name == PerMessageDeflateParameters.extensionName {
                        _ = try? PerMessageDeflate.acceptResponse(element, offered: ClientDeflateConfig())
                    }
                }
            }
        }
    }
}
