import WSEngine

extension FuzzTarget {
    /// The opening handshake over HTTP/2 (RFC 8441): `ExtendedConnect.validateRequest` (as a server
    /// reads an extended CONNECT) or `validateResponse` (as a client reads the answer) on a fuzzed
    /// header list. Whatever they accept must satisfy the rules checked again here, independently
    /// and plainly; an accepted request must round-trip through its canonical header list.
    ///
    /// Input: a flags byte (bit 0: a response instead of a request, bit 1: END_STREAM on the
    /// answer), then header fields one per line (LF), each `name: value` (split at the first ": "
    /// after the name's first character, so pseudo-header names keep their colon).
    public static let http2Handshake = FuzzTarget(name: "FuzzHTTP2Handshake") { raw throws(FuzzFailure) in
        var input = FuzzedInput(raw)
        let flags = input.byte()
        let list = HTTP2HandshakeProperties.fields(input.remainingBytes())
        if flags & 1 == 0 {
            try HTTP2HandshakeProperties.request(list)
        } else {
            try HTTP2HandshakeProperties.response(list, endStream: flags & 2 != 0)
        }
    }
}

enum HTTP2HandshakeProperties {
    typealias Fields = [(name: String, value: String)]

    static func fields(_ bytes: [UInt8]) -> Fields {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            let l = Array(line)
            var cut: Int?
            if l.count >= 3 {
                for i in 1..<(l.count - 1) where l[i] == UInt8(ascii: ":") && l[i + 1] == UInt8(ascii: " ") {
                    cut = i
                    break
                }
            }
            guard let cut else { return (String(decoding: l, as: UTF8.self), "") }
            return (String(decoding: l[..<cut], as: UTF8.self), String(decoding: l[(cut + 2)...], as: UTF8.self))
        }
    }

    /// Rules every accepted header list follows, whichever side reads it.
    static func commonRules(_ list: Fields, pseudo allowed: Set<String>) throws(FuzzFailure) {
        let firstRegular = list.firstIndex { !$0.name.hasPrefix(":") } ?? list.count
        try check(list[firstRegular...].allSatisfy { !$0.name.hasPrefix(":") }, "accepted a pseudo-header field after a regular one")
        let pseudo = list.filter { $0.name.hasPrefix(":") }.map(\.name)
        try checkEqual(Set(pseudo).count, pseudo.count, "accepted a repeated pseudo-header field")
        try check(Set(pseudo).isSubset(of: allowed), "accepted an undefined pseudo-header field in \(pseudo)")
        for (name, value) in list {
            try check(!name.isEmpty && name.lowercased() == name, "accepted the field name \(name)")
            try check(!["connection", "upgrade", "keep-alive", "transfer-encoding", "proxy-connection"].contains(name),
                      "accepted the connection-specific field \(name)")
            try check(name != "te" || value == "trailers", "accepted te: \(value)")
            try check(!value.contains("\n") && !value.contains("\r") && !value.contains("\0"), "accepted CR, LF or NUL in \(name)")
            try check(value.trimmingSpacesAndTabs == value, "accepted whitespace around the value of \(name)")
        }
    }

    static func request(_ list: Fields) throws(FuzzFailure) {
        let first = Result { () throws(ExtendedConnect.Failure) in try ExtendedConnect.validateRequest(list) }
        let second = Result { () throws(ExtendedConnect.Failure) in try ExtendedConnect.validateRequest(list) }
        try checkEqual(first, second, "validateRequest is not deterministic")
        guard case let .success(request) = first else { return }
        try commonRules(list, pseudo: ExtendedConnect.requestPseudoFields)
        func value(_ name: String) -> String? { list.first { $0.name == name }?.value }
        try checkEqual(value(":method"), "CONNECT", "accepted :method")
        try checkEqual(value(":protocol"), "websocket", "accepted :protocol")
        try check(["http", "https"].contains(value(":scheme") ?? ""), "accepted :scheme \(value(":scheme") ?? "none")")
        try check(value(":path")?.hasPrefix("/") == true, "accepted :path \(value(":path") ?? "none")")
        try checkEqual(list.filter { $0.name == "sec-websocket-version" }.map(\.value), ["13"], "accepted sec-websocket-version")
        try checkEqual(request.path, value(":path"), "request path")
        // The canonical header list of the accepted request reads back as the same request.
        var canonical: Fields = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", request.scheme), (":path", request.path)]
        if let authority = request.authority { canonical.append((":authority", authority)) }
        if !request.subprotocols.isEmpty { canonical.append(("sec-websocket-protocol", request.subprotocols.joined(separator: ", "))) }
        if let extensions = request.extensions { canonical.append(("sec-websocket-extensions", extensions)) }
        canonical.append(("sec-websocket-version", "13"))
        let again = Result { () throws(ExtendedConnect.Failure) in try ExtendedConnect.validateRequest(canonical) }
        try checkEqual(again, .success(request), "the canonical form of an accepted request")
    }

    static func response(_ list: Fields, endStream: Bool) throws(FuzzFailure) {
        let result = Result { () throws(ExtendedConnect.Failure) in try ExtendedConnect.validateResponse(list, endStream: endStream) }
        guard case let .success(response) = result else {
            // A refusal cannot come from an answer: only malformed ones are rejected.
            if case let .failure(.refused(status, why)) = result { throw FuzzFailure("a response was refused (\(status)): \(why)") }
            return
        }
        try commonRules(list, pseudo: [":status"])
        let status = list.first { $0.name == ":status" }?.value
        try checkEqual(status.flatMap { Int($0) }, response.status, "accepted :status")
        try check((200...999).contains(response.status) && status?.utf8.count == 3, "accepted :status \(status ?? "none")")
        try checkEqual(response.opens, (200..<300).contains(response.status) && !endStream, "opens")
    }
}

extension String {
    fileprivate var trimmingSpacesAndTabs: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
