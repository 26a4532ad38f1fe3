import Foundation

/// A parsed JSON document, kept as values so a validator can name every field it rejects.
///
/// Produced by our own strict reader (``JSONParser``), not by `JSONDecoder`: it rejects duplicate
/// keys and trailing commas, reports every syntax error with its line and column, keeps whole
/// numbers exact, and keeps object members in document order so nothing depends on `Dictionary`
/// order.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent, kept exact.
    case integer(Int64)
    /// A number with a fraction or an exponent.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value as a message shows it: numbers and booleans as written, a string quoted and
    /// shortened, containers by kind ("expected a whole number, got 2.5").
    var shown: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): "\(i)"
        case .number(let d): d == d.rounded(.towardZero) && abs(d) < 1e15 ? "\(Int64(d)).0" : "\(d)"
        case .string(let s): "the string \(InputText.quoted(s))"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The member `key` of an object, or nil (also for non-objects).
    subscript(key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    /// Parses `data` as JSON; a failure names the position, or the likely cause (YAML given where
    /// JSON is expected). `what` names the document ("model file"), `field` the error's field.
    static func parse(
        _ data: Data, what: String, field: String = "(file)"
    ) throws(InputError) -> JSONValue {
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            let text = String(decoding: data.prefix(4096), as: UTF8.self)
            if case .syntax = error.kind, looksLikeYAML(text) {
                throw InputError(
                    field: field, problem: "this \(what) looks like YAML, but it must be JSON",
                    fix: "convert it to JSON (e.g. `python3 -c 'import sys,yaml,json; "
                        + "print(json.dumps(yaml.safe_load(sys.stdin)))' < file.yaml`); see docs/model-files.md"
                )
            }
            switch error.kind {
            case .empty:
                throw InputError(
                    field: field, problem: "the \(what) is empty",
                    fix:
                        "write a JSON object, e.g. {\"name\": \"my-cluster\"}; see docs/model-files.md"
                )
            case .notUTF8:
                throw InputError(
                    field: field,
                    problem: "the \(what) is not UTF-8 text: \(error.message) "
                        + "at line \(error.line), column \(error.column)",
                    fix: "save it as UTF-8")
            case .syntax, .limit:
                throw InputError(
                    field: field,
                    problem: "this \(what) is not valid JSON: line \(error.line), "
                        + "column \(error.column): \(error.message)",
                    fix: error.fix)
            }
        }
    }

    static func looksLikeYAML(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return false }
        if trimmed.hasPrefix("---") || trimmed.hasPrefix("apiVersion:")
            || trimmed.hasPrefix("kind:")
        {
            return true
        }
        let first = trimmed.split(separator: "\n").first.map(String.init) ?? ""
        return first.range(of: #"^[A-Za-z_][A-Za-z0-9_.-]*:(\s|$)"#, options: .regularExpression)
            != nil
    }
}

/// A JSON object's members in document order. Keys are unique: the parser rejects duplicates.
struct JSONObject: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        let key: String
        let value: JSONValue
        /// Line of the key in the document (1-based), 0 when built in code.
        let line: Int
    }

    var members: [Member]

    /// The value of `key`; a linear search, objects in model files are small.
    subscript(key: String) -> JSONValue? { members.first { $0.key == key }?.value }

    var keys: [String] { members.map(\.key) }
}

/// Bad input: names the field, what is wrong with it, and how to fix it. The CLI exits 2 with it.
public struct InputError: Error, CustomStringConvertible, Equatable {
    /// Dotted path of the offending field, e.g. `cluster.workerReconnectTimeoutSeconds`, or `(file)`.
    public let field: String
    /// What is wrong, without a trailing period.
    public let problem: String
    /// How to fix it, without a trailing period.
    public let fix: String

    public init(field: String, problem: String, fix: String) {
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "\(field): \(problem). Fix: \(fix)" }

    /// This error, reported as part of `outer`: the field and problem move into the problem text,
    /// the fix stays the fix, so the message still has one "Fix:".
    func nested(in outer: String, context: String) -> InputError {
        InputError(
            field: outer,
            problem: field == "(file)"
                ? "\(context): \(problem)" : "\(context): \(field): \(problem)", fix: fix)
    }
}

/// How user text appears inside messages: quoted, control characters escaped, long text cut, so a
/// hostile value can never break the one-line message or flood the terminal.
public enum InputText {
    static let shownLengthMax = 60

    /// `s` in double quotes, escaped and cut at ``shownLengthMax`` characters.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        var count = 0
        for scalar in s.unicodeScalars {
            if count == shownLengthMax {
                out += "…"
                break
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isInvisible(scalar) {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A path as messages show it: bare when it has no control or invisible characters (however
    /// long), else quoted and escaped.
    public static func path(_ s: String) -> String {
        s.unicodeScalars.contains(where: isInvisible) || s.count > 4_096 ? quoted(s) : s
    }

    /// Control, format and separator characters: they would break or hide part of a message.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || category == .format
            || category == .lineSeparator || category == .paragraphSeparator
    }

    /// True when `s` can be shown bare in a dotted field path.
    static func isPlainKey(_ s: String) -> Bool {
        !s.isEmpty && s.count <= shownLengthMax
            && s.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_"
                        || $0 == "-")
            }
    }
}
