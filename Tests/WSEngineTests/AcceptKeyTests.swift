import Testing
@testable import WSEngine

@Suite struct AcceptKeyTests {
    @Test func rfc6455Example() {
        #expect(AcceptKey.compute(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func theKeyIsUsedAsTextNotDecoded() {
        // A different spelling of the same bytes gives a different Accept value.
        #expect(AcceptKey.compute(forKey: "dGhlIHNhbXBsZSBub25jZQ==") != AcceptKey.compute(forKey: "dGhlIHNhbXBsZSBub25jZR=="))
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                      ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64RFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: ["Zg=", "Zg", "Z===", "Zg==Zg==", "Zm9v!A==", "Zm9 vYg=", "=Zm9", "Zm=v"])
    func base64RejectsMalformedInput(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func base64RoundTripsEveryByteAndLength() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        let all = (0...255).map(UInt8.init)
        #expect(Base64.decode(Base64.encode(all)) == all)
    }

    @Test func randomKeysAreBase64Of16Bytes() {
        var g = UTF8TestSupport.Generator(seed: 7)
        let a = ClientHandshakeRequest.randomKey(using: &g), b = ClientHandshakeRequest.randomKey(using: &g)
        #expect(a.utf8.count == 24 && a.hasSuffix("=="))
        #expect(Base64.decode(a)?.count == 16)
        #expect(a != b)
        #expect(Base64.decode(ClientHandshakeRequest.randomKey())?.count == 16)
    }
}
