/// Scalars: keys, plain, quoted and block scalars, and how plain ones resolve.
extension YAMLParser {
    // MARK: Keys

    /// A block mapping key and its `: ` at the cursor, or nil (cursor unchanged) when the line
    /// does not start with one. A key is on one line, as YAML requires of implicit keys.
    mutating func mappingKey() throws(YAMLError) -> Key? {
        let saved = cursor
        let start = here
        let scalar: YAMLScalar
        switch byte {
        case YAMLByte.quote, YAMLByte.apostrophe:
            scalar = try quotedScalar()
            while byte == YAMLByte.space || byte == YAMLByte.tab { advance() }
            guard line == start.line, byte == YAMLByte.colon, isBlankOrBreak(peek(1)) else {
                cursor = saved
                return nil
            }
        default:
            guard canStartPlain(flow: false) else { return nil }
            let text = plainText(flow: false)
            // A block plain scalar stops at a ':' only when a blank or line break follows it.
            guard byte == YAMLByte.colon else {
                cursor = saved
                return nil
            }
            scalar = try plainKey(text, at: start)
        }
        advance()  // :
        return Key(scalar: scalar, position: start)
    }

    /// A plain key: a string, or a whole number written as JSON would write it (`8080:`), which
    /// sigs.k8s.io/yaml turns into the same string. Keys YAML reads as anything else are
    /// refused rather than turned into text, and so is the merge key `<<`.
    func plainKey(_ text: String, at start: YAMLPosition) throws(YAMLError)
        -> YAMLScalar
    {
        if text == "<<" {
            throw YAMLError(
                at: start, "merge keys (<<) are not supported",
                fix: "write the merged keys out in full")
        }
        let reading: String
        switch YAMLCoreSchema.resolve(text) {
        case .value(.string(let s)):
            return YAMLScalar(text: text, style: .plain, value: .string(s))
        case .value(.integer(let i)) where String(i) == text:
            return YAMLScalar(text: text, style: .plain, value: .integer(i))
        case .value(.null): reading = "null"
        case .value(.bool): reading = "a boolean"
        case .value(.integer(let i)): reading = "the number \(i)"
        case .value: reading = "a number"
        case .refused(let message, _): reading = "a value it refuses (\(message))"
        }
        throw YAMLError(
            at: start, "the key \(InputText.quoted(text)) is read by YAML as \(reading)",
            fix: "quote the key, e.g. \"\(text)\":")
    }

    // MARK: Plain scalars

    /// True when a plain scalar can start at the cursor: not at an indicator, except `-`, `?`
    /// and `:` followed by a character that keeps them plain (`-1`, `:x`); inside a flow
    /// collection only `-`, as libyaml reads `[?x]` as a mapping and refuses `[:x]`.
    func canStartPlain(flow: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "?") where flow, YAMLByte.colon where flow:
            return false  // libyaml reads them as indicators there, whatever follows
        case YAMLByte.dash, UInt8(ascii: "?"), YAMLByte.colon:
            let next = peek(1)
            return !isBlankOrBreak(next) && !(flow && isFlowIndicator(next))
        case YAMLByte.comma, YAMLByte.openBracket, YAMLByte.closeBracket, YAMLByte.openBrace,
            YAMLByte.closeBrace, YAMLByte.hash, UInt8(ascii: "&"), UInt8(ascii: "*"),
            UInt8(ascii: "!"), YAMLByte.pipe, YAMLByte.greater, YAMLByte.apostrophe,
            YAMLByte.quote, UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            return false
        default:
            return !isBlankOrBreak(byte)
        }
    }

    func isFlowIndicator(_ b: UInt8) -> Bool {
        b == YAMLByte.comma || b == YAMLByte.openBracket || b == YAMLByte.closeBracket
            || b == YAMLByte.openBrace || b == YAMLByte.closeBrace
    }

    /// The text of a plain scalar on the cursor's line. It ends at `: ` (or `:` before a flow
    /// indicator inside a flow collection), at ` #`, at the line's end, and inside a flow
    /// collection at `,[]{}`; trailing blanks are consumed but not part of it.
    mutating func plainText(flow: Bool) -> String {
        let start = index
        var stop = index
        while !atBreakOrEnd {
            let b = byte
            if b == YAMLByte.space || b == YAMLByte.tab {
                if peek(1) == YAMLByte.hash { break }
                advance()
                continue
            }
            if b == YAMLByte.colon {
                let next = peek(1)
                if isBlankOrBreak(next) || (flow && isFlowIndicator(next)) { break }
            }
            if flow && isFlowIndicator(b) { break }
            advance()
            stop = index
        }
        return String(decoding: bytes[start..<stop], as: UTF8.self)
    }

    /// A plain scalar resolved by the core schema; `.inf`, `.nan` and out-of-range numbers are
    /// refused at the scalar's position.
    func plainScalar(_ text: String, at start: YAMLPosition) throws(YAMLError) -> YAMLScalar {
        switch YAMLCoreSchema.resolve(text) {
        case .value(let value): return YAMLScalar(text: text, style: .plain, value: value)
        case .refused(let message, let fix): throw YAMLError(at: start, message, fix: fix)
        }
    }

    // MARK: Quoted scalars

    /// A single- or double-quoted scalar at the cursor. Line breaks fold as YAML says: a break
    /// becomes a space, each empty line a `\n`, blanks around the break are dropped. The lines
    /// after the first may start anywhere (as in libyaml), except with a document marker.
    mutating func quotedScalar() throws(YAMLError) -> YAMLScalar {
        let start = here
        let double = byte == YAMLByte.quote
        let closer = double ? YAMLByte.quote : YAMLByte.apostrophe
        advance()
        var out: [UInt8] = []
        var kept = 0  // out[kept...] are blanks a line break would drop
        while true {
            if atEnd {
                throw YAMLError(
                    at: start,
                    "this \(double ? "double" : "single")-quoted string is never closed",
                    fix: "close it with \(double ? "\"" : "'")")
            }
            let b = byte
            if b == closer {
                if !double && peek(1) == YAMLByte.apostrophe {
                    out.append(YAMLByte.apostrophe)
                    advance(by: 2)
                    kept = out.count
                    continue
                }
                advance()
                break
            }
            if double && b == YAMLByte.backslash && peek(1) == YAMLByte.lineFeed {
                // An escaped line break joins the lines without a space.
                advance(by: 2)
                let empty = try skipQuotedLinePrefix(opened: start)
                out.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: empty))
                kept = out.count
                continue
            }
            if double && b == YAMLByte.backslash {
                try escape(into: &out)
                kept = out.count
                continue
            }
            if b == YAMLByte.lineFeed {
                out.removeSubrange(kept...)
                advance()
                let empty = try skipQuotedLinePrefix(opened: start)
                if empty == 0 {
                    out.append(YAMLByte.space)
                } else {
                    out.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: empty))
                }
                kept = out.count
                continue
            }
            out.append(b)
            advance()
            if b != YAMLByte.space && b != YAMLByte.tab { kept = out.count }
        }
        let text = String(decoding: out, as: UTF8.self)
        return YAMLScalar(
            text: text, style: double ? .doubleQuoted : .singleQuoted, value: .string(text))
    }

    /// After a line break inside quotes: the blanks starting the next lines, counting the lines
    /// that hold nothing else.
    private mutating func skipQuotedLinePrefix(opened: YAMLPosition) throws(YAMLError) -> Int {
        var empty = 0
        while true {
            if atAnyDocumentMarker {
                throw failure(
                    "a document marker inside the string opened at line \(opened.line)",
                    fix: "close the string before the marker")
            }
            while byte == YAMLByte.space || byte == YAMLByte.tab { advance() }
            guard byte == YAMLByte.lineFeed else { return empty }
            empty += 1
            advance()
        }
    }

    /// One escape of a double-quoted scalar, the cursor on its backslash.
    private mutating func escape(into out: inout [UInt8]) throws(YAMLError) {
        let start = here
        advance()  // backslash
        let letter = byte
        let simple: UInt8? =
            switch letter {
            case UInt8(ascii: "0"): 0x00
            case UInt8(ascii: "a"): 0x07
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "t"), YAMLByte.tab: 0x09
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "v"): 0x0B
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "e"): 0x1B
            case YAMLByte.space, YAMLByte.quote, UInt8(ascii: "/"), YAMLByte.backslash: letter
            default: nil
            }
        if let simple {
            out.append(simple)
            advance()
            return
        }
        let code: UInt32
        switch letter {
        case UInt8(ascii: "N"): code = 0x85
        case UInt8(ascii: "_"): code = 0xA0
        case UInt8(ascii: "L"): code = 0x2028
        case UInt8(ascii: "P"): code = 0x2029
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            advance()
            let count = letter == UInt8(ascii: "x") ? 2 : letter == UInt8(ascii: "u") ? 4 : 8
            code = try hexDigits(count, after: Character(Unicode.Scalar(letter)))
            guard let scalar = Unicode.Scalar(code) else {
                throw YAMLError(
                    at: start,
                    "the escape \\\(Character(Unicode.Scalar(letter)))"
                        + "\(String(code, radix: 16, uppercase: true)) is not a character (a "
                        + "surrogate or above U+10FFFF; kubectl refuses it too)",
                    fix: "write the character itself, or \\U0001F600 for one above U+FFFF")
            }
            out.append(contentsOf: Array(String(scalar).utf8))
            return
        default:
            throw YAMLError(
                at: start, "an unknown escape: a backslash followed by \(found)",
                fix: "use one of \\n \\t \\\" \\\\ \\/ \\xXX \\uXXXX, or single quotes, where "
                    + "a backslash is an ordinary character")
        }
        advance()
        out.append(contentsOf: Array(String(Unicode.Scalar(code)!).utf8))
    }

    private mutating func hexDigits(_ count: Int, after letter: Character) throws(YAMLError)
        -> UInt32
    {
        var value: UInt32 = 0
        for _ in 0..<count {
            let b = byte
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default:
                throw failure(
                    "expected \(count) hex digits after \\\(letter), found \(found)",
                    fix: "write e.g. \\\(letter)\(String(repeating: "0", count: count - 2))e9")
            }
            value = value << 4 | UInt32(digit)
            advance()
        }
        return value
    }

    // MARK: Block scalars

    private enum Chomping { case strip, clip, keep }

    /// A `|` (literal) or `>` (folded) block scalar at the cursor, `parent` the indentation of
    /// the collection holding it. Returns at the start of the first line after it.
    ///
    /// Indentation as libyaml (kubectl) computes it: an indicator `|2` means the parent's
    /// indentation (0 at the top) plus 2; without one, the first non-empty line's, which must
    /// be deeper than the parent's and at least 1. Folding and chomping as libyaml does them.
    mutating func blockScalar(parent: Int) throws(YAMLError) -> YAMLNode {
        let start = here
        let literal = byte == YAMLByte.pipe
        advance()
        let (chomping, indicator) = try blockScalarHeader()
        let base = max(parent, 0)
        var indent = indicator.map { base + $0 }
        var text: [UInt8] = []
        var pendingBreak = false  // the break after the last content line, not yet written
        var emptyLines = 0  // empty lines since the last content line
        var previousMoreIndented = false
        var leadingSpacesMax = 0
        while !atEnd {
            let lineStart = cursor
            var spaces = 0
            while byte == YAMLByte.space && spaces < indent ?? Int.max {
                advance()
                spaces += 1
            }
            if byte == YAMLByte.tab && spaces < indent ?? Int.max {
                throw failure(
                    "a tab in the indentation of a block scalar", fix: "indent with spaces")
            }
            if byte == YAMLByte.lineFeed {
                if indent == nil { leadingSpacesMax = max(leadingSpacesMax, spaces) }
                emptyLines += 1
                advance()
                continue
            }
            if atEnd { break }
            if indent == nil && spaces > base {
                guard spaces >= leadingSpacesMax else {
                    throw YAMLError(
                        at: YAMLPosition(line: line, column: 1),
                        "a blank line at the start of this block scalar has "
                            + "\(leadingSpacesMax) spaces, more than its first line (\(spaces))",
                        fix: "remove the spaces from the blank line")
                }
                indent = spaces
            }
            guard let indent, spaces == indent else {
                cursor = lineStart  // a less indented line: the scalar has ended
                break
            }
            let moreIndented = byte == YAMLByte.space || byte == YAMLByte.tab
            if pendingBreak {
                if !literal && !previousMoreIndented && !moreIndented {
                    if emptyLines == 0 { text.append(YAMLByte.space) }
                } else {
                    text.append(YAMLByte.lineFeed)
                }
            }
            text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: emptyLines))
            emptyLines = 0
            while !atBreakOrEnd {
                text.append(byte)
                advance()
            }
            pendingBreak = byte == YAMLByte.lineFeed
            if pendingBreak { advance() }
            previousMoreIndented = moreIndented
        }
        if chomping != .strip && pendingBreak { text.append(YAMLByte.lineFeed) }
        if chomping == .keep {
            text.append(contentsOf: repeatElement(YAMLByte.lineFeed, count: emptyLines))
        }
        let s = String(decoding: text, as: UTF8.self)
        let scalar = YAMLScalar(text: s, style: literal ? .literal : .folded, value: .string(s))
        return try node(at: start, .scalar(scalar))
    }

    /// The indicators after `|` or `>` in either order, then the rest of the header line.
    private mutating func blockScalarHeader() throws(YAMLError) -> (Chomping, Int?) {
        var chomping: Chomping?
        var indicator: Int?
        for _ in 0..<2 {
            switch byte {
            case YAMLByte.dash, UInt8(ascii: "+"):
                guard chomping == nil else {
                    throw failure(
                        "two chomping indicators in a block scalar header",
                        fix: "write one of - (strip) or + (keep)")
                }
                chomping = byte == YAMLByte.dash ? .strip : .keep
                advance()
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                guard indicator == nil else {
                    throw failure(
                        "two indentation indicators in a block scalar header",
                        fix: "write one digit from 1 to 9")
                }
                indicator = Int(byte - UInt8(ascii: "0"))
                advance()
            case UInt8(ascii: "0"):
                throw failure(
                    "an indentation indicator of 0", fix: "write a digit from 1 to 9, or none")
            default: break
            }
        }
        if byte == YAMLByte.hash {
            throw failure(
                "a '#' right after a block scalar header (libyaml starts a comment there, "
                    + "YAML does not)", fix: "put a space before a comment's '#'")
        }
        guard isBlankOrBreak(byte) else {
            throw failure(
                "unexpected \(found) in a block scalar header",
                fix: "write | or >, then optionally - or + and a digit 1-9, then the line break")
        }
        try finishLine()
        return (chomping ?? .clip, indicator)
    }
}

/// How a plain scalar reads under the YAML 1.2 core schema, the schema this reader uses.
///
/// `null`, `Null`, `NULL`, `~` and the empty scalar are null; `true`/`false` in lower, title or
/// upper case are booleans; `[-+]?[0-9]+`, `0x[0-9a-fA-F]+` and `0o[0-7]+` are whole numbers
/// (`Int64`, else refused); `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` is a number;
/// everything else is a string. So `yes`, `no`, `on`, `off` are strings, as in YAML 1.2.
///
/// Where this differs from Kubernetes, which reads YAML with sigs.k8s.io/yaml (go-yaml v2, YAML
/// 1.1 rules): those four words and `y`/`n` are booleans there, `0777` is octal, `1_000` and
/// `0b101` are numbers; ``YAMLScalar/isReadDifferentlyByYAML11`` flags each such scalar. And
/// `.inf`, `.nan` are refused here (JSON has no such numbers; kubectl fails on them too).
enum YAMLCoreSchema {
    enum Resolution: Equatable {
        case value(JSONValue)
        case refused(message: String, fix: String)
    }

    static func resolve(_ text: String) -> Resolution {
        switch text {
        case "", "~", "null", "Null", "NULL": return .value(.null)
        case "true", "True", "TRUE": return .value(.bool(true))
        case "false", "False", "FALSE": return .value(.bool(false))
        default: break
        }
        if infinityAndNaN.contains(text) {
            return .refused(
                message: "\(text) is not a number JSON can carry (Kubernetes refuses it too)",
                fix: "quote it if you mean the text, e.g. \"\(text)\"")
        }
        let b = Array(text.utf8)
        var tooLarge: Resolution {
            .refused(
                message: "the number \(InputText.quoted(text)) does not fit a 64-bit whole number",
                fix: "use a value between -9223372036854775808 and 9223372036854775807, or "
                    + "quote it")
        }
        let signLength = b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-") ? 1 : 0
        if b.count > signLength && b[signLength...].allSatisfy(isDigit) {
            guard let i = Int64(text) else { return tooLarge }
            return .value(.integer(i))
        }
        if b.count > 2 && b[0] == UInt8(ascii: "0") {
            let digits = String(decoding: b[2...], as: UTF8.self)
            if b[1] == UInt8(ascii: "x") && b[2...].allSatisfy(isHexDigit) {
                guard let i = Int64(digits, radix: 16) else { return tooLarge }
                return .value(.integer(i))
            }
            if b[1] == UInt8(ascii: "o") && b[2...].allSatisfy(isOctalDigit) {
                guard let i = Int64(digits, radix: 8) else { return tooLarge }
                return .value(.integer(i))
            }
        }
        if isFloat(b) {
            guard let d = Double(text), d.isFinite else {
                return .refused(
                    message: "the number \(InputText.quoted(text)) is too large",
                    fix: "use a smaller number, or quote it")
            }
            return .value(.number(d))
        }
        return .value(.string(text))
    }

    /// True when go-yaml v2 (YAML 1.1) reads the plain scalar `text` differently; see the type.
    static func yaml11Differs(_ text: String) -> Bool {
        if yaml11Booleans.contains(text) { return true }
        let b = Array(text.utf8)
        let signed = b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-")
        let body = b.dropFirst(signed ? 1 : 0)
        if body.count >= 2 && body.first == UInt8(ascii: "0") {
            let rest = body.dropFirst(2)
            switch body[body.startIndex + 1] {
            case UInt8(ascii: "b"):
                if !rest.isEmpty && rest.allSatisfy({ $0 == 0x30 || $0 == 0x31 || $0 == 0x5F }) {
                    return true
                }
            case UInt8(ascii: "x"), UInt8(ascii: "o"):
                if signed, case .value(.integer) = resolve(String(decoding: body, as: UTF8.self)) {
                    return true
                }
            default:
                if body.allSatisfy(isDigit) { return true }  // 0777: octal in YAML 1.1
            }
        }
        if b.contains(UInt8(ascii: "_")) {
            switch resolve(String(decoding: b.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)) {
            case .value(.integer), .value(.number): return true
            default: return false
            }
        }
        return false
    }

    private static let infinityAndNaN: Set<String> = [
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
        ".nan", ".NaN", ".NAN",
    ]

    private static let yaml11Booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF",
    ]

    private static func isDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }

    private static func isOctalDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7")
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float.
    private static func isFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let from = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            return i - from
        }
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        let whole = digits()
        var fraction = 0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            fraction = digits()
        }
        guard whole > 0 || fraction > 0 else { return false }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }
}
