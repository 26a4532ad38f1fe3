/// `Encodable` values as deterministic JSON text, for documents whose shape is a `Codable` type
/// (trace files): the type's own `encode(to:)` says what goes in, ``JSONText`` says how it is
/// written.
///
/// Not `JSONEncoder`: its key order, escaping and layout belong to Foundation and could change
/// with it, and a trace file's bytes (and the digest of its model) must not. The layout is the
/// one trace files have always had: two spaces per level, `"key" : value`, keys sorted by
/// ``JSONText/object(_:)``'s order, an empty container as an opening line, a blank line and its
/// closing line. Numbers are whole; a `Double` or `Float` is a bug in the caller (`precondition`).
extension JSONText {
    /// `value`, pretty-printed with sorted keys, without a final newline.
    public static func pretty<T: Encodable>(_ value: T) -> String {
        let root = JSONNode()
        do { try value.encode(to: JSONNodeEncoder(node: root, codingPath: [])) } catch {
            preconditionFailure("encoding \(T.self) as JSON failed: \(error)")
        }
        var out = ""
        root.write(into: &out, indent: "")
        return out
    }
}

/// One value of the tree an encoding builds; a reference, so nested containers can fill it later.
final class JSONNode {
    enum Content {
        /// Nothing encoded (yet); written as an empty object.
        case unset
        /// A finished literal: `null`, `true`, a number or a quoted string.
        case literal(String)
        case array([JSONNode])
        /// Members in encoding order; a key encoded twice keeps its last value.
        case object([(key: String, node: JSONNode)])
    }

    var content = Content.unset

    /// The member `key` of this object, created (and this node made an object) if needed.
    func member(_ key: String) -> JSONNode {
        var members: [(key: String, node: JSONNode)] = []
        if case .object(let existing) = content { members = existing }
        let node = JSONNode()
        if let i = members.firstIndex(where: { $0.key == key }) {
            members[i].node = node
        } else {
            members.append((key, node))
        }
        content = .object(members)
        return node
    }

    /// A new last element of this array (this node made an array if needed).
    func element() -> JSONNode {
        var items: [JSONNode] = []
        if case .array(let existing) = content { items = existing }
        let node = JSONNode()
        items.append(node)
        content = .array(items)
        return node
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func write(into out: inout String, indent: String) {
        let inner = indent + "  "
        switch content {
        case .literal(let text):
            out += text
        case .unset:
            out += "{\n\n" + indent + "}"
        case .array(let items):
            out += "[\n"
            if items.isEmpty { out += "\n" }
            for (i, item) in items.enumerated() {
                out += inner
                item.write(into: &out, indent: inner)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let members):
            out += "{\n"
            if members.isEmpty { out += "\n" }
            let sorted = members.sorted { $0.key < $1.key }
            for (i, m) in sorted.enumerated() {
                out += inner + JSONText.quote(m.key) + " : "
                m.node.write(into: &out, indent: inner)
                out += i == sorted.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }
}

/// The `Encoder` that fills a ``JSONNode``.
struct JSONNodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return JSONUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(node: node, codingPath: codingPath)
    }
}

/// Literals of the scalar types `Encoder` containers take.
enum JSONLiteral {
    static func integer<T: FixedWidthInteger>(_ value: T) -> String { String(value) }

    static func floatingPoint(
        _ value: some BinaryFloatingPoint, at path: [any CodingKey]
    ) -> Never {
        let where_ = path.map(\.stringValue).joined(separator: ".")
        preconditionFailure("JSONText writes whole numbers only; \(value) at \(where_)")
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    func set(_ literal: String) { node.content = .literal(literal) }

    func encodeNil() throws { set("null") }
    func encode(_ value: Bool) throws { set(value ? "true" : "false") }
    func encode(_ value: String) throws { set(JSONText.quote(value)) }
    func encode(_ value: Double) throws { JSONLiteral.floatingPoint(value, at: codingPath) }
    func encode(_ value: Float) throws { JSONLiteral.floatingPoint(value, at: codingPath) }
    func encode(_ value: Int) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: Int8) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: Int16) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: Int32) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: Int64) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: UInt) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: UInt8) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: UInt16) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: UInt32) throws { set(JSONLiteral.integer(value)) }
    func encode(_ value: UInt64) throws { set(JSONLiteral.integer(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: JSONNodeEncoder(node: node, codingPath: codingPath))
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    func single(_ key: Key) -> JSONSingleValueContainer {
        JSONSingleValueContainer(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { try single(key).encodeNil() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try single(key).encode(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try single(key).encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        JSONNodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
            .container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        JSONNodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
            .unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONNodeEncoder(node: node.member("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONNodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    /// An array index as a coding key, for paths in messages.
    struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { return nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    let node: JSONNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = node.content { return items.count }
        return 0
    }

    func next() -> JSONNodeEncoder {
        let path = codingPath + [Index(count)]
        return JSONNodeEncoder(node: node.element(), codingPath: path)
    }

    func single() -> JSONSingleValueContainer {
        let e = next()
        return JSONSingleValueContainer(node: e.node, codingPath: e.codingPath)
    }

    mutating func encodeNil() throws { try single().encodeNil() }
    mutating func encode(_ value: Bool) throws { try single().encode(value) }
    mutating func encode(_ value: String) throws { try single().encode(value) }
    mutating func encode(_ value: Double) throws { try single().encode(value) }
    mutating func encode(_ value: Float) throws { try single().encode(value) }
    mutating func encode(_ value: Int) throws { try single().encode(value) }
    mutating func encode(_ value: Int8) throws { try single().encode(value) }
    mutating func encode(_ value: Int16) throws { try single().encode(value) }
    mutating func encode(_ value: Int32) throws { try single().encode(value) }
    mutating func encode(_ value: Int64) throws { try single().encode(value) }
    mutating func encode(_ value: UInt) throws { try single().encode(value) }
    mutating func encode(_ value: UInt8) throws { try single().encode(value) }
    mutating func encode(_ value: UInt16) throws { try single().encode(value) }
    mutating func encode(_ value: UInt32) throws { try single().encode(value) }
    mutating func encode(_ value: UInt64) throws { try single().encode(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        next().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { next() }
}
