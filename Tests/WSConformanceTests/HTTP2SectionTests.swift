import Foundation
import Testing
@testable import WSCatalog
import WSEngine

/// Section 28's catalog, without sockets.
@Suite struct HTTP2SectionTests {
    /// The runner's usual extended CONNECT (`ClientRoleDriver.connectFields`) for ws://127.0.0.1:9001/.
    static let usual: [(name: String, value: String)] = [
        (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/"), (":authority", "127.0.0.1:9001"),
        ("user-agent", "wsconform"), ("sec-websocket-version", "13"),
    ]

    @Test("Section 28 has 59 cases for servers opening with their own extended CONNECT and 16 for clients (28.9) answering one, each naming an RFC 8441 or RFC 9113 section")
    func catalog() throws {
        let cases = try CaseSelection(catalog: Shipped.catalog(), include: ["28.*"]).cases
        #expect(cases.count == 75)
        for c in cases {
            let forClients = c.id.description.hasPrefix("28.9.")
            #expect(c.roles == [forClients ? .clientUnderTest : .serverUnderTest], "\(c.id)")
            #expect(forClients ? c.http2Answer != nil : c.http2Request != nil, "\(c.id)")
            #expect(c.rfc.contains { $0.hasPrefix("RFC 8441 §") || $0.hasPrefix("RFC 9113 §") }, "\(c.id): \(c.rfc)")
        }
    }

    /// The engine's rules and the catalog's expectations agree: a case whose first rule is to open
    /// sends a request `ExtendedConnect` accepts; every other case of 28.2-28.4 sends one it rejects.
    @Test("ExtendedConnect rejects exactly the requests section 28 expects refused")
    func engineAgrees() throws {
        let cases = try CaseSelection(catalog: Shipped.catalog(), include: ["28.2.*", "28.3.*", "28.4.*"]).cases
        for c in cases {
            let request = try #require(c.http2Request)
            let rules = try #require(c.expect.handshake).rules
            let accepted = (try? ExtendedConnect.validateRequest(request.apply(to: Self.usual))) != nil
            #expect(accepted == (rules.first?.opened == true), "\(c.id) \(c.title): ExtendedConnect \(accepted ? "accepts" : "rejects") it")
        }
    }
}
