/// permessage-deflate negotiation (RFC 7692 §7.1) for both roles.
public enum PerMessageDeflate {
    /// The offer a client sends, e.g. `permessage-deflate; client_no_context_takeover; client_max_window_bits`.
    public static func clientOffer(_ config: ClientDeflateConfig) -> ExtensionOffer {
        config.offerParameters.extensionOffer
    }

    /// Checks the server's permessage-deflate response against what the client offered and returns
    /// the agreed configuration. Any error means the client must fail the connection (§7.1).
    public static func acceptResponse(_ response: ExtensionOffer,
                                      offered config: ClientDeflateConfig) throws(PerMessageDeflateError) -> NegotiatedDeflate {
        let answer = try PerMessageDeflateParameters(response, stage: .response)
        let offer = config.offerParameters

        // §7.1.2.2: only an offer with client_max_window_bits lets the server limit our window, and
        // never above a value we announced. Without a value in the response our own value binds us.
        var clientBits = offer.clientMaxWindowBits?.bits ?? 15
        if let received = answer.clientMaxWindowBits?.bits {
            guard let offered = offer.clientMaxWindowBits else { throw .unsolicitedClientMaxWindowBits }
            if let limit = offered.bits, received > limit {
                throw .clientMaxWindowBitsAboveOffer(offered: limit, received: received)
            }
            clientBits = received
        }
        // §7.1.1.1 and §7.1.2.1: the server accepts these requests only by echoing them.
        if offer.serverNoContextTakeover && !answer.serverNoContextTakeover {
            throw .serverNoContextTakeoverNotAcknowledged
        }
        if let requested = offer.serverMaxWindowBits {
            guard let received = answer.serverMaxWindowBits else {
                throw .serverMaxWindowBitsNotAcknowledged(offered: requested)
            }
            if received > requested { throw .serverMaxWindowBitsAboveOffer(offered: requested, received: received) }
        }
        if clientBits == 8 && config.windowBits8 == .unsupported {
            throw .windowBits8Unsupported(parameter: "client_max_window_bits")
        }
        return NegotiatedDeflate(serverNoContextTakeover: answer.serverNoContextTakeover,
                                 clientNoContextTakeover: answer.clientNoContextTakeover || offer.clientNoContextTakeover,
                                 serverMaxWindowBits: answer.serverMaxWindowBits ?? 15,
                                 clientMaxWindowBits: clientBits)
    }

    /// The server's answer to one offer, or why it must be declined.
    public static func respond(to offer: ExtensionOffer,
                               config: ServerDeflateConfig) throws(PerMessageDeflateError) -> DeflateAgreement {
        let request = try PerMessageDeflateParameters(offer, stage: .offer)
        var answer = PerMessageDeflateParameters()

        // Our window: the smaller of the client's request and our own limit (§7.1.2.1: "same or
        // smaller value"). A request for 8 that we cannot honour declines the offer; our own
        // preference for 8 is raised to 9 instead.
        var ownLimit = config.serverMaxWindowBits
        if config.windowBits8 == .unsupported, ownLimit == 8 { ownLimit = 9 }
        if request.serverMaxWindowBits == 8 && config.windowBits8 == .unsupported {
            throw .windowBits8Unsupported(parameter: "server_max_window_bits")
        }
        if request.serverMaxWindowBits != nil || ownLimit != nil {
            answer.serverMaxWindowBits = min(request.serverMaxWindowBits ?? 15, ownLimit ?? 15)
        }
        answer.serverNoContextTakeover = request.serverNoContextTakeover || config.serverNoContextTakeover
        answer.clientNoContextTakeover = config.clientNoContextTakeover
        if let wanted = config.clientMaxWindowBits {
            if let offered = request.clientMaxWindowBits {
                answer.clientMaxWindowBits = .bits(min(wanted, offered.bits ?? 15))
            } else if config.requireClientMaxWindowBits {
                throw .clientCannotLimitWindow
            }
        }
        // The offer's client_no_context_takeover is only a hint (RFC 7692 §7.1.1.2): a server that
        // does not confirm it in its answer has ignored it and must accept context takeover
        // (Autobahn's client, for one, keeps its context after offering the hint).
        let negotiated = NegotiatedDeflate(
            serverNoContextTakeover: answer.serverNoContextTakeover,
            clientNoContextTakeover: answer.clientNoContextTakeover,
            serverMaxWindowBits: answer.serverMaxWindowBits ?? 15,
            clientMaxWindowBits: answer.clientMaxWindowBits?.bits ?? request.clientMaxWindowBits?.bits ?? 15)
        return DeflateAgreement(response: answer.extensionOffer, negotiated: negotiated)
    }

    /// Accepts the first acceptable permessage-deflate offer, skipping other extensions and offers
    /// that are invalid or unsupported. Returns nil when none can be accepted; the response never
    /// names an extension other than permessage-deflate.
    public static func negotiate(offers: [ExtensionOffer],
                                 config: ServerDeflateConfig) -> (response: ExtensionOffer, negotiated: NegotiatedDeflate)? {
        for offer in offers where offer.name == PerMessageDeflateParameters.extensionName {
            if let agreement = try? respond(to: offer, config: config) {
                return (agreement.response, agreement.negotiated)
            }
        }
        return nil
    }
}

/// A server's accepted permessage-deflate offer: the element to send back and the agreed configuration.
public struct DeflateAgreement: Hashable, Sendable {
    public var response: ExtensionOffer
    public var negotiated: NegotiatedDeflate

    public init(response: ExtensionOffer, negotiated: NegotiatedDeflate) {
        self.response = response
        self.negotiated = negotiated
    }
}
