import Testing
@testable import WSCatalog

/// Each kind of mistake must name the file, the line (and column) and the field, and say what is valid.
@Suite struct LoaderErrorTests {
    /// A valid one-case file; `replace` edits it into an invalid one.
    static let good = """
        section: 2
        title: Pings
        cases:
          - id: "2.1"
            title: Ping
            description: Send a ping.
            expectation: A pong.
            rfc: RFC 6455 §5.5.2
            steps:
              - frame: {opcode: ping, payload: {hex: "00ff"}}
              - guard: {close_after: 1s}
            expect:
              events: {OK: [{pong: {hex: "00ff"}}]}
              close: {closed_by: harness, codes: [1000], clean: true}
        """

    func errors(_ text: String, file: String = "bad.yaml") -> [CatalogError] {
        do {
            _ = try CatalogLoader.load(sources: [(file, text)])
            return []
        } catch {
            return error.errors
        }
    }

    func single(_ old: String, _ new: String) throws -> CatalogError {
        #expect(Self.good.contains(old), "test setup: \(old) not in the sample")
        let errs = errors(Self.good.replacingOccurrences(of: old, with: new))
        #expect(errs.count == 1, "\(errs)")
        return try #require(errs.first)
    }

    @Test func theSampleIsValid() {
        #expect(errors(Self.good).isEmpty)
    }

    @Test func unknownKeyListsValidKeys() throws {
        let e = try single("    title: Ping", "    titel: Ping")
        #expect(e.file == "bad.yaml" && e.line == 5 && e.column == 5)
        #expect(e.field.contains("cases[0]"))
        #expect(e.message.contains("unknown key \"titel\"") && e.message.contains("did you mean \"title\""))
        #expect(e.message.contains("description, expect, expectation"))
        #expect(e.description.hasPrefix("bad.yaml:5:5: "))
    }

    @Test func wrongTypeNamesTheField() throws {
        let e = try single("clean: true", "clean: maybe")
        #expect(e.line == 14)
        #expect(e.field.hasSuffix("expect.close.clean"))
        #expect(e.message.contains("expected true or false") && e.message.contains("maybe"))
        let n = try single("codes: [1000]", "codes: [one]")
        #expect(n.line == 14 && n.field.hasSuffix("expect.close.codes[0]") && n.message.contains("integer"))
    }

    @Test func badHexIsRejected() throws {
        let e = try single("payload: {hex: \"00ff\"}", "payload: {hex: \"0g\"}")
        #expect(e.line == 10)
        #expect(e.field.hasSuffix("steps[0].frame.payload.hex"))
        #expect(e.message.contains("not hex"))
        let odd = try single("payload: {hex: \"00ff\"}", "payload: {hex: \"00f\"}")
        #expect(odd.message.contains("not hex"))
    }

    @Test func unknownOpcodeListsNames() throws {
        let e = try single("opcode: ping", "opcode: pnig")
        #expect(e.line == 10 && e.field.hasSuffix("steps[0].frame.opcode"))
        #expect(e.message.contains("unknown opcode \"pnig\"") && e.message.contains("continuation, text, binary, close, ping, pong"))
        let big = try single("opcode: ping", "opcode: 16")
        #expect(big.message.contains("0...15"))
    }

    @Test func unknownStepSuggestsTheNearestOne() throws {
        let e = try single("- guard:", "- gaurd:")
        #expect(e.line == 11 && e.message.contains("did you mean \"guard\""))
    }

    @Test func missingRequiredKey() throws {
        let e = try single("    expectation: A pong.\n", "")
        #expect(e.line == 4 && e.message.contains("missing required key \"expectation\""))
    }

    @Test func duplicateIdsAcrossFiles() {
        let errs: [CatalogError]
        do {
            _ = try CatalogLoader.load(sources: [("a.yaml", Self.good), ("b.yaml", Self.good)])
            errs = []
        } catch {
            errs = error.errors
        }
        #expect(errs.count == 1)
        #expect(errs.first?.file == "b.yaml" && errs.first?.line == 4 && errs.first?.field == "id")
        #expect(errs.first?.message == "duplicate case id 2.1; first defined at a.yaml:4:5")
    }

    @Test func caseOutsideTheFilesSection() throws {
        let e = try single("id: \"2.1\"", "id: \"3.1\"")
        #expect(e.line == 4 && e.message.contains("not in section 2"))
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let e = try #require(errors(Self.good.replacingOccurrences(of: "codes: [1000]", with: "codes: [1000")).first)
        #expect(e.line != nil && e.line! >= 14 && e.message.hasPrefix("YAML syntax"))
    }

    @Test func varyMistakes() throws {
        let varied = Self.good.replacingOccurrences(of: "  - id: \"2.1\"\n", with: "  - id: \"2.{n}\"\n    vary: {n: [1, 2], p: [a]}\n")
        let e = try #require(errors(varied).first)
        #expect(e.line == 5 && e.message.contains("has 1 values but n has 2"))
        let unknown = Self.good.replacingOccurrences(of: "  - id: \"2.1\"\n", with: "  - id: \"2.{n}\"\n    vary: {n: [1]}\n")
            .replacingOccurrences(of: "title: Ping", with: "title: Ping {m}")
        let u = try #require(errors(unknown).first)
        #expect(u.line == 6 && u.message.contains("unknown vary parameter {m}") && u.field.hasPrefix("case 2.1 (vary n=1)"))
    }

    @Test func streamedFrameMustBeComplete() throws {
        let e = try single("- frame: {opcode: ping, payload: {hex: \"00ff\"}}",
                           "- frame_begin: {opcode: text, length: 3}\n      - frame_data: {hex: \"00ff\"}")
        #expect(e.message.contains("never receives its last 1 octets"))
        let stray = try single("- frame: {opcode: ping, payload: {hex: \"00ff\"}}", "- frame_data: {hex: \"00ff\"}")
        #expect(stray.line == 10 && stray.message.contains("needs a preceding frame_begin"))
    }

    @Test func templateMustExist() throws {
        let e = try single("    title: Ping\n", "    title: Ping\n    template: nope\n")
        #expect(e.line == 6 && e.message.contains("no template named \"nope\""))
    }

    @Test func allErrorsOfAFileAreReported() {
        let two = Self.good + "\n" + Self.good.components(separatedBy: "cases:\n")[1]
            .replacingOccurrences(of: "opcode: ping", with: "opcode: nope")
            .replacingOccurrences(of: "\"2.1\"", with: "\"2.2\"")
        let bad = two.replacingOccurrences(of: "clean: true", with: "clean: 3")
        #expect(errors(bad).count == 2)
    }
}
