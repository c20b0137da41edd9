import Foundation
import Testing
import WSResultFormat

/// The encoder that writes the results model: key order, nulls, dictionaries, values as given.
@Suite("OrderedJSONEncoder")
struct OrderedJSONEncoderTests {
    struct Sample: Encodable {
        var zulu = 1
        var alpha: String? = nil
        var sometimes: Bool? = nil
        var counts: [String: Int] = ["10": 1, "2": 2, "1": 3]
        var titles: [String: String] = ["6.4": "b", "10": "c", "6": "a", "OK": "d"]
        var free: OrderedJSON = .object([("z", .int(1)), ("a", .double(0.5))])
        var list: [Double?] = [1.5, nil]
    }

    @Test("Members in declared order, nil as null unless its key is omitted, dictionaries in key order, OrderedJSON as given")
    func shape() throws {
        let text = try OrderedJSONEncoder(keysOmittedWhenNil: ["sometimes"]).encode(Sample()).render()
        #expect(text == #"{"zulu":1,"alpha":null,"counts":{"1":3,"2":2,"10":1},"titles":{"6":"a","6.4":"b","10":"c","OK":"d"},"free":{"z":1,"a":0.5},"list":[1.5,null]}"#)
        var present = Sample()
        present.sometimes = false
        #expect(try OrderedJSONEncoder(keysOmittedWhenNil: ["sometimes"]).encode(present).render().contains(#""alpha":null,"sometimes":false,"#))
    }

    @Test("An unsigned value beyond Int is an error naming where it was, not a wrapped number")
    func overflow() {
        struct Big: Encodable { var value = UInt64.max }
        #expect(throws: EncodingError.self) { try OrderedJSONEncoder().encode(Big()) }
    }

    @Test("A case read back and written again is the same line")
    func caseRoundTrip() throws {
        let line = #"{"id":"1.1.1","position":null,"title":"T","rfc":[],"description":"D","expectation":"E","notes":[],"reportTime":false,"reportCompressionRatio":false,"behavior":"OK","behaviorClose":"OK","acceptable":true,"finding":null,"result":"r","resultClose":"rc","reasons":[],"expected":{"OK":[{"type":"text","octets":0,"text":""}]},"expectedClose":{"closedBy":"harness","codes":[1000],"requireClean":true},"observed":[{"type":"text","octets":0,"text":""},{"type":"timeout","tag":"A"}],"observedOmitted":null,"close":{"sent":{"code":1000,"text":"","atMs":3},"received":{"code":1000,"hex":"ff","truncated":true,"atMs":null},"initiator":"harness","wasClean":true,"harnessFailure":null,"tcp":null},"started":"2026-01-01T00:00:00.000Z","durationMs":3,"wallTimeMs":4,"handshake":{"completed":true,"request":null,"response":null,"deflate":null,"failure":null,"http2":true},"frames":{"sent":{"1":1,"8":1},"received":{"1":1,"10":1}},"roundTrips":null,"deflateStats":null,"wireLog":{"total":1,"omitted":0,"omittedAfter":1,"entries":[{"atMs":0.5,"dir":"sent","frame":{"opcode":1,"fin":true,"rsv":0,"mask":null,"length":0,"text":""}}]}}"#
        let record = try JSONDecoder().decode(CaseRecord.self, from: Data(line.utf8))
        let written = try ResultsDocument.encoder.encode(record).render()
        // `expected` is open-shaped (OrderedJSON): read back, its objects' keys come sorted.
        let sortedExpected = #""expected":{"OK":[{"octets":0,"text":"","type":"text"}]}"#
        #expect(written == line.replacingOccurrences(of: #""expected":{"OK":[{"type":"text","octets":0,"text":""}]}"#, with: sortedExpected))
    }
}
