import Testing
import WSEngine
@testable import WSCatalog

@Suite struct CatalogLoadTests {
    @Test func loadsWithoutErrors() throws {
        if case let .failure(e) = Shipped.result { Issue.record("\(e)") }
        #expect(try Shipped.catalog().cases.count == 760)
        #expect(try Shipped.catalog().cases.filter { $0.id.section <= 13 }.count == 517, "Autobahn's cases")
    }

    @Test func countsPerSectionMatchAutobahn() throws {
        let c = try Shipped.catalog()
        var counts: [Int: Int] = [:]
        for tc in c.cases { counts[tc.id.section, default: 0] += 1 }
        #expect(counts == [1: 16, 2: 11, 3: 7, 4: 10, 5: 20, 6: 145, 7: 37, 9: 54, 10: 1, 12: 90, 13: 126,
                           20: 31, 21: 19, 22: 16, 23: 18, 24: 17, 25: 8, 26: 9, 27: 50, 28: 75])
        var sub: [String: Int] = [:]
        for tc in c.cases where tc.id.segments.count == 3 { sub["\(tc.id.segments[0]).\(tc.id.segments[1])", default: 0] += 1 }
        let six = [5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7]
        for (i, n) in six.enumerated() { #expect(sub["6.\(i + 5)"] == n, "6.\(i + 5)") }
        #expect([sub["6.1"], sub["6.2"], sub["6.3"], sub["6.4"]] == [3, 4, 2, 4])
        #expect([sub["7.1"], sub["7.3"], sub["7.5"], sub["7.7"], sub["7.9"], sub["7.13"]] == [6, 6, 1, 13, 9, 2])
        #expect((1...8).map { sub["9.\($0)"] } == [6, 6, 9, 9, 6, 6, 6, 6])
        #expect((1...5).allSatisfy { sub["12.\($0)"] == 18 } && (1...7).allSatisfy { sub["13.\($0)"] == 18 })
        // 63 valid and 69 invalid cases in 6.5-6.23.
        let kuhn = c.cases.filter { $0.id.section == 6 && $0.id.segments[1] >= 5 }
        #expect(kuhn.filter { $0.expect.close.closedByHarness }.count == 63)
        #expect(kuhn.filter { !$0.expect.close.closedByHarness && $0.expect.wrongEndpointIsFatal }.count == 69)
    }

    @Test func idsAreUniqueAndSortedNumerically() throws {
        let ids = try Shipped.catalog().ids
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        #expect(ids.firstIndex(of: CaseID("9.8.6")!)! < ids.firstIndex(of: CaseID("10.1.1")!)!)
        #expect(ids.firstIndex(of: CaseID("2.9")!)! < ids.firstIndex(of: CaseID("2.10")!)!)
        #expect(try Shipped.catalog().position(of: CaseID("2.9")!) == 25)
        #expect(try Shipped.catalog().position(of: CaseID("7.13.1")!) == 245)
    }

    @Test func everyCaseHasWordsAndAReference() throws {
        for tc in try Shipped.catalog().cases {
            #expect(!tc.title.isEmpty && !tc.description.isEmpty && !tc.expectationText.isEmpty, "\(tc.id)")
            #expect(!tc.rfc.isEmpty, "\(tc.id) has no RFC reference")
            #expect(!tc.description.contains("{") && !tc.title.contains("{"), "\(tc.id) has an unexpanded placeholder")
        }
    }

    private func tc(_ id: String) throws -> TestCase { try #require(try Shipped.catalog()[CaseID(id)!]) }

    private func firstPayload(_ tc: TestCase) -> [UInt8]? {
        for s in tc.steps {
            switch s {
            case let .frame(f): return f.payload.bytes()
            case let .message(m): return m.payload.bytes()
            default: continue
            }
        }
        return nil
    }

    @Test func utf8PayloadsAreExact() throws {
        #expect(firstPayload(try tc("6.12.8")) == Array(0x80...0xBE).map(UInt8.init))
        #expect(firstPayload(try tc("6.13.1")) == (0xC0...0xDE).flatMap { [UInt8($0), 0x20] })
        #expect(firstPayload(try tc("6.13.3"))?.count == 14)
        #expect(firstPayload(try tc("6.15.1"))?.count == 30)
        #expect(firstPayload(try tc("6.3.1")).map(hexString) == "cebae1bdb9cf83cebcceb5eda080656469746564")
        #expect(firstPayload(try tc("6.2.1"))?.count == 29)
        #expect(firstPayload(try tc("6.20.1")) == [0xED, 0xA0, 0x80])
        // The validity of each 6.6 prefix: valid exactly at lengths 2, 5, 7, 9, 11.
        for n in 1...11 {
            let c = try tc("6.6.\(n)")
            #expect(firstPayload(c)?.count == n)
            #expect(c.expect.close.closedByHarness == [2, 5, 7, 9, 11].contains(n), "6.6.\(n)")
        }
    }

    @Test func failFastCasesUseBarriers() throws {
        let c = try tc("6.4.3")
        guard case let .frameBegin(b) = c.steps[0] else { Issue.record("6.4.3 starts with frame_begin"); return }
        #expect(b.length == 21 && !b.fin && b.opcode == .text)
        let tags = c.steps.compactMap { if case let .barrier(b) = $0 { b.tag } else { nil } }
        #expect(tags == ["A", "B"])
        #expect(c.expect.outcomes.map(\.behavior) == [.ok, .nonStrict])
        #expect(c.expect.outcomes[1].events == [.timeout("A"), .timeout("B")])
        let parts = c.steps.compactMap { if case let .frameData(p) = $0 { p.count } else { nil } }
        #expect(parts == [11, 4, 6])
        let d = try tc("6.4.4").steps.compactMap { if case let .frameData(p) = $0 { p.count } else { nil } }
        #expect(d == [12, 1, 8])
    }

    @Test func closeCodes() throws {
        let valid: [CloseCode] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
        for (i, code) in valid.enumerated() {
            let c = try tc("7.7.\(i + 1)")
            #expect(c.steps.first == .close(CloseStep(.code(code, reason: .empty))))
            #expect(c.expect.close == CloseExpectation(closedByHarness: true, codes: [1000, code], requireClean: true))
            #expect(c.expect.wrongCodeFailsBehavior)
        }
        let invalid: [CloseCode] = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999]
        for (i, code) in invalid.enumerated() {
            let c = try tc("7.9.\(i + 1)")
            #expect(c.steps.first.flatMap { if case let .close(s) = $0 { s.code } else { nil } } == code)
            #expect(c.expect.close == CloseExpectation(closedByHarness: true, codes: [1002], requireClean: false))
        }
        #expect(try tc("7.5.1").expect.close.codes == [1002, 1007])
        #expect(try tc("7.13.2").expect.close.codes == [1000, 65535, 1002])
        #expect(try tc("7.13.1").expect.informational?.result == "Actual events are undefined by the spec.")
        #expect(try tc("7.1.6").expect.informational?.resultByOutcome[.nonStrict] != nil)
        #expect(try tc("7.1.6").expect.wrongCodeFailsBehavior == false)
        #expect(try tc("7.3.2").steps.first == .close(CloseStep(.raw(.utf8("a")))))
    }

    @Test func performanceSizes() throws {
        let text: [Int] = [64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20]
        let waits1: [Int64] = [10, 10, 100, 100, 100, 100], waits2: [Int64] = [10, 10, 10, 10, 100, 100]
        for i in 0..<6 {
            let a = try tc("9.1.\(i + 1)"), b = try tc("9.2.\(i + 1)")
            #expect(a.expect.source == .echo(type: .text, length: text[i]))
            #expect(b.expect.source == .echo(type: .binary, length: text[i]))
            #expect(a.guardTimer(.closeAfter) == .seconds(waits1[i]) && b.guardTimer(.closeAfter) == .seconds(waits2[i]))
            #expect(a.reportTime && b.reportTime)
        }
        let frags = [64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20]
        for (i, f) in frags.enumerated() {
            guard case let .message(m) = try tc("9.4.\(i + 1)").steps[0] else { Issue.record("9.4 sends a message"); continue }
            #expect(m.fragmentSize == f && m.payload.count == 4 << 20 && m.type == .binary)
            guard case let .repeated(seed, _) = m.payload else { Issue.record("9.4 repeats a seed"); continue }
            #expect(seed.bytes() == [i == 0 ? 0xFE : UInt8(ascii: "*")])
        }
        let rt = try #require(try tc("9.8.6").roundTrips)
        #expect(rt.count == 1000 && rt.type == .binary && rt.compare == .typeAndLength)
        #expect(rt.source == .payload(.repeated(.hex([0xFE]), length: 4096)))
        #expect(try tc("9.7.6").guardTimer(.closeAfter) == .seconds(480))
        #expect(try tc("10.1.1").autoFragmentSize == 1300)
        #expect(try tc("10.1.1").expect.harnessFrames == [0: 50, 1: 1])
    }

    @Test func deflateParameters() throws {
        let sizes = [16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072, 8192, 16384, 32768, 65536, 131072, 131072, 131072, 131072]
        let frags: [Int?] = Array(repeating: nil, count: 10) + [256, 256, 256, 256, 256, 1024, 4096, 32768]
        let waits: [Int64] = [60, 60, 120, 240] + Array(repeating: 480, count: 14)
        for y in 1...18 {
            for id in ["12.2.\(y)", "13.5.\(y)"] {
                let c = try tc(id)
                guard case let .dataset(w) = c.roundTrips?.source else { Issue.record("\(id) uses a dataset"); continue }
                #expect(w.size == sizes[y - 1] && c.autoFragmentSize == frags[y - 1] && c.guardTimer(.closeAfter) == .seconds(waits[y - 1]))
                #expect(c.roundTrips?.count == 1000 && c.roundTrips?.compare == .typeLengthSHA1)
                #expect(c.deflate?.required == true && c.reportCompressionRatio)
            }
        }
        #expect(try tc("12.3.1").roundTrips?.type == .binary)
        #expect(try tc("12.4.1").roundTrips?.source == .dataset(DatasetWindow(dataset: "data1.html", size: 16, unit: .characters)))
        let offer = try #require(try tc("13.7.1").deflate)
        #expect(offer.offerHeader == "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; "
            + "server_max_window_bits=9, permessage-deflate; client_no_context_takeover; client_max_window_bits; "
            + "server_no_context_takeover, permessage-deflate; client_no_context_takeover; client_max_window_bits")
        // As server: 13.3 needs client_max_window_bits in the client's offer, otherwise no extension.
        let s3 = try #require(try tc("13.3.1").deflate)
        #expect(s3.answer(clientOffers: [DeflateParameters()]) == nil)
        #expect(s3.answer(clientOffers: [DeflateParameters(clientMaxWindowBits: 0)])?.responseHeader
            == "permessage-deflate; client_max_window_bits=9")
        // 13.7 falls back to the 13.2 answer.
        #expect(offer.answer(clientOffers: [DeflateParameters(serverNoContextTakeover: true)])?.responseHeader
            == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
    }
}
