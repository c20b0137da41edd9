import NIOCore

func hexBuffer(_ hex: String) -> ByteBuffer { ByteBuffer(bytes: hexBytes(hex)) }

func hexString(_ buffer: ByteBuffer) -> String {
    buffer.readableBytesView.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined(separator: " ")
}

