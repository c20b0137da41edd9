// The engine is the framing layer (WSFrames: frames, parser, writer, masking, close codes, UTF-8)
// plus the handshake, extensions and the connection state machine built on it. Re-exported so that
// `import WSEngine` keeps giving the whole sans-I/O API.
@_exported import WSFrames
