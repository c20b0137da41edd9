import Foundation
import Testing
import WSTestSupport
@testable import WSCatalog
@testable import WSResultFormat
@testable import WSResults

/// The writers' output of a fresh run, not a committed fixture, against docs/results.schema.json: a
/// field added to or renamed in the writer without the schema (or the other way round) fails here.
@Suite("Results schema", .timeLimit(.minutes(2)))
struct ResultsSchemaTests {
    static func schema() throws -> JSONValue {
        try JSONValue.parse(Data(contentsOf: Repo.root.appendingPathComponent("docs/results.schema.json")))
    }

    /// Cases whose results use most of the schema: messages, pings, fragments, invalid UTF-8, close
    /// codes, compression, a dataset round trip, and a peer that closes first.
    static let cases = ["1.1.1", "2.10", "3.2", "5.19", "6.4.1", "7.1.6", "7.9.1", "7.13.1", "9.1.1", "10.1.1", "12.1.1", "13.1.1"]

    @Test("results.json and every results.jsonl line of a run against the echo server validate")
    func freshRun() async throws {
        let schema = try Self.schema()
        let caseSchema = JSONValue.object(["$ref": .string("#/$defs/case"), "$defs": try #require(schema["$defs"])])
        try await withEchoServer { url in
            let report = try await runShipped(Self.cases, against: url)
            #expect(report.results.count == Self.cases.count)
            let catalog = try Shipped.catalog()
            let meta = RunMetadata(catalogDigest: CatalogDigest.compute(directory: Repo.cases), catalogPath: nil,
                                   catalogCaseCount: catalog.cases.count, options: [("jobs", .int(8))])
            let document = ResultsDocument.node(report, metadata: meta, catalog: catalog).render(indent: 2)
            let errors = try JSONSchemaValidator(schema: schema).validate(try JSONValue.parse(Data(document.utf8)))
            #expect(errors.isEmpty, "results.json: \(errors.prefix(5))")
            // The reports read the model the writer wrote: read back and written again, nothing is lost.
            let read = try JSONDecoder().decode(ResultsDocument.self, from: Data(document.utf8))
            #expect(try JSONValue.parse(Data(try read.text().utf8)) == (try JSONValue.parse(Data(document.utf8))))
            for r in report.results {
                let line = CaseResultJSON.node(r, position: catalog.position(of: r.id)).render()
                let errors = try JSONSchemaValidator(schema: caseSchema).validate(try JSONValue.parse(Data(line.utf8)))
                #expect(errors.isEmpty, "results.jsonl, case \(r.id): \(errors.prefix(5))")
                let record = try JSONDecoder().decode(CaseRecord.self, from: Data(line.utf8))
                #expect(try JSONValue.parse(Data(CaseResultJSON.node(record).render().utf8)) == (try JSONValue.parse(Data(line.utf8))),
                        "case \(r.id) read back and written again")
            }
        }
    }

    @Test("A 1 MiB opening handshake (27.5.1) is kept as its start and end, not whole, and still validates")
    func oversizedHeadBounded() async throws {
        let schema = try Self.schema()
        let caseSchema = JSONValue.object(["$ref": .string("#/$defs/case"), "$defs": try #require(schema["$defs"])])
        try await withEchoServer { url in
            let report = try await runShipped(["27.5.1"], against: url)
            let r = try #require(report.results.first)
            let sent = try #require(r.observation.handshake.request)
            #expect(sent.utf8.count > 1 << 20, "the harness sent the whole 1 MiB head")
            let line = CaseResultJSON.node(r, position: try Shipped.catalog().position(of: r.id)).render()
            #expect(line.utf8.count < 64 * 1024, "the case's line is \(line.utf8.count) octets")
            let parsed = try JSONValue.parse(Data(line.utf8))
            #expect(try JSONSchemaValidator(schema: caseSchema).validate(parsed).isEmpty)
            guard case let .string(kept)? = parsed["handshake"]?["request"] else {
                Issue.record("handshake.request is not a string")
                return
            }
            #expect(kept.hasPrefix(String(sent.prefix(CaseResultJSON.headEnds))) && kept.hasSuffix(String(sent.suffix(CaseResultJSON.headEnds))))
            #expect(kept.contains("[wsconform: \(sent.count - 2 * CaseResultJSON.headEnds) characters left out]"))
            #expect(CaseResultJSON.boundedHead("GET / HTTP/1.1\r\nHost: x\r\n\r\n") == "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "a usual head stays whole")
        }
    }

    @Test("The check can fail: a written case without its verdict is refused")
    func refusesBrokenOutput() async throws {
        let schema = try Self.schema()
        let caseSchema = JSONValue.object(["$ref": .string("#/$defs/case"), "$defs": try #require(schema["$defs"])])
        try await withEchoServer { url in
            let report = try await runShipped(["1.1.1"], against: url)
            let r = try #require(report.results.first)
            let position = try Shipped.catalog().position(of: r.id)
            guard case var .object(fields) = try JSONValue.parse(Data(CaseResultJSON.node(r, position: position).render().utf8)) else {
                Issue.record("a case is not written as an object")
                return
            }
            #expect(try JSONSchemaValidator(schema: caseSchema).validate(.object(fields)).isEmpty)
            fields["behavior"] = nil
            #expect(!(try JSONSchemaValidator(schema: caseSchema).validate(.object(fields)).isEmpty))
        }
    }
}
