import Foundation
import WSTransport

/// Throwaway CAs and server certificates for 127.0.0.1 / localhost, made with the `openssl` CLI
/// once per test run in a temporary directory.
/// Shared by the transport and peer tests (target WSTestSupport).
public struct TLSFixture: Sendable {
    public let directory: String
    public var caPath: String { self.directory + "/ca.pem" }
    public var serverConfiguration: TLSServerConfiguration {
        TLSServerConfiguration(certificatePath: self.directory + "/server.pem",
                               privateKeyPath: self.directory + "/server.key")
    }
    /// A client that trusts the fixture's CA.
    public var trustingClient: TLSClientConfiguration { TLSClientConfiguration(caFile: self.caPath) }
    /// A CA that signed nothing the servers present: a client trusting only it trusts nothing here.
    public var otherCAPath: String { self.directory + "/other-ca.pem" }
    /// A certificate valid for the name "localhost" only (no IP address entry).
    public var dnsOnlyServerConfiguration: TLSServerConfiguration {
        TLSServerConfiguration(certificatePath: self.directory + "/dns-only.pem",
                               privateKeyPath: self.directory + "/dns-only.key")
    }

    public static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    public static let opensslAvailable = openssl != nil

    /// Generated on first use; every TLS test shares it.
    public static let shared: Result<TLSFixture, any Error> = Result { try generate() }

    public static func get() throws -> TLSFixture { try shared.get() }

    private static func generate() throws -> TLSFixture {
        guard let openssl else { throw FixtureError("openssl CLI not found") }
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("wsconform-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try makeCA("ca", in: dir, openssl: openssl)
        try makeCA("other-ca", in: dir, openssl: openssl)
        try makeServer("server", names: "IP:127.0.0.1,DNS:localhost", in: dir, openssl: openssl)
        try makeServer("dns-only", names: "DNS:localhost", in: dir, openssl: openssl)
        return TLSFixture(directory: dir)
    }

    private static let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    /// A self-signed CA: `<name>.pem`, `<name>.key`.
    private static func makeCA(_ name: String, in dir: String, openssl: String) throws {
        try """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = wsconform test \(name)
        [v3_ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        """.write(toFile: "\(dir)/\(name).cnf", atomically: true, encoding: .utf8)
        try run(openssl, ["req", "-x509", "-config", "\(name).cnf", "-extensions", "v3_ca"] + ecKey
            + ["-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2"], in: dir)
    }

    /// A server certificate signed by `ca.pem` for the given subjectAltName entries.
    private static func makeServer(_ name: String, names: String, in dir: String, openssl: String) throws {
        try """
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = \(names)
        """.write(toFile: "\(dir)/\(name).ext", atomically: true, encoding: .utf8)
        try run(openssl, ["req", "-new"] + ecKey
            + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=localhost"], in: dir)
        try run(openssl, ["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                          "-CAcreateserial", "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"], in: dir)
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
            throw FixtureError("openssl \(arguments.first ?? "") failed: \(String(decoding: stderr, as: UTF8.self))")
        }
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
