import Foundation
import SimulateCLI
import Testing

/// `simulate check --time zones` and `review --time zones`: the flag, the JSON fields, the
/// concrete trace that `replay` re-runs, and the least safe timeout against grid checks.
@Suite("The zone checker on the command line")
struct ZoneCLITests {
    static func json(_ out: CommandOutcome) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
    }

    @Test("zones are the default and say so in the JSON; a grid-only flag asks for the grid")
    func zonesJSON() throws {
        let implicit = try Self.json(simulate("check", "--json"))
        #expect(implicit["time"] as? String == "zones")
        for flag in [["--granularity", "5s"], ["--threads", "2"], ["--exact"], ["--no-symmetry"]] {
            let j = try Self.json(SimulateCommand.execute(["check", "--json", "--max-faults", "0"] + flag))
            #expect(j["time"] as? String == "grid", "\(flag)")
        }
        let out = simulate("check", "--time", "zones", "--json")
        #expect(out.exitCode == 0, "\(out.stderr)")
        let j = try Self.json(out)
        #expect(j["time"] as? String == "zones" && j["verdict"] as? String == "holds")
        #expect((j["symbolicStates"] as? Int ?? 0) > 0 && j["symbolicStates"] as? Int == j["distinctStates"] as? Int)
        #expect(j["bounds"].flatMap { ($0 as? [String: Any])?["granularityMs"] } is NSNull)
        let grid = try Self.json(simulate("check", "--time", "grid", "--json"))
        #expect(grid["time"] as? String == "grid" && grid["symbolicStates"] is NSNull)
    }

    @Test("bad --time and flags zones do not take exit 2 naming the flag",
          arguments: [(["--time", "real"], "--time"), (["--time", "zones", "--granularity", "1s"], "--granularity"),
                      (["--time", "zones", "--threads", "2"], "--time"), (["--time", "zones", "--exact"], "--time")])
    func badFlags(args: [String], field: String) {
        let out = SimulateCommand.execute(["check"] + args)
        #expect(out.exitCode == 2 && out.stderr.contains(field) && out.stdout.isEmpty, "\(out.stderr)")
    }

    @Test("a zone counterexample is a concrete trace on a 1 ms grid that replay re-runs")
    func concreteTraceReplays() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = simulate("check", path("models/ft-equal-timeouts.json"), "--time", "zones",
                           "--trace-out", dir.path + "/", "--json")
        #expect(out.exitCode == 1, "\(out.stderr)")
        let trace = try #require(try Self.json(out)["properties"].flatMap { ps in
            (ps as? [[String: Any]])?.first { $0["id"] as? String == "workers-survive-head-restart" }?["trace"] as? String
        })
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(!text.contains("headAgentDraw"))
        #expect(text.contains("\"granularity\" : \"1ms\"") || text.contains("\"granularity\": \"1ms\""), "\(text.prefix(600))")
        let replay = simulate("replay", trace)
        #expect(replay.exitCode == 1, "\(replay.stderr)")
        #expect(replay.stdout.contains("workers-survive-head-restart"))
    }

    @Test("the least safe worker timeout found with zones: 74 s violated, 75 s holds, on the grid too")
    func leastSafeAgreesWithGrid() throws {
        let out = simulate("check", path("models/ft-equal-timeouts.json"), "--time", "zones", "--json")
        let fixes = try #require(try Self.json(out)["leastSafeWorkerTimeouts"] as? [[String: Any]])
        #expect(fixes.count == 1)
        let seconds = try #require(fixes.first?["seconds"] as? Int)
        #expect(seconds == 75 && fixes.first?["belowVerdict"] as? String == "violated")
        #expect(simulate("check", path("models/ft-equal-timeouts.json"), "--time", "zones").stdout
            .contains("holds when worker RAY_gcs_rpc_server_reconnect_timeout_s >= 75"))
        // The grid, on both sides of it.
        for (value, code) in [(seconds - 1, Int32(1)), (seconds, Int32(0))] {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let text = try String(contentsOfFile: path("models/ft-equal-timeouts.json"), encoding: .utf8)
                .replacingOccurrences(of: "\"workerReconnectTimeoutSeconds\": 60",
                                      with: "\"workerReconnectTimeoutSeconds\": \(value)")
            let file = dir.appendingPathComponent("m.json").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            for time in ["grid", "zones"] {
                let r = simulate("check", file, "--time", time)
                #expect(r.exitCode == code, "\(time) at \(value) s: \(r.stdout.suffix(300))")
            }
        }
    }

    @Test("a zone check that reaches --max-states ends incomplete, exit 3, with the figures so far")
    func stateLimit() throws {
        let out = simulate("check", "--time", "zones", "--faults", "gcs-process-kill,head-pod-delete",
                           "--max-faults", "3", "--max-states", "100", "--json")
        #expect(out.exitCode == 3, "\(out.stderr)")
        let j = try Self.json(out)
        #expect(j["verdict"] as? String == "incomplete" && j["stopReason"] as? String == "stateLimit")
        #expect((j["distinctStates"] as? Int ?? 0) > 100)
    }

    @Test("review --time zones finds the same fix as the grid, and says it used zones")
    func reviewWithZones() {
        let out = simulate("review", path("models/manifests/raycluster-ft-two-groups.yaml"),
                           "--time", "zones")
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(out.stdout.contains("set it to at least 75") && out.stdout.contains("time=zones"))
        #expect(out.stdout.contains("every real-valued timing (zones)"))
    }
}
