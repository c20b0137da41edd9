import NIOCore
import WSEngine

extension FuzzTarget {
    /// `Sec-WebSocket-Extensions` grammar and permessage-deflate negotiation: parse → serialize →
    /// parse gives the same offers, strict parsing is a subset of lenient parsing, and whatever the
    /// server accepts (from fuzzed offers or from a fuzzed client configuration) the client accepts
    /// with the same agreed configuration, whose codecs then interoperate.
    ///
    /// Input: flags, server configuration (3 bytes), client configuration (3 bytes), then header
    /// text (lines separated by LF become separate header values).
    public static let extensions = FuzzTarget(name: "FuzzExtensions") { raw throws(FuzzFailure) in
        var input = FuzzedInput(raw)
        let flags = input.byte()
        let server = ExtensionsProperties.serverConfig(from: &input)
        let client = ExtensionsProperties.clientConfig(from: &input)
        let text = String(decoding: input.remainingBytes(), as: UTF8.self)
        let values = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let exchangeMessages = flags & 1 != 0

        if let offers = try ExtensionsProperties.parsing(values) {
            try ExtensionsProperties.negotiation(offers: offers, server: server,
                                                 clientWindowBits8: client.windowBits8,
                                                 message: exchangeMessages ? Array(text.utf8) : nil)
        }
        // Also from the client's side: any configuration's offer must survive the header and be agreed on.
        let offer = PerMessageDeflate.clientOffer(client)
        let wire = ExtensionHeader.serialize([offer])
        let reparsed: [ExtensionOffer]
        do { reparsed = try ExtensionHeader.parse(wire, strict: true) } catch {
            throw FuzzFailure("client offer \"\(wire)\" does not parse: \(error)")
        }
        try checkEqual(reparsed, [offer], "client offer round trip")
        try ExtensionsProperties.negotiation(offers: reparsed, server: server, clientWindowBits8: client.windowBits8,
                                             message: nil)
    }
}

enum ExtensionsProperties {
    static func windowBits(_ byte: UInt8) -> Int? { byte & 8 == 0 ? nil : 8 + Int(byte & 7) }

    static func serverConfig(from input: inout FuzzedInput) -> ServerDeflateConfig {
        let flags = input.byte()
        return ServerDeflateConfig(serverNoContextTakeover: flags & 1 != 0,
                                   serverMaxWindowBits: windowBits(input.byte()),
                                   clientNoContextTakeover: flags & 2 != 0,
                                   clientMaxWindowBits: windowBits(input.byte()),
                                   requireClientMaxWindowBits: flags & 4 != 0,
                                   windowBits8: flags & 8 != 0 ? .unsupported : .runLengthOnly)
    }

    static func clientConfig(from input: inout FuzzedInput) -> ClientDeflateConfig {
        let flags = input.byte()
        let bitsByte = input.byte()
        let clientBits: ClientMaxWindowBits? = switch flags & 3 {
        case 0: nil
        case 1: .noValue
        default: .bits(8 + Int(bitsByte & 7))
        }
        return ClientDeflateConfig(clientNoContextTakeover: flags & 4 != 0, clientMaxWindowBits: clientBits,
                                   serverNoContextTakeover: flags & 8 != 0,
                                   serverMaxWindowBits: windowBits(input.byte()),
                                   windowBits8: flags & 16 != 0 ? .unsupported : .runLengthOnly)
    }

    /// Checks the grammar on `values`; returns the offers when they parse.
    static func parsing(_ values: [String]) throws(FuzzFailure) -> [ExtensionOffer]? {
        let lenient: Result<[ExtensionOffer], ExtensionHeaderError> = Result { () throws(ExtensionHeaderError) in
            try ExtensionHeader.parse(values)
        }
        let strict: Result<[ExtensionOffer], ExtensionHeaderError> = Result { () throws(ExtensionHeaderError) in
            try ExtensionHeader.parse(values, strict: true)
        }
        if case let .success(strictOffers) = strict {
            try checkEqual(lenient, .success(strictOffers), "strict success implies the same lenient result")
        }
        let offers: [ExtensionOffer]
        switch lenient {
        case let .failure(error):
            try check(values.indices.contains(error.valueIndex), "error names header line \(error.valueIndex) of \(values.count)")
            try check((0...values[error.valueIndex].utf8.count).contains(error.offset),
                      "error offset \(error.offset) inside line \(error.valueIndex)")
            try check(!strict.isSuccess, "lenient failure implies strict failure")
            return nil
        case let .success(parsed):
            offers = parsed
        }
        try check(!offers.isEmpty, "a successful parse yields offers")

        // serialize ∘ parse is a fixed point: the canonical form parses (strictly) to the same offers.
        let canonical = ExtensionHeader.serialize(offers)
        let again: [ExtensionOffer]
        do { again = try ExtensionHeader.parse(canonical, strict: true) } catch {
            throw FuzzFailure("serialized offers \"\(canonical)\" do not parse: \(error)")
        }
        try checkEqual(again, offers, "parse(serialize(offers))")
        try checkEqual(ExtensionHeader.serialize(again), canonical, "serialize is stable")
        for offer in offers {
            try checkEqual(try? ExtensionHeader.parse(offer.description), [offer], "one offer's description parses back")
        }
        return offers
    }

    /// Server negotiation on `offers`, then the client's check of the response against the accepted
    /// offer; both must agree. With `message`, the agreed codecs exchange it in both directions.
    static func negotiation(offers: [ExtensionOffer], server: ServerDeflateConfig,
                            clientWindowBits8: WindowBits8Support, message: [UInt8]?) throws(FuzzFailure) {
        let deflateOffers = offers.filter { $0.name == PerMessageDeflateParameters.extensionName }
        guard let (response, negotiated) = PerMessageDeflate.negotiate(offers: offers, config: server) else {
            for offer in deflateOffers {
                try check((try? PerMessageDeflate.respond(to: offer, config: server)) == nil,
                          "negotiate declined every offer, but \(offer) can be accepted")
            }
            return
        }
        // The accepted offer is the first one `respond` accepts, with the same answer.
        guard let accepted = deflateOffers.first(where: { (try? PerMessageDeflate.respond(to: $0, config: server)) != nil }) else {
            throw FuzzFailure("negotiate accepted an offer that respond(to:) declines")
        }
        try checkEqual(try? PerMessageDeflate.respond(to: accepted, config: server),
                       DeflateAgreement(response: response, negotiated: negotiated), "negotiate and respond(to:) agree")
        try check(PerMessageDeflateParameters.windowBitsRange.contains(negotiated.serverMaxWindowBits)
                  && PerMessageDeflateParameters.windowBitsRange.contains(negotiated.clientMaxWindowBits),
                  "window bits in range: \(negotiated)")
        if server.windowBits8 == .unsupported {
            try check(negotiated.serverMaxWindowBits > 8, "server without window-8 support agreed to 8: \(negotiated)")
        }
        if let limit = server.serverMaxWindowBits {
            try check(negotiated.serverMaxWindowBits <= max(limit, server.windowBits8 == .unsupported ? 9 : 8),
                      "server window \(negotiated.serverMaxWindowBits) above its own limit \(limit)")
        }

        // The response on the wire, read back by the client.
        let wire = ExtensionHeader.serialize([response])
        guard let parsedResponse = try? ExtensionHeader.parse(wire, strict: true), parsedResponse == [response] else {
            throw FuzzFailure("response \"\(wire)\" does not parse back")
        }
        let offered: PerMessageDeflateParameters
        do { offered = try PerMessageDeflateParameters(accepted, stage: .offer) } catch {
            throw FuzzFailure("accepted offer \(accepted) is not a valid offer: \(error)")
        }
        let client = ClientDeflateConfig(clientNoContextTakeover: offered.clientNoContextTakeover,
                                         clientMaxWindowBits: offered.clientMaxWindowBits,
                                         serverNoContextTakeover: offered.serverNoContextTakeover,
                                         serverMaxWindowBits: offered.serverMaxWindowBits,
                                         windowBits8: clientWindowBits8)
        let clientView: NegotiatedDeflate
        do {
            clientView = try PerMessageDeflate.acceptResponse(response, offered: client)
        } catch .windowBits8Unsupported where clientWindowBits8 == .unsupported && negotiated.clientMaxWindowBits == 8 {
            return  // the client may refuse a 256-byte window it cannot honour (RFC 7692 §7.1)
        } catch {
            throw FuzzFailure("client rejects the server's response \"\(wire)\" to \"\(accepted)\": \(error)")
        }
        // Both sides agree, except that a client honours its own client_no_context_takeover hint,
        // which the server may not rely on unless its response confirmed it (RFC 7692 §7.1.1.2).
        var expected = negotiated
        expected.clientNoContextTakeover = negotiated.clientNoContextTakeover || offered.clientNoContextTakeover
        try checkEqual(clientView, expected, "client and server agree on the configuration")

        if let message {
            try exchange(message, server: negotiated, client: clientView)
        }
    }

    /// Each side compresses `message` (twice, to cross context takeover) with its own view of the
    /// agreement and the other side inflates it with its own.
    static func exchange(_ message: [UInt8], server: NegotiatedDeflate, client: NegotiatedDeflate) throws(FuzzFailure) {
        for sender in [Role.server, .client] {
            let negotiated = sender == .server ? server : client
            let compressor = DeflateCodec(negotiated: negotiated, role: sender, maxDecompressedMessageSize: 0)
            let decompressor = DeflateCodec(negotiated: sender == .server ? client : server, role: sender.peer,
                                            maxDecompressedMessageSize: message.count)
            for round in 0..<2 {
                do {
                    let compressed = try compressor.compress(message: ByteBuffer(bytes: message))
                    let output = try decompressor.decompress(chunk: compressed, isFinal: true)
                    try checkEqual(Array(output.readableBytesView), message,
                                   "\(sender) message \(round) round trip under \(negotiated)")
                } catch let error as FuzzFailure {
                    throw error
                } catch {
                    throw FuzzFailure("\(sender) message \(round) under \(negotiated): \(error)")
                }
            }
        }
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
