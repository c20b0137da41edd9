import Foundation
import Testing
import WSEngine
@testable import WSCatalog

/// The catalog keys added for sections 20-26: roles, requires, the handshake step, handshake rules,
/// closed_by either, non_strict_codes, strict deflate; and the selection that keeps Autobahn's 517.
@Suite struct BeyondLoaderTests {
    /// A valid handshake case; tests edit it into invalid ones.
    static let good = """
        section: 20
        title: Handshake
        cases:
          - id: "20.1"
            title: POST
            description: Send POST.
            expectation: A 4xx.
            roles: [server-under-test]
            steps:
              - handshake: {request: {method: POST, remove: [Host], set: {Upgrade: WEBSOCKET}, add: [{X-A: "1"}, {X-A: "2"}]}}
              - close: {code: 1000}
            expect:
              handshake:
                - {verdict: OK, status: [4xx, 505], headers: {Sec-WebSocket-Version: "13"}}
                - {verdict: NON-STRICT, closed: true}
        """

    func load(_ text: String, parameters: [CatalogParameter: Int] = [:]) -> Result<CaseCatalog, CatalogErrors> {
        do throws(CatalogErrors) { return .success(try CatalogLoader.load(sources: [("h.yaml", text)], parameters: parameters)) } catch {
            return .failure(error)
        }
    }

    func single(_ old: String, _ new: String) throws -> CatalogError {
        #expect(Self.good.contains(old), "test setup: \(old) not in the sample")
        guard case let .failure(e) = load(Self.good.replacingOccurrences(of: old, with: new)) else {
            Issue.record("expected an error for \(new)")
            throw CatalogErrors([])
        }
        #expect(e.errors.count == 1, "\(e)")
        return try #require(e.errors.first)
    }

    @Test func handshakeStepAndRulesDecode() throws {
        let c = try #require(try load(Self.good).get()[CaseID("20.1")!])
        #expect(c.roles == [.serverUnderTest])
        let h = try #require(c.handshakeStep)
        guard case let .request(edits) = h.message else { Issue.record("not a request: \(h.message)"); return }
        #expect(edits.method == "POST" && edits.remove == ["Host"])
        #expect(edits.set.map(\.name) == ["Upgrade"] && edits.add.map(\.text) == ["1", "2"])
        let rules = try #require(c.expect.handshake).rules
        #expect(rules.count == 2 && rules[0].verdict == .ok && rules[1].closed == true)
        #expect(rules[0].status == [.statusClass(4), .code(505)])
        #expect(rules[0].headers == [HeaderToken(name: "Sec-WebSocket-Version", token: "13")])
        #expect(c.expect.handshake?.acceptsOpening == false, "no rule accepts a 101, so no events or close are needed")
    }

    /// Section 28: the http2 form of the handshake step and expect.h2.
    @Test func http2StepAndExpectationDecode() throws {
        let text = """
            section: 28
            title: HTTP/2
            cases:
              - id: "28.1"
                title: T
                description: D.
                expectation: E.
                roles: [server-under-test]
                steps:
                  - handshake: {http2: {remove: [":path"], set: {":method": GET}, add: [{":path": "/"}, {X-Up: "1"}], settings: {4: 1024},
                                        siblings: 2, reset_sibling: 8, goaway: 0, data_after_end_stream: {hex: "81 00"}}}
                  - message: {type: text, payload: Hello}
                expect:
                  events: {OK: [{text: Hello}]}
                  close: {closed_by: harness, codes: [1000], clean: true}
                  h2: {reset: [5, 1], siblings: true, connect_setting: true, drop_is_non_strict: true}
            """
        let c = try #require(try load(text).get()[CaseID("28.1")!])
        let r = try #require(c.http2Request)
        #expect(r.remove == [":path"] && r.set.map(\.name) == [":method"] && r.add.map(\.name) == [":path", "X-Up"])
        #expect(r.settings == [H2Setting(id: 4, value: 1024)] && r.siblings == 2 && r.resetSibling == 8 && r.goAway == 0)
        #expect(r.dataAfterEndStream?.bytes() == [0x81, 0x00])
        #expect(c.expect.h2 == H2Expectation(reset: [5, 1], siblings: true, connectSetting: true, dropIsNonStrict: true))
        // Edits keep names exactly and append after every other field.
        let out = r.apply(to: [(":method", "CONNECT"), (":path", "/x"), ("user-agent", "u")])
        #expect(out.map { "\($0.name)=\($0.value)" } == [":method=GET", "user-agent=u", ":path=/", "X-Up=1"])
        guard case let .failure(e) = load(text.replacingOccurrences(of: "siblings: 2,", with: "siblings: 2, chop: 1,")) else {
            Issue.record("an unknown http2 key was accepted")
            return
        }
        #expect(e.errors.first?.message.contains("chop") == true, "\(e)")
    }

    /// Section 28.9: the h2_answer form (harness as server) and expect.h2.client_request.
    @Test func http2AnswerDecodes() throws {
        let text = """
            section: 28
            title: HTTP/2
            cases:
              - id: "28.9"
                title: T
                description: D.
                expectation: E.
                roles: [client-under-test]
                steps:
                  - handshake: {h2_answer: {status: "101", remove: [server], set: {x-a: "1"}, add: [{connection: upgrade}]}, chop: 1,
                                frames: [{opcode: text, payload: Hello}]}
                expect:
                  handshake:
                    - {verdict: OK, closed: true}
                  h2: {client_request: true}
            """
        let c = try #require(try load(text).get()[CaseID("28.9")!])
        let a = try #require(c.http2Answer)
        #expect(c.needsHTTP2 && c.http2Request == nil && c.handshakeStep?.chop == 1 && c.handshakeStep?.frames.count == 1)
        #expect(a.fields(serverName: "s").map { "\($0.name)=\($0.value)" } == [":status=101", "x-a=1", "connection=upgrade"])
        #expect(c.expect.h2?.clientRequest == true)

        func error(_ old: String, _ new: String) -> String {
            guard case let .failure(e) = load(text.replacingOccurrences(of: old, with: new)) else { return "accepted" }
            return e.errors.first.map { "\($0.field): \($0.message)" } ?? ""
        }
        #expect(error("roles: [client-under-test]", "roles: [server-under-test]").contains("needs roles: [client-under-test]"))
        #expect(error("status: \"101\",", "status: \"101\", end_stream: true,").contains("no frames can follow it"))
        #expect(error("chop: 1,", "chop: 1, pace: 1s,").contains("pace applies to a request"))
        #expect(error("remove: [server],", "remove: [server], siblings: 1,").contains("siblings"))
    }

    @Test func headEditsApplyInOrder() {
        let base = HTTPHead(startLine: .request(method: "GET", target: "/", version: .http1_1),
                            headers: [("Host", "a"), ("Upgrade", "websocket"), ("upgrade", "again"), ("Key", "k")])
        let edits = HeadEdits(method: "POST", version: .http1_0, remove: ["key"],
                              set: [HeaderEdit(name: "Upgrade", value: .utf8("WEBSOCKET")), HeaderEdit(name: "New", value: .utf8("n"))],
                              add: [HeaderEdit(name: "Host", value: .utf8("b"))])
        let out = edits.apply(to: base)
        #expect(out.startLineText == "POST / HTTP/1.0")
        #expect(out.headers.map(\.description) == ["Host: a", "Upgrade: WEBSOCKET", "New: n", "Host: b"])
    }

    @Test func handshakeMustBeFirstAndFitTheRoles() throws {
        let notFirst = try single("""
                  - handshake: {request: {method: POST, remove: [Host], set: {Upgrade: WEBSOCKET}, add: [{X-A: "1"}, {X-A: "2"}]}}
                  - close: {code: 1000}
            """, """
                  - close: {code: 1000}
                  - handshake: {request: {method: POST}}
            """)
        #expect(notFirst.file == "h.yaml" && notFirst.line == 11)
        #expect(notFirst.field.hasSuffix("steps[1]") && notFirst.message.contains("only be the first step"))

        let bothRoles = try single("    roles: [server-under-test]\n", "")
        #expect(bothRoles.line == 9 && bothRoles.field.hasSuffix("steps[0]"))
        #expect(bothRoles.message.contains("needs roles: [server-under-test]"))

        let badRole = try single("roles: [server-under-test]", "roles: [server]")
        #expect(badRole.line == 8 && badRole.field.hasSuffix("roles") && badRole.message.contains("client-under-test, server-under-test"))
    }

    @Test func handshakeRuleErrorsNameTheField() throws {
        let verdict = try single("verdict: NON-STRICT", "verdict: MAYBE")
        #expect(verdict.line == 15 && verdict.field.hasSuffix("expect.handshake[1].verdict") && verdict.message.contains("FAILED, INFORMATIONAL"))
        let status = try single("status: [4xx, 505]", "status: [4xy]")
        #expect(status.line == 14 && status.field.hasSuffix("expect.handshake[0].status[0]") && status.message.contains("4xx"))
        let empty = try single("{verdict: NON-STRICT, closed: true}", "{verdict: NON-STRICT}")
        #expect(empty.line == 15 && empty.message.contains("needs a condition"))
        let events = try single("    expect:\n", "    expect:\n      events: {OK: []}\n")
        #expect(events.line == 13 && events.field.hasSuffix("expect.events") && events.message.contains("would never be judged"))
        // A rule that accepts an opened connection makes events and close required.
        let opened = try single("{verdict: NON-STRICT, closed: true}", "{verdict: NON-STRICT, opened: true}")
        #expect(opened.field.hasSuffix("expect") && opened.message.contains("missing required key \"close\""))
    }

    static let limits = """
        section: 25
        title: Limits
        cases:
          - id: "25.1"
            title: Too big
            description: Send N+1.
            expectation: 1009.
            requires: [max_message_size]
            steps:
              - message: {type: binary, payload: {repeat: {hex: "00"}, length: "{max_message_size}+1"}, fragment_size: "{max_message_size}/4+1"}
            expect:
              events: {OK: []}
              close: {closed_by: peer, codes: [1009], clean: false}
        """

    func messageStep(_ c: TestCase) throws -> MessageStep {
        guard case let .message(m)? = c.steps.first else { throw CatalogErrors([]) }
        return m
    }

    @Test func requiredParametersAreSubstitutedOrMarkedMissing() throws {
        let given = try #require(try load(Self.limits, parameters: [.maxMessageSize: 65536]).get()[CaseID("25.1")!])
        #expect(given.parameters == [.maxMessageSize] && given.missingParameters.isEmpty && given.notApplicableReason == nil)
        #expect(try messageStep(given).payload.count == 65537 && messageStep(given).fragmentSize == 16385)

        let absent = try #require(try load(Self.limits).get()[CaseID("25.1")!])
        #expect(absent.missingParameters == [.maxMessageSize])
        #expect(try messageStep(absent).payload.count == CatalogParameter.maxMessageSize.probeValue + 1)
        #expect(absent.notApplicableReason?.contains("--max-message-size") == true)

        guard case let .failure(e) = load(Self.limits.replacingOccurrences(of: "[max_message_size]", with: "[max_frame_size]")) else {
            Issue.record("an unknown parameter must be an error"); return
        }
        #expect(e.errors.first?.line == 8 && e.errors.first?.field.hasSuffix("requires") == true)
        #expect(e.errors.first?.message.contains("unknown parameter \"max_frame_size\"; valid: connections, max_message_size") == true)

        // A parameter with a default (connections) is never missing; a given value replaces it.
        let counted = Self.limits.replacingOccurrences(of: "[max_message_size]", with: "[connections]")
            .replacingOccurrences(of: "{max_message_size}", with: "{connections}")
        let byDefault = try #require(try load(counted).get()[CaseID("25.1")!])
        #expect(byDefault.missingParameters.isEmpty && byDefault.notApplicableReason == nil)
        #expect(try messageStep(byDefault).payload.count == CatalogParameter.defaultConnections + 1)
        let chosen = try #require(try load(counted, parameters: [.connections: 7]).get()[CaseID("25.1")!])
        #expect(try messageStep(chosen).payload.count == 8)
    }

    @Test func integersTakeArithmetic() {
        #expect(NodeReader.parseInt("1024+1") == 1025)
        #expect(NodeReader.parseInt("1MiB-1") == 1_048_575)
        #expect(NodeReader.parseInt("65536/4+1") == 16385)
        #expect(NodeReader.parseInt("2*3+4") == 10)
        #expect(NodeReader.parseInt("-1") == nil && NodeReader.parseInt("5-6") == nil && NodeReader.parseInt("4/0") == nil)
        #expect(NodeReader.parseInt("0x7e") == 126 && NodeReader.parseInt("1_000") == 1000)
    }

    @Test func closeExtrasDecode() throws {
        let text = LoaderErrorTests.good.replacingOccurrences(of: "closed_by: harness, codes: [1000], clean: true",
                                                              with: "closed_by: either, codes: [1007], non_strict_codes: [1002], clean: false")
        let c = try #require(try CatalogLoader.load(sources: [("c.yaml", text)]).cases.first)
        #expect(c.expect.close.eitherEndpoint && c.expect.close.nonStrictCodes == [1002] && c.expect.close.closedByText == "either")
        #expect(c.roles == CaseRole.allCases, "roles default to both")
    }

    @Test func shippedSectionsAndRoles() throws {
        let catalog = try Shipped.catalog()
        let autobahn = try CaseSelection(catalog: catalog, include: ["1-13"])
        #expect(autobahn.cases.count == 517)
        #expect(autobahn.ids == catalog.ids.filter { $0.section <= 13 })
        #expect(catalog.position(of: CaseID("13.7.18")!) == 517, "wsconform's sections sort after Autobahn's")
        let forServers = try CaseSelection(catalog: catalog, include: ["*"], role: .serverUnderTest)
        #expect(forServers.cases.count == 760 - 19 - 16 - 1, "all but section 21, 28.9 and 23.2.4")
        #expect(!forServers.ids.contains(CaseID("23.2.4")!) && !forServers.ids.contains { $0.section == 21 })
        let client = #expect(throws: PatternError.self) { try CaseSelection(catalog: catalog, include: ["21.*"], role: .serverUnderTest) }
        #expect(client?.message.contains("do not test a server") == true)
        #expect(throws: PatternError.self) { try CaseSelection(catalog: catalog, include: ["5-3"]) }
        #expect(try CaseSelection(catalog: catalog, include: ["20-26"]).cases.count == 118)
        #expect(try CaseSelection(catalog: catalog, include: ["6.4-5.*"]).cases.count == 9, "6.4.x and 6.5.x")
        // Every handshake case tests exactly one role, and every shipped rule list is non-empty.
        for c in catalog.cases where c.handshakeStep != nil { #expect(c.roles.count == 1, "\(c.id)") }
        for c in catalog.cases.filter({ $0.id.section == 25 }) { #expect(c.missingParameters == [.maxMessageSize], "\(c.id)") }
    }
}
