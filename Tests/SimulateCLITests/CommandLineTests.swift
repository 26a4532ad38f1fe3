import Foundation
import Testing
import SimulateCLI

@Suite("Command line")
struct CommandLineTests {
    @Test("the default run prints the seed first and the digest last")
    func shape() {
        let out = simulate("--seed", "42")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.first == "seed 42")
        #expect(lines.last?.hasPrefix("digest ") == true)
        #expect(lines.last?.count == "digest ".count + 16)
        #expect(out.stdout.contains("property workers-survive-head-restart: held"))
        #expect(out.exitCode == 0)
    }

    @Test("--json prints JSON Lines: a run record, events, one record per property, a summary with the digest")
    func jsonLines() throws {
        let out = simulate("--seed", "42", "--json")
        let records = try out.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(records.first?["type"] as? String == "run")
        #expect(records.first?["seed"] as? Int == 42)
        #expect(records.last?["type"] as? String == "summary")
        #expect((records.last?["digest"] as? String)?.count == 16)
        let props = records.filter { $0["type"] as? String == "property" }.compactMap { $0["id"] as? String }
        #expect(props == ["workers-survive-head-restart", "detached-actor-survives", "cluster-recovers"])
        let events = records.filter { $0["type"] as? String == "event" }
        #expect(!events.isEmpty)
        for e in events {
            for key in ["step", "atMs", "component", "event", "detail", "attributes"] { #expect(e[key] != nil, "missing \(key)") }
        }
    }

    @Test("the digest of the human and JSON outputs of a run agree")
    func digestsAgree() {
        let human = simulate("--seed", "9").stdout
        let json = simulate("--seed", "9", "--json").stdout
        let digest = String(human.split(separator: "\n").last!.dropFirst("digest ".count))
        #expect(json.contains("\"digest\":\"\(digest)\""))
    }

    static let badInvocations: [([String], String)] = [
        (["--seed", "-3"], "--seed"),
        (["--seed", "abc"], "--seed"),
        (["--seed", "1", "--faults", "gcs-kill"], "unknown fault \"gcs-kill\""),
        (["--seed", "1", "--max-faults", "-1"], "--max-faults"),
        (["--seed", "1", "--horizon", "-5m"], "negative"),
        (["--seed", "1", "--model", "/no/such/model.json"], "no such file"),
        (["--seed", "1", "--bogus"], "unknown option --bogus"),
        (["--seed"], "--seed needs a value"),
        (["--model", "models/no-ft.json"], "--seed is required"),
        (["frobnicate"], "unexpected argument"),
    ]

    @Test("bad input exits 2 with one clear message on stderr and nothing on stdout", arguments: badInvocations)
    func badInput(args: [String], message: String) {
        let out = SimulateCommand.execute(args.map { $0.hasPrefix("models/") ? path($0) : $0 })
        #expect(out.exitCode == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(out.stderr.hasPrefix("error: "))
    }

    @Test("model files with bad content exit 2 naming the field")
    func badModelFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-cli-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            (#"{"name": "x", "cluster": {"workerReconnectTimeoutSeconds": -5}}"#, "cluster.workerReconnectTimeoutSeconds: -5 is negative"),
            ("apiVersion: ray.io/v1\nkind: RayCluster\n", "looks like YAML"),
            (#"{"name": "x", "faults": {"kinds": ["nope"]}}"#, "faults.kinds: unknown fault \"nope\""),
            ("{ not json", "not valid JSON"),
        ]
        for (i, (text, message)) in cases.enumerated() {
            let file = dir.appendingPathComponent("m\(i).json")
            try Data(text.utf8).write(to: file)
            let out = simulate("--seed", "1", "--model", file.path)
            #expect(out.exitCode == 2)
            #expect(out.stderr.contains(message), "\(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
    }

    @Test("--help teaches every option the command accepts and exits 0")
    func help() {
        let out = simulate("--help")
        #expect(out.exitCode == 0)
        for flag in ["--seed", "--model", "--faults", "--max-faults", "--horizon", "--max-steps", "--json"] {
            #expect(out.stdout.contains(flag), "help does not mention \(flag)")
        }
        for id in ["gcs-process-kill", "head-pod-delete", "head-container-crash", "redis-restart", "redis-data-loss", "worker-pod-delete"] {
            #expect(out.stdout.contains(id))
        }
        #expect(simulate("sweep", "--help").stdout.contains("--seeds"))
    }

    @Test("no arguments prints help and exits 2")
    func noArguments() {
        let out = SimulateCommand.execute([])
        #expect(out.exitCode == 2)
        #expect(out.stdout.contains("USAGE"))
    }

    @Test("--faults and --max-faults change the budget the run uses")
    func faultOverrides() {
        let out = simulate("--seed", "5", "--faults", "worker-pod-delete", "--max-faults", "1")
        #expect(out.stdout.contains("faults: up to 1 of worker-pod-delete"))
        #expect(!out.stdout.contains("gcs-process-kill:"))
        let none = simulate("--seed", "5", "--max-faults", "0")
        #expect(!none.stdout.contains("faultInjected") && !none.stdout.contains("kubectl"))
        #expect(none.exitCode == 0)
    }

    @Test("sweep reports per property and exits 1 when a seed violates")
    func sweep() {
        let out = simulate("sweep", path("models/ft-equal-timeouts.json"), "--seeds", "50")
        #expect(out.exitCode == 1)
        #expect(out.stdout.contains("property workers-survive-head-restart: VIOLATED in"))
        #expect(out.stdout.contains("events/s"))
        let ok = simulate("sweep", "--seeds", "50", "--json")
        #expect(ok.exitCode == 0)
        #expect(ok.stdout.contains("\"eventsPerSecond\""))
    }
}
