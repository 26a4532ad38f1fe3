import Foundation

/// A JSON document read by our strict reader, for files whose shape is a `Codable` type (trace
/// files): syntax, duplicate keys and depth are checked with line and column first, then
/// `JSONDecoder` fills the type, and its errors are rewritten to name the field by its path
/// (`model.spec.workers: expected a whole number, got 2.5`) without Swift's type names.
public struct StrictJSON: Sendable {
    let root: JSONValue
    let data: Data
    /// The error field for problems with the document as a whole (e.g. `TRACE`).
    public let field: String

    /// Parses `data` strictly; `what` names the document in messages ("trace file").
    public init(_ data: Data, what: String, field: String) throws(InputError) {
        self.root = try JSONValue.parse(data, what: what, field: field)
        self.data = data
        self.field = field
    }

    /// The top-level string `key`, or nil when absent or not a string.
    public func string(_ key: String) -> String? {
        if case .string(let s)? = root[key] { return s }
        return nil
    }

    /// The top-level whole number `key`, or nil when absent or not a whole number.
    public func integer(_ key: String) -> Int64? {
        if case .integer(let i)? = root[key] { return i }
        return nil
    }

    /// The dotted paths of every object member under the top-level member `key` (the whole
    /// document when nil), array elements not descended: which fields a document spells out.
    public func keyPaths(under key: String? = nil) -> Set<String> {
        var out: Set<String> = []
        func walk(_ v: JSONValue, _ path: String) {
            guard case .object(let o) = v else { return }
            for m in o.members {
                let p = path.isEmpty ? m.key : "\(path).\(m.key)"
                out.insert(p)
                walk(m.value, p)
            }
        }
        if let key { root[key].map { walk($0, "") } } else { walk(root, "") }
        return out
    }

    /// True when the document is an object with a member `key`.
    public func has(_ key: String) -> Bool { root[key] != nil }

    /// Fails on the first number with a fraction or exponent, naming its path: for documents whose
    /// numbers are all whole (`JSONDecoder` reports `1.5` for an `Int` without a usable path).
    public func requireWholeNumbers() throws(InputError) {
        func walk(_ v: JSONValue, _ path: String) throws(InputError) {
            switch v {
            case .number:
                throw InputError(
                    field: path.isEmpty ? field : path,
                    problem: "expected a whole number, got \(v.shown)",
                    fix: "restore the value the program wrote, or write the file again")
            case .array(let items):
                for (i, item) in items.enumerated() { try walk(item, "\(path)[\(i)]") }
            case .object(let o):
                for m in o.members {
                    let key = InputText.isPlainKey(m.key) ? m.key : InputText.quoted(m.key)
                    try walk(m.value, path.isEmpty ? key : "\(path).\(key)")
                }
            default:
                break
            }
        }
        try walk(root, "")
    }

    /// Decodes the document as `T`; a mismatch names the field by its dotted path.
    public func decode<T: Decodable>(_ type: T.Type) throws(InputError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw InputError(
                field: field, problem: "cannot be read", fix: "pass a file written by this program")
        }
    }

    private func describe(_ error: DecodingError) -> InputError {
        let fix = "restore the value the program wrote, or write the file again"
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let found = value(at: context.codingPath)
            return InputError(
                field: path(context.codingPath),
                problem: "expected \(Self.kind(type)), got \(found?.shown ?? "nothing")",
                fix: fix)
        case .keyNotFound(let key, let context):
            return InputError(field: path(context.codingPath + [key]), problem: "missing", fix: fix)
        case .dataCorrupted(let context):
            let found = value(at: context.codingPath)
            let problem: String
            switch found {
            case .number?, .integer?: problem = "expected a whole number, got \(found!.shown)"
            case .string(let s)? where context.debugDescription.contains("is not a duration"):
                problem = "\(InputText.quoted(s)) is not a duration"
            case let v?: problem = "unexpected value: \(v.shown)"
            case nil: problem = "unexpected value"
            }
            return InputError(field: path(context.codingPath), problem: problem, fix: fix)
        @unknown default:
            return InputError(field: field, problem: "cannot be read", fix: fix)
        }
    }

    /// `model.spec.workers`, `steps[2][0]`; the document itself is `field`.
    private func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                let name =
                    InputText.isPlainKey(key.stringValue)
                    ? key.stringValue : InputText.quoted(key.stringValue)
                out += out.isEmpty ? name : "." + name
            }
        }
        return out.isEmpty ? field : out
    }

    private func value(at keys: [any CodingKey]) -> JSONValue? {
        var v: JSONValue? = root
        for key in keys {
            switch v {
            case .array(let items)? where key.intValue != nil:
                let i = key.intValue!
                v = items.indices.contains(i) ? items[i] : nil
            case .object(let o)?: v = o[key.stringValue]
            default: return nil
            }
        }
        return v
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is any BinaryInteger.Type: "a whole number"
        case is any BinaryFloatingPoint.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
