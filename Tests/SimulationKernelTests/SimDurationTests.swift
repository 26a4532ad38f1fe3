import Testing
@testable import SimulationKernel

@Suite("Virtual time with units")
struct SimDurationTests {
    @Test("durations parse from strings with units", arguments: [
        ("0", 0), ("0s", 0), ("250ms", 250), ("10s", 10_000), ("1.5s", 1_500), ("0.001s", 1), ("2m", 120_000), ("1h", 3_600_000), (" 7s ", 7_000),
    ] as [(String, Int64)])
    func parses(text: String, ms: Int64) throws {
        #expect(try SimDuration(parsing: text).milliseconds == ms)
    }

    @Test("malformed or negative durations are rejected with the accepted forms named",
          arguments: ["-5s", "10", "abc", "1.0005s", "s", "1.s", "1e3ms", "", "5 s"])
    func rejects(text: String) {
        #expect(throws: SimDuration.ParseError.self) { try SimDuration(parsing: text) }
        do { _ = try SimDuration(parsing: text) } catch {
            #expect(error.description.contains("\"500ms\""))
        }
    }

    @Test("a duration prints in a form that parses back to itself", arguments: [0, 1, 999, 1000, 1500, 61_250, 60_000, 3_600_000, 5_400_000] as [Int64])
    func roundTrip(ms: Int64) throws {
        let d = SimDuration.ms(ms)
        #expect(try SimDuration(parsing: d.description) == d)
    }

    @Test("timelines show seconds with three decimals")
    func secondsText() {
        #expect(SimDuration.ms(61_250).secondsText == "61.250s")
        #expect(SimDuration.ms(5).secondsText == "0.005s")
    }

    @Test("a range's grid includes both ends even when the span is not a multiple of the step")
    func grid() {
        let r = DurationRange(.seconds(5), .ms(7_500))
        #expect(r.gridCount(granularity: .seconds(1)) == 4)
        #expect((0..<4).map { r.gridPoint($0, granularity: .seconds(1)).milliseconds } == [5_000, 6_000, 7_000, 7_500])
        #expect(DurationRange.exactly(.seconds(3)).gridCount(granularity: .ms(100)) == 1)
        #expect(DurationRange(.zero, .seconds(1)).gridCount(granularity: .ms(100)) == 11)
    }
}
