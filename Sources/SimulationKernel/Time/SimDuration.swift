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
    /// Why a duration string was rejected; the message names the accepted forms.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let text: String
        public let reason: String
        public var description: String {
            "\"\(text)\" is not a duration: \(reason). Write a number with a unit, e.g. \"500ms\", \"10s\", \"2m\", \"1h\" or \"1.5s\""
        }
    }

    /// Parses `500ms`, `10s`, `1.5s`, `2m`, `1h` (also `0`). Rejects negatives, missing units and sub-millisecond values.
    public init(parsing text: String) throws(ParseError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "0" { self = .zero; return }
        if t.hasPrefix("-") { throw ParseError(text: text, reason: "it is negative; timeouts and delays must be zero or more") }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = String(t.dropLast(suffix.count))
            guard let ms = SimDuration.scaled(number, by: scale) else {
                throw ParseError(text: text, reason: "\"\(number)\" is not a plain number of \(suffix), or it is finer than 1ms")
            }
            self = .ms(ms)
            return
        }
        throw ParseError(text: text, reason: "it has no unit")
    }

    /// Decimal text times `scale`, exactly, without floating point; nil if malformed or not whole milliseconds.
    private static func scaled(_ number: String, by scale: Int64) -> Int64? {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              whole.count <= 12, let w = Int64(whole) else { return nil }
        var ms = w * scale
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 9, frac.allSatisfy(\.isASCIIDigit), let f = Int64(frac) else { return nil }
            var denominator: Int64 = 1
            for _ in 0..<frac.count { denominator *= 10 }
            guard (f * scale) % denominator == 0 else { return nil }
            ms += f * scale / denominator
        }
        return ms
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
