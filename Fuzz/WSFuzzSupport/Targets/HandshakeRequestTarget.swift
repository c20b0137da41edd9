import NIOCore
import WSEngine

extension FuzzTarget {
    /// A client's opening request, as a server reads it: `HTTPHeadParser` (whole and split), then
    /// `ServerHandshake.validate`. An accepted request's 101 response must be accepted by
    /// `ClientHandshake.validate`; a rejected one's refusal must be well-formed HTTP with the right status.
    ///
    /// Input: head-size limit class, split plan (3 bytes), overload selector, then the request bytes.
    public static let handshakeRequest = FuzzTarget(name: "FuzzHandshakeRequest") { raw throws(FuzzFailure) in
        var input = FuzzedInput(raw)
        let limit = input.pick(HandshakeProperties.headLimits)
        let plan = SplitPlan(from: &input)
        let overloads = input.byte()
        let bytes = input.remainingBytes()
        guard case let .head(head, _) = try HandshakeProperties.parse(bytes, kind: .request, limit: limit,
                                                                       plan: plan, overloads: overloads)
        else { return }
        switch ServerHandshake.validate(request: head) {
        case let .success(accepted):
            try HandshakeRequestProperties.accepted(accepted, head: head)
        case let .failure(error):
            try HandshakeRequestProperties.rejected(error)
        }
    }
}

enum HandshakeRequestProperties {
    /// The server's 101 for `accepted` (selecting the first subprotocol and negotiating
    /// permessage-deflate when offered) must pass the client's checks.
    static func accepted(_ accepted: AcceptedRequest, head: HTTPHead) throws(FuzzFailure) {
        try checkEqual(head.method, "GET", "accepted method")
        try check(accepted.path.hasPrefix("/"), "resource name \"\(accepted.path)\" is an absolute path")
        let offers = (try? ExtensionHeader.parse(accepted.extensionOffers)) ?? []
        let deflate = PerMessageDeflate.negotiate(offers: offers, config: ServerDeflateConfig())
        let extensions = deflate.map { ExtensionHeader.serialize([$0.response]) }
        let subprotocol = accepted.subprotocols.first
        let response = ServerHandshake.response(for: accepted, subprotocol: subprotocol, extensions: extensions)
        let (responseHead, bodyLength) = try HandshakeProperties.parseOwnResponse(response)
        try checkEqual(bodyLength, 0, "a 101 response has no body")
        try checkEqual(responseHead.headers.firstValue("Sec-WebSocket-Accept"),
                       AcceptKey.compute(forKey: accepted.key), "Sec-WebSocket-Accept")
        do {
            let result = try ClientHandshake.validate(response: responseHead, key: accepted.key,
                                                      offeredSubprotocols: accepted.subprotocols,
                                                      offeredExtensionNames: offers.map(\.name))
            try checkEqual(result.subprotocol, subprotocol, "subprotocol the client sees")
            try checkEqual(result.extensions, extensions, "extensions the client sees")
        } catch {
            throw FuzzFailure("client rejects the server's answer to an accepted request: \(error)")
        }
    }

    /// The refusal is a complete HTTP response with the status the error calls for.
    static func rejected(_ error: HandshakeError) throws(FuzzFailure) {
        let (head, bodyLength) = try HandshakeProperties.parseOwnResponse(ServerHandshake.rejection(for: error))
        let status = head.status ?? 0
        switch error {
        case _ where error.isVersionProblem:
            try checkEqual(status, 426, "status for \(error)")
            try checkEqual(head.headers.firstValue("Sec-WebSocket-Version"), "13", "426 names the version")
        case .methodNotGet: try checkEqual(status, 405, "status for \(error)")
        case .headTooLarge: try checkEqual(status, 431, "status for \(error)")
        default: try checkEqual(status, 400, "status for \(error)")
        }
        try checkEqual(head.headers.firstValue("Content-Length"), String(bodyLength), "Content-Length")
        try check(head.headers.hasToken("close", in: "Connection"), "a refusal closes the connection")
    }
}
