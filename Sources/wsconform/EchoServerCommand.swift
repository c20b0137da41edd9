import ArgumentParser
import Foundation
import WSEngine
import WSPeers
import WSTransport

struct EchoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-server",
        abstract: "Run the bundled strict echo server (a peer to test clients against, or a reference server).",
        // The full synopsis is wider than 80 columns and ArgumentParser does not wrap it.
        usage: "wsconform echo-server [<options>]",
        discussion: """
        Echoes every text and binary message, answers pings, completes closing handshakes and fails \
        the connection (with the RFC's close code) on every violation. Binds 127.0.0.1 unless --host \
        says otherwise.

        Example, with the real Autobahn|Testsuite as the client:
          wsconform echo-server --port 9001 --deflate
          wstest -m fuzzingclient -s fuzzingclient.json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on. Anything but 127.0.0.1 exposes the server to the network.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one and prints it).")
    var port = 9001

    @Flag(help: "Accept permessage-deflate (RFC 7692) offers.")
    var deflate = false

    @Option(help: "PEM certificate file: serve wss:// (needs --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key file for --tls-cert.")
    var tlsKey: String?

    @Option(help: "Largest message accepted, in bytes; larger ones are refused with close 1009.")
    var maxMessageSize = ConnectionConfiguration.defaultMaximumMessageSize

    @Option(help: "zlib level 0-9 of compressed echoes (1: fast; every level is valid permessage-deflate).")
    var compressionLevel = 1

    @Flag(help: "Serve WebSockets over HTTP/2 (RFC 8441) instead of HTTP/1.1: h2c with prior knowledge, or ALPN h2 with --tls-cert; test it with test-server --http2.")
    var http2 = false

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together: give both to serve wss://, or neither.")
        }
        guard (0...9).contains(compressionLevel) else {
            throw ValidationError("--compression-level must be 0...9, got \(compressionLevel).")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port).") }
    }

    func run() async throws {
        global.apply()
        let tls = tlsCert.map { TLSServerConfiguration(certificatePath: $0, privateKeyPath: tlsKey!) }
        let server: EchoServer
        do {
            server = try await EchoServer.bind(.init(host: host, port: port, tls: tls, deflate: deflate,
                                                     maximumMessageSize: maxMessageSize,
                                                     compressionLevel: compressionLevel, http2: http2))
        } catch {
            throw HarnessFailure("\(error)")
        }
        let scheme = tls == nil ? "ws" : "wss"
        // The URL goes to stdout (a result a script can read); the rest is log.
        // Written straight to the file descriptor: print() is block-buffered when stdout is a pipe,
        // and a script waiting for the URL would never get it while the server runs.
        FileHandle.standardOutput.write(Data("\(scheme)://\(host):\(server.port)/\n".utf8))
        Log.info("echo server listening on \(scheme)://\(host):\(server.port)/\(http2 ? " over HTTP/2" : "")\(deflate ? " (permessage-deflate on)" : ""); Ctrl-C stops it")
        await server.run { Log.debug($0) }
    }
}
