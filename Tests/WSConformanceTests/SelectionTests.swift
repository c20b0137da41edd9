import Foundation
import Testing
@testable import WSCatalog

@Suite struct SelectionTests {
    func count(_ include: [String], exclude: [String] = [], _ syntax: PatternSyntax = .wsconform) throws -> Int {
        try CaseSelection(catalog: try Shipped.catalog(), include: include, exclude: exclude, syntax: syntax).cases.count
    }

    @Test func ourPatternsRespectSegments() throws {
        #expect(try count(["1*"]) == 16, "section 1 only, not 10.x, 12.x, 13.x")
        #expect(try count(["6.1*"]) == 3, "6.1.x only, not 6.10-6.19")
        #expect(try count(["*.1"]) == 3, "2.1, 3.1, 5.1")
        #expect(try count(["6.1.*"]) == 3)
        #expect(try count(["6.*"]) == 145)
        #expect(try count(["9.*"]) == 54)
        #expect(try count(["*"]) == 760, "Autobahn's 517 and wsconform's own 243")
        #expect(try count(["2.*"]) == 11)
        #expect(try count(["*.*.1"]) == 101, "the first case of every subsection")
        #expect(try count(["6.4.1"]) == 1)
        #expect(try count(["12.*.1", "13.*.1"]) == 12)
        let ids = try CaseSelection(catalog: try Shipped.catalog(), include: ["*.1"]).ids.map(\.description)
        #expect(ids == ["2.1", "3.1", "5.1"])
    }

    @Test func autobahnCompatibilityReproducesPrefixMatching() throws {
        // Counts observed with Autobahn's own CaseSet (autobahn.md §5.3).
        #expect(try count(["1*"], .autobahn) == 233)
        #expect(try count(["6.1*"], .autobahn) == 53)
        #expect(try count(["*.1"], .autobahn) == 273)
        #expect(try count(["6.1.*"], .autobahn) == 3)
        #expect(try count(["9.*"], .autobahn) == 54)
        #expect(try count(["*"], .autobahn) == 517)
    }

    @Test func excludesAndTheCommonCISubset() throws {
        #expect(try count(["*"], exclude: ["9.*", "12.*", "13.*"], .autobahn) == 247)
        #expect(try count(["*"], exclude: ["9.*", "12.*", "13.*"]) == 490)
        #expect(try count(["1-13"], exclude: ["9.*", "12.*", "13.*"]) == 247)
        let s = try CaseSelection(catalog: try Shipped.catalog(), include: ["6.4.*", "6.4.1", "2.1"], exclude: ["6.4.2"])
        #expect(s.ids.map(\.description) == ["2.1", "6.4.1", "6.4.3", "6.4.4"], "de-duplicated and sorted numerically")
    }

    @Test func badPatternsAreErrors() throws {
        let c = try Shipped.catalog()
        for bad in ["6.1*2", "6..1", "abc", "", "6.*.x", "06.1"] {
            #expect(throws: PatternError.self, "\(bad)") { try CaseSelection(catalog: c, include: [bad]) }
        }
        let unknown = #expect(throws: PatternError.self) { try CaseSelection(catalog: c, include: ["6.4"]) }
        #expect(unknown?.message.contains("6.4.*") == true)
        #expect(throws: PatternError.self) { try CaseSelection(catalog: c, include: ["8.*"]) }
        #expect(throws: PatternError.self) { try CaseSelection(catalog: c, include: ["8.1.1"], syntax: .autobahn) }
        let lenient = try CaseSelection(catalog: c, include: ["8.*", "2.1"], exclude: ["99.1"], syntax: .autobahn)
        #expect(lenient.cases.count == 1 && lenient.warnings == ["pattern \"8.*\" matches no case", "pattern \"99.1\" matches no case"])
    }

    @Test func agentExclusionsAreAnchored() throws {
        let rule = AgentExclusion(agentPattern: "Skip*", casePatterns: ["2.*"])
        #expect(rule.excludes(agent: "SkipMe", case: CaseID("2.1")!))
        #expect(!rule.excludes(agent: "SkipMe", case: CaseID("12.2.1")!))
        #expect(!rule.excludes(agent: "NoSkip", case: CaseID("2.1")!))
        let s = try CaseSelection(catalog: try Shipped.catalog(), include: ["1.*", "2.*"], syntax: .autobahn)
        #expect(s.cases(forAgent: "SkipMe", excluding: [rule]).count == 16)
        #expect(s.cases(forAgent: "Other", excluding: [rule]).count == 27)
    }

    @Test func globMatching() {
        #expect(Glob.matches("a*c", "abbbc", anchoredAtEnd: true))
        #expect(!Glob.matches("a*c", "abbbcd", anchoredAtEnd: true))
        #expect(Glob.matches("a*c", "abbbcd", anchoredAtEnd: false))
        #expect(Glob.matches("*", "", anchoredAtEnd: true))
        #expect(!Glob.matches("a", "", anchoredAtEnd: false))
    }
}

@Suite struct AutobahnSpecTests {
    @Test func defaultFuzzingClientSpec() throws {
        let text = """
            {
               "outdir": "./reports/servers",
               "servers": [
                  {
                     "url": "ws://127.0.0.1:9001"
                  }
               ],
               "cases": ["*"],
               "exclude-cases": [],
               "exclude-agent-cases": {}
            }
            """
        let spec = try AutobahnSpecParser.parseClient(Data(text.utf8))
        #expect(spec.outdir == "./reports/servers")
        #expect(spec.servers.map(\.url) == ["ws://127.0.0.1:9001"] && spec.servers[0].agent == nil)
        #expect(spec.cases == ["*"] && spec.excludeCases.isEmpty && spec.excludeAgentCases.isEmpty)
        #expect(try spec.selection(in: try Shipped.catalog()).cases.count == 517)
    }

    @Test func fullFuzzingClientSpec() throws {
        let text = """
            {"outdir": "./out", "webport": 8080,
             "options": {"failByDrop": true, "openHandshakeTimeout": 3},
             "servers": [{"url": "wss://example.org:9443/chat?x=1", "agent": "Mine/1.0", "hostname": "example.org",
                          "origin": "https://example.org", "protocols": ["chat"], "options": {"autoFragmentSize": 1300}},
                         {"url": "ws://127.0.0.1:9002"}],
             "cases": ["1*"], "exclude-cases": ["12.*", "13.*"],
             "exclude-agent-cases": {"Mine*": ["1.2.*"]}}
            """
        let spec = try AutobahnSpecParser.parseClient(Data(text.utf8))
        #expect(spec.ignoredKeys == ["webport"])
        #expect(spec.options["failByDrop"] == .bool(true) && spec.options["openHandshakeTimeout"] == .number(3))
        let s0 = spec.servers[0]
        #expect(s0.agent == "Mine/1.0" && s0.hostname == "example.org" && s0.origin == "https://example.org" && s0.protocols == ["chat"])
        #expect(s0.options["autoFragmentSize"] == .number(1300))
        #expect(spec.excludeAgentCases == [AgentExclusion(agentPattern: "Mine*", casePatterns: ["1.2.*"])])
        let sel = try spec.selection(in: try Shipped.catalog())
        #expect(sel.cases.count == 17, "Autobahn's 1* = 1.x and 10.1.1 once 12/13 are excluded")
        #expect(sel.cases(forAgent: "Mine/1.0", excluding: spec.excludeAgentCases).count == 9)
    }

    @Test func fuzzingServerSpec() throws {
        let spec = try AutobahnSpecParser.parseServer(Data(#"{"url": "ws://127.0.0.1:9001", "cases": ["*"], "options": {"requireMaskedClientFrames": false}}"#.utf8))
        #expect(spec.url == "ws://127.0.0.1:9001" && spec.outdir == "./reports/clients")
        #expect(spec.options == ["requireMaskedClientFrames": .bool(false)])
        #expect(spec.key == nil && spec.cert == nil)
    }

    @Test func specErrorsNameThePath() throws {
        func clientError(_ text: String) -> SpecError? {
            #expect(throws: SpecError.self) { try AutobahnSpecParser.parseClient(Data(text.utf8)) }
        }
        #expect(clientError(#"{"servers": [], "cases": ["*"], "options": {"failbydrop": true}}"#)?.path == "options.failbydrop")
        #expect(clientError(#"{"servers": []}"#)?.path == "cases")
        #expect(clientError(#"{"servers": [{"url": "http://x"}], "cases": ["*"]}"#)?.path == "servers[0].url")
        #expect(clientError(#"{"servers": [{"agent": "a"}], "cases": ["*"]}"#)?.path == "servers[0]")
        #expect(clientError(#"{"servers": [{"url": "ws://x", "name": "a"}], "cases": ["*"]}"#)?.path == "servers[0].name")
        #expect(clientError(#"{"cases": "*"}"#)?.path == "cases")
        #expect(clientError(#"{"cases": [1]}"#)?.path == "cases[0]")
        #expect(clientError("{not json")?.message.hasPrefix("not valid JSON") == true)
        let wss = #expect(throws: SpecError.self) {
            try AutobahnSpecParser.parseServer(Data(#"{"url": "wss://0.0.0.0:9001", "cases": ["*"]}"#.utf8))
        }
        #expect(wss?.message.contains("key and cert") == true)
        #expect(throws: SpecError.self) { try AutobahnSpecParser.parseServer(Data(#"{"cases": ["*"]}"#.utf8)) }
    }
}
