/// A strict recursive-descent JSON reader over UTF-8 bytes (RFC 8259), tracking line and column.
///
/// Stricter than `JSONDecoder` where leniency would hide a mistake in a hand-written model file:
/// a key written twice is an error naming both lines (a decoder keeps one silently); a trailing
/// comma is an error; whole numbers stay exact `Int64` (no rounding through `Double`); nesting is
/// limited (``InputLimits/jsonDepthMax``) so a hostile file cannot exhaust the stack.
struct JSONParser {
    /// Why parsing stopped, with the position of the offending byte.
    struct Failure: Error {
        enum Kind { case empty, notUTF8, syntax, limit }
        let kind: Kind
        let message: String
        let fix: String
        let line: Int
        let column: Int
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// Column of `index` in characters (UTF-8 continuation bytes do not count), from 1; kept up
    /// to date by `advance` so a long line costs nothing extra.
    private var column = 1
    private var depth = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses one JSON value filling the whole document (whitespace around it allowed).
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        if let bad = UTF8Check.firstInvalidOffset(bytes) {
            let (line, column) = UTF8Check.position(of: bad, in: bytes)
            throw Failure(
                kind: .notUTF8, message: "invalid byte 0x\(hexByte(bytes[bad]))",
                fix: "save it as UTF-8",
                line: line, column: column)
        }
        var p = JSONParser(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            p.index = 3  // a UTF-8 byte order mark
        }
        p.skipWhitespace()
        guard p.index < bytes.count else {
            throw Failure(kind: .empty, message: "empty", fix: "", line: 1, column: 1)
        }
        let value = try p.value()
        p.skipWhitespace()
        guard p.index == bytes.count else {
            throw p.failure(
                "unexpected \(p.found) after the end of the JSON value",
                fix: "remove what follows the closing bracket, or wrap several values in one object"
            )
        }
        return value
    }

    // MARK: Values

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else {
            throw failure("the file ends where a value is expected", fix: Self.closeFix)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default:
            throw failure(
                "expected a value (an object, array, string, number, true, false or null), found \(found)",
                fix: "quote strings with double quotes, e.g. \"10s\"")
        }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try enter()
        advance()  // {
        var members: [JSONObject.Member] = []
        var lines: [String: Int] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            advance()
            depth -= 1
            return .object(JSONObject(members: members))
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                let fix =
                    peek(UInt8(ascii: "}"))
                    ? "remove the comma before the closing brace"
                    : "write keys as strings in double quotes, e.g. \"workers\": 2"
                let what =
                    peek(UInt8(ascii: "}"))
                    ? "a trailing comma before '}'"
                    : "expected a key in double quotes, found \(found)"
                throw failure(what, fix: fix)
            }
            let keyLine = line
            let keyColumn = column
            let key = try string()
            // A dictionary for lookup only: members keep document order.
            if let firstLine = lines.updateValue(keyLine, forKey: key) {
                throw Failure(
                    kind: .syntax,
                    message:
                        "key \(InputText.quoted(key)) appears twice, at line \(firstLine) and line \(keyLine)",
                    fix: "keep one of them", line: keyLine, column: keyColumn)
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw failure(
                    "expected ':' after the key \(InputText.quoted(key)), found \(found)",
                    fix: "write \"key\": value")
            }
            advance()
            skipWhitespace()
            members.append(JSONObject.Member(key: key, value: try value(), line: keyLine))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                advance()
                continue
            }
            if peek(UInt8(ascii: "}")) {
                advance()
                depth -= 1
                return .object(JSONObject(members: members))
            }
            throw failure(
                "expected ',' or '}' after the value of \(InputText.quoted(key)), found \(found)",
                fix: "separate members with commas and close the object with '}'")
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try enter()
        advance()  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            advance()
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) {
                throw failure(
                    "a trailing comma before ']'",
                    fix: "remove the comma before the closing bracket")
            }
            items.append(try value())
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                advance()
                continue
            }
            if peek(UInt8(ascii: "]")) {
                advance()
                depth -= 1
                return .array(items)
            }
            throw failure(
                "expected ',' or ']' after an array element, found \(found)",
                fix: "separate elements with commas and close the array with ']'")
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= InputLimits.jsonDepthMax else {
            throw Failure(
                kind: .limit,
                message: "objects and arrays nested deeper than \(InputLimits.jsonDepthMax) levels",
                fix: "model files need a few levels; remove the extra nesting", line: line,
                column: column)
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8)
        guard bytes.count - index >= w.count, Array(bytes[index..<index + w.count]) == w else {
            throw failure(
                "expected a value, found \(found)",
                fix: "write true, false or null in lower case, and quote strings")
        }
        for _ in w { advance() }
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; without fraction and exponent an
    /// exact `Int64`, else a finite `Double`.
    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        let startColumn = column
        if peek(UInt8(ascii: "-")) { advance() }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw failure(
                "expected a digit after '-', found \(found)", fix: "write numbers like -1, 0.5 or 2"
            )
        }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            throw failure("a number with a leading zero", fix: "write 7, not 07")
        }
        while index < bytes.count, isDigit(bytes[index]) { advance() }
        var whole = true
        if peek(UInt8(ascii: ".")) {
            whole = false
            advance()
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw failure(
                    "expected a digit after the decimal point, found \(found)",
                    fix: "write 1.5 or 1, not 1.")
            }
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            whole = false
            advance()
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { advance() }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw failure(
                    "expected a digit in the exponent, found \(found)", fix: "write 1e3 or 1000")
            }
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if whole {
            guard let i = Int64(text) else {
                throw Failure(
                    kind: .limit,
                    message: "the number \(Self.cut(text)) does not fit a 64-bit whole number",
                    fix: "use a value between -9223372036854775808 and 9223372036854775807",
                    line: line, column: startColumn)
            }
            return .integer(i)
        }
        guard let d = Double(text), d.isFinite else {
            throw Failure(
                kind: .limit, message: "the number \(Self.cut(text)) is too large",
                fix: "use a smaller number",
                line: line, column: startColumn)
        }
        return .number(d)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func cut(_ text: String) -> String {
        text.count <= 30 ? text : String(text.prefix(30)) + "…"
    }

    // MARK: Strings

    /// A string with every JSON escape, `\uXXXX` surrogate pairs included; raw control characters
    /// and lone surrogates are errors. The bytes were checked to be UTF-8 before parsing.
    private mutating func string() throws(Failure) -> String {
        advance()  // opening quote
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw failure(
                    "the file ends inside a string", fix: "close the string with a double quote")
            }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                advance()
                try escape(into: &out)
            case 0..<0x20:
                throw failure(
                    "an unescaped control character (0x\(hexByte(b))) inside a string",
                    fix: b == 0x0A
                        ? "close the string before the line ends, or write \\n"
                        : "write it as an escape such as \\t or \\u00\(hexByte(b))")
            default:
                out.append(b)
                advance()
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        guard index < bytes.count else {
            throw failure("the file ends inside a string", fix: "close the string")
        }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[bytes[index]] {
            out.append(byte)
            advance()
            return
        }
        guard bytes[index] == UInt8(ascii: "u") else {
            throw failure(
                "an unknown escape in a string: a backslash followed by \(found)",
                fix: "use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
        advance()
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw failure(
                    "a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string",
                    fix: "follow a high surrogate with a low one (\\uDC00 to \\uDFFF)")
            }
            advance()
            advance()
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw failure(
                    "a high surrogate not followed by a low surrogate",
                    fix: "write a valid surrogate pair")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw failure(
                "a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string",
                fix: "a low surrogate must follow a high one")
        }
        out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let d = hexValue(bytes[index]) else {
                throw failure(
                    "expected four hex digits after \\u, found \(found)", fix: "write e.g. \\u00e9")
            }
            v = v * 16 + d
            advance()
        }
        return v
    }

    private func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Position

    private func peek(_ b: UInt8) -> Bool { index < bytes.count && bytes[index] == b }

    private mutating func advance() {
        if bytes[index] == 0x0A {
            line += 1
            column = 1
        } else if bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { advance() }
    }

    /// The byte at the current position, as a message shows it.
    private var found: String {
        guard index < bytes.count else { return "the end of the file" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b >= 0x80 {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return InputText.quoted(String(decoding: bytes[index..<end], as: UTF8.self))
        }
        return "byte 0x\(hexByte(b))"
    }

    private static let closeFix = "close every string, object and array"

    private func failure(_ message: String, fix: String) -> Failure {
        Failure(kind: .syntax, message: message, fix: fix, line: line, column: column)
    }
}

func hexByte(_ b: UInt8) -> String {
    let s = String(b, radix: 16, uppercase: true)
    return s.count == 1 ? "0" + s : s
}

/// UTF-8 well-formedness (Unicode 15, table 3-7): no overlong forms, no surrogates, nothing above
/// U+10FFFF. Shared by the file reader and the JSON reader so both reject the same bytes.
enum UTF8Check {
    /// The offset of the first byte that does not start a well-formed sequence, or nil.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F:
                i += 1
                continue
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                hi = 0x9F
            case 0xF0:
                length = 4
                lo = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                hi = 0x8F
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            guard (lo...hi).contains(bytes[i + 1]) else { return i }
            for k in 2..<max(length, 2) where !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return nil
    }

    /// Line and column (in characters, from 1) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for b in bytes[..<offset] {
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
