import NIOCore
import WSEngine

extension FuzzTarget {
    /// `UTF8Validator` against the standard library, fed in random chunks, plus `ClosePayload.parse`.
    ///
    /// Input: split plan (3 bytes), overload selector (1 byte), then the bytes under test.
    public static let utf8 = FuzzTarget(name: "FuzzUTF8") { raw throws(FuzzFailure) in
        var input = FuzzedInput(raw)
        let plan = SplitPlan(from: &input)
        let overloads = input.byte()
        let bytes = input.remainingBytes()
        try UTF8Properties.validator(bytes, plan: plan, overloads: overloads)
        try UTF8Properties.closePayload(bytes)
    }
}

enum UTF8Properties {
    static func validator(_ bytes: [UInt8], plan: SplitPlan, overloads: UInt8) throws(FuzzFailure) {
        let stdlibValid = String(validating: bytes, as: UTF8.self) != nil
        let oneShot = UTF8Validator.firstInvalidOffset(bytes)
        try checkEqual(oneShot == nil, stdlibValid, "validator and stdlib agree on validity")

        // Fed in chunks, through all three overloads: the first report must come with the chunk that
        // holds the offending byte (fail fast), and the offset must not depend on the split.
        var validator = UTF8Validator()
        var firstReport: Int?
        var fed = 0
        for (index, chunk) in plan.chunks(of: bytes).enumerated() {
            let chunkStart = fed
            fed += chunk.count
            let reported: Int? = switch (Int(overloads) >> (index % 4 * 2)) & 3 {
            case 0: chunk.withUnsafeBytes { validator.validate($0) }
            case 1: validator.validate(ByteBuffer(bytes: chunk))
            default: validator.validate(chunk)
            }
            try checkEqual(validator.bytesSeen, fed, "bytesSeen counts every byte fed")
            try checkEqual(validator.hasFailed, reported != nil, "hasFailed matches the result of validate")
            if let first = firstReport {
                try checkEqual(reported, first, "a failure is sticky")
            } else if let reported {
                try check((chunkStart..<fed).contains(reported),
                          "failure at \(reported) reported with the chunk \(chunkStart)..<\(fed) (not fail-fast)")
                firstReport = reported
            }
        }
        let truncated = oneShot == bytes.count && !bytes.isEmpty
        try checkEqual(validator.isInsideSequence, truncated, "isInsideSequence before finish()")
        try checkEqual(validator.finish(), oneShot, "chunked and one-shot failure offsets")
        if truncated {
            try check(firstReport == nil, "a truncated sequence fails only at finish()")
        }

        // The offset must be the one the standard library implies: everything before it can still
        // become valid UTF-8, and the byte at it makes that impossible.
        guard let offset = oneShot else { return }
        try check(isValidPrefix(bytes[..<offset]), "bytes before the failure offset \(offset) are a valid prefix")
        if offset < bytes.count {
            try check(!isValidPrefix(bytes[...offset]), "bytes through the failure offset \(offset) are not a valid prefix")
        }
    }

    /// Appending these to a valid prefix always completes it: after any lead byte one of 80, 90, A0 is
    /// allowed (A0 for E0, 90 for F0, 80 otherwise) and after that 80 always is.
    static let completions: [[UInt8]] = [[]] + [0x80, 0x90, 0xA0].flatMap { first in
        (0...2).map { [first] + Array(repeating: 0x80, count: $0) }
    }

    /// True when some continuation makes `bytes` valid UTF-8, per the standard library.
    static func isValidPrefix(_ bytes: ArraySlice<UInt8>) -> Bool {
        completions.contains { String(validating: bytes + $0, as: UTF8.self) != nil }
    }

    /// `ClosePayload.parse` accepts exactly the RFC 6455 §5.5.1 / §7.4 payloads and re-encodes them as received.
    static func closePayload(_ bytes: [UInt8]) throws(FuzzFailure) {
        let buffer = ByteBuffer(bytes: bytes)
        switch ClosePayload.parse(buffer) {
        case let .success(payload):
            try checkEqual(Array(payload.encode().readableBytesView), bytes, "close payload re-encodes as received")
            try checkEqual(payload.code == nil, bytes.isEmpty, "only an empty payload has no code")
            try check(payload.code?.isValidOnWire ?? true, "accepted close code \(String(describing: payload.code)) is valid")
            try check(payload.reasonText != nil, "accepted close reason is valid UTF-8")
        case let .failure(violation):
            switch violation {
            case .closePayloadTooShort:
                try checkEqual(bytes.count, 1, "payload length for closePayloadTooShort")
            case let .invalidCloseCode(code):
                try check(bytes.count >= 2 && code.rawValue == UInt16(bytes[0]) << 8 | UInt16(bytes[1]),
                          "invalidCloseCode names the received code")
                try check(!code.isValidOnWire, "invalidCloseCode(\(code)) for a valid code")
            case let .invalidUTF8InCloseReason(offset):
                try check(bytes.count >= 2, "a reason needs a code before it")
                try checkEqual(Optional(offset), UTF8Validator.firstInvalidOffset(bytes[2...]),
                               "close reason failure offset")
            default:
                throw FuzzFailure("unexpected close payload violation \(violation)")
            }
        }
    }
}
