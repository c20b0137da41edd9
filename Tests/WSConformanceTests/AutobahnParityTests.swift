import Foundation
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSJudge

/// Compares every case with Tests/Fixtures/autobahn-cases.json, which scripts/autobahn-case-dump.py
/// produced by running each Autobahn 25.10.1 case class's `onOpen` against a recording fake
/// protocol: the wire primitives called, the expected events, the expected close, the flags.
@Suite struct AutobahnParityTests {
    // Read-only after initialisation; JSONSerialization values are not Sendable.
    nonisolated(unsafe) static let fixture: [[String: Any]] = {
        let data = try! Data(contentsOf: Repo.fixtures.appendingPathComponent("autobahn-cases.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }()

    @Test func everyAutobahnCaseExistsAndNothingElse() throws {
        let catalog = try Shipped.catalog()
        // Sections 1-13 are Autobahn's; 20 and up are wsconform's own and sort after them.
        let ours = try CaseSelection(catalog: catalog, include: ["1-13"]).ids.map(\.description)
        let theirs = Self.fixture.map { $0["id"] as! String }
        #expect(ours == theirs, "same ids in the same (numeric) order")
        for entry in Self.fixture {
            let id = CaseID(entry["id"] as! String)!
            #expect(catalog.position(of: id) == entry["index"] as? Int, "Autobahn index of \(id)")
        }
    }

    @Test(arguments: fixture.indices) func caseMatchesAutobahn(_ i: Int) throws {
        let entry = Self.fixture[i]
        let catalog = try Shipped.catalog()
        let id = entry["id"] as! String
        let tc = try #require(catalog[CaseID(id)!], "case \(id) missing")

        // Wire actions.
        var theirs = (entry["actions"] as! [[String: Any]]).map(Self.normalizeFixtureAction)
        var ours = Self.actions(of: tc)
        if tc.roundTrips.map({ if case .dataset = $0.source { true } else { false } }) == true {
            // 12/13: the fixture holds the first message only; parameters are compared below.
            theirs.removeAll { $0["op"] as? String == "message" }
            ours.removeAll { $0["op"] as? String == "roundTrips" }
        }
        #expect(NSArray(array: ours).isEqual(to: theirs), "actions of \(id):\nours   \(ours)\ntheirs \(theirs)")

        // Expected events (Autobahn's `expected`).
        let expected = (entry["expected"] as! [String: [[Any]]]).mapValues { $0.map(Self.normalizeFixtureEvent) }
        var ourExpected: [String: [[Any]]] = [:]
        for o in tc.expect.outcomes { ourExpected[o.behavior.rawValue] = o.events.map(Self.event) }
        #expect(NSDictionary(dictionary: ourExpected).isEqual(to: expected), "expected events of \(id)")

        // Expected close.
        let close = entry["expectedClose"] as! [String: Any]
        #expect(close["closedByMe"] as? Bool == tc.expect.close.closedByHarness, "closedByMe of \(id)")
        #expect((close["closeCode"] as? [Int])?.map { CloseCode(UInt16($0)) } == tc.expect.close.codes, "closeCode of \(id)")
        #expect(close["requireClean"] as? Bool == tc.expect.close.requireClean, "requireClean of \(id)")
        #expect((close["closedByWrongEndpointIsFatal"] as? Bool ?? false) == tc.expect.wrongEndpointIsFatal, "fatal flag of \(id)")

        // Flags and overrides.
        #expect(entry["suppressClose"] as? Bool == !tc.autoClose, "suppressClose of \(id)")
        #expect(entry["reportTime"] as? Bool == tc.reportTime, "reportTime of \(id)")
        #expect(entry["reportCompressionRatio"] as? Bool == tc.reportCompressionRatio, "reportCompressionRatio of \(id)")
        let overrides = tc.expect.wrongCodeFailsBehavior || tc.expect.informational != nil || tc.expect.harnessFrames != nil
        #expect(entry["overridesConnectionLost"] as? Bool == overrides, "onConnectionLost override of \(id)")
        let ownMessageHandling: Bool = if case .events = tc.expect.source { false } else { true }
        #expect(entry["overridesOnMessage"] as? Bool == ownMessageHandling, "onMessage override of \(id)")

        // The result text right after onOpen is what the judge says when nothing arrives.
        let silent = Observation(handshake: HandshakeRecord(completed: true, deflate: DeflateParameters()))
        let v = Judge.verdict(case: tc, observation: silent, role: .client)
        if tc.expect.informational == nil, tc.expect.harnessFrames == nil, !tc.expect.outcomes.contains(where: { $0.events.isEmpty }) {
            #expect(v.result == entry["resultAfterOpen"] as? String, "initial result text of \(id)")
        }

        if case let .echo(type, length) = tc.expect.source {
            #expect(entry["DATALEN"] as? Int == length, "DATALEN of \(id)")
            #expect(tc.guardTimer(.closeAfter) == .seconds(entry["WAITSECS"] as! Int), "WAITSECS of \(id)")
            #expect(type == .text || type == .binary)
        }
        if let rt = tc.roundTrips {
            #expect(entry["COUNT"] as? Int == rt.count, "COUNT of \(id)")
            #expect(tc.guardTimer(.closeAfter) == .seconds(entry["WAITSECS"] as! Int), "WAITSECS of \(id)")
            switch rt.source {
            case .payload:
                #expect(entry["BINARY"] as? Bool == rt.type.isBinary, "BINARY of \(id)")
            case let .dataset(w):
                #expect(entry["LEN"] as? Int == w.size, "LEN of \(id)")
                #expect(entry["AUTOFRAGSIZE"] as? Int == (tc.autoFragmentSize ?? 0), "AUTOFRAGSIZE of \(id)")
                #expect(entry["datasetBinary"] as? Bool == rt.type.isBinary, "dataset type of \(id)")
                #expect(w.unit == (rt.type.isBinary ? .octets : .characters), "unit of \(id)")
                let ds = try #require(Dataset.named(w.dataset))
                #expect(entry["dataset"] as? String == ds.autobahnFile, "dataset of \(id)")
                let deflate = try #require(tc.deflate)
                #expect(deflate.offers.map(\.description) == entry["offers"] as? [String], "offers of \(id)")
                #expect(Self.acceptFunctions[entry["serverAccept"] as! String] == deflate.answers, "server answers of \(id)")
                if ds.origin == .file, let first = (entry["actions"] as! [[String: Any]]).first(where: { $0["op"] as? String == "message" }) {
                    let data = try ds.load(dataDirectory: Repo.cases.appendingPathComponent("data"))
                    var messages = DatasetMessages(data: data, window: w)
                    #expect(NSDictionary(dictionary: Self.pl(messages.next())).isEqual(to: first["payload"] as! [String: Any]),
                            "first message of \(id)")
                }
            }
        }
    }

    /// Autobahn's server-side accept functions, as our answer lists.
    static let acceptFunctions: [String: [DeflateAnswer]] = [
        "accept_deflate": [DeflateAnswer()],
        "accept1": [DeflateAnswer()],
        "accept2": [DeflateAnswer(clientNoContextTakeover: true)],
        "accept3": [DeflateAnswer(clientMaxWindowBits: 9)],
        "accept4": [DeflateAnswer(clientMaxWindowBits: 15)],
        "accept5": [DeflateAnswer(clientNoContextTakeover: true, clientMaxWindowBits: 9)],
        "accept6": [DeflateAnswer(clientNoContextTakeover: true, clientMaxWindowBits: 15)],
        "accept7": [DeflateAnswer(clientNoContextTakeover: true, clientMaxWindowBits: 9), DeflateAnswer(clientNoContextTakeover: true),
                    DeflateAnswer()],
    ]

    // MARK: normalisation to the fixture's vocabulary

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buf in
            for b in buf { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    static func pl(_ bytes: [UInt8]) -> [String: Any] {
        bytes.count <= 256 ? ["len": bytes.count, "hex": hexString(bytes)] : ["len": bytes.count, "fnv": fnv1a64(bytes)]
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func frameAction(opcode: UInt8, fin: Bool, rsv: UInt8, payload: [UInt8], chop: Int?, sync: Bool) -> [String: Any] {
        ["op": "frame", "opcode": Int(opcode), "fin": fin, "rsv": Int(rsv), "payload": pl(payload),
         "chop": chop.map { $0 as Any } ?? NSNull(), "sync": sync]
    }

    static func actions(of tc: TestCase) -> [[String: Any]] {
        var out: [[String: Any]] = []
        for step in tc.steps {
            switch step {
            case let .frame(f):
                #expect(f.mask == .auto && f.lengthEncoding == nil && f.declaredLength == nil)
                out.append(frameAction(opcode: f.opcode.rawValue, fin: f.fin, rsv: f.rsv.rawValue, payload: f.payload.bytes(),
                                       chop: f.chop, sync: f.sync))
            case let .frameBegin(b):
                out.append(["op": "beginMessage", "binary": b.opcode == .binary])
                out.append(["op": "beginMessageFrame", "length": Int(b.length)])
            case let .frameData(p):
                out.append(["op": "frameData", "payload": pl(p.bytes())])
            case let .message(m):
                out.append(["op": "message", "binary": m.type.isBinary, "payload": pl(m.payload.bytes()),
                            "fragmentSize": m.fragmentSize.map { $0 as Any } ?? NSNull(),
                            "autoFragmentSize": tc.autoFragmentSize ?? 0, "sync": m.sync])
            case let .close(c):
                let body = c.payloadBytes()
                out.append(["op": "close", "code": c.code.map { Int($0.rawValue) as Any } ?? NSNull(),
                            "reason": pl(c.code == nil ? body : Array(body.dropFirst(2)))])
            case let .barrier(b):
                out.append(["op": "continueLater", "delay": seconds(b.timeout), "tag": b.tag.map { $0 as Any } ?? NSNull()])
            case let .await(a):
                out.append(["op": "continueLater", "delay": seconds(a.timeout), "tag": NSNull()])
            case let .guardTimer(g):
                out.append(["op": g.kind == .killAfter ? "killAfter" : "closeAfter", "delay": seconds(g.after)])
            case let .roundTrips(r):
                if case let .payload(p) = r.source {
                    // Autobahn's 9.7/9.8 send each message with sendFrame.
                    out.append(frameAction(opcode: r.type.opcode.rawValue, fin: true, rsv: 0, payload: p.bytes(), chop: nil, sync: false))
                } else {
                    out.append(["op": "roundTrips"])
                }
            case .raw, .pause, .handshake:
                out.append(["op": "unexpected \(step.keyword)"])
            }
        }
        return out
    }

    /// Maps Autobahn's primitives onto ours: sendClose and sendCloseFrame both change state (one
    /// `close` step); endMessage is an empty final continuation frame.
    static func normalizeFixtureAction(_ a: [String: Any]) -> [String: Any] {
        var a = a
        switch a["op"] as! String {
        case "frame":
            a.removeValue(forKey: "mask")
            a.removeValue(forKey: "repeat")
        case "closeFrame":
            a["op"] = "close"
        case "endMessage":
            return frameAction(opcode: 0, fin: true, rsv: 0, payload: [], chop: nil, sync: false)
        case "killAfter", "closeAfter", "continueLater":
            a["delay"] = (a["delay"] as! NSNumber).doubleValue
        default: break
        }
        return a
    }

    static func normalizeFixtureEvent(_ e: [Any]) -> [Any] { e }

    static func event(_ e: ExpectedEvent) -> [Any] {
        switch e {
        case let .message(t, p): ["message", pl(p.bytes()), t.isBinary]
        case let .pong(p): ["pong", pl(p.bytes())]
        case let .timeout(tag): ["timeout", tag]
        case let .run(e, min, max): ["run", event(e), min, max] // wsconform's own (section 27); Autobahn has none
        }
    }
}
