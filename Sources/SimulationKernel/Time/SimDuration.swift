import Foundation

/// A span of virtual time in whole milliseconds, also used for instants measured from the start of a run.
///
/// Integer milliseconds, never `Double` or `Date`: the simulation must give the same bytes on every
/// machine, and every timeout it models (`RAY_gcs_rpc_server_reconnect_timeout_s`, kubelet back-off,
/// health-check periods) is a whole number of milliseconds.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in milliseconds. May be negative only transiently in arithmetic; models never store one.
    public var milliseconds: Int64

    @inlinable public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static let zero = SimDuration(milliseconds: 0)
    @inlinable public static func ms(_ value: Int64) -> SimDuration { SimDuration(milliseconds: value) }
    @inlinable public static func seconds(_ value: Int64) -> SimDuration { SimDuration(milliseconds: value * 1000) }
    @inlinable public static func minutes(_ value: Int64) -> SimDuration { SimDuration(milliseconds: value * 60_000) }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.milliseconds < b.milliseconds }
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration { .ms(a.milliseconds + b.milliseconds) }
    @inlinable public static func - (a: SimDuration, b: SimDuration) -> SimDuration { .ms(a.milliseconds - b.milliseconds) }
    @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration { .ms(a.milliseconds * k) }
    @inlinable public static func += (a: inout SimDuration, b: SimDuration) { a.milliseconds += b.milliseconds }
    @inlinable public static func -= (a: inout SimDuration, b: SimDuration) { a.milliseconds -= b.milliseconds }

    /// The shortest exact spelling with a unit, as accepted by ``init(parsing:)``: `0s`, `250ms`, `10s`, `2m`, `1h`, `1.5s`.
    public var description: String {
        let ms = milliseconds
        if ms == 0 { return "0s" }
        let sign = ms < 0 ? "-" : ""
        let a = ms.magnitude
        if a % 3_600_000 == 0 { return "\(sign)\(a / 3_600_000)h" }
        if a % 60_000 == 0 { return "\(sign)\(a / 60_000)m" }
        if a % 1000 == 0 { return "\(sign)\(a / 1000)s" }
        if a < 1000 { return "\(sign)\(a)ms" }
        var frac = String(a % 1000)
        while frac.count < 3 { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        return "\(sign)\(a / 1000).\(frac)s"
    }

    /// Seconds with three decimals, for timelines: `61.250s`.
    public var secondsText: String {
        let a = milliseconds.magnitude
        var frac = String(a % 1000)
        while frac.count < 3 { frac = "0" + frac }
        return (milliseconds < 0 ? "-" : "") + "\(a / 1000).\(frac)s"
    }
}

extension SimDuration {
    /// The longest duration ``init(parsing:)`` accepts: 30 days. Every user-supplied duration is
    /// parsed, so with it no sum of a few user durations can come near `Int64.max` milliseconds.
    public static let parsingMax = SimDuration.ms(30 * 24 * 3_600_000)

    /// Why a duration string was rejected; the message names the accepted forms.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let text: String
        public let reason: String
        /// The text and why it is rejected, without a hint: `"-1s" is not a duration: it is negative`.
        public var problem: String { "\(SimDuration.quoted(text)) is not a duration: \(reason)" }
        /// How to write an accepted duration.
        public var fix: String {
            reason.hasPrefix(ParseError.tooLongPrefix)
                ? "use at most \(SimDuration.parsingMax) (30 days)"
                : "write a number with a unit, e.g. \"500ms\", \"10s\", \"2m\", \"1h\" or \"1.5s\""
        }
        /// The problem and the fix as two sentences, for callers that add their own fix.
        public var description: String { "\(problem). \(fix.prefix(1).uppercased())\(fix.dropFirst())" }

        static let tooLongPrefix = "it is longer than"
    }

    /// Parses `500ms`, `10s`, `1.5s`, `2m`, `1h` (also `0`), at most ``parsingMax``. Rejects
    /// negatives, missing units and sub-millisecond values. Exact integer arithmetic, checked for
    /// overflow: no input traps.
    public init(parsing text: String) throws(ParseError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "0" { self = .zero; return }
        if t.isEmpty { throw ParseError(text: text, reason: "it is empty") }
        if t.hasPrefix("-") {
            throw ParseError(text: text, reason: "it is negative; timeouts and delays must be zero or more")
        }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = String(t.dropLast(suffix.count))
            self = .ms(try SimDuration.scaled(number, by: scale, unit: suffix, text: text))
            return
        }
        throw ParseError(text: text, reason: "it has no unit")
    }

    /// Decimal text times `scale`, exactly, without floating point, at most ``parsingMax``.
    private static func scaled(_ number: String, by scale: Int64, unit: String,
                               text: String) throws(ParseError) -> Int64 {
        let notPlain = ParseError(text: text, reason: "\(quoted(number)) is not a plain decimal number of \(unit)")
        let tooLong = ParseError(text: text, reason: "\(ParseError.tooLongPrefix) \(parsingMax), "
                                     + "the longest duration accepted")
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else {
            throw notPlain
        }
        // Leading zeros go first; 13 digits are already more than 30 days in milliseconds.
        let digits = whole.drop { $0 == "0" }
        guard digits.count <= 12, let w = Int64(digits.isEmpty ? "0" : String(digits)) else { throw tooLong }
        let (wholeMs, overflow) = w.multipliedReportingOverflow(by: scale)
        guard !overflow, wholeMs <= parsingMax.milliseconds else { throw tooLong }
        guard parts.count == 2 else { return wholeMs }
        var frac = Substring(parts[1])
        guard !frac.isEmpty, frac.allSatisfy(\.isASCIIDigit) else { throw notPlain }
        while frac.hasSuffix("0") { frac.removeLast() }
        let finer = ParseError(text: text, reason: "it is not a whole number of milliseconds")
        // Without trailing zeros, more than 7 digits can never give whole milliseconds (no scale
        // has more than 2⁷ or 5⁵ to cancel them: 3,600,000 = 2⁷·3²·5⁵), and 9 keep f · scale small.
        guard frac.count <= 9 else { throw finer }
        let f = Int64(frac.isEmpty ? "0" : String(frac))!
        var denominator: Int64 = 1
        for _ in 0..<frac.count { denominator *= 10 }
        guard (f * scale) % denominator == 0 else { throw finer }
        let ms = wholeMs + f * scale / denominator
        guard ms <= parsingMax.milliseconds else { throw tooLong }
        return ms
    }

    /// `text` quoted for a message, control characters escaped and long text cut.
    static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(40) {
            let plain = scalar.value >= 0x20 && scalar != "\"" && scalar != "\\"
            out += plain ? String(scalar) : scalar.escaped(asASCII: true)
        }
        return "\"" + out + (text.unicodeScalars.count > 40 ? "…" : "") + "\""
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension SimDuration: Codable {
    /// Encoded as its string with a unit (`"10s"`), the same spelling the model files use.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        do { self = try SimDuration(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
