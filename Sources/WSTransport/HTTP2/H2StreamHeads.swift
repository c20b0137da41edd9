import NIOConcurrencyHelpers

/// The header blocks of a stream a client opened on an HTTP/2 listener, as they went over the wire:
/// the server above sees them translated to HTTP/1.1 (`H2ServerStreamHandler`), a report shows these.
final class H2StreamHeads: Sendable {
    private let heads = NIOLockedValueBox<(request: [(String, String)]?, answer: [(String, String)]?)>((nil, nil))

    var request: [(String, String)]? { self.heads.withLockedValue { $0.request } }
    var answer: [(String, String)]? { self.heads.withLockedValue { $0.answer } }

    func received(_ fields: [(String, String)]) {
        self.heads.withLockedValue { if $0.request == nil { $0.request = fields } }
    }

    func sent(_ fields: [(String, String)]) {
        self.heads.withLockedValue { if $0.answer == nil { $0.answer = fields } }
    }
}
