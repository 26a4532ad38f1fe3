import RayClusterModel

/// A tiny, strict argument reader: every flag is declared, unknown ones are usage errors.
struct Arguments {
    private var items: [String]
    private(set) var positional: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// `valued` flags take a value (`--seed 7` or `--seed=7`); `switches` take none.
    init(_ arguments: [String], valued: [String], switches known: [String]) throws(UsageError) {
        items = arguments
        var i = 0
        while i < items.count {
            let a = items[i]
            if a.hasPrefix("--") {
                let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
                let flag = parts[0]
                if valued.contains(flag) {
                    if parts.count == 2 { values[flag] = parts[1] } else {
                        guard i + 1 < items.count else { throw UsageError("\(flag) needs a value") }
                        values[flag] = items[i + 1]
                        i += 1
                    }
                } else if known.contains(flag), parts.count == 1 {
                    switches.insert(flag)
                } else {
                    throw UsageError("unknown option \(a)")
                }
            } else if a == "-h" {
                switches.insert("--help")
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func value(_ flag: String) -> String? { values[flag] }
    func has(_ flag: String) -> Bool { switches.contains(flag) }
}

/// Wrong use of the command line: exit code 2 with a pointer to `--help`.
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
