import Foundation
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSResultFormat
@testable import WSResults

@Suite("Result files", .timeLimit(.minutes(1)))
struct ResultsFileTests {
    @Test("JSON rendering: Autobahn's index style (sorted keys, 3-space indent, ': ') and one-line journal style")
    func rendering() {
        let node = OrderedJSON.object([("b", .int(1)), ("a", .array([.string("x\"y"), .null])), ("c", .object([]))])
        #expect(node.render() == #"{"b":1,"a":["x\"y",null],"c":{}}"#)
        #expect(node.render(indent: 3, sortedKeys: true) == """
        {
           "a": [
              "x\\"y",
              null
           ],
           "b": 1,
           "c": {}
        }
        """)
    }

    @Test("A run against the echo server: results.json has the schema, every case, its texts and section titles")
    func documents() async throws {
        try await withEchoServer { url in
            let report = try await runShipped(["2.1", "2.10", "10.1.1", "7.13.1"], against: url)
            let catalog = try Shipped.catalog()
            let meta = RunMetadata(catalogDigest: CatalogDigest.compute(directory: Repo.cases), catalogPath: nil,
                                   catalogCaseCount: catalog.cases.count, options: [("jobs", .int(8))])
            let text = ResultsDocument.node(report, metadata: meta, catalog: catalog).render(indent: 2)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(json["schema"] as? String == "wsconform.results/1")
            let cases = try #require(json["cases"] as? [[String: Any]])
            #expect(cases.map { $0["id"] as? String } == ["2.1", "2.10", "7.13.1", "10.1.1"])
            #expect(cases.first?["position"] as? Int == catalog.position(of: CaseID("2.1")!))
            #expect(cases.first?["description"] as? String == catalog.cases.first { $0.id == CaseID("2.1")! }?.description)
            #expect(cases.last?["reportTime"] as? Bool == false)
            let run = try #require(json["run"] as? [String: Any])
            let sections = try #require((run["catalog"] as? [String: Any])?["sections"] as? [String: String])
            #expect(sections["2"] == "Pings/Pongs")
            #expect(sections["7"] == "Close Handling")
            #expect(sections["7.13"] != nil)
            let handshake = try #require(cases.first?["handshake"] as? [String: Any])
            #expect((handshake["request"] as? String)?.hasPrefix("GET / HTTP/1.1\r\nUser-Agent: wsconform/") == true)
            #expect((handshake["response"] as? String)?.hasPrefix("HTTP/1.1 101 ") == true)
            #expect((handshake["response"] as? String)?.hasSuffix("\r\n\r\n") == true)
            #expect(meta.catalogDigest.hasPrefix("fnv1a64:"))
        }
    }

    @Test("The journal keeps the finished cases of an interrupted run")
    func journalSurvivesInterruption() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-journal-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = try ResultsJournal(url: dir.appendingPathComponent("results.jsonl"))
        try await withEchoServer { url in
            let finished = Counter()
            let task = Task {
                try await runShipped(["1.*", "2.*", "6.4.3", "6.4.4", "7.*"], against: url, jobs: 2) { event in
                    guard case let .finished(r) = event else { return }
                    journal.append(CaseResultJSON.node(r, position: nil))
                    await finished.increment()
                }
            }
            while await finished.value < 5 { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            let report = try await task.value
            #expect(report.stop == .interrupted)
            #expect(!report.notRun.isEmpty)
            journal.close()
            let lines = try String(contentsOf: journal.url, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == report.results.count)
            #expect(lines.count >= 5)
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["behavior"] as? String != nil)
            }
        }
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
