import Foundation
import Testing
import WSResultFormat
@testable import WSReports

/// The shapes of the machine-read files, against committed golden files (Tests/Fixtures/reports/golden).
@Suite("Golden files: index.json, Autobahn case files, JUnit, diff JSON")
struct GoldenTests {
    @Test("index.json: Autobahn's layout for two runs")
    func index() throws {
        let runs = try Fixtures.runs("basic", "real-limited")
        try Golden.check(AutobahnIndexWriter.render(runs) + "\n", against: "index.json")
    }

    @Test("Autobahn per-case files", arguments: ["1.1.1", "6.4.1", "7.13.1", "13.1.1"])
    func caseFile(_ id: String) throws {
        let run = try Fixtures.run("basic")
        let c = try #require(run[id])
        let text = AutobahnCaseFile.render(c, agent: run.label, harnessRole: "client", ordinal: 1) + "\n"
        try Golden.check(text, against: AutobahnFileName.caseFile(agent: run.label, id: id))
    }

    @Test("junit.xml for a run with failures, skips and UNIMPLEMENTED")
    func junit() throws {
        try Golden.check(JUnitReport.render(try Fixtures.runs("basic")), against: "junit.xml")
    }

    @Test("junit.xml for a real run with failures")
    func junitReal() throws {
        try Golden.check(JUnitReport.render(try Fixtures.runs("real-limited")), against: "junit-real-limited.xml")
    }

    @Test("Diff JSON of the real echo run against the real limited run")
    func diffJSON() throws {
        let diff = ReportDiff.compare(old: try Fixtures.runs("real-echo"), new: try Fixtures.runs("real-limited"))
        try Golden.check(DiffJSON.render(diff), against: "diff.json")
    }
}

@Suite("Autobahn compatibility")
struct AutobahnFilesTests {
    @Test("Report file names: lower-cased agent, other characters become _, dots in ids too")
    func fileNames() {
        #expect(AutobahnFileName.caseFile(agent: "AutobahnPython/0.10.9", id: "6.4.1") == "autobahnpython_0_10_9_case_6_4_1.json")
        #expect(AutobahnFileName.caseFile(agent: "  My Server ", id: "12.1.10") == "my_server_case_12_1_10.json")
        #expect(AutobahnFileName.cleanAgent("MyClient/1.0") == "myclient_1_0")
        #expect(AutobahnFileName.cleanAgent("AutobahnPython-testeeserver") == "autobahnpython_testeeserver")
        #expect(AutobahnFileName.cleanAgent("<script>") == "script")
    }

    @Test("index.json keys sort as strings (10.1.1 < 12.1.1 < 2.1 < 9.7.1), 3-space indent")
    func indexOrder() throws {
        let r = run("a", ["2.1", "9.7.1", "10.1.1", "12.1.1", "2.10"].map { record($0, "OK") })
        let text = AutobahnIndexWriter.render([r])
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("      \"") }.map { String($0.split(separator: "\"")[1]) }
        #expect(ids == ["10.1.1", "12.1.1", "2.1", "2.10", "9.7.1"])
        #expect(text.contains("\n   \"a\": {\n      \"10.1.1\": {\n         \"behavior\": \"OK\","))
    }

    @Test("A per-case file has exactly Autobahn's 39 keys, also for a record with nothing but verdicts")
    func thirtyNineKeys() throws {
        #expect(AutobahnCaseFile.keys.count == 39)
        for c in [try #require(try Fixtures.run("basic")["6.4.1"]), CaseRecord(id: "1.1", behavior: "OK", behaviorClose: "OK")] {
            let data = Data(AutobahnCaseFile.render(c, agent: "a", harnessRole: nil, ordinal: 3).utf8)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(object.keys) == Set(AutobahnCaseFile.keys))
        }
    }

    @Test("Wire-log rows: TO/RO with hex and ' ...' when cut, TF/RF with Autobahn's fields; notes have no row")
    func wireRows() throws {
        let c = try #require(try Fixtures.run("basic")["1.1.1"])
        let data = Data(AutobahnCaseFile.render(c, agent: "a", harnessRole: "client", ordinal: 1).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["wirelog"] as? [[Any]])
        #expect(rows.map { $0[0] as? String } == ["TF", "TO", "RO", "RF"])
        #expect(rows[0].count == 9 && rows[3].count == 7)
        #expect((rows[2][1] as? [Any])?.last as? String == "817e0046" + String(repeating: "2a", count: 60) + " ...")
        #expect((rows[3][1] as? [Any])?.last as? String == "0x03e8")
        #expect(object["rxOctetStats"] as? [String: Int] == ["80": 1])
        #expect(object["txOctetStats"] as? [String: Int] == ["11": 1])
    }
}
