import Foundation
import WSTransport

/// A throwaway CA and a server certificate for 127.0.0.1, made with the `openssl` CLI once per test
/// run in a temporary directory (the approach of WSTransportTests' TLSFixture, reduced to one server).
struct PeersTLSFixture: Sendable {
    let directory: String

    var serverConfiguration: TLSServerConfiguration {
        TLSServerConfiguration(certificatePath: directory + "/server.pem", privateKeyPath: directory + "/server.key")
    }

    /// A client that trusts the fixture's CA.
    var trustingClient: TLSClientConfiguration { TLSClientConfiguration(caFile: directory + "/ca.pem") }

    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let opensslAvailable = openssl != nil

    /// Generated on first use; every TLS test shares it.
    static let shared: Result<PeersTLSFixture, any Error> = Result { try generate() }

    static func get() throws -> PeersTLSFixture { try shared.get() }

    private static func generate() throws -> PeersTLSFixture {
        guard let openssl else { throw PeersFixtureError("openssl CLI not found") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-peers-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = wsconform peers test CA
        [v3_ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        """.write(toFile: "\(dir)/ca.cnf", atomically: true, encoding: .utf8)
        try run(openssl, ["req", "-x509", "-config", "ca.cnf", "-extensions", "v3_ca"] + ecKey
            + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"], in: dir)
        try """
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1,DNS:localhost
        """.write(toFile: "\(dir)/server.ext", atomically: true, encoding: .utf8)
        try run(openssl, ["req", "-new"] + ecKey + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], in: dir)
        try run(openssl, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                          "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], in: dir)
        return PeersTLSFixture(directory: dir)
    }

    private static func run(_ tool: String, _ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeersFixtureError("openssl \(arguments.first ?? "") failed: \(String(decoding: stderr, as: UTF8.self))")
        }
    }
}

struct PeersFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
