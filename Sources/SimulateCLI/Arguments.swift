import RayClusterModel

/// One command-line option, declared once: the parser accepts it and the help text lists it from
/// the same value, so the two cannot drift apart.
struct Option: Sendable {
    /// `--seed`.
    let flag: String
    /// The value's placeholder (`N`, `FILE`); nil for a switch, which takes no value.
    let value: String?
    /// What it does, its default and its range; `\n` starts a continuation line in the help.
    let help: String
    /// Whether it may be given more than once (`--vary`); every other flag is given at most once.
    var repeatable = false

    static func valued(_ flag: String, _ value: String, _ help: String) -> Option { Option(flag: flag, value: value, help: help) }
    static func toggle(_ flag: String, _ help: String) -> Option { Option(flag: flag, value: nil, help: help) }
    /// A valued option that may be repeated; ``Arguments/values(_:)`` gives every value in order.
    static func repeated(_ flag: String, _ value: String, _ help: String) -> Option {
        Option(flag: flag, value: value, help: help, repeatable: true)
    }

    static let help = toggle("--help", "show this help (also -h, and `simulate help COMMAND`)")
    static let json = toggle("--json", "machine-readable output (docs/trace-format.md); carries \"schemaVersion\": 1")
    static let quiet = toggle("--quiet", "no progress line on standard error (printed only when it is a terminal)")
}

/// A tiny, strict argument reader: every flag is declared, unknown ones, repeated ones and values
/// given to switches are usage errors.
struct Arguments {
    private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var switches: Set<String> = []

    init(_ arguments: [String], options: [Option]) throws(UsageError) {
        let valued = Set(options.filter { $0.value != nil }.map(\.flag))
        let repeatable = Set(options.filter(\.repeatable).map(\.flag))
        let known = Set(options.filter { $0.value == nil }.map(\.flag))
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("--") {
                let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let flag = parts[0]
                if valued.contains(flag) {
                    guard values[flag] == nil || repeatable.contains(flag) else {
                        throw UsageError("\(flag) is given twice; give it once")
                    }
                    if parts.count == 2 { values[flag, default: []].append(parts[1]) } else {
                        guard i + 1 < arguments.count else { throw UsageError("\(flag) needs a value") }
                        values[flag, default: []].append(arguments[i + 1])
                        i += 1
                    }
                } else if known.contains(flag) {
                    guard parts.count == 1 else { throw UsageError("\(flag) takes no value") }
                    guard !switches.contains(flag) else { throw UsageError("\(flag) is given twice; give it once") }
                    switches.insert(flag)
                } else {
                    throw UsageError("unknown option \(flag)")
                }
            } else if a == "-h" {
                switches.insert("--help")
            } else if a.hasPrefix("-"), a.count > 1 {
                throw UsageError("unknown option \(a)")
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func value(_ flag: String) -> String? { values[flag]?.first }
    /// Every value of a repeatable flag, in the order given; empty when it is not given.
    func values(_ flag: String) -> [String] { values[flag] ?? [] }
    func has(_ flag: String) -> Bool { switches.contains(flag) }

    /// The model file, given either as the one positional argument or as `--model FILE`; nil for
    /// the embedded default. Both, or two of either, is a usage error.
    func modelPath(_ what: String = "MODEL") throws(UsageError) -> String? {
        if positional.count > 1 {
            throw UsageError("more than one model given: \(positional.joined(separator: " ")); give one \(what)")
        }
        if let file = value("--model"), let other = positional.first {
            throw UsageError("the model is given twice (\(other) and --model \(file)); give either \(what) or --model FILE")
        }
        return positional.first ?? value("--model")
    }
}

/// Wrong use of the command line: exit code 2 with a pointer to `simulate help COMMAND`.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension InputError {
    /// A flag's value is wrong.
    static func flag(_ flag: String, _ problem: String, _ fix: String) -> InputError {
        InputError(field: flag, problem: problem, fix: fix)
    }
}

/// Range-checked numbers from flags: every numeric flag has a documented range and one message.
enum FlagValue {
    /// A whole number in `range`.
    static func integer(_ text: String, flag: String, in range: ClosedRange<Int>) throws(InputError) -> Int {
        guard let n = Int(text), range.contains(n) else {
            throw .flag(flag, "\"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)",
                        "e.g. \(flag) \(min(max(2, range.lowerBound), range.upperBound))")
        }
        return n
    }

    /// A seed: a whole number from 0 to 2⁶⁴−1.
    static func seed(_ text: String, flag: String = "--seed") throws(InputError) -> UInt64 {
        guard let seed = UInt64(text) else {
            throw .flag(flag, "\"\(text)\" is not a whole number from 0 to \(UInt64.max)", "e.g. \(flag) 42")
        }
        return seed
    }

    /// Seconds: a finite number greater than 0 and at most `max`.
    static func seconds(_ text: String, flag: String, max: Double) throws(InputError) -> Double {
        guard let s = Double(text), s.isFinite, s > 0, s <= max else {
            throw .flag(flag, "\"\(text)\" is not a number of seconds greater than 0 and at most \(Int(max))", "e.g. \(flag) 600")
        }
        return s
    }

    static let byteUnits: [(suffix: String, scale: Int)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40)]

    /// Bytes with an optional binary suffix (`512M`, `4G`), overflow-checked, within `range`.
    static func bytes(_ text: String, flag: String, in range: ClosedRange<Int>) throws(InputError) -> Int {
        let problem = InputError.flag(flag, "\"\(text)\" is not a size from 1M to 1T", "e.g. \(flag) 4G or \(flag) 500M")
        let upper = text.uppercased()
        let unit = byteUnits.first { upper.hasSuffix($0.suffix) }
        guard let n = Int(unit == nil ? text : String(text.dropLast())), n > 0 else { throw problem }
        let (product, overflow) = n.multipliedReportingOverflow(by: unit?.scale ?? 1)
        guard !overflow, range.contains(product) else { throw problem }
        return product
    }
}
