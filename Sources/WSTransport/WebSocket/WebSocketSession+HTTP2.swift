import NIOCore
import WSEngine

extension WebSocketSession {
    /// The client's opening handshake over HTTP/2 (RFC 8441): a connection of its own (h2c with
    /// prior knowledge for ws://, ALPN h2 for wss://), the server's SETTINGS_ENABLE_CONNECT_PROTOCOL
    /// awaited (§3), then one stream opened with extended CONNECT; a 2xx answer opens the WebSocket
    /// (§5: no key, no Accept). `request` and `response` hold the HTTP/2 fields as an HTTP/2.0 head.
    static func connectOverHTTP2(to url: WebSocketURL, tls: TLSClientConfiguration?,
                                 options: WebSocketClientOptions) async throws(WebSocketOpenError) -> WebSocketSession {
        let h2: H2Connection
        do {
            h2 = try await H2Connection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: options.connectTimeout)
        } catch { throw .transport(error) }
        let deadline = ContinuousClock.now + options.handshakeTimeout
        switch await h2.peerEnablesConnectProtocol(by: deadline) {
        case true?: break
        case false?:
            await h2.close()
            throw .handshake(.malformedHead("the server's SETTINGS do not enable the extended CONNECT protocol (RFC 8441 §3)"))
        case nil:
            await h2.close()
            throw .handshakeTimeout(options.handshakeTimeout)
        }
        let offer = options.deflate.map { ExtensionHeader.serialize([PerMessageDeflate.clientOffer($0)]) }
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        var fields: [(name: String, value: String)] = [
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", url.secure ? "https" : "http"),
            (":path", url.target), (":authority", "\(host):\(url.port)"), ("sec-websocket-version", "13"),
        ]
        if let origin = options.origin { fields.append(("origin", origin)) }
        if !options.subprotocols.isEmpty { fields.append(("sec-websocket-protocol", options.subprotocols.joined(separator: ", "))) }
        if let offer { fields.append(("sec-websocket-extensions", offer)) }
        fields += options.extraHeaders.map { (name: $0.0.lowercased(), value: $0.1) }

        let answer: H2Response
        let raw: RawConnection
        do {
            (answer, raw) = try await h2.openStream(request: fields, deadline: deadline)
        } catch {
            await h2.close()
            throw .transport(error)
        }
        do {
            return try handshake(raw: raw, request: fields, answer: answer, offeredExtension: offer, options: options)
        } catch {
            await raw.abort()
            throw error
        }
    }

    private static func handshake(raw: RawConnection, request: [(name: String, value: String)], answer: H2Response,
                                  offeredExtension: String?, options: WebSocketClientOptions) throws(WebSocketOpenError) -> WebSocketSession {
        // A malformed answer (a connection-specific field such as HTTP/1.1's connection: upgrade,
        // a 1xx, pseudo-fields out of place) is a stream error, never an open WebSocket (RFC 9113 §8.1.1).
        let response: ExtendedConnect.Response
        do { response = try ExtendedConnect.validateResponse(answer.fields, endStream: answer.endStream) } catch {
            throw .handshake(.malformedHead("the answer is \(error) (RFC 9113 §8.1.1)"))
        }
        let status = response.status
        guard response.opens else {
            throw .handshake(.statusNot101(status, reason: answer.endStream ? "the answer ended the stream" : "not 2xx (RFC 8441 §5)"))
        }
        let headers = HTTPHeaderFields(answer.fields.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) })
        let agreed: (subprotocol: String?, extensions: String?)
        do {
            agreed = try ClientHandshake.negotiation(in: headers, offeredSubprotocols: options.subprotocols,
                                                     offeredExtensionNames: offeredExtension == nil ? [] : [PerMessageDeflateParameters.extensionName])
        } catch { throw .handshake(error) }
        let (config, negotiated) = try clientConfiguration(acceptedExtensions: agreed.extensions, options: options)
        let http2 = HTTPVersion(major: 2, minor: 0)
        let path = request.first { $0.name == ":path" }?.value ?? "/"
        let requestHead = HTTPHead(startLine: .request(method: "CONNECT", target: path, version: http2),
                                   headers: HTTPHeaderFields(request.map { ($0.name, $0.value) }))
        let responseHead = HTTPHead(startLine: .response(version: http2, status: status, reason: ""), headers: headers)
        return WebSocketSession(raw: raw, connection: Connection(configuration: config), request: requestHead,
                                response: responseHead, subprotocol: agreed.subprotocol, deflate: negotiated, leftover: ByteBuffer())
    }
}
