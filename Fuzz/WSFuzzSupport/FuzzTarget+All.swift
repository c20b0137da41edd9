extension FuzzTarget {
    /// Every target, by executable name. The replay tests walk this list, so a target missing here
    /// would have its corpus silently unchecked.
    public static let all: [FuzzTarget] = [
        .frameParserServer, .frameParserClient, .handshakeRequest, .handshakeResponse, .extensions, .utf8, .inflate,
        .caseLoader, .http2Handshake,
    ]

    /// The target called `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
