import Crypto

/// The Sec-WebSocket-Accept value (RFC 6455 §4.2.2 item 5.4): base64(SHA-1(key + GUID)).
public enum AcceptKey {
    /// The GUID that RFC 6455 §1.3 appends to the key.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The Accept value a server must return for the client's Sec-WebSocket-Key (used as sent, not
    /// decoded). Example from RFC 6455 §1.3: "dGhlIHNhbXBsZSBub25jZQ==" → "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
    public static func compute(forKey key: String) -> String {
        var sha1 = Insecure.SHA1()
        Array((key + guid).utf8).withUnsafeBytes { sha1.update(bufferPointer: $0) }
        return Base64.encode(Array(sha1.finalize()))
    }
}
