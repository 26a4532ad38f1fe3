import Testing
import SimulationKernel

@Suite("Duration parsing never overflows")
struct SimDurationLimitTests {
    @Test("durations above 30 days are rejected, however many digits they have", arguments: [
        "999999999999h", "9999999999999999999999999h", "721h", "43201m", "2592001s", "2592000001ms", "720.001h",
        "00000000000000000000000000721h", "9223372036854775807ms", "9223372036854775808ms",
    ])
    func tooLong(text: String) {
        #expect(throws: SimDuration.ParseError.self) { try SimDuration(parsing: text) }
        do { _ = try SimDuration(parsing: text) } catch {
            #expect(error.reason.contains("longer than 720h"), "\(error.reason)")
            #expect(error.fix.contains("720h"))
        }
    }

    @Test("30 days is the longest accepted, in every unit", arguments: ["720h", "43200m", "2592000s", "2592000000ms", "720.000h"])
    func thirtyDays(text: String) throws {
        #expect(try SimDuration(parsing: text) == SimDuration.parsingMax)
    }

    @Test("malformed numbers are named as such, and sub-millisecond values as such", arguments: [
        ("1.0001ms", "not a whole number of milliseconds"), ("0.5ms", "not a whole number of milliseconds"),
        ("1.0000000001s", "not a whole number of milliseconds"), ("1.50000000000000s", nil),
        ("+5s", "not a plain decimal number"), ("1e3s", "not a plain decimal number"), ("5 s", "not a plain decimal number"),
        (".5s", "not a plain decimal number"), ("", "it is empty"), ("٣s", "not a plain decimal number"),
    ] as [(String, String?)])
    func malformed(text: String, reason: String?) {
        do {
            let d = try SimDuration(parsing: text)
            #expect(reason == nil, "accepted \(text) as \(d)")
            #expect(d == .ms(1500))
        } catch {
            #expect(reason != nil && error.reason.contains(reason!), "\(text): \(error.reason)")
            #expect(!error.problem.contains("\n"))
        }
    }
}
