import Testing
@testable import WSEngine

/// The payloads of Autobahn sections 6.1–6.23 (reference/autobahn.md §4.6) with their expected
/// validity, and the fail-fast chunkings of 6.4.1–6.4.4.
@Suite struct AutobahnUTF8Tests {
    typealias Support = UTF8TestSupport

    static let kosme = "cebae1bdb9cf83cebcceb5"
    static let edited = Array("edited".utf8)

    /// (case id, payload, valid)
    static let vectors: [(String, [UInt8], Bool)] = {
        var v: [(String, [UInt8], Bool)] = []
        func add(_ id: String, _ hex: String, _ valid: Bool) { v.append((id, Support.bytes(hex: hex), valid)) }
        v.append(("6.1.1", [], true))
        v.append(("6.1.3", Array("middle frame payload".utf8), true))
        v.append(("6.2.1", Array("Hello-\u{B5}@\u{DF}\u{F6}\u{E4}\u{FC}\u{E0}\u{E1}-UTF-8!!".utf8), true))
        add("6.3.1", kosme + "eda080" + "656469746564", false)
        add("6.4.1", kosme + "f4908080" + "656469746564", false)
        add("6.5.1", "68656c6c6f24776f726c64", true)
        add("6.5.2", "68656c6c6fc2a2776f726c64", true)
        add("6.5.3", "68656c6c6fe282ac776f726c64", true)
        add("6.5.4", "68656c6c6ff0a4ada2776f726c64", true)
        add("6.5.5", kosme, true)
        // 6.6: every prefix of κόσμε, valid exactly at 2, 5, 7, 9 and 11 bytes.
        for n in 1...11 { add("6.6.\(n)", String(kosme.prefix(2 * n)), [2, 5, 7, 9, 11].contains(n)) }
        for (i, hex) in ["00", "c280", "e0a080", "f0908080"].enumerated() { add("6.7.\(i + 1)", hex, true) }
        add("6.8.1", "f888808080", false)
        add("6.8.2", "fc8480808080", false)
        for (i, hex) in ["7f", "dfbf", "efbfbf", "f48fbfbf"].enumerated() { add("6.9.\(i + 1)", hex, true) }
        for (i, hex) in ["f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf"].enumerated() { add("6.10.\(i + 1)", hex, false) }
        for (i, hex) in ["ed9fbf", "ee8080", "efbfbd", "f48fbfbf"].enumerated() { add("6.11.\(i + 1)", hex, true) }
        add("6.11.5", "f4908080", false)
        for (i, hex) in ["80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf"].enumerated() {
            add("6.12.\(i + 1)", hex, false)
        }
        v.append(("6.12.8", Array(0x80...0xBE), false))
        let lonely: [ClosedRange<UInt8>] = [0xC0...0xDE, 0xE0...0xEE, 0xF0...0xF6, 0xF8...0xFA, 0xFC...0xFC]
        for (i, range) in lonely.enumerated() { v.append(("6.13.\(i + 1)", range.flatMap { [$0, 0x20] }, false)) }
        let missingLast = ["c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"]
        for (i, hex) in missingLast.enumerated() { add("6.14.\(i + 1)", hex, false) }
        add("6.15.1", missingLast.joined(), false)
        for (i, hex) in ["fe", "ff", "fefeffff"].enumerated() { add("6.16.\(i + 1)", hex, false) }
        for (i, hex) in ["c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"].enumerated() { add("6.17.\(i + 1)", hex, false) }
        for (i, hex) in ["c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"].enumerated() { add("6.18.\(i + 1)", hex, false) }
        for (i, hex) in ["c080", "e08080", "f0808080", "f880808080", "fc8080808080"].enumerated() { add("6.19.\(i + 1)", hex, false) }
        for (i, hex) in ["eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"].enumerated() {
            add("6.20.\(i + 1)", hex, false)
        }
        let pairs = ["eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf",
                     "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf"]
        for (i, hex) in pairs.enumerated() { add("6.21.\(i + 1)", hex, false) }
        // 6.22: non-characters U+FFFE/U+FFFF and the last two code points of every supplementary plane.
        add("6.22.1", "efbfbe", true)
        add("6.22.2", "efbfbf", true)
        var n = 3
        for lead in ["f09f", "f0af", "f0bf", "f18f", "f19f", "f1af", "f1bf", "f28f", "f29f", "f2af", "f2bf",
                     "f38f", "f39f", "f3af", "f3bf", "f48f"] {
            add("6.22.\(n)", lead + "bfbe", true)
            add("6.22.\(n + 1)", lead + "bfbf", true)
            n += 2
        }
        for (i, hex) in ["efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf"].enumerated() {
            add("6.23.\(i + 1)", hex, true)
        }
        return v
    }()

    @Test func vectorCounts() {
        let generated = Self.vectors.filter { id, _, _ in
            let section = id.split(separator: ".")[1]
            return Int(section)! >= 5
        }
        // reference/autobahn.md: 6.5–6.23 have 63 valid and 69 invalid cases (132 in total).
        #expect(generated.count == 132)
        #expect(generated.filter(\.2).count == 63)
    }

    @Test func everyPayloadHasTheExpectedValidity() {
        for (id, payload, valid) in Self.vectors {
            let offset = UTF8Validator.firstInvalidOffset(payload)
            #expect((offset == nil) == valid, "case \(id)")
            #expect(Support.stdlibAccepts(payload) == valid, "stdlib on case \(id)")
            #expect(offset == Support.referenceOffset(payload), "offset of case \(id)")
            // 6.2.3, 6.2.4, 6.3.2: the same payloads in 1-byte frames give the same offset.
            #expect(Support.offset(feeding: payload, splitAt: Array(0..<payload.count)) == offset, "1-byte chunks of \(id)")
        }
    }

    @Test func knownFailFastOffsets() {
        let byId = Dictionary(uniqueKeysWithValues: Self.vectors.map { ($0.0, $0.1) })
        #expect(UTF8Validator.firstInvalidOffset(byId["6.3.1"]!) == 12)   // a0 after ed
        #expect(UTF8Validator.firstInvalidOffset(byId["6.8.1"]!) == 0)    // f8 never starts a sequence
        #expect(UTF8Validator.firstInvalidOffset(byId["6.6.1"]!) == 1)    // truncated at the end
        #expect(UTF8Validator.firstInvalidOffset(byId["6.13.1"]!) == 0)   // c0 never starts a sequence
        #expect(UTF8Validator.firstInvalidOffset(byId["6.13.2"]!) == 1)   // space after e0
        #expect(UTF8Validator.firstInvalidOffset(byId["6.15.1"]!) == 0)
        #expect(UTF8Validator.firstInvalidOffset(byId["6.18.2"]!) == 1)   // 9f after e0: overlong
        #expect(UTF8Validator.firstInvalidOffset(byId["6.21.1"]!) == 1)   // a0 after ed: surrogate
    }

    /// 6.4.1/6.4.3: κόσμε | f4 90 80 80 | "edited". 6.4.2/6.4.4: κόσμε f4 | 90 | 80 80 "edited".
    /// The first part must pass; the second must fail at message byte 12 (the 0x90), before the third.
    @Test(arguments: [[11, 15], [12, 13]])
    func failFastChunkings(cuts: [Int]) {
        let message = Support.bytes(hex: Self.kosme + "f4908080") + Self.edited
        var v = UTF8Validator()
        #expect(v.validate(message[0..<cuts[0]]) == nil)
        #expect(v.validate(message[cuts[0]..<cuts[1]]) == 12)
        #expect(v.validate(message[cuts[1]...]) == 12)
        #expect(v.finish() == 12)
    }
}
