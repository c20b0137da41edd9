import NIOCore
import NIOHTTP2

/// Writes a stream's octets as DATA frames, never an empty one: an empty write is a barrier
/// (`RawConnection.writesDone`, `closeWhenWritten`) and completes with the write before it. An empty
/// DATA frame carries nothing, and two in a row without END_STREAM make a swift-nio-http2 peer end
/// the whole connection with GOAWAY ENHANCE_YOUR_CALM (its `maximumSequentialEmptyDataFrames`
/// DoS heuristic), dropping the frames that followed in the same read: the END_STREAM among them.
struct H2DataWriter {
    private var lastWrite: EventLoopFuture<Void>?

    mutating func write(_ bytes: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard bytes.readableBytes > 0 else {
            if let lastWrite = self.lastWrite { lastWrite.cascade(to: promise) } else { promise?.succeed(()) }
            return
        }
        let promise = promise ?? context.eventLoop.makePromise()
        self.lastWrite = promise.futureResult
        context.write(NIOAny(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(bytes)))), promise: promise)
    }
}
