/// Where a YAML node or key starts: line and column, both from 1. Columns count characters
/// (Unicode scalars), as ``JSONParser`` counts them, so both readers point at the same place.
struct YAMLPosition: Hashable, Sendable, CustomStringConvertible {
    let line: Int
    let column: Int

    var description: String { "line \(line), column \(column)" }
}

/// One node of a YAML document and the position where it starts.
///
/// A block mapping starts at its first key, a block sequence at its first `-`, a flow collection
/// at its `[` or `{`, a scalar at its first character, opening quote, or `|`/`>` indicator. An
/// empty value (`key:` or `-` with nothing after it) is a null plain scalar placed right after
/// its `:` or `-`, so a message about it still points at the right line.
struct YAMLNode: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        /// Entries in document order; keys are unique (the reader refuses a key written twice).
        case mapping([YAMLEntry])
    }

    let position: YAMLPosition
    let kind: Kind
}

/// One `key: value` of a mapping, with the key's own position.
struct YAMLEntry: Equatable, Sendable {
    /// A plain or quoted scalar whose value is a string or a whole number written canonically
    /// (`80: http`); the reader refuses keys that YAML reads as booleans, null or fractions.
    let key: YAMLScalar
    let keyPosition: YAMLPosition
    let value: YAMLNode
}

/// A scalar as written and as resolved.
struct YAMLScalar: Equatable, Sendable {
    /// How the scalar was written; only plain scalars resolve to anything but a string.
    enum Style: Equatable, Sendable {
        case plain, singleQuoted, doubleQuoted
        /// `|`: line breaks kept.
        case literal
        /// `>`: line breaks folded into spaces.
        case folded
    }

    /// The content: quotes removed, escapes, line folding and chomping applied.
    let text: String
    let style: Style
    /// The JSON value: for a plain scalar its YAML 1.2 core-schema reading
    /// (``YAMLCoreSchema``), for every other style `.string(text)`. Never an array or object.
    let value: JSONValue

    /// True for a plain scalar that sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 rules) reads as
    /// something else than this reader does: `yes`/`no`/`on`/`off`/`y`/`n` in any of their
    /// spellings (booleans there, strings here), `0777` (octal 511 there, 777 here), `1_000`,
    /// `0b101`, `-0x1F` (numbers there, strings here). A review can warn "quote it" with the
    /// position; this reader itself never guesses which reading the author meant.
    var isReadDifferentlyByYAML11: Bool {
        style == .plain && YAMLCoreSchema.yaml11Differs(text)
    }
}

/// One step of a path into a node tree: a mapping key or a sequence index, written as literals
/// (`["spec", "workerGroupSpecs", 0, "replicas"]`).
enum YAMLPathComponent: Hashable, Sendable, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral
{
    case key(String)
    case index(Int)

    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

extension YAMLNode {
    /// The scalar, or nil for a collection.
    var scalar: YAMLScalar? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    /// True for an empty value: `key:` or `-` with nothing after it.
    var isEmptyValue: Bool { scalar.map { $0.style == .plain && $0.text.isEmpty } ?? false }

    /// The items of a sequence, or nil.
    var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The entries of a mapping in document order, or nil.
    var entries: [YAMLEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The entry of `key` in a mapping; a linear search, manifest mappings are small.
    func entry(_ key: String) -> YAMLEntry? { entries?.first { $0.key.text == key } }

    /// The node at `path` below this one, or nil when a step does not exist.
    func node(at path: [YAMLPathComponent]) -> YAMLNode? {
        var node = self
        for step in path {
            switch step {
            case .key(let key):
                guard let entry = node.entry(key) else { return nil }
                node = entry.value
            case .index(let i):
                guard let items = node.items, items.indices.contains(i) else { return nil }
                node = items[i]
            }
        }
        return node
    }

    /// Where a message about `path` should point: the key's position when the last step is a
    /// key, the item's position when it is an index, this node's position for an empty path.
    func position(of path: [YAMLPathComponent]) -> YAMLPosition? {
        guard case .key(let key) = path.last else { return node(at: path)?.position }
        return node(at: path.dropLast())?.entry(key)?.keyPosition
    }

    /// The node as the JSON value Kubernetes would receive (sigs.k8s.io/yaml converts YAML to
    /// JSON before decoding): mappings become objects with members in document order, each
    /// member carrying its key's line, sequences arrays, scalars their ``YAMLScalar/value``.
    func jsonValue() -> JSONValue {
        switch kind {
        case .scalar(let s): s.value
        case .sequence(let items): .array(items.map { $0.jsonValue() })
        case .mapping(let entries):
            .object(
                JSONObject(
                    members: entries.map {
                        JSONObject.Member(
                            key: $0.key.text, value: $0.value.jsonValue(),
                            line: $0.keyPosition.line)
                    }))
        }
    }
}

/// YAML the reader cannot read, or refuses to: where, what, and how to fix it.
struct YAMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Line of the offending character (1-based).
    let line: Int
    /// Column of the offending character, in characters (1-based).
    let column: Int
    /// What is wrong, without a trailing period.
    let message: String
    /// How to fix it, without a trailing period.
    let fix: String

    init(at position: YAMLPosition, _ message: String, fix: String) {
        line = position.line
        column = position.column
        self.message = message
        self.fix = fix
    }

    var position: YAMLPosition { YAMLPosition(line: line, column: column) }

    var description: String { "line \(line), column \(column): \(message). Fix: \(fix)" }

    /// The error as the CLI reports bad input: `what` names the file ("manifest").
    func inputError(what: String, field: String = "(file)") -> InputError {
        InputError(
            field: field,
            problem: "cannot read this \(what): line \(line), column \(column): "
                + message, fix: fix)
    }
}
