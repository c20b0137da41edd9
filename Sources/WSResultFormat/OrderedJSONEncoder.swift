/// Encodes an `Encodable` value as `OrderedJSON`, so that a model type's declaration is the one
/// written form of a schema: object members in the order `encode(to:)` writes them (the declared
/// order when synthesized; Foundation's `JSONEncoder` keeps no order), a nil member as `null`
/// unless its key is in `keysOmittedWhenNil`, and a dictionary's keys sorted (dotted numbers such
/// as `2`, `10` and `6.4` by value, other keys as text). An `OrderedJSON` inside the value is taken
/// as is. Unsigned integers above `Int.max` are an error.
public struct OrderedJSONEncoder: Sendable {
    /// Keys left out when their value is nil.
    public var keysOmittedWhenNil: Set<String>

    public init(keysOmittedWhenNil: Set<String> = []) {
        self.keysOmittedWhenNil = keysOmittedWhenNil
    }

    public func encode(_ value: some Encodable) throws -> OrderedJSON {
        let slot = Slot()
        try slot.put(value, Context(omitted: keysOmittedWhenNil, codingPath: []))
        return slot.json
    }

    /// Dictionary key order: dotted numbers by value, before other keys, which sort as text.
    static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        func numbers(_ key: String) -> [Int]? {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            return parts.contains(nil) ? nil : parts.map { $0! }
        }
        switch (numbers(a), numbers(b)) {
        case let (x?, y?): return x == y ? a < b : x.lexicographicallyPrecedes(y)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }

    /// What every container passes down.
    struct Context {
        let omitted: Set<String>
        let codingPath: [any CodingKey]

        func appending(_ key: any CodingKey) -> Context { Context(omitted: omitted, codingPath: codingPath + [key]) }
    }

    /// One value under construction: a leaf, or a container filled in later.
    final class Slot {
        enum Content {
            case value(OrderedJSON)
            case object(Members)
            case array(Items)
        }

        var content: Content = .value(.null)

        var json: OrderedJSON {
            switch content {
            case let .value(v): v
            case let .object(m): .object(m.pairs.map { ($0.0, $0.1.json) })
            case let .array(a): .array(a.slots.map(\.json))
            }
        }

        func put(_ value: some Encodable, _ context: Context) throws {
            if let json = value as? OrderedJSON {
                content = .value(json)
            } else if let dictionary = value as? any SortedMembers {
                let m = members
                for (key, member) in dictionary.sortedMembers { try m.slot(key).put(member, context.appending(MemberKey(key))) }
            } else {
                try value.encode(to: SlotEncoder(slot: self, context: context))
            }
        }

        var members: Members {
            if case let .object(m) = content { return m }
            let m = Members()
            content = .object(m)
            return m
        }

        var items: Items {
            if case let .array(a) = content { return a }
            let a = Items()
            content = .array(a)
            return a
        }
    }

    final class Members {
        var pairs: [(String, Slot)] = []

        /// The member's slot; a key encoded twice keeps its first position and its last value.
        func slot(_ key: String) -> Slot {
            if let existing = pairs.first(where: { $0.0 == key }) { return existing.1 }
            let slot = Slot()
            pairs.append((key, slot))
            return slot
        }
    }

    final class Items {
        var slots: [Slot] = []

        func append() -> Slot {
            let slot = Slot()
            slots.append(slot)
            return slot
        }
    }

    struct SlotEncoder: Encoder {
        let slot: Slot
        let context: Context
        var codingPath: [any CodingKey] { context.codingPath }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed(members: slot.members, context: context))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(items: slot.items, context: context) }
        func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot, context: context) }
    }

    static func int(_ value: some BinaryInteger, _ codingPath: [any CodingKey]) throws -> OrderedJSON {
        guard let i = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is out of Int's range"))
        }
        return .int(i)
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let members: Members
        let context: Context
        var codingPath: [any CodingKey] { context.codingPath }

        private func set(_ json: OrderedJSON, _ key: Key) { members.slot(key.stringValue).content = .value(json) }

        /// A nil member is `null`, or left out when its key is in `keysOmittedWhenNil`.
        private mutating func put(_ value: (some Encodable)?, _ key: Key) throws {
            if let value {
                try encode(value, forKey: key)
            } else if !context.omitted.contains(key.stringValue) {
                set(.null, key)
            }
        }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(try int(value, codingPath + [key]), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try int(value, codingPath + [key]), key) }

        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            try members.slot(key.stringValue).put(value, context.appending(key))
        }

        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try put(value, key) }
        mutating func encodeIfPresent(_ value: (some Encodable)?, forKey key: Key) throws { try put(value, key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(members: members.slot(key.stringValue).members, context: context.appending(key)))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Unkeyed(items: members.slot(key.stringValue).items, context: context.appending(key))
        }

        mutating func superEncoder() -> any Encoder { SlotEncoder(slot: members.slot("super"), context: context) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            SlotEncoder(slot: members.slot(key.stringValue), context: context.appending(key))
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer, LeafContainer {
        let items: Items
        let context: Context
        var codingPath: [any CodingKey] { context.codingPath }
        var count: Int { items.slots.count }

        func leaf(_ json: OrderedJSON) { items.append().content = .value(json) }
        mutating func encode(_ value: some Encodable) throws { try items.append().put(value, context) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(members: items.append().members, context: context))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(items: items.append().items, context: context) }
        mutating func superEncoder() -> any Encoder { SlotEncoder(slot: items.append(), context: context) }
    }

    struct Single: SingleValueEncodingContainer, LeafContainer {
        let slot: Slot
        let context: Context
        var codingPath: [any CodingKey] { context.codingPath }

        func leaf(_ json: OrderedJSON) { slot.content = .value(json) }
        mutating func encode(_ value: some Encodable) throws { try slot.put(value, context) }
    }
}

/// The scalar `encode` methods an unkeyed and a single-value container share: each value becomes
/// a leaf (the next array element, or the value itself).
protocol LeafContainer {
    var codingPath: [any CodingKey] { get }
    func leaf(_ json: OrderedJSON)
}

extension LeafContainer {
    mutating func encodeNil() throws { leaf(.null) }
    mutating func encode(_ value: Bool) throws { leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { leaf(.double(value)) }
    mutating func encode(_ value: Float) throws { leaf(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { leaf(.int(value)) }
    mutating func encode(_ value: Int8) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { leaf(try OrderedJSONEncoder.int(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { leaf(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { leaf(try OrderedJSONEncoder.int(value, codingPath)) }
}

/// An object member's key, from a string.
struct MemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ key: String) { stringValue = key }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A dictionary with string keys, whose members the encoder writes in key order.
protocol SortedMembers {
    var sortedMembers: [(String, any Encodable)] { get }
}

extension Dictionary: SortedMembers where Key == String, Value: Encodable {
    var sortedMembers: [(String, any Encodable)] {
        keys.sorted(by: OrderedJSONEncoder.keyPrecedes).map { ($0, self[$0]!) }
    }
}
