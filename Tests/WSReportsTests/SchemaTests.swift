import Foundation
import Testing
@testable import WSReports
@testable import WSResultFormat
import WSTestSupport

@Suite("JSON Schema of results.json")
struct SchemaTests {
    static func load(_ url: URL) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }

    static let schemaURL = Repo.docs.appendingPathComponent("results.schema.json")

    static func validator() throws -> JSONSchemaValidator {
        JSONSchemaValidator(schema: try load(schemaURL))
    }

    @Test("The schema is a draft 2020-12 schema for wsconform.results/1")
    func header() throws {
        let schema = try Self.load(Self.schemaURL)
        #expect(schema["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["properties"]?["schema"]?["const"]?.stringValue == ResultsDocument.schema)
    }

    @Test("Real and hand-made results.json files validate",
          arguments: ["real-echo/results.json", "real-limited/results.json", "basic/results.json", "hostile/results.json",
                     "client-cmd/results.json", "server-cmd/results.json"])
    func validFiles(_ path: String) throws {
        let errors = try Self.validator().validate(try Self.load(Repo.fixtures.appendingPathComponent(path)))
        #expect(errors.isEmpty, "\(errors.prefix(5))")
    }

    @Test("Journal lines validate against #/$defs/case")
    func journalLines() throws {
        let schema = try Self.load(Self.schemaURL)
        let caseSchema = JSONValue.object(["$ref": .string("#/$defs/case"), "$defs": try #require(schema["$defs"])])
        let document = try #require(try Self.load(Repo.fixtures.appendingPathComponent("real-echo/results.json"))["cases"]?.arrayValue)
        #expect(document.count == 8)
        for c in document {
            #expect(try JSONSchemaValidator(schema: caseSchema).validate(c).isEmpty)
        }
    }

    @Test("Broken documents are refused: the validator and the schema actually check")
    func invalidDocuments() throws {
        let v = try Self.validator()
        let good = try Self.load(Repo.fixtures.appendingPathComponent("basic/results.json"))
        func mutated(_ edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
            guard case var .object(doc) = good, case var .array(cases) = doc["cases"]!, case var .object(first) = cases[0] else {
                return good
            }
            edit(&first)
            cases[0] = .object(first)
            doc["cases"] = .array(cases)
            return .object(doc)
        }
        #expect(try v.validate(good).isEmpty)
        #expect(!(try v.validate(mutated { $0["behavior"] = .string("PASS") })).isEmpty)
        #expect(!(try v.validate(mutated { $0["unknownKey"] = .bool(true) })).isEmpty)
        #expect(!(try v.validate(mutated { $0.removeValue(forKey: "wireLog") })).isEmpty)
        #expect(!(try v.validate(mutated { $0["id"] = .string("6.04.1") })).isEmpty)
        #expect(!(try v.validate(mutated { $0["observed"] = .array([.object(["type": .string("text")])]) })).isEmpty)
        #expect(!(try v.validate(mutated {
            $0["observed"] = .array([.object(["type": .string("text"), "octets": .number(1), "text": .string("a"), "hex": .string("61")])])
        })).isEmpty)
        guard case var .object(doc) = good else { return }
        doc["schema"] = .string("wsconform.results/2")
        #expect(!(try v.validate(.object(doc))).isEmpty)
    }

    /// Every key the schema names is documented in docs/results-schema.md (as `key`), and every key
    /// in the first column of the document's tables is in the schema.
    @Test("docs/results-schema.md and the schema agree")
    func documentationAgrees() throws {
        let schema = try Self.load(Self.schemaURL)
        var schemaKeys: Set<String> = []
        func collect(_ node: JSONValue) {
            switch node {
            case let .object(o):
                if let p = o["properties"]?.objectValue { schemaKeys.formUnion(p.keys) }
                o.values.forEach(collect)
            case let .array(a): a.forEach(collect)
            default: break
            }
        }
        collect(schema)
        let doc = try String(contentsOf: Repo.docs.appendingPathComponent("results-schema.md"), encoding: .utf8)
        let undocumented = schemaKeys.filter { !doc.contains("`\($0)`") && !doc.contains("\"\($0)\"") }
        #expect(undocumented.isEmpty, "keys in the schema but not in docs/results-schema.md: \(undocumented.sorted())")

        // The tables after the file list document keys.
        let keyTables = try #require(doc.range(of: "## The run document")).upperBound
        var tableKeys: Set<String> = []
        for line in doc[keyTables...].split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(2).prefix { $0 != "|" }
            for piece in cell.split(separator: "`").enumerated() where piece.offset % 2 == 0 {
                // `run.options`, `summary.acceptable` / `failed`: the last dotted part is the key.
                tableKeys.insert(String(piece.element.split(separator: ".").last ?? ""))
            }
        }
        #expect(tableKeys.count > 30)
        let unknown = tableKeys.subtracting(schemaKeys)
        #expect(unknown.isEmpty, "keys documented but not in the schema: \(unknown.sorted())")
    }
}
