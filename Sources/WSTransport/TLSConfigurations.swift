import NIOCore
import NIOSSL

/// TLS settings for the client role.
public struct TLSClientConfiguration: Sendable, Hashable {
    /// PEM file with the certificate authorities to trust; nil trusts the system's roots.
    public var caFile: String?
    /// Skip certificate and host name verification entirely. Only for testing against servers with
    /// throwaway certificates; it has to be asked for explicitly.
    public var insecure: Bool
    /// Name sent as SNI and checked against the certificate; nil uses the connect host, except that
    /// an IP address is never sent as SNI (it is then checked against the certificate's IP entries).
    public var serverName: String?

    public init(caFile: String? = nil, insecure: Bool = false, serverName: String? = nil) {
        self.caFile = caFile
        self.insecure = insecure
        self.serverName = serverName
    }

    /// The SNI / verification name for a connection to `host`.
    func serverHostname(connectingTo host: String) -> String? {
        if let serverName = self.serverName { return serverName }
        let isIPLiteral = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return isIPLiteral ? nil : host
    }

    /// - Parameter alpn: protocols offered with ALPN (`h2` for WebSockets over HTTP/2).
    func makeContext(alpn: [String] = []) throws(TransportError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = alpn
        if self.insecure {
            configuration.certificateVerification = .none
        } else if let caFile = self.caFile {
            configuration.trustRoots = .file(caFile)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsFailure("cannot set up the client context\(self.caFile.map { " with CA file \($0)" } ?? ""): \(error)")
        }
    }
}

/// TLS settings for the server role: a certificate chain and its private key, both PEM files.
public struct TLSServerConfiguration: Sendable, Hashable {
    public var certificatePath: String
    public var privateKeyPath: String

    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }

    /// - Parameter alpn: protocols to choose from with ALPN (`h2` for an HTTP/2 listener).
    func makeContext(alpn: [String] = []) throws(TransportError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(self.certificatePath)
        } catch {
            throw .tlsFailure("cannot read certificate PEM \(self.certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw .tlsFailure("no certificate in \(self.certificatePath)") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: self.privateKeyPath, format: .pem)
        } catch {
            throw .tlsFailure("cannot read private key PEM \(self.privateKeyPath): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.applicationProtocols = alpn
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsFailure("cannot set up the server context (does the key match the certificate?): \(error)")
        }
    }
}
