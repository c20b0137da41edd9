import Testing
@testable import WSEngine

@Suite struct ExtensionHeaderTests {
    typealias Kind = ExtensionHeaderError.Kind

    @Test func parsesAutobahnOffer() throws {
        let offers = try ExtensionHeader.parse(["permessage-deflate; client_no_context_takeover; client_max_window_bits"])
        #expect(offers == [ExtensionOffer(name: "permessage-deflate", parameters: [
            .init(name: "client_no_context_takeover"), .init(name: "client_max_window_bits"),
        ])])
    }

    @Test func keepsOrderAcrossOffersAndHeaderLines() throws {
        let offers = try ExtensionHeader.parse(["a; x=1, b", "c;y;z=\"2\""])
        #expect(offers == [
            ExtensionOffer(name: "a", parameters: [.init(name: "x", value: "1")]),
            ExtensionOffer(name: "b"),
            ExtensionOffer(name: "c", parameters: [.init(name: "y"), .init(name: "z", value: "2")]),
        ])
    }

    @Test func acceptsOptionalWhitespaceEverywhere() throws {
        let spaced = try ExtensionHeader.parse(" \tpermessage-deflate ;  server_max_window_bits = 10 ;client_max_window_bits\t,\tx-foo ; a = \"b\" ")
        let tight = try ExtensionHeader.parse("permessage-deflate;server_max_window_bits=10;client_max_window_bits,x-foo;a=b")
        #expect(spaced == tight)
        #expect(tight.count == 2)
        #expect(tight[0].parameters[0] == ExtensionParameter(name: "server_max_window_bits", value: "10"))
    }

    @Test func unescapesQuotedValues() throws {
        let offers = try ExtensionHeader.parse(#"e; a="\1\5"; b="x-y""#)
        #expect(offers[0].parameters == [.init(name: "a", value: "15"), .init(name: "b", value: "x-y")])
    }

    @Test func emptyListElementsAreSkippedUnlessStrict() throws {
        #expect(try ExtensionHeader.parse(", a ,, b ,").map(\.name) == ["a", "b"])
        #expect(throws: ExtensionHeaderError(.emptyElement, valueIndex: 0, offset: 3)) {
            try ExtensionHeader.parse("a, , b", strict: true)
        }
        #expect(throws: ExtensionHeaderError(.emptyElement, valueIndex: 0, offset: 0)) {
            try ExtensionHeader.parse(",a", strict: true)
        }
        #expect(throws: ExtensionHeaderError(.emptyElement, valueIndex: 0, offset: 3)) {
            try ExtensionHeader.parse("a, ", strict: true)
        }
        #expect(try ExtensionHeader.parse("a, b", strict: true).count == 2)
    }

    static let invalid: [(String, Kind, Int)] = [
        ("", .noExtension, 0),
        (" , ,", .noExtension, 0),
        ("@", .expectedToken(.extensionName, found: UInt8(ascii: "@")), 0),
        ("a;;b", .expectedToken(.parameterName, found: UInt8(ascii: ";")), 2),
        ("a; ", .expectedToken(.parameterName, found: nil), 3),
        ("a; x=", .expectedToken(.parameterValue, found: nil), 5),
        ("a; x=,b", .expectedToken(.parameterValue, found: UInt8(ascii: ",")), 5),
        ("a; x=1=2", .unexpectedCharacter(UInt8(ascii: "=")), 6),
        ("a b", .unexpectedCharacter(UInt8(ascii: "b")), 2),
        ("a; x y", .unexpectedCharacter(UInt8(ascii: "y")), 5),
        ("p\u{e9}rmessage", .unexpectedCharacter(0xC3), 1),
        ("a; x=\"15", .unterminatedQuotedString, 5),
        ("a; x=\"1\u{7}\"", .invalidQuotedCharacter(0x07), 7),
        ("a; x=\"1\\", .invalidEscape(nil), 8),
        ("a; x=\"1\\\u{1}\"", .invalidEscape(0x01), 8),
        ("a; x=\"1 5\"", .quotedValueNotToken("1 5"), 5),
        ("a; x=\"\"", .quotedValueNotToken(""), 5),
        ("a; x=\"a,b\"", .quotedValueNotToken("a,b"), 5),
        ("a; x=1\r\n", .unexpectedCharacter(0x0D), 6),
    ]

    @Test(arguments: invalid)
    func rejectsWithKindAndOffset(_ value: String, _ kind: Kind, _ offset: Int) {
        #expect(throws: ExtensionHeaderError(kind, valueIndex: 0, offset: offset)) {
            try ExtensionHeader.parse(value)
        }
    }

    @Test func reportsWhichHeaderLine() {
        #expect(throws: ExtensionHeaderError(.unexpectedCharacter(UInt8(ascii: "}")), valueIndex: 2, offset: 1)) {
            try ExtensionHeader.parse(["a", "b", "c}"])
        }
    }

    @Test func serializesAutobahnStyle() {
        let offer = PerMessageDeflate.clientOffer(.autobahn)
        #expect(ExtensionHeader.serialize([offer]) == "permessage-deflate; client_no_context_takeover; client_max_window_bits")
        let two = [ExtensionOffer(name: "a", parameters: [.init(name: "x", value: "9")]), ExtensionOffer(name: "b")]
        #expect(ExtensionHeader.serialize(two) == "a; x=9, b")
    }

    @Test func quotesValuesThatAreNotTokens() throws {
        let offer = ExtensionOffer(name: "a", parameters: [.init(name: "x", value: #"1 "2"\"#)])
        let text = ExtensionHeader.serialize([offer])
        #expect(text == #"a; x="1 \"2\"\\""#)
        // Such a value is written faithfully, and the parser (rightly) refuses it as a non-token.
        #expect(throws: ExtensionHeaderError.self) { try ExtensionHeader.parse(text) }
    }

    @Test func roundTripsValidOffers() throws {
        let offers = [
            ExtensionOffer(name: "permessage-deflate", parameters: [.init(name: "server_max_window_bits", value: "10")]),
            ExtensionOffer(name: "x-webkit-deflate-frame"),
            ExtensionOffer(name: "foo", parameters: [.init(name: "a"), .init(name: "a", value: "~!#$%&'*+-.^_`|")]),
        ]
        #expect(try ExtensionHeader.parse(ExtensionHeader.serialize(offers)) == offers)
    }
}
