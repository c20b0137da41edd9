extension HTTPHeaderFields {
    /// The rule both sides of the opening handshake check (RFC 6455 §4.1, §4.2.1): an Upgrade header
    /// with a "websocket" token and a Connection header with an "Upgrade" token, case-insensitively.
    func checkUpgradeTokens() throws(HandshakeError) {
        let upgrade = self["Upgrade"]
        guard !upgrade.isEmpty else { throw .missingUpgrade }
        guard hasToken("websocket", in: "Upgrade") else {
            throw .upgradeNotWebSocket(upgrade.joined(separator: ", "))
        }
        let connection = self["Connection"]
        guard !connection.isEmpty else { throw .missingConnection }
        guard hasToken("upgrade", in: "Connection") else {
            throw .connectionLacksUpgrade(connection.joined(separator: ", "))
        }
    }
}
