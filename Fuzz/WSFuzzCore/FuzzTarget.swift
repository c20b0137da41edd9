/// One fuzz target: a name (the executable and its folder under Fuzz/) and the property it checks.
public struct FuzzTarget: Sendable {
    public typealias Property = @Sendable (UnsafeRawBufferPointer) throws(FuzzFailure) -> Void

    public let name: String
    public let property: Property

    public init(name: String, property: @escaping Property) {
        self.name = name
        self.property = property
    }

    /// Runs the property on one input.
    public func run(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        try property(input)
    }

    /// Runs the property on one input.
    public func run(_ input: [UInt8]) throws(FuzzFailure) {
        // withUnsafeBytes only rethrows untyped errors: carry the typed one out as a value.
        let result = input.withUnsafeBytes { raw in Result { () throws(FuzzFailure) in try property(raw) } }
        try result.get()
    }

    /// Entry point for `LLVMFuzzerTestOneInput`: a broken property becomes a crash with its message.
    public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        do {
            try property(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
        } catch {
            fatalError("\(name): \(error)")
        }
        return 0
    }
}
