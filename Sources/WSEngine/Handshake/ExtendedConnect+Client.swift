/// The rules a client's extended CONNECT must follow beyond being well-formed (which
/// `ExtendedConnect.validateRequest` checks), and the rules its answer must follow beyond
/// `validateResponse`: what a server testing a client over HTTP/2 reports (section 28.9).
extension ExtendedConnect {
    /// One way a client's extended CONNECT breaks a rule; `must` is a MUST of the RFCs (else a
    /// SHOULD or a field with no use, which a lenient server ignores).
    public struct RequestFinding: Sendable, Hashable {
        public var must: Bool
        public var text: String
    }

    /// Checks a request that `validateRequest` accepted, as it reached a server over TLS (`secure`)
    /// or over h2c.
    public static func clientRequestFindings(_ list: [(name: String, value: String)], secure: Bool) -> [RequestFinding] {
        var findings: [RequestFinding] = []
        let pseudo = Dictionary(list.filter { $0.name.hasPrefix(":") }.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let scheme = pseudo[":scheme"] ?? ""
        let wanted = secure ? "https" : "http"
        if scheme != wanted {
            findings.append(RequestFinding(must: true, text: "The client sent :scheme \(scheme) on \(secure ? "a TLS" : "an unencrypted (h2c)") connection; a \(secure ? "wss" : "ws") WebSocket's must be \(wanted) (RFC 8441 §5)."))
        }
        if pseudo[":authority"] == nil {
            findings.append(RequestFinding(must: true, text: "The client sent no :authority; a client that generates HTTP/2 requests must convey the authority in it (RFC 9113 §8.3.1, RFC 8441 §4)."))
        }
        let names = Set(list.map(\.name))
        for field in ["sec-websocket-key", "sec-websocket-accept"] where names.contains(field) {
            findings.append(RequestFinding(must: false, text: "The client sent \(field), which an extended CONNECT does not use (RFC 8441 §5)."))
        }
        if names.contains("host") {
            findings.append(RequestFinding(must: false, text: "The client sent host beside :authority; a client generating HTTP/2 requests should use :authority alone (RFC 9113 §8.3.1)."))
        }
        return findings
    }

    /// Whether a client may take `fields` (sent with END_STREAM or not) as the answer opening its
    /// WebSocket, given the subprotocols and the sec-websocket-extensions value it offered; nil when
    /// it may, else why not. The negotiation rules are HTTP/1.1's (`ClientHandshake.negotiation`).
    public static func refusalReason(of fields: [(name: String, value: String)], endStream: Bool,
                                     offeredSubprotocols: [String], offeredExtensions: String?) -> String? {
        let response: Response
        do { response = try validateResponse(fields, endStream: endStream) } catch {
            return "the answer is \(error) (RFC 9113 §8.1.1)"
        }
        guard (200..<300).contains(response.status) else { return "the status \(response.status) is not 2xx (RFC 8441 §5)" }
        guard response.opens else { return "the 2xx answer ends the stream, so no WebSocket can run on it (RFC 8441 §5)" }
        let regular = HTTPHeaderFields(fields.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) })
        do {
            _ = try ClientHandshake.negotiation(in: regular, offeredSubprotocols: offeredSubprotocols,
                                                offeredExtensionNames: offeredExtensions.map(ClientHandshake.extensionNames(in:)) ?? [])
        } catch {
            return "\(error) (RFC 6455 §4.1, RFC 8441 §5)"
        }
        return nil
    }
}
