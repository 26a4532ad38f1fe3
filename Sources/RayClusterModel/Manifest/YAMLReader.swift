/// Reads the YAML that Kubernetes manifests are written in, and refuses the rest by name.
///
/// Accepted: block mappings and sequences (the compact `- key: v` and `- - a` forms, and a
/// sequence at the same indentation as its key, `key:` then `- a`, as kubectl's examples write
/// it); flow `{a: 1, b: [x, y]}` (so JSON is accepted too); comments; plain scalars on one line;
/// single- and double-quoted scalars (all YAML escapes, line folding); `|` and `>` block scalars
/// with chomping (`-`, `+`) and indentation (`1`-`9`) indicators; several documents.
///
/// Refused, with line and column, never guessed: anchors `&a`, aliases `*a`, merge keys `<<`,
/// tags `!x`, directives `%YAML`, explicit keys `? `, collections or multi-line scalars as keys,
/// `key: value` pairs in `[ ]`, keys without values in `{ }`, plain scalars over several lines,
/// `.inf`/`.nan` and numbers out of range (JSON cannot carry them), control characters. Also
/// refused where YAML readers disagree (checked against libyaml, the C original of the go-yaml
/// that kubectl uses): tabs at the start of a line (blank and comment lines too) and after `- `;
/// a `#` right after a value (libyaml starts a comment there, YAML does not); `?` or `:`
/// starting a value inside `[ ]`/`{ }`; `{a:}`; a value at its key's own indentation.
///
/// Documents: a `---` line starts one and holds nothing else but a comment (kubectl splits
/// streams at such lines and refuses `--- value`); `...` ends one and must be followed by `---`
/// or the end; the first document needs no `---`. A document with no node at all (`---` then
/// `---`, or only comments) is skipped, as kubectl skips it; one holding only `~` is null. An
/// empty stream is no documents.
///
/// Scalars resolve by the YAML 1.2 core schema (``YAMLCoreSchema``); where sigs.k8s.io/yaml
/// (YAML 1.1) reads a plain scalar differently, ``YAMLScalar/isReadDifferentlyByYAML11`` says so.
enum YAMLReader {
    /// Nesting of mappings and sequences, block and flow together: the JSON limit
    /// (``InputLimits/jsonDepthMax``). A RayCluster manifest nests about 12 deep (affinity
    /// terms); the limit keeps the recursive reader far from the end of the stack.
    static let depthMax = InputLimits.jsonDepthMax
    /// Nodes in one stream, empty values included. A RayCluster manifest has a few hundred; the
    /// limit keeps a hostile file's tree (at most ~100 bytes a node) under 25 MB.
    static let nodeCountMax = 250_000
    /// Bytes of one stream: the limit of every input file (``InputLimits/fileBytesMax``).
    static let bytesMax = InputLimits.fileBytesMax

    /// The documents of a YAML stream, in order, empty documents skipped.
    static func documents(_ bytes: [UInt8]) throws(YAMLError) -> [YAMLNode] {
        var parser = try YAMLParser(prepared: bytes)
        return try parser.stream()
    }
}

/// Bytes the reader looks at, named.
enum YAMLByte {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let apostrophe: UInt8 = 0x27
    static let comma: UInt8 = 0x2C
    static let dash: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let backslash: UInt8 = 0x5C
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let pipe: UInt8 = 0x7C
    static let greater: UInt8 = 0x3E
    /// Appended after the last byte; the input itself never holds it (control characters are
    /// refused before parsing), so reading it means the end.
    static let end: UInt8 = 0x00
}

/// A recursive-descent reader of the subset, over UTF-8 bytes with `\n` line ends, tracking
/// line and column. Every node function returns with the cursor on the first character of the
/// next line that holds content (or at the end), so a collection decides by that line's
/// indentation whether it continues.
struct YAMLParser {
    /// The input: byte order mark removed, `\r\n` turned into `\n`, ``YAMLByte/end`` appended.
    let bytes: [UInt8]
    /// Index of the appended end byte.
    let end: Int
    var index = 0
    var line = 1
    /// Column of `index` in characters (UTF-8 continuation bytes do not count), from 1.
    var column = 1
    var depth = 0
    var nodeCount = 0

    /// A saved place to return to after looking ahead.
    struct Cursor {
        let index: Int
        let line: Int
        let column: Int
    }

    /// A mapping key that has been read, with its `:`.
    struct Key {
        let scalar: YAMLScalar
        let position: YAMLPosition
    }

    /// Where a node is being read, for the messages that depend on it.
    enum Context {
        case lineStart
        case afterKey(String)
    }

    init(prepared input: [UInt8]) throws(YAMLError) {
        guard input.count <= YAMLReader.bytesMax else {
            throw YAMLError(
                at: YAMLPosition(line: 1, column: 1),
                "the input is larger than \(YAMLReader.bytesMax >> 20) MiB",
                fix: "a manifest is a few KiB; check that this is the right file")
        }
        if input.starts(with: [0xFF, 0xFE]) || input.starts(with: [0xFE, 0xFF]) {
            throw YAMLError(
                at: YAMLPosition(line: 1, column: 1), "the input is UTF-16 text, not UTF-8",
                fix: "save it as UTF-8")
        }
        let body = input.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(input.dropFirst(3)) : input
        if let bad = UTF8Check.firstInvalidOffset(body) {
            throw Self.inputFailure(
                body, bad, "invalid UTF-8 byte 0x\(hexByte(body[bad]))", fix: "save it as UTF-8")
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 1)
        var i = 0
        while i < body.count {
            let b = body[i]
            let next = i + 1 < body.count ? body[i + 1] : 0
            if b == 0x0D {
                guard next == YAMLByte.lineFeed else {
                    throw Self.inputFailure(
                        body, i, "a carriage return without a line feed after it",
                        fix: "save the file with LF or CRLF line ends")
                }
            } else if (b < 0x20 && b != YAMLByte.tab && b != YAMLByte.lineFeed) || b == 0x7F
                || (b == 0xC2 && (0x80...0x9F).contains(next) && next != 0x85)
            {
                let code = b == 0xC2 ? "U+00\(hexByte(next))" : "0x\(hexByte(b))"
                throw Self.inputFailure(
                    body, i, "a control character (\(code)), which YAML does not allow",
                    fix: "remove it, or write it as an escape in double quotes, e.g. \"\\x07\"")
            } else if b == 0xEF, next == 0xBF, i + 2 < body.count, body[i + 2] >= 0xBE {
                throw Self.inputFailure(
                    body, i, "the noncharacter U+FFF\(body[i + 2] == 0xBE ? "E" : "F")",
                    fix: "remove it")
            } else {
                out.append(b)
            }
            i += 1
        }
        try Self.checkSeparatorLines(out)
        end = out.count
        out.append(YAMLByte.end)
        bytes = out
    }

    /// Refuses what kubectl refuses before any YAML parser sees it: it splits a stream at every
    /// line that starts with `---` and allows only blanks and a comment after those 3 dashes
    /// (k8s.io/apimachinery, util/yaml `YAMLReader`). So `--- {a: 1}`, `--- |` and `----` are
    /// refused here, though YAML itself would read them.
    private static func checkSeparatorLines(_ text: [UInt8]) throws(YAMLError) {
        var lineStart = 0
        var line = 1
        while lineStart < text.count {
            var stop = lineStart
            while stop < text.count && text[stop] != YAMLByte.lineFeed { stop += 1 }
            if stop - lineStart >= 3 && text[lineStart..<lineStart + 3].allSatisfy({ $0 == 0x2D }) {
                var i = lineStart + 3
                while i < stop && (text[i] == YAMLByte.space || text[i] == YAMLByte.tab) { i += 1 }
                if i < stop && text[i] != YAMLByte.hash {
                    throw YAMLError(
                        at: YAMLPosition(line: line, column: i - lineStart + 1),
                        "content after '---' on its line; kubectl splits documents at lines "
                            + "starting with '---' and allows only a comment after it",
                        fix: "put the content on the next line")
                }
            }
            lineStart = stop + 1
            line += 1
        }
    }

    private static func inputFailure(
        _ body: [UInt8], _ offset: Int, _ message: String, fix: String
    ) -> YAMLError {
        let (line, column) = UTF8Check.position(of: offset, in: body)
        return YAMLError(at: YAMLPosition(line: line, column: column), message, fix: fix)
    }

    // MARK: Documents

    /// Every document of the stream.
    mutating func stream() throws(YAMLError) -> [YAMLNode] {
        var documents: [YAMLNode] = []
        var started = false  // a document has begun, so a '...' has one to end
        try skipToContent()
        while !atEnd {
            if column == 1 && byte == UInt8(ascii: "%") {
                throw failure(
                    "directives (%YAML, %TAG) are not supported",
                    fix: "remove the directive line; Kubernetes manifests do not need it")
            }
            if atDocumentMarker(YAMLByte.dot) {
                try documentEnd(started: started)
                continue
            }
            started = true
            let root: YAMLNode?
            if atDocumentMarker(YAMLByte.dash) {
                advance(by: 3)  // the line holds nothing else (checked when preparing)
                try finishLine()
                try skipToContent()
                root = try nodeOnNextLines(parent: -1, indentless: false)
            } else {
                root = try blockNodeHere(parent: -1)
            }
            if let root { documents.append(root) }
            if atEnd || atAnyDocumentMarker { continue }
            let plain = root?.scalar?.style == .plain
            throw failure(
                plain
                    ? "a plain value continues on a later line; multi-line plain scalars are "
                        + "not supported"
                    : "content after the end of the document's root node",
                fix: plain
                    ? "put the value on one line, quote it, or use a block scalar (| or >)"
                    : "separate documents with a '---' line, or indent this line under a key")
        }
        return documents
    }

    /// A `...` line. It must end a document, and what follows must start with `---`: libyaml
    /// refuses a bare document there, and kubectl, which splits streams at `---` lines only,
    /// would drop it without a word.
    private mutating func documentEnd(started: Bool) throws(YAMLError) {
        guard started else {
            throw failure(
                "'...' ends a document, but no document has started",
                fix: "remove the '...' line")
        }
        advance(by: 3)
        try finishLine()
        try skipToContent()
        guard atEnd || atAnyDocumentMarker else {
            throw failure(
                "a document after '...' must start with a '---' line",
                fix: "put a '---' line before it, or remove the '...' line")
        }
    }

    // MARK: Block structure

    /// The node whose content starts on a later line (after `key:`, `-` or `---` ending their
    /// line), or nil for an empty value. `parent` is the enclosing collection's indentation (-1
    /// at the top); `indentless` lets a mapping value be a sequence at the key's own indentation.
    mutating func nodeOnNextLines(parent: Int, indentless: Bool) throws(YAMLError) -> YAMLNode? {
        if atEnd || atAnyDocumentMarker { return nil }
        let indent = column - 1
        if indent > parent { return try blockNodeHere(parent: parent) }
        if indentless && indent == parent && atSequenceEntry {
            return try blockSequence(indentless: true)
        }
        return nil
    }

    /// The node starting at the cursor: at a line's first content character, or after `- `.
    mutating func blockNodeHere(parent: Int) throws(YAMLError) -> YAMLNode {
        try refuseNodeProperties()
        if atSequenceEntry { return try blockSequence(indentless: false) }
        if let key = try mappingKey() { return try blockMapping(first: key) }
        return try valueNode(parent: parent, context: .lineStart)
    }

    /// A block mapping whose first key (with its `:`) has been read.
    private mutating func blockMapping(first: Key) throws(YAMLError) -> YAMLNode {
        let start = first.position
        let indent = start.column - 1
        try enter(at: start)
        var entries: [YAMLEntry] = []
        var keyLines: [String: Int] = [:]  // for lookup only: entries keep document order
        var key = first
        while true {
            if let firstLine = keyLines.updateValue(key.position.line, forKey: key.scalar.text) {
                throw YAMLError(
                    at: key.position,
                    "the key \(InputText.quoted(key.scalar.text)) appears twice in one mapping, "
                        + "at line \(firstLine) and line \(key.position.line)",
                    fix: "keep one of them")
            }
            let value = try mappingValue(indent: indent, key: key.scalar.text)
            entries.append(YAMLEntry(key: key.scalar, keyPosition: key.position, value: value))
            if atEnd || atAnyDocumentMarker || column - 1 < indent { break }
            if column - 1 > indent {
                throw unexpectedIndentation(after: value, in: "mapping", at: start)
            }
            if atSequenceEntry {
                throw failure(
                    "a '- ' item among the keys of the mapping at line \(start.line)",
                    fix: "indent the item under a key that ends with ':', or write 'key: value'")
            }
            try refuseNodeProperties()
            guard let next = try mappingKey() else {
                if value.isEmptyValue {
                    throw failure(
                        "a value at the indentation of its key \(InputText.quoted(key.scalar.text))"
                            + " (line \(key.position.line)), not under it",
                        fix: "indent the value more than its key")
                }
                throw failure(
                    "expected 'key: value' (the mapping at line \(start.line) continues at this "
                        + "indentation), found \(found)",
                    fix: "write the key, a colon and a space before the value, or indent the "
                        + "line under its key")
            }
            key = next
        }
        depth -= 1
        return try node(at: start, .mapping(entries))
    }

    /// The value after a key's `:`, on the key's line or on the lines below.
    private mutating func mappingValue(indent: Int, key: String) throws(YAMLError) -> YAMLNode {
        let afterColon = here
        // libyaml (so kubectl) allows tabs after a key's ':', unlike after '- '.
        while byte == YAMLByte.space || byte == YAMLByte.tab { advance() }
        if byte == YAMLByte.hash || atBreakOrEnd {
            try finishLine()
            try skipToContent()
            if let value = try nodeOnNextLines(parent: indent, indentless: true) { return value }
            return try emptyNode(at: afterColon)
        }
        return try valueNode(parent: indent, context: .afterKey(key))
    }

    /// A block sequence starting at the cursor's `-`. An indentless one (a mapping value at the
    /// key's indentation) ends at the first line of that indentation that is not an item.
    private mutating func blockSequence(indentless: Bool) throws(YAMLError) -> YAMLNode {
        let start = here
        let indent = column - 1
        try enter(at: start)
        var items: [YAMLNode] = []
        while true {
            advance()  // -
            let afterDash = here
            try skipSpacesAfterDash()
            if byte == YAMLByte.hash || atBreakOrEnd {
                try finishLine()
                try skipToContent()
                if let item = try nodeOnNextLines(parent: indent, indentless: false) {
                    items.append(item)
                } else {
                    items.append(try emptyNode(at: afterDash))
                }
            } else {
                items.append(try blockNodeHere(parent: indent))
            }
            if atEnd || atAnyDocumentMarker || column - 1 < indent { break }
            if column - 1 > indent {
                throw unexpectedIndentation(
                    after: items[items.count - 1], in: "sequence", at: start)
            }
            guard atSequenceEntry else {
                if indentless { break }
                if items[items.count - 1].isEmptyValue {
                    throw failure(
                        "a value at the indentation of its '-', not under it",
                        fix: "indent the value more than its '-'")
                }
                throw failure(
                    "expected '- ' (the sequence at line \(start.line) continues at this "
                        + "indentation), found \(found)",
                    fix: "start each item with '- ', or indent this line under an item")
            }
        }
        depth -= 1
        return try node(at: start, .sequence(items))
    }

    /// A scalar, block scalar or flow collection at the cursor, then the rest of its line.
    mutating func valueNode(parent: Int, context: Context) throws(YAMLError) -> YAMLNode {
        try refuseNodeProperties()
        let start = here
        if atSequenceEntry { throw sameLine("a sequence", context) }
        let value: YAMLNode
        switch byte {
        case YAMLByte.pipe, YAMLByte.greater:
            let block = try blockScalar(parent: parent)
            try skipToContent()
            return block
        case YAMLByte.openBracket, YAMLByte.openBrace:
            value = try flowCollection()
        case YAMLByte.quote, YAMLByte.apostrophe:
            value = try node(at: start, .scalar(try quotedScalar()))
        default:
            guard canStartPlain(flow: false) else { throw cannotStartValue() }
            let text = plainText(flow: false)
            if byte == YAMLByte.colon { throw sameLine("a mapping", context) }
            value = try node(at: start, .scalar(try plainScalar(text, at: start)))
        }
        while byte == YAMLByte.space || byte == YAMLByte.tab { advance() }
        if byte == YAMLByte.colon && isBlankOrBreak(peek(1)) {
            if case .afterKey = context { throw sameLine("a mapping", context) }
            throw failure(
                value.scalar == nil
                    ? "a [ ] or { } collection used as a key is not supported"
                    : "a key that spans several lines is not supported",
                fix: "write the key as a plain or quoted scalar on one line")
        }
        try finishLine()
        try skipToContent()
        return value
    }

    private func sameLine(_ what: String, _ context: Context) -> YAMLError {
        switch context {
        case .afterKey(let key):
            failure(
                "\(what) cannot start on the same line as its key \(InputText.quoted(key))",
                fix: "put it on the next line, indented under the key; or quote the value if "
                    + "the ': ' or '- ' belongs to it")
        case .lineStart:
            failure("\(what) cannot start here", fix: "put it on its own line")
        }
    }

    private func cannotStartValue() -> YAMLError {
        if byte == YAMLByte.colon {
            return failure(
                "a ':' with no key before it", fix: "write the key before the colon, 'key: value'")
        }
        return failure(
            "a value cannot start with \(found)", fix: "quote the value")
    }

    private func unexpectedIndentation(
        after value: YAMLNode, in what: String, at start: YAMLPosition
    ) -> YAMLError {
        if let s = value.scalar, s.style == .plain, !s.text.isEmpty {
            return failure(
                "a plain value continues on this line; multi-line plain scalars are not "
                    + "supported",
                fix: "put the value on one line, quote it, or use a block scalar (| or >)")
        }
        return failure(
            "this line is indented more than the \(what) at line \(start.line), but the value "
                + "before it is complete",
            fix: "indent it like the lines above, or nest it under a key that ends with ':'")
    }

    /// Refuses anchors, aliases, tags, explicit keys and reserved indicators where a node starts.
    mutating func refuseNodeProperties() throws(YAMLError) {
        let fixRepeat = "write the value out in full at each place it is used"
        switch byte {
        case UInt8(ascii: "&"):
            throw failure("anchors (&name) are not supported", fix: fixRepeat)
        case UInt8(ascii: "*"):
            throw failure("aliases (*name) are not supported", fix: fixRepeat)
        case UInt8(ascii: "!"):
            throw failure(
                "tags (!name, !!str) are not supported",
                fix: "remove the tag; quote the value if it must stay a string")
        case UInt8(ascii: "?") where isBlankOrBreak(peek(1)):
            throw failure(
                "explicit keys ('? ') are not supported", fix: "write the key as 'key: value'")
        case UInt8(ascii: "%") where column == 1:
            throw failure(
                "directives (%YAML, %TAG) are not supported",
                fix: "remove the directive line; Kubernetes manifests do not need it")
        case UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            throw failure(
                "\(found) is reserved in YAML and cannot start a value",
                fix: "quote the value")
        default: return
        }
    }

    // MARK: Flow collections

    /// A `[ ]` or `{ }` collection at the cursor, over as many lines as it takes.
    mutating func flowCollection() throws(YAMLError) -> YAMLNode {
        byte == YAMLByte.openBracket ? try flowSequence() : try flowMapping()
    }

    private mutating func flowSequence() throws(YAMLError) -> YAMLNode {
        let start = here
        try enter(at: start)
        advance()  // [
        var items: [YAMLNode] = []
        while true {
            try skipFlowSpace(opened: start, closer: "]")
            if byte == YAMLByte.closeBracket { break }
            let item = try flowNode(opened: start, closer: "]")
            let itemLine = line
            try skipFlowSpace(opened: start, closer: "]")
            if byte == YAMLByte.colon {
                throw failure(
                    "a 'key: value' pair inside [ ] is not supported",
                    fix: "wrap it in braces, [{key: value}]")
            }
            items.append(item)
            if byte == YAMLByte.comma {
                advance()
                continue
            }
            if byte == YAMLByte.closeBracket { break }
            throw afterFlowItem(item, itemLine: itemLine, expected: "',' or ']'")
        }
        advance()  // ]
        depth -= 1
        return try node(at: start, .sequence(items))
    }

    private mutating func flowMapping() throws(YAMLError) -> YAMLNode {
        let start = here
        try enter(at: start)
        advance()  // {
        var entries: [YAMLEntry] = []
        var keyLines: [String: Int] = [:]  // for lookup only: entries keep document order
        while true {
            try skipFlowSpace(opened: start, closer: "}")
            if byte == YAMLByte.closeBrace { break }
            let keyPosition = here
            let key = try flowKey()
            if let firstLine = keyLines.updateValue(keyPosition.line, forKey: key.text) {
                throw YAMLError(
                    at: keyPosition,
                    "the key \(InputText.quoted(key.text)) appears twice in one mapping, "
                        + "at line \(firstLine) and line \(keyPosition.line)",
                    fix: "keep one of them")
            }
            let afterColon = here
            try skipFlowSpace(opened: start, closer: "}")
            let value =
                byte == YAMLByte.comma || byte == YAMLByte.closeBrace
                ? try emptyNode(at: afterColon) : try flowNode(opened: start, closer: "}")
            let valueLine = line
            entries.append(YAMLEntry(key: key, keyPosition: keyPosition, value: value))
            try skipFlowSpace(opened: start, closer: "}")
            if byte == YAMLByte.comma {
                advance()
                continue
            }
            if byte == YAMLByte.closeBrace { break }
            throw afterFlowItem(value, itemLine: valueLine, expected: "',' or '}'")
        }
        advance()  // }
        depth -= 1
        return try node(at: start, .mapping(entries))
    }

    /// A key inside `{ }` and its `:`, which may follow a quoted key without a space (JSON).
    private mutating func flowKey() throws(YAMLError) -> YAMLScalar {
        try refuseNodeProperties()
        let start = here
        let key: YAMLScalar
        switch byte {
        case YAMLByte.quote, YAMLByte.apostrophe:
            key = try quotedScalar()
            guard line == start.line else {
                throw YAMLError(
                    at: start, "a key that spans several lines is not supported",
                    fix: "write the key on one line")
            }
        case YAMLByte.openBracket, YAMLByte.openBrace:
            throw failure(
                "a [ ] or { } collection used as a key is not supported",
                fix: "write the key as a plain or quoted scalar")
        default:
            if byte == UInt8(ascii: "?") || byte == YAMLByte.colon {
                throw failure(
                    "a key inside { } cannot start with \(found), which YAML readers disagree "
                        + "on", fix: "quote the key")
            }
            guard canStartPlain(flow: true) else {
                throw failure(
                    "expected a key inside { }, found \(found)",
                    fix: "write {key: value, other: value}")
            }
            let text = plainText(flow: true)
            key = try plainKey(text, at: start)
            if byte == YAMLByte.colon && isFlowIndicator(peek(1)) {
                // YAML 1.2 reads `{a:}` as a: null, libyaml refuses it, go-yaml reads "a:".
                throw failure(
                    "a ':' right before \(InputText.quoted(String(UnicodeScalar(peek(1)))))"
                        + " inside { }, which YAML readers disagree on",
                    fix: "write a space after the colon, or quote the text")
            }
        }
        while byte == YAMLByte.space || byte == YAMLByte.tab { advance() }
        guard byte == YAMLByte.colon else {
            throw failure(
                "expected ':' after the key \(InputText.quoted(key.text)) inside { }, found "
                    + found,
                fix: "write {key: value} with a space after the colon; a key without a value "
                    + "is not supported")
        }
        advance()
        return key
    }

    /// An item or value inside a flow collection.
    private mutating func flowNode(opened: YAMLPosition, closer: String) throws(YAMLError)
        -> YAMLNode
    {
        try refuseNodeProperties()
        let start = here
        switch byte {
        case YAMLByte.openBracket, YAMLByte.openBrace:
            return try flowCollection()
        case YAMLByte.quote, YAMLByte.apostrophe:
            return try node(at: start, .scalar(try quotedScalar()))
        case YAMLByte.pipe, YAMLByte.greater:
            throw failure(
                "block scalars (| and >) cannot appear inside [ ] or { }",
                fix: "use a quoted string with \\n escapes")
        default:
            if byte == UInt8(ascii: "?") || byte == YAMLByte.colon {
                throw failure(
                    "a value inside [ ] or { } cannot start with \(found), which YAML readers "
                        + "disagree on", fix: "quote the value")
            }
            guard canStartPlain(flow: true) else {
                throw failure(
                    "expected a value before \(closer) or ',', found \(found)",
                    fix: "write one value between commas; quote a value that starts with "
                        + "a special character")
            }
            let text = plainText(flow: true)
            return try node(at: start, .scalar(try plainScalar(text, at: start)))
        }
    }

    private func afterFlowItem(_ item: YAMLNode, itemLine: Int, expected: String) -> YAMLError {
        if let s = item.scalar, s.style == .plain, line > itemLine {
            return failure(
                "a plain value continues on a later line; multi-line plain scalars are not "
                    + "supported",
                fix: "put a ',' between items, or quote a value that spans lines")
        }
        return failure(
            "expected \(expected), found \(found)",
            fix: "separate items with commas and close what was opened")
    }

    /// Spaces, tabs, line breaks and comments between flow tokens; the end of the input inside
    /// an open collection, or a document marker, is an error.
    private mutating func skipFlowSpace(opened: YAMLPosition, closer: String) throws(YAMLError) {
        while true {
            switch byte {
            case YAMLByte.space, YAMLByte.tab: advance()
            case YAMLByte.lineFeed:
                advance()
                if atAnyDocumentMarker {
                    throw failure(
                        "a document marker inside the collection opened at line \(opened.line)",
                        fix: "close it with \(closer) before the marker")
                }
            case YAMLByte.hash where isBlankOrBreak(bytes[index - 1]):
                while !atBreakOrEnd { advance() }
            default:
                guard atEnd else { return }
                throw YAMLError(
                    at: opened, "this collection is never closed", fix: "close it with \(closer)")
            }
        }
    }

    // MARK: Lines

    /// After a node: blanks, an optional comment, then the line break (or the end).
    mutating func finishLine() throws(YAMLError) {
        while byte == YAMLByte.space || byte == YAMLByte.tab { advance() }
        if byte == YAMLByte.hash {
            guard isBlankOrBreak(bytes[index - 1]) else {
                throw failure(
                    "a '#' right after a value (libyaml starts a comment there, YAML does not)",
                    fix: "put a space before a comment's '#'")
            }
            while !atBreakOrEnd { advance() }
        }
        if atEnd { return }
        guard byte == YAMLByte.lineFeed else {
            throw failure(
                "unexpected \(found) after the value",
                fix: "end the line after the value, or quote the whole value")
        }
        advance()
    }

    /// From a line start to the first content character of the next line that has any,
    /// skipping blank and comment lines. Block indentation is spaces only: a tab is refused.
    mutating func skipToContent() throws(YAMLError) {
        while !atEnd {
            while byte == YAMLByte.space { advance() }
            switch byte {
            case YAMLByte.tab:
                throw failure(
                    "a tab in the indentation of line \(line); YAML indents with spaces",
                    fix: "replace the tab with spaces")
            case YAMLByte.lineFeed: advance()
            case YAMLByte.hash:
                while !atBreakOrEnd { advance() }
            default: return
            }
        }
    }

    /// Spaces after a sequence's `-`; libyaml (so kubectl) refuses a tab there, and so do we.
    private mutating func skipSpacesAfterDash() throws(YAMLError) {
        while byte == YAMLByte.space { advance() }
        if byte == YAMLByte.tab {
            throw failure(
                "a tab after '-'; YAML needs spaces here (kubectl refuses the tab)",
                fix: "replace the tab with a space")
        }
    }

    // MARK: Cursor

    var byte: UInt8 { bytes[index] }
    var atEnd: Bool { index >= end }
    var atBreakOrEnd: Bool { byte == YAMLByte.lineFeed || index >= end }
    var here: YAMLPosition { YAMLPosition(line: line, column: column) }

    var cursor: Cursor {
        get { Cursor(index: index, line: line, column: column) }
        set {
            index = newValue.index
            line = newValue.line
            column = newValue.column
        }
    }

    /// The byte `offset` places ahead, or ``YAMLByte/end``.
    func peek(_ offset: Int) -> UInt8 {
        index + offset < end ? bytes[index + offset] : YAMLByte.end
    }

    func isBlankOrBreak(_ b: UInt8) -> Bool {
        b == YAMLByte.space || b == YAMLByte.tab || b == YAMLByte.lineFeed || b == YAMLByte.end
    }

    var atSequenceEntry: Bool { byte == YAMLByte.dash && isBlankOrBreak(peek(1)) }

    /// `---` or `...` at the start of a line, followed by a blank, a line break or the end.
    func atDocumentMarker(_ b: UInt8) -> Bool {
        column == 1 && byte == b && peek(1) == b && peek(2) == b && isBlankOrBreak(peek(3))
    }

    var atAnyDocumentMarker: Bool {
        atDocumentMarker(YAMLByte.dash) || atDocumentMarker(YAMLByte.dot)
    }

    mutating func advance() {
        if bytes[index] == YAMLByte.lineFeed {
            line += 1
            column = 1
        } else if bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count { advance() }
    }

    /// The character at the cursor, as a message shows it.
    var found: String {
        if atEnd { return "the end of the input" }
        switch byte {
        case YAMLByte.lineFeed: return "the end of the line"
        case YAMLByte.tab: return "a tab"
        case YAMLByte.space: return "a space"
        case 0x21..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            var stop = index + 1
            while stop < end, bytes[stop] & 0xC0 == 0x80 { stop += 1 }
            return InputText.quoted(String(decoding: bytes[index..<stop], as: UTF8.self))
        }
    }

    func failure(_ message: String, fix: String) -> YAMLError {
        YAMLError(at: here, message, fix: fix)
    }

    // MARK: Limits

    mutating func enter(at position: YAMLPosition) throws(YAMLError) {
        depth += 1
        guard depth <= YAMLReader.depthMax else {
            throw YAMLError(
                at: position,
                "mappings and sequences nested deeper than \(YAMLReader.depthMax) levels",
                fix: "a manifest needs about a dozen levels; remove the extra nesting")
        }
    }

    mutating func node(at position: YAMLPosition, _ kind: YAMLNode.Kind) throws(YAMLError)
        -> YAMLNode
    {
        nodeCount += 1
        guard nodeCount <= YAMLReader.nodeCountMax else {
            throw YAMLError(
                at: position, "more than \(YAMLReader.nodeCountMax) values in one input",
                fix: "a manifest has a few hundred values; check that this is the right file")
        }
        return YAMLNode(position: position, kind: kind)
    }

    mutating func emptyNode(at position: YAMLPosition) throws(YAMLError) -> YAMLNode {
        try node(at: position, .scalar(YAMLScalar(text: "", style: .plain, value: .null)))
    }
}
