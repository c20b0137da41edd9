import Testing
@testable import WSEngine

@Suite struct PerMessageDeflateNegotiationTests {
    static func element(_ header: String) throws -> ExtensionOffer {
        try #require(ExtensionHeader.parse(header).first)
    }

    // Autobahn 13.1–13.6 as fuzzingclient: (offer config, exact offer header, the response a server
    // honouring the requests gives — the AutobahnPython testee's observed answers).
    static let autobahn13: [(String, ClientDeflateConfig, String, String)] = [
        ("13.1", .autobahn,
         "permessage-deflate; client_no_context_takeover; client_max_window_bits",
         "permessage-deflate"),
        ("13.2", ClientDeflateConfig(clientNoContextTakeover: true, serverNoContextTakeover: true),
         "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover",
         "permessage-deflate; server_no_context_takeover"),
        ("13.3", ClientDeflateConfig(clientNoContextTakeover: true, serverMaxWindowBits: 9),
         "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=9",
         "permessage-deflate; server_max_window_bits=9"),
        ("13.4", ClientDeflateConfig(clientNoContextTakeover: true, serverMaxWindowBits: 15),
         "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=15",
         "permessage-deflate; server_max_window_bits=15"),
        ("13.5", ClientDeflateConfig(clientNoContextTakeover: true, serverNoContextTakeover: true, serverMaxWindowBits: 9),
         "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9",
         "permessage-deflate; server_no_context_takeover; server_max_window_bits=9"),
        ("13.6", ClientDeflateConfig(clientNoContextTakeover: true, serverNoContextTakeover: true, serverMaxWindowBits: 15),
         "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=15",
         "permessage-deflate; server_no_context_takeover; server_max_window_bits=15"),
    ]

    @Test(arguments: autobahn13)
    func autobahnOffersAndServerAnswers(_ id: String, _ config: ClientDeflateConfig, _ offerText: String,
                                        _ responseText: String) throws {
        let offer = PerMessageDeflate.clientOffer(config)
        #expect(ExtensionHeader.serialize([offer]) == offerText, "\(id) offer")
        let offers = try ExtensionHeader.parse(offerText)
        let (response, serverView) = try #require(PerMessageDeflate.negotiate(offers: offers, config: ServerDeflateConfig()))
        #expect(ExtensionHeader.serialize([response]) == responseText, "\(id) response")
        // The client reaches the same agreement from the response as the server did.
        let clientView = try PerMessageDeflate.acceptResponse(try Self.element(responseText), offered: config)
        #expect(clientView == serverView)
        #expect(clientView.clientNoContextTakeover) // Autobahn always offers the hint
    }

    @Test func autobahn13_7PicksTheFirstOfThreeOffers() throws {
        let header = ExtensionHeader.serialize([Self.autobahn13[4].1, Self.autobahn13[1].1, Self.autobahn13[0].1]
            .map(PerMessageDeflate.clientOffer))
        #expect(header.hasPrefix("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9, permessage-deflate; "))
        let (response, negotiated) = try #require(PerMessageDeflate.negotiate(offers: try ExtensionHeader.parse(header),
                                                                               config: ServerDeflateConfig()))
        #expect(response.description == "permessage-deflate; server_no_context_takeover; server_max_window_bits=9")
        #expect(negotiated == NegotiatedDeflate(serverNoContextTakeover: true, clientNoContextTakeover: true,
                                                serverMaxWindowBits: 9, clientMaxWindowBits: 15))
    }

    // Autobahn as fuzzingserver: its answer to a client's offer in 13.1–13.6 (§4.10 of the notes).
    static let autobahnServer: [(String, ServerDeflateConfig)] = [
        ("13.1", ServerDeflateConfig()),
        ("13.2", ServerDeflateConfig(clientNoContextTakeover: true)),
        ("13.3", ServerDeflateConfig(clientMaxWindowBits: 9, requireClientMaxWindowBits: true)),
        ("13.4", ServerDeflateConfig(clientMaxWindowBits: 15, requireClientMaxWindowBits: true)),
        ("13.5", ServerDeflateConfig(clientNoContextTakeover: true, clientMaxWindowBits: 9, requireClientMaxWindowBits: true)),
        ("13.6", ServerDeflateConfig(clientNoContextTakeover: true, clientMaxWindowBits: 15, requireClientMaxWindowBits: true)),
    ]

    @Test func autobahnFuzzingServerAnswers() throws {
        let browserLike = try ExtensionHeader.parse("permessage-deflate; client_max_window_bits")
        let bare = try ExtensionHeader.parse("permessage-deflate")
        let expected = [
            "permessage-deflate",
            "permessage-deflate; client_no_context_takeover",
            "permessage-deflate; client_max_window_bits=9",
            "permessage-deflate; client_max_window_bits=15",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=15",
        ]
        for ((id, config), answer) in zip(Self.autobahnServer, expected) {
            let accepted = PerMessageDeflate.negotiate(offers: browserLike, config: config)
            #expect(accepted?.response.description == answer, "\(id)")
            // Without client_max_window_bits in the offer, 13.3–13.6 decline (→ UNIMPLEMENTED).
            let declined = PerMessageDeflate.negotiate(offers: bare, config: config)
            #expect((declined == nil) == config.requireClientMaxWindowBits, "\(id)")
        }
    }

    @Test func serverSkipsOtherExtensionsAndInvalidOffers() throws {
        let offers = try ExtensionHeader.parse(
            "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=16, permessage-deflate; foo, "
                + "permessage-deflate; client_max_window_bits=10; client_no_context_takeover, permessage-deflate")
        let (response, negotiated) = try #require(PerMessageDeflate.negotiate(offers: offers, config: ServerDeflateConfig()))
        #expect(response == ExtensionOffer(name: "permessage-deflate"))
        // The client's client_no_context_takeover is a hint the answer does not confirm: the server
        // must be ready for context takeover.
        #expect(negotiated == NegotiatedDeflate(clientNoContextTakeover: false, clientMaxWindowBits: 10))
        #expect(PerMessageDeflate.negotiate(offers: try ExtensionHeader.parse("foo, bar; baz"), config: ServerDeflateConfig()) == nil)
        #expect(PerMessageDeflate.negotiate(offers: [], config: ServerDeflateConfig()) == nil)
    }

    @Test func serverPreferencesCombineWithRequests() throws {
        let config = ServerDeflateConfig(serverNoContextTakeover: true, serverMaxWindowBits: 12,
                                         clientNoContextTakeover: true, clientMaxWindowBits: 11)
        // The client asks for a smaller server window than our own limit and caps its own at 10.
        let agreement = try PerMessageDeflate.respond(
            to: try Self.element("permessage-deflate; server_max_window_bits=10; client_max_window_bits=10"), config: config)
        #expect(agreement.response.description
            == "permessage-deflate; client_no_context_takeover; client_max_window_bits=10; server_no_context_takeover; server_max_window_bits=10")
        #expect(agreement.negotiated == NegotiatedDeflate(serverNoContextTakeover: true, clientNoContextTakeover: true,
                                                          serverMaxWindowBits: 10, clientMaxWindowBits: 10))
        // Without client_max_window_bits in the offer the client's window cannot be limited.
        let plain = try PerMessageDeflate.respond(to: ExtensionOffer(name: "permessage-deflate"), config: config)
        #expect(plain.response.description
            == "permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=12")
        #expect(plain.negotiated.clientMaxWindowBits == 15 && plain.negotiated.serverMaxWindowBits == 12)
    }

    @Test func windowBits8DependsOnSupport() throws {
        let offers = try ExtensionHeader.parse("permessage-deflate; server_max_window_bits=8, permessage-deflate; server_max_window_bits=9")
        let rle = try #require(PerMessageDeflate.negotiate(offers: offers, config: ServerDeflateConfig()))
        #expect(rle.negotiated.serverMaxWindowBits == 8)
        #expect(rle.response.description == "permessage-deflate; server_max_window_bits=8")
        // A server that cannot compress with 8 declines that offer (it may not answer 9) and takes the next.
        let strict = ServerDeflateConfig(windowBits8: .unsupported)
        #expect(throws: PerMessageDeflateError.windowBits8Unsupported(parameter: "server_max_window_bits")) {
            try PerMessageDeflate.respond(to: offers[0], config: strict)
        }
        #expect(PerMessageDeflate.negotiate(offers: offers, config: strict)?.negotiated.serverMaxWindowBits == 9)
        // Its own preference for 8 is raised to 9.
        let own = try PerMessageDeflate.respond(to: ExtensionOffer(name: "permessage-deflate"),
                                                config: ServerDeflateConfig(serverMaxWindowBits: 8, windowBits8: .unsupported))
        #expect(own.negotiated.serverMaxWindowBits == 9)
        // Limiting the client to 8 is always fine: we inflate with a 15-bit window.
        let client8 = try PerMessageDeflate.respond(to: try Self.element("permessage-deflate; client_max_window_bits"),
                                                    config: ServerDeflateConfig(clientMaxWindowBits: 8, windowBits8: .unsupported))
        #expect(client8.negotiated.clientMaxWindowBits == 8)
    }

    // Client side: responses that must fail the connection.
    static let invalidResponses: [(ClientDeflateConfig, String, PerMessageDeflateError)] = [
        (ClientDeflateConfig(clientMaxWindowBits: nil), "permessage-deflate; client_max_window_bits=10",
         .unsolicitedClientMaxWindowBits),
        (ClientDeflateConfig(clientMaxWindowBits: .bits(10)), "permessage-deflate; client_max_window_bits=11",
         .clientMaxWindowBitsAboveOffer(offered: 10, received: 11)),
        (ClientDeflateConfig(serverMaxWindowBits: 10), "permessage-deflate; server_max_window_bits=11",
         .serverMaxWindowBitsAboveOffer(offered: 10, received: 11)),
        (ClientDeflateConfig(serverMaxWindowBits: 10), "permessage-deflate",
         .serverMaxWindowBitsNotAcknowledged(offered: 10)),
        (ClientDeflateConfig(serverNoContextTakeover: true), "permessage-deflate",
         .serverNoContextTakeoverNotAcknowledged),
        (ClientDeflateConfig(), "permessage-deflate; client_max_window_bits",
         .missingValue(parameter: "client_max_window_bits")),
        (ClientDeflateConfig(), "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
         .duplicateParameter("server_no_context_takeover")),
        (ClientDeflateConfig(), "permessage-deflate; client_max_window_bits=9; client_max_window_bits=9",
         .duplicateParameter("client_max_window_bits")),
        (ClientDeflateConfig(), "permessage-deflate; x=1", .unknownParameter("x")),
        (ClientDeflateConfig(), "permessage-deflate; server_max_window_bits=07",
         .invalidWindowBits(parameter: "server_max_window_bits", value: "07")),
        (ClientDeflateConfig(), "permessage-deflate; client_no_context_takeover=1",
         .unexpectedValue(parameter: "client_no_context_takeover", value: "1")),
        (ClientDeflateConfig(), "deflate-frame", .notPerMessageDeflate(extensionName: "deflate-frame")),
        (ClientDeflateConfig(windowBits8: .unsupported), "permessage-deflate; client_max_window_bits=8",
         .windowBits8Unsupported(parameter: "client_max_window_bits")),
    ]

    @Test(arguments: invalidResponses)
    func clientRejectsInvalidResponses(_ config: ClientDeflateConfig, _ response: String,
                                       _ error: PerMessageDeflateError) throws {
        let element = try Self.element(response)
        #expect(throws: error) { try PerMessageDeflate.acceptResponse(element, offered: config) }
    }

    static let validResponses: [(ClientDeflateConfig, String, NegotiatedDeflate)] = [
        // The server may add server_* parameters unasked and limit us when we offered the parameter.
        (ClientDeflateConfig(), "permessage-deflate; server_no_context_takeover; server_max_window_bits=11",
         NegotiatedDeflate(serverNoContextTakeover: true, serverMaxWindowBits: 11)),
        (ClientDeflateConfig(), "permessage-deflate; client_max_window_bits=9; client_no_context_takeover",
         NegotiatedDeflate(clientNoContextTakeover: true, clientMaxWindowBits: 9)),
        (ClientDeflateConfig(clientMaxWindowBits: .bits(12)), "permessage-deflate",
         NegotiatedDeflate(clientMaxWindowBits: 12)),
        (ClientDeflateConfig(clientMaxWindowBits: .bits(12)), "permessage-deflate; client_max_window_bits=12",
         NegotiatedDeflate(clientMaxWindowBits: 12)),
        (ClientDeflateConfig(serverMaxWindowBits: 12), "permessage-deflate; server_max_window_bits=8",
         NegotiatedDeflate(serverMaxWindowBits: 8)),
        (ClientDeflateConfig(), "permessage-deflate; client_max_window_bits=8",
         NegotiatedDeflate(clientMaxWindowBits: 8)),
        (ClientDeflateConfig(windowBits8: .unsupported), "permessage-deflate; server_max_window_bits=8",
         NegotiatedDeflate(serverMaxWindowBits: 8)),
    ]

    @Test(arguments: validResponses)
    func clientAcceptsValidResponses(_ config: ClientDeflateConfig, _ response: String,
                                     _ expected: NegotiatedDeflate) throws {
        #expect(try PerMessageDeflate.acceptResponse(try Self.element(response), offered: config) == expected)
    }

    /// Every client offer in a grid against every server configuration in a grid: whenever the
    /// server accepts, the client accepts the response and both reach the same agreement.
    @Test func bothSidesAgreeAcrossConfigurations() throws {
        let windows: [Int?] = [nil, 8, 9, 12, 15]
        let clientWindows: [ClientMaxWindowBits?] = [nil, .noValue, .bits(8), .bits(10), .bits(15)]
        var agreements = 0
        for cnct in [false, true] { for snct in [false, true] { for sw in windows { for cw in clientWindows {
            let client = ClientDeflateConfig(clientNoContextTakeover: cnct, clientMaxWindowBits: cw,
                                             serverNoContextTakeover: snct, serverMaxWindowBits: sw)
            for ownNCT in [false, true] { for ownSW in windows { for wantCW in windows {
                let server = ServerDeflateConfig(serverNoContextTakeover: ownNCT, serverMaxWindowBits: ownSW,
                                                 clientNoContextTakeover: ownNCT, clientMaxWindowBits: wantCW)
                let offerText = ExtensionHeader.serialize([PerMessageDeflate.clientOffer(client)])
                guard let (response, serverView) = PerMessageDeflate.negotiate(
                    offers: try ExtensionHeader.parse(offerText), config: server) else {
                    Issue.record("server declined \(offerText)")
                    continue
                }
                let responseText = ExtensionHeader.serialize([response])
                let clientView = try PerMessageDeflate.acceptResponse(try Self.element(responseText), offered: client)
                // Equal, except that a client keeps its own unconfirmed no-context-takeover hint: the
                // server may rely only on what its answer confirmed.
                var relaxed = clientView
                relaxed.clientNoContextTakeover = serverView.clientNoContextTakeover
                #expect(relaxed == serverView, "\(offerText) -> \(responseText)")
                #expect(!serverView.clientNoContextTakeover || clientView.clientNoContextTakeover)
                #expect(clientView.serverMaxWindowBits <= min(sw ?? 15, ownSW ?? 15))
                #expect(clientView.clientMaxWindowBits <= (cw?.bits ?? 15))
                agreements += 1
            } } }
        } } } }
        #expect(agreements == 2 * 2 * 5 * 5 * 2 * 5 * 5)
    }

    @Test func directionsPerRole() {
        let n = NegotiatedDeflate(serverNoContextTakeover: true, clientNoContextTakeover: false,
                                  serverMaxWindowBits: 10, clientMaxWindowBits: 12)
        #expect(n.compressor(for: .server) == DeflateDirection(windowBits: 10, resetsContextPerMessage: true))
        #expect(n.decompressor(for: .client) == n.compressor(for: .server))
        #expect(n.compressor(for: .client) == DeflateDirection(windowBits: 12, resetsContextPerMessage: false))
        #expect(n.decompressor(for: .server) == n.compressor(for: .client))
    }
}
