import Crypto
import Foundation
import NIOSSL

/// The certificate a browser must trust to open the listener's page and WebSockets over TLS, and
/// how each engine is told to trust exactly that one (never certificate errors in general):
/// Chromium by the SHA-256 pin of the server certificate's public key, Firefox by the chain's
/// authority added to its fresh profile (Firefox does not accept a self-signed server certificate
/// as its own trust anchor, so the chain must end with the CA that issued it).
public struct BrowserTrust: Sendable, Hashable {
    public var certificatePath: String
    /// Base64 SHA-256 of the first certificate's SubjectPublicKeyInfo (`--ignore-certificate-errors-spki-list`).
    public var publicKeyPin: String
    /// The last certificate of the chain, PEM: the authority Firefox is told to trust.
    public var authorityPEM: String

    /// Reads a PEM chain: the server's certificate first, its issuing CA last.
    public init(certificatePath: String) throws(BrowserError) {
        let text: String
        let leaf: NIOSSLCertificate
        do {
            text = try String(contentsOfFile: certificatePath, encoding: .utf8)
            guard let first = try NIOSSLCertificate.fromPEMFile(certificatePath).first else {
                throw BrowserError("no certificate in \(certificatePath)")
            }
            leaf = first
        } catch let error as BrowserError {
            throw error
        } catch {
            throw BrowserError("cannot read the certificate \(certificatePath): \(error)")
        }
        let spki: [UInt8]
        do { spki = try leaf.extractPublicKey().toSPKIBytes() } catch {
            throw BrowserError("cannot read the public key of \(certificatePath): \(error)")
        }
        let begin = "-----BEGIN CERTIFICATE-----"
        guard let last = text.range(of: begin, options: .backwards),
              let end = text.range(of: "-----END CERTIFICATE-----", range: last.upperBound..<text.endIndex) else {
            throw BrowserError("no PEM certificate in \(certificatePath)")
        }
        self.certificatePath = certificatePath
        self.publicKeyPin = Data(SHA256.hash(data: spki)).base64EncodedString()
        self.authorityPEM = String(text[last.lowerBound..<end.upperBound]) + "\n"
    }

    /// Makes, with the `openssl` command, a CA and a server certificate it issues for 127.0.0.1 and
    /// localhost, valid for two days, in `directory`; returns the chain (server certificate, then
    /// the CA) and the server's key.
    public static func makeCertificate(in directory: URL) throws(BrowserError) -> (certificate: String, key: String) {
        func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let why = "to make the run's certificate (Debian: openssl)"
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run("openssl", ["req", "-x509"] + ec + ["-keyout", file("ca-key.pem"), "-out", file("ca.pem"), "-days", "2",
                            "-subj", "/CN=wsconform test run CA", "-addext", "basicConstraints=critical,CA:TRUE",
                            "-addext", "keyUsage=critical,keyCertSign"], why: why)
        try run("openssl", ["req"] + ec + ["-keyout", file("key.pem"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1"],
                why: why)
        let extensions = """
            subjectAltName=IP:127.0.0.1,DNS:localhost
            basicConstraints=critical,CA:FALSE
            extendedKeyUsage=serverAuth
            keyUsage=critical,digitalSignature

            """
        do { try extensions.write(toFile: file("server.ext"), atomically: true, encoding: .utf8) } catch {
            throw BrowserError("cannot write in \(directory.path): \(error.localizedDescription)")
        }
        try run("openssl", ["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca-key.pem"),
                            "-CAcreateserial", "-days", "2", "-extfile", file("server.ext"), "-out", file("server.pem")], why: why)
        do {
            let chain = try String(contentsOfFile: file("server.pem"), encoding: .utf8)
                + String(contentsOfFile: file("ca.pem"), encoding: .utf8)
            try chain.write(toFile: file("chain.pem"), atomically: true, encoding: .utf8)
        } catch {
            throw BrowserError("cannot write the certificate chain in \(directory.path): \(error.localizedDescription)")
        }
        return (file("chain.pem"), file("key.pem"))
    }

    /// Chromium's flag: certificate errors are ignored for this public key only.
    var chromiumArgument: String { "--ignore-certificate-errors-spki-list=\(publicKeyPin)" }

    /// Adds the chain's authority to a fresh Firefox profile as a CA trusted for TLS servers (NSS
    /// trust flags `C,,`), with `certutil` (Debian: libnss3-tools).
    func install(inFirefoxProfile profile: URL) throws(BrowserError) {
        let authority = profile.appendingPathComponent("wsconform-authority.pem")
        do { try authorityPEM.write(to: authority, atomically: true, encoding: .utf8) } catch {
            throw BrowserError("cannot write in the Firefox profile \(profile.path): \(error.localizedDescription)")
        }
        let db = "sql:\(profile.path)"
        let why = "so that Firefox trusts the run's certificate (Debian: libnss3-tools)"
        try Self.run("certutil", ["-N", "-d", db, "--empty-password"], why: why)
        try Self.run("certutil", ["-A", "-d", db, "-n", "wsconform test run", "-t", "C,,", "-i", authority.path], why: why)
    }

    /// Runs a tool found on PATH; its output is only shown when it fails.
    private static func run(_ tool: String, _ arguments: [String], why: String) throws(BrowserError) {
        guard let path = Browser.executablePath(tool) else { throw BrowserError("\(tool) is needed \(why), and it is not on PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw BrowserError("cannot run \(tool): \(error.localizedDescription)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BrowserError("\(tool) \(arguments.first ?? "") failed (exit \(process.terminationStatus)): \(text.split(separator: "\n").last ?? "")")
        }
    }
}
