import Foundation
import WSResultFormat

/// A small JSON Schema (draft 2020-12) validator for the keywords docs/results.schema.json uses.
/// It refuses any keyword it does not implement, so the schema cannot say more than is checked.
/// Shared by the report tests (committed files) and the conformance tests (fresh runs).
public struct JSONSchemaValidator {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "at \(path.isEmpty ? "/" : path): \(message)" }
    }

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$comment", "$defs", "format"]
    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "propertyNames", "items", "enum", "const",
        "minimum", "maximum", "pattern", "oneOf", "anyOf", "not",
    ]

    let root: JSONValue

    public init(schema: JSONValue) { root = schema }

    /// Every error found (empty when valid).
    public func validate(_ value: JSONValue) throws -> [Failure] {
        var errors: [Failure] = []
        try check(value, root, "", &errors)
        return errors
    }

    private func resolve(_ ref: String) throws -> JSONValue {
        guard ref.hasPrefix("#/") else { throw Failure(path: ref, message: "only local references are supported") }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = node[String(part)] else { throw Failure(path: ref, message: "unresolvable reference") }
            node = next
        }
        return node
    }

    private func check(_ v: JSONValue, _ schema: JSONValue, _ path: String, _ errors: inout [Failure]) throws {
        guard let s = schema.objectValue else {
            if schema.boolValue == false { errors.append(Failure(path: path, message: "false schema")) }
            return
        }
        for key in s.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            throw Failure(path: path, message: "the test validator does not implement keyword \(key)")
        }
        func fail(_ m: String) { errors.append(Failure(path: path, message: m)) }
        if let ref = s["$ref"]?.stringValue { try check(v, try resolve(ref), path, &errors) }
        if let type = s["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !allowed.contains(where: { Self.matches(v, type: $0) }) { fail("expected \(allowed), got \(v)") }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(v) { fail("\(v) is not one of \(options)") }
        if let c = s["const"], c != v { fail("\(v) is not \(c)") }
        if case let .number(n) = v {
            if let m = s["minimum"], case let .number(min) = m, n < min { fail("\(n) < minimum \(min)") }
            if let m = s["maximum"], case let .number(max) = m, n > max { fail("\(n) > maximum \(max)") }
        }
        if case let .string(text) = v, let pattern = s["pattern"]?.stringValue {
            let regex = try NSRegularExpression(pattern: pattern)
            if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                fail("\"\(text)\" does not match \(pattern)")
            }
        }
        if case let .object(o) = v {
            let properties = s["properties"]?.objectValue ?? [:]
            for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[name] == nil {
                fail("missing required key \(name)")
            }
            for (key, value) in o {
                if let names = s["propertyNames"] { try check(.string(key), names, path + "/" + key + "(name)", &errors) }
                if let p = properties[key] {
                    try check(value, p, path + "/" + key, &errors)
                } else if let extra = s["additionalProperties"] {
                    if extra.boolValue == false { fail("key \(key) is not allowed") } else { try check(value, extra, path + "/" + key, &errors) }
                }
            }
        }
        if case let .array(items) = v, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() { try check(item, itemSchema, path + "/\(i)", &errors) }
        }
        if let anyOf = s["anyOf"]?.arrayValue {
            if try !anyOf.contains(where: { try passes(v, $0, path) }) { fail("matches none of anyOf") }
        }
        if let oneOf = s["oneOf"]?.arrayValue {
            let n = try oneOf.filter { try passes(v, $0, path) }.count
            if n != 1 { fail("matches \(n) of oneOf, not exactly one") }
        }
        if let not = s["not"], try passes(v, not, path) { fail("matches a schema under not") }
    }

    private func passes(_ v: JSONValue, _ schema: JSONValue, _ path: String) throws -> Bool {
        var errors: [Failure] = []
        try check(v, schema, path, &errors)
        return errors.isEmpty
    }

    static func matches(_ v: JSONValue, type: String) -> Bool {
        switch (type, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number):
            true
        case let ("integer", .number(n)): n == n.rounded()
        default: false
        }
    }
}
