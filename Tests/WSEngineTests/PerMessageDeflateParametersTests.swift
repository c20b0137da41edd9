import Testing
@testable import WSEngine

@Suite struct PerMessageDeflateParametersTests {
    typealias Params = PerMessageDeflateParameters

    static func element(_ header: String) throws -> ExtensionOffer {
        let offers = try ExtensionHeader.parse(header)
        #expect(offers.count == 1)
        return offers[0]
    }

    static let validOffers: [(String, Params)] = [
        ("permessage-deflate", Params()),
        ("permessage-deflate; client_max_window_bits", Params(clientMaxWindowBits: .noValue)),
        ("permessage-deflate; client_max_window_bits=8", Params(clientMaxWindowBits: .bits(8))),
        ("permessage-deflate; server_max_window_bits=15", Params(serverMaxWindowBits: 15)),
        ("permessage-deflate; server_max_window_bits=\"9\"", Params(serverMaxWindowBits: 9)),
        ("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
         Params(serverNoContextTakeover: true, clientNoContextTakeover: true)),
        ("permessage-deflate; client_no_context_takeover; client_max_window_bits=10; server_no_context_takeover; server_max_window_bits=12",
         Params(serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 12, clientMaxWindowBits: .bits(10))),
    ]

    @Test(arguments: validOffers)
    func parsesValidOffers(_ header: String, _ expected: Params) throws {
        let parsed = try Params(Self.element(header), stage: .offer)
        #expect(parsed == expected)
        // Canonical serialisation parses back to the same parameters.
        #expect(try Params(parsed.extensionOffer, stage: .offer) == expected)
    }

    @Test func serialisesInAutobahnOrder() {
        let p = Params(serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9,
                       clientMaxWindowBits: .noValue)
        #expect(p.description
            == "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9")
    }

    static let invalid: [(String, PerMessageDeflateError)] = [
        ("x-webkit-deflate-frame", .notPerMessageDeflate(extensionName: "x-webkit-deflate-frame")),
        ("permessage-deflate; foo", .unknownParameter("foo")),
        ("permessage-deflate; max_window_bits=10", .unknownParameter("max_window_bits")),
        ("permessage-deflate; Server_No_Context_Takeover", .unknownParameter("Server_No_Context_Takeover")),
        ("permessage-deflate; server_no_context_takeover; server_no_context_takeover", .duplicateParameter("server_no_context_takeover")),
        ("permessage-deflate; client_max_window_bits=9; client_max_window_bits", .duplicateParameter("client_max_window_bits")),
        ("permessage-deflate; server_max_window_bits=9; server_max_window_bits=9", .duplicateParameter("server_max_window_bits")),
        ("permessage-deflate; client_no_context_takeover=true", .unexpectedValue(parameter: "client_no_context_takeover", value: "true")),
        ("permessage-deflate; server_no_context_takeover=\"1\"", .unexpectedValue(parameter: "server_no_context_takeover", value: "1")),
        ("permessage-deflate; server_max_window_bits", .missingValue(parameter: "server_max_window_bits")),
        ("permessage-deflate; server_max_window_bits=7", .invalidWindowBits(parameter: "server_max_window_bits", value: "7")),
        ("permessage-deflate; server_max_window_bits=16", .invalidWindowBits(parameter: "server_max_window_bits", value: "16")),
        ("permessage-deflate; server_max_window_bits=08", .invalidWindowBits(parameter: "server_max_window_bits", value: "08")),
        ("permessage-deflate; server_max_window_bits=010", .invalidWindowBits(parameter: "server_max_window_bits", value: "010")),
        ("permessage-deflate; server_max_window_bits=+9", .invalidWindowBits(parameter: "server_max_window_bits", value: "+9")),
        ("permessage-deflate; client_max_window_bits=-9", .invalidWindowBits(parameter: "client_max_window_bits", value: "-9")),
        ("permessage-deflate; client_max_window_bits=9a", .invalidWindowBits(parameter: "client_max_window_bits", value: "9a")),
        ("permessage-deflate; client_max_window_bits=0x9", .invalidWindowBits(parameter: "client_max_window_bits", value: "0x9")),
        ("permessage-deflate; client_max_window_bits=9.0", .invalidWindowBits(parameter: "client_max_window_bits", value: "9.0")),
        ("permessage-deflate; client_max_window_bits=99999999999999999999", .invalidWindowBits(parameter: "client_max_window_bits", value: "99999999999999999999")),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidElements(_ header: String, _ error: PerMessageDeflateError) throws {
        let element = try Self.element(header)
        #expect(throws: error) { try Params(element, stage: .offer) }
        #expect(throws: error) { try Params(element, stage: .response) }
    }

    @Test func responseNeedsAValueForClientMaxWindowBits() throws {
        let element = try Self.element("permessage-deflate; client_max_window_bits")
        #expect(throws: PerMessageDeflateError.missingValue(parameter: "client_max_window_bits")) {
            try Params(element, stage: .response)
        }
        #expect(try Params(element, stage: .offer).clientMaxWindowBits == .noValue)
    }

    @Test func everyWindowSizeInRangeIsAccepted() throws {
        for bits in 8...15 {
            let element = try Self.element("permessage-deflate; server_max_window_bits=\(bits); client_max_window_bits=\(bits)")
            let parsed = try Params(element, stage: .response)
            #expect(parsed.serverMaxWindowBits == bits && parsed.clientMaxWindowBits == .bits(bits))
        }
    }
}
