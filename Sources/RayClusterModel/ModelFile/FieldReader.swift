import Foundation
import SimulationKernel

/// Reads the fields of one JSON object, tracking the path for error messages and rejecting keys
/// it was never asked about (a misspelt key is an error, not a silent default).
///
/// It checks types and syntax only; ranges and relationships are checked afterwards by the one
/// validation every model goes through (`ModelDefinition+Validation.swift`).
struct FieldReader {
    let path: String
    let fields: JSONObject
    private(set) var asked: [String] = []

    init(_ value: JSONValue, path: String) throws(InputError) {
        guard case .object(let fields) = value else {
            throw InputError(
                field: path.isEmpty ? "(file)" : path,
                problem: "expected an object, got \(value.shown)",
                fix: "write it as { \"key\": value, … }")
        }
        self.path = path
        self.fields = fields
    }

    /// The dotted path of `key`; a key that is not a plain word is shown quoted and escaped.
    func name(_ key: String) -> String {
        let shown = InputText.isPlainKey(key) ? key : "[\(InputText.quoted(key))]"
        if path.isEmpty { return InputText.isPlainKey(key) ? key : shown }
        return InputText.isPlainKey(key) ? "\(path).\(key)" : path + shown
    }

    /// The raw value of `key`, or nil when absent or null.
    mutating func value(_ key: String) -> JSONValue? {
        if !asked.contains(key) { asked.append(key) }
        if let v = fields[key], v != .null { return v }
        return nil
    }

    mutating func string(_ key: String) throws(InputError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else {
            throw InputError(
                field: name(key), problem: "expected a string, got \(v.shown)", fix: "quote it")
        }
        return s
    }

    /// A string that names one of a closed set of values (`parse` answers nil for any other):
    /// an unknown one is refused as "unknown `what`", with `fix` listing the known ones.
    mutating func named<T>(_ key: String, _ what: String, fix: String, _ parse: (String) -> T?) throws(InputError) -> T? {
        guard let text = try string(key) else { return nil }
        guard let value = parse(text) else {
            throw InputError(field: name(key), problem: "unknown \(what) \(InputText.quoted(text))", fix: fix)
        }
        return value
    }

    mutating func bool(_ key: String) throws(InputError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else {
            throw InputError(
                field: name(key), problem: "expected true or false, got \(v.shown)",
                fix: "write true or false without quotes")
        }
        return b
    }

    /// A whole number: an integer literal, or a number with a whole value (`2.0`, `1e3`). Its range
    /// is checked by validation, so the message can give the range with the fix.
    mutating func integer(_ key: String, fix: String) throws(InputError) -> Int? {
        guard let v = value(key) else { return nil }
        switch v {
        case .integer(let i):
            return Int(i)
        case .number(let d) where d == d.rounded(.towardZero) && abs(d) < 9.0e18:
            return Int(d)
        default:
            throw InputError(
                field: name(key), problem: "expected a whole number, got \(v.shown)", fix: fix)
        }
    }

    mutating func duration(_ key: String) throws(InputError) -> SimDuration? {
        guard let text = try string(key) else { return nil }
        do { return try SimDuration(parsing: text) } catch {
            throw InputError(field: name(key), problem: error.problem, fix: error.fix)
        }
    }

    /// A range: `{"min": "5s", "max": "30s"}` or a single duration string meaning exactly that.
    mutating func range(_ key: String) throws(InputError) -> DurationRange? {
        guard let v = value(key) else { return nil }
        if case .string = v {
            return DurationRange.exactly(try duration(key)!)
        }
        var r = try FieldReader(v, path: name(key))
        guard let lo = try r.duration("min"), let hi = try r.duration("max") else {
            throw InputError(
                field: name(key), problem: "a range needs both \"min\" and \"max\"",
                fix: "write {\"min\": \"5s\", \"max\": \"30s\"} or a single duration")
        }
        try r.rejectUnknown()
        guard lo <= hi else {
            throw InputError(
                field: name(key), problem: "min \(lo) is greater than max \(hi)",
                fix: "swap them, or make min ≤ max")
        }
        return DurationRange(lo, hi)
    }

    mutating func object(_ key: String) throws(InputError) -> FieldReader? {
        guard let v = value(key) else { return nil }
        return try FieldReader(v, path: name(key))
    }

    /// An array of objects, each read by its own reader (path `key[i]`); nil when absent.
    mutating func objects(_ key: String, fix: String) throws(InputError) -> [FieldReader]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else {
            throw InputError(
                field: name(key), problem: "expected an array, got \(v.shown)", fix: fix)
        }
        var readers: [FieldReader] = []
        for (i, item) in items.enumerated() {
            readers.append(try FieldReader(item, path: "\(name(key))[\(i)]"))
        }
        return readers
    }

    /// Whether the object has `key` (null counts as absent), without asking for it.
    func has(_ key: String) -> Bool { fields[key].map { $0 != .null } ?? false }

    /// Fails on the first key (in sorted order) that no one asked for.
    func rejectUnknown() throws(InputError) {
        // Sorted, not document order, so the report does not depend on how the file was written
        // (docs/architecture.md: unknown model-file fields in sorted order).
        for key in fields.keys.sorted() where !asked.contains(key) {
            throw InputError(
                field: name(key), problem: "unknown field",
                fix:
                    "remove it or correct its spelling; known fields here: \(asked.joined(separator: ", "))"
            )
        }
    }
}
