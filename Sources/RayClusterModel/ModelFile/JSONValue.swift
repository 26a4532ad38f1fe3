import Foundation

/// A parsed JSON document, kept as values so a validator can name every field it rejects.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// What kind of value this is, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses `data` as JSON; a failure names the likely cause (YAML given where JSON is expected).
    static func parse(_ data: Data, what: String) throws(InputError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            let text = String(decoding: data.prefix(4096), as: UTF8.self)
            if looksLikeYAML(text) {
                throw InputError(field: "(file)", problem: "this \(what) looks like YAML, but it must be JSON",
                                 fix: "convert it to JSON (e.g. `python3 -c 'import sys,yaml,json; print(json.dumps(yaml.safe_load(sys.stdin)))' < file.yaml`); see docs/model-files.md")
            }
            throw InputError(field: "(file)", problem: "this \(what) is not valid JSON (\(JSONValue.describe(error)))",
                             fix: "check brackets, commas and quotes; see docs/model-files.md for the format")
        }
    }

    static func looksLikeYAML(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return false }
        if trimmed.hasPrefix("---") || trimmed.hasPrefix("apiVersion:") || trimmed.hasPrefix("kind:") { return true }
        let first = trimmed.split(separator: "\n").first.map(String.init) ?? ""
        return first.range(of: #"^[A-Za-z_][A-Za-z0-9_.-]*:(\s|$)"#, options: .regularExpression) != nil
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// Bad input: names the field, what is wrong with it, and how to fix it. The CLI exits 2 with it.
public struct InputError: Error, CustomStringConvertible, Equatable {
    /// Dotted path of the offending field, e.g. `cluster.workerReconnectTimeoutSeconds`, or `(file)`.
    public let field: String
    public let problem: String
    public let fix: String

    public init(field: String, problem: String, fix: String) {
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "\(field): \(problem). Fix: \(fix)" }
}
