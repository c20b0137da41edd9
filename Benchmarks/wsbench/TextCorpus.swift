import WSRandom

/// Deterministic UTF-8 texts of an exact byte size for the validation benchmark.
enum TextCorpus {
    /// English prose: every byte is ASCII, the validator's fast path.
    static func ascii(size: Int) -> [UInt8] {
        fill(size, pieces: [
            "The quick brown fox jumps over the lazy dog. ",
            "WebSocket frames carry text that must be valid UTF-8 (RFC 6455, section 8.1).\n",
            "Pack my box with five dozen liquor jugs; 0123456789! ",
        ])
    }

    /// Latin with diacritics, Greek, CJK, Hangul and emoji (1- to 4-byte sequences), interleaved with
    /// ASCII punctuation and spaces, as chat messages in many languages would be.
    static func mixed(size: Int) -> [UInt8] {
        fill(size, pieces: [
            "Ça va? Größe, niño, façade, smörgåsbord, Dvořák. ",
            "Καλημέρα κόσμε· η ψυχή μου είναι εδώ. ",
            "日本語のテキストと中文字符，混在しています。",
            "한국어 문장도 들어 있습니다. ",
            "😀🚀🌍👍🏽🎉 ",
            "Ünïcödé ✓ → ∑ ≠ ∞. ",
        ])
    }

    /// Non-ASCII share of `bytes`, for the report.
    static func nonASCIIFraction(_ bytes: [UInt8]) -> Double {
        Double(bytes.count { $0 >= 0x80 }) / Double(bytes.count)
    }

    /// Concatenates pieces in a seeded pseudo-random order while whole pieces fit, then pads with
    /// spaces to exactly `size` bytes (so the text ends on a character boundary).
    private static func fill(_ size: Int, pieces: [String]) -> [UInt8] {
        let encoded = pieces.map { Array($0.utf8) }
        var generator = DeterministicRandom(seed: 7)
        var result = [UInt8]()
        result.reserveCapacity(size)
        while true {
            let piece = encoded[Int(generator.next() % UInt64(encoded.count))]
            guard result.count + piece.count <= size else { break }
            result += piece
        }
        result += Array(repeating: UInt8(ascii: " "), count: size - result.count)
        return result
    }
}
