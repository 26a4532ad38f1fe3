import Foundation
import RayClusterModel
import SimulationKernel
import Testing
@testable import SimulateCLI

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `simulate sweep --vary`: a grid of reconnect timeouts, each point checked exhaustively, the
/// boundary read off the verdicts. Every check here is small (one fault kind, a 10 s grid) so the
/// suite stays fast in debug builds.
@Suite("simulate sweep --vary")
struct SweepVaryTests {
    /// One fault kind on a 10 s grid: each check well under a second in debug.
    static let small = ["--faults", "gcs-process-kill", "--granularity", "10s"]

    /// `models/kuberay-sample.json` with `cluster` keys set, written to a temporary directory.
    static func sample(_ cluster: [String: Any]) throws -> String {
        let base = try Data(contentsOf: URL(fileURLWithPath: path("models/kuberay-sample.json")))
        var object = try #require(try JSONSerialization.jsonObject(with: base) as? [String: Any])
        var c = try #require(object["cluster"] as? [String: Any])
        for (key, value) in cluster { c[key] = value }
        object["cluster"] = c
        let url = try temporaryDirectory().appendingPathComponent("sample.json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return url.path
    }

    /// Two worker groups, one of them empty, so each check stays small.
    static func groups() throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("groups.json")
        try Data("""
            {"name": "groups", "cluster": {"ftEnabled": true, "workerGroups": [
                {"name": "idle-group", "replicas": 0},
                {"name": "gpu-group", "replicas": 1, "reconnectTimeoutSeconds": 45}]},
             "faults": {"kinds": ["gcs-process-kill"], "maxFaults": 1, "horizon": "1m"},
             "check": {"granularity": "10s"}}
            """.utf8).write(to: url)
        return url.path
    }

    static func sweep(_ args: [String]) -> CommandOutcome {
        SimulateCommand.execute(["sweep", path("models/kuberay-sample.json")] + small + args)
    }

    @Test("the boundary agrees with single checks on both sides of it: violated below, holds at it")
    func boundaryAgreesWithCheck() throws {
        let out = Self.sweep(["--vary", "workerReconnectTimeoutSeconds=72..77/1"])
        #expect(out.exitCode == 1, "\(out.stderr)")
        let claim = "boundary: safe when workerReconnectTimeoutSeconds >= 75 "
            + "(74 violates workers-survive-head-restart"
        #expect(out.stdout.contains(claim), "\(out.stdout)")
        let below = SimulateCommand.execute(
            ["check", try Self.sample(["workerReconnectTimeoutSeconds": 74])] + Self.small)
        let at = SimulateCommand.execute(
            ["check", try Self.sample(["workerReconnectTimeoutSeconds": 75])] + Self.small)
        #expect(below.exitCode == 1 && below.stdout.contains(
            "property workers-survive-head-restart: VIOLATED"), "\(below.stdout)")
        #expect(at.exitCode == 0 && at.stdout.contains("HOLDS"), "\(at.stdout)")
    }

    @Test("two timeouts: the least safe worker timeout per head timeout, the constant difference")
    func twoDimensions() throws {
        let out = Self.sweep(["--vary", "workerReconnectTimeoutSeconds=60..80/5",
                              "--vary", "headReconnectTimeoutSeconds=50..60/10"])
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(out.stdout.contains("| workerReconnectTimeoutSeconds ↓ "
                                    + "headReconnectTimeoutSeconds → | 50 | 60 |"), "\(out.stdout)")
        #expect(out.stdout.contains("- headReconnectTimeoutSeconds = 50: safe when "
                                    + "workerReconnectTimeoutSeconds >= 65 (60 violates"))
        #expect(out.stdout.contains("- headReconnectTimeoutSeconds = 60: safe when "
                                    + "workerReconnectTimeoutSeconds >= 75 (70 violates"))
        #expect(out.stdout.contains("safe when workerReconnectTimeoutSeconds >= "
                                    + "headReconnectTimeoutSeconds + 15 s in every column"))
        // Both sides of the relation at head 50, by single checks.
        let cluster = { (w: Int) in
            ["workerReconnectTimeoutSeconds": w, "headReconnectTimeoutSeconds": 50]
        }
        let below = SimulateCommand.execute(["check", try Self.sample(cluster(60))] + Self.small)
        let at = SimulateCommand.execute(["check", try Self.sample(cluster(65))] + Self.small)
        #expect(below.exitCode == 1 && at.exitCode == 0)
    }

    @Test("--out writes sweep.md (the stdout), sweep.csv and a well-formed sweep.svg, atomically")
    func outFiles() throws {
        let dir = try temporaryDirectory().appendingPathComponent("new/sweep")
        let out = Self.sweep(["--vary", "workerReconnectTimeoutSeconds=70..80/5",
                              "--vary", "headReconnectTimeoutSeconds=50..60/10", "--out", dir.path])
        #expect(out.exitCode == 1, "\(out.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["sweep.csv", "sweep.md", "sweep.svg"], "nothing else, no .tmp left")
        let md = try String(contentsOf: dir.appendingPathComponent("sweep.md"), encoding: .utf8)
        #expect(md == out.stdout)

        let csv = try String(contentsOf: dir.appendingPathComponent("sweep.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map(String.init)
        #expect(rows.first == "workerReconnectTimeoutSeconds,headReconnectTimeoutSeconds,verdict,"
                + "workers-survive-head-restart,detached-actor-survives,cluster-recovers,"
                + "workerDeadlineMarginMs")
        #expect(rows.count == 1 + 3 * 2)
        #expect(rows[1] == "70,50,holds,holds,holds,holds,5000", "\(rows[1])")
        #expect(rows[2].hasPrefix("70,60,violated,violated,violated,holds,"), "\(rows[2])")
        #expect(rows.last == "80,60,holds,holds,holds,holds,5000", "\(rows.last ?? "")")

        let svg = try Data(contentsOf: dir.appendingPathComponent("sweep.svg"))
        let counter = SVGCounter()
        let parser = XMLParser(data: svg)
        parser.delegate = counter
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(counter.root == "svg" && counter.namespace == "http://www.w3.org/2000/svg")
        #expect(counter.rects == 6, "one rect per grid point")
        #expect(counter.text.contains("headReconnectTimeoutSeconds →"))
        #expect(counter.text.contains("workerReconnectTimeoutSeconds ↓"))
        #expect(counter.text.contains("UNSAFE: a property is violated"), "the legend")
        #expect(counter.fills.contains(SweepHeatmap.unsafeFill))
    }

    @Test("--json: schemaVersion, model, vary, one point per grid point, boundary")
    func json() throws {
        let out = Self.sweep(["--vary", "workerReconnectTimeoutSeconds=70..80/5", "--json"])
        #expect(out.exitCode == 1, "\(out.stderr)")
        let object = try jsonObject(out.stdout)
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["model"] as? String == "kuberay-external-redis")
        let vary = try #require(object["vary"] as? [[String: Any]])
        #expect(vary.count == 1 && vary[0]["param"] as? String == "workerReconnectTimeoutSeconds")
        #expect(vary[0]["from"] as? Int == 70 && vary[0]["to"] as? Int == 80
                && vary[0]["step"] as? Int == 5)
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.map { ($0["values"] as? [String: Int])?["workerReconnectTimeoutSeconds"] }
                == [70, 75, 80])
        #expect(points.map { $0["verdict"] as? String } == ["violated", "holds", "holds"])
        #expect(points.map { $0["workerDeadlineMarginMs"] as? Int } == [0, 0, 5000])
        let properties = try #require(points[0]["properties"] as? [[String: String]])
        #expect(properties.map { $0["id"] } == ClusterProperties.ids)
        #expect(properties[0]["verdict"] == "violated")
        #expect((object["boundary"] as? String)?.hasPrefix(
            "safe when workerReconnectTimeoutSeconds >= 75 (70 violates") == true)
    }

    static let badVary: [(text: String, says: String)] = [
        ("workerReconnectTimeoutSeconds", "has no \"=\""),
        ("workerReconnectTimeoutSeconds=70/1", "FROM..TO needs one \"..\""),
        ("workerReconnectTimeoutSeconds=70..80", "has no \"/STEP\""),
        ("workerReconnectTimeoutSeconds=-5..80/1", "FROM \"-5\""),
        ("workerReconnectTimeoutSeconds=80..70/1", "TO 70 is below FROM 80"),
        ("workerReconnectTimeoutSeconds=70..80/0", "STEP \"0\""),
        ("workerReconnectTimeoutSeconds=70..80/3", "miss TO 80"),
        ("workerReconnectTimeoutSeconds=1..86401/1", "TO \"86401\""),
        ("workerReconnectTimeoutSeconds=x..80/1", "FROM \"x\""),
        ("timeout=70..80/1", "unknown setting \"timeout\""),
        ("group.gpu.reconnectTimeoutSeconds=70..80/1", "no worker group \"gpu\""),
        ("workerReconnectTimeoutSeconds=1..401/1", "401 grid points, more than 400"),
    ]

    @Test("a bad --vary exits 2 naming --vary and the fix, and writes nothing", arguments: 0..<12)
    func badVary(index: Int) throws {
        let (text, says) = Self.badVary[index]
        let dir = try temporaryDirectory().appendingPathComponent("out")
        let out = Self.sweep(["--vary", text, "--out", dir.path])
        #expect(out.exitCode == 2)
        #expect(out.stderr.hasPrefix("error: --vary: ") && out.stderr.contains(says)
                && out.stderr.contains(". Fix: "), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path), "--out created on bad input")
    }

    @Test("a bad grid of two --vary exits 2: too many points, one setting twice, three settings")
    func badGrid() {
        let cases: [([String], String)] = [
            (["workerReconnectTimeoutSeconds=1..30/1", "headReconnectTimeoutSeconds=1..30/1"],
             "30 × 30 = 900 grid points, more than 400"),
            (["workerReconnectTimeoutSeconds=1..3/1", "workerReconnectTimeoutSeconds=4..5/1"],
             "workerReconnectTimeoutSeconds is varied twice"),
            (["workerReconnectTimeoutSeconds=1..3/1", "headReconnectTimeoutSeconds=1..3/1",
              "group.workers.reconnectTimeoutSeconds=1..3/1"], "given 3 times"),
        ]
        for (varies, says) in cases {
            let out = Self.sweep(varies.flatMap { ["--vary", $0] })
            #expect(out.exitCode == 2 && out.stderr.contains("--vary: " + says), "\(out.stderr)")
        }
    }

    @Test("seed flags with --vary, and --out or --granularity without it, exit 2 with the fix")
    func modesApart() throws {
        let seeds = Self.sweep(["--vary", "workerReconnectTimeoutSeconds=70..71/1", "--seeds", "5"])
        #expect(seeds.exitCode == 2 && seeds.stderr.contains("--seeds: counts seeds, but --vary"))
        let out = simulate("sweep", "--out", "/tmp/never-written")
        #expect(out.exitCode == 2 && out.stderr.contains("--out: belongs to a settings sweep"))
        let file = path("Package.swift")
        let onFile = Self.sweep(["--vary", "workerReconnectTimeoutSeconds=70..71/1", "--out", file])
        #expect(onFile.exitCode == 2 && onFile.stderr.contains("is a file, not a directory"))
    }

    @Test("group.NAME.reconnectTimeoutSeconds sets that group; the one-group name is refused there")
    func groupSetting() throws {
        let model = try Self.groups()
        let gpu = "group.gpu-group.reconnectTimeoutSeconds"
        let out = simulate("sweep", model, "--vary", gpu + "=70..75/5")
        #expect(out.exitCode == 1, "\(out.stderr)")
        #expect(out.stdout.contains("boundary: safe when \(gpu) >= 75 "
                                    + "(70 violates workers-survive-head-restart"), "\(out.stdout)")
        let shorthand = simulate("sweep", model, "--vary", "workerReconnectTimeoutSeconds=70..75/5")
        #expect(shorthand.exitCode == 2 && shorthand.stderr.contains(
            "the one-group shorthand, but the model has 2 worker groups"), "\(shorthand.stderr)")
        #expect(shorthand.stderr.contains("group.idle-group.reconnectTimeoutSeconds"))
    }

    @Test("progress names the point on a terminal; stdout is the same; --quiet silences it")
    func progress() {
        let collector = ProgressCollector()
        let environment = CommandEnvironment(progressIntervalSeconds: 60) { collector.append($0) }
        let args = ["sweep", path("models/kuberay-sample.json")] + Self.small
            + ["--vary", "workerReconnectTimeoutSeconds=74..75/1"]
        let shown = SimulateCommand.execute(args, environment: environment)
        let plain = SimulateCommand.execute(args)
        for (n, value) in [(1, 74), (2, 75)] {
            let line = "point \(n)/2 workerReconnectTimeoutSeconds=\(value)"
            #expect(collector.all.contains { $0.contains(line) }, "\(collector.all)")
        }
        #expect(shown.stderr.isEmpty && plain.stderr.isEmpty)
        let stable = { (s: String) in s.components(separatedBy: "2 checks,").first! }
        #expect(stable(shown.stdout) == stable(plain.stdout))
        let quiet = ProgressCollector()
        let silent = CommandEnvironment(progressIntervalSeconds: 60) { quiet.append($0) }
        _ = SimulateCommand.execute(args + ["--quiet"], environment: silent)
        #expect(quiet.all.isEmpty)
    }

    @Test("a sweep stopped before its points ends incomplete, exit 3, every cell ?")
    func interrupted() {
        let environment = CommandEnvironment(progressIntervalSeconds: 60) { _ in }
        environment.requestStop()
        let out = SimulateCommand.execute(
            ["sweep", path("models/kuberay-sample.json")] + Self.small
                + ["--vary", "workerReconnectTimeoutSeconds=74..75/1"], environment: environment)
        #expect(out.exitCode == 3)
        #expect(out.stdout.contains("INTERRUPTED after 0 of 2 points"))
        #expect(out.stdout.contains("| 74 | ? |") && out.stdout.contains("| 75 | ? |"))
        #expect(out.stdout.contains("boundary: no single threshold in 74..75: undecided at 74..75"))
    }

    @Test("--help shows both sweeps, every setting and an example of each")
    func help() {
        let help = simulate("sweep", "--help").stdout
        for form in SweepParameter.forms { #expect(help.contains(form.name)) }
        #expect(help.contains("--vary workerReconnectTimeoutSeconds=70..80/1"))
        #expect(help.contains("--seeds 10000"))
    }
}

/// The boundary's words from made-up verdicts: the wording of every case, without the checker.
@Suite("sweep boundary in words")
struct SweepBoundaryTests {
    static func axis(_ p: SweepParameter, _ from: Int, _ to: Int, _ step: Int = 1) -> SweepAxis {
        SweepAxis(parameter: p, from: from, to: to, step: step)
    }

    static func point(_ values: [Int], _ verdict: CheckReport.Verdict) -> SweepPoint {
        let property = verdict == .incomplete ? CheckReport.Verdict.incomplete : verdict
        return SweepPoint(values: values, verdict: verdict,
                          properties: [("workers-survive-head-restart", property)], margin: nil,
                          distinctStates: 1)
    }

    static func line(_ values: [Int], _ verdicts: String) -> [SweepPoint] {
        zip(values, verdicts).map { v, c in
            point([v], c == "s" ? .holds : c == "u" ? .violated : .incomplete)
        }
    }

    static func words(_ axis: SweepAxis, _ verdicts: String) -> String {
        SweepBoundary.lines(SweepGrid(axes: [axis]), line(axis.values, verdicts))[0]
    }

    @Test("one axis: a threshold either way, everywhere, nowhere, or the runs")
    func oneAxis() {
        let w = Self.axis(.workerReconnectTimeout, 70, 74)
        #expect(Self.words(w, "uusss") == "safe when workerReconnectTimeoutSeconds >= 72 "
                + "(71 violates workers-survive-head-restart)")
        #expect(Self.words(Self.axis(.headReconnectTimeout, 60, 80, 5), "sssuu")
                == "safe when headReconnectTimeoutSeconds <= 70 "
                + "(75 violates workers-survive-head-restart; 71..74 not measured)")
        #expect(Self.words(w, "sssss") == "safe everywhere in 70..74")
        #expect(Self.words(w, "uuuuu") == "no safe value in 70..74")
        #expect(Self.words(w, "usuus")
                == "no single threshold in 70..74: safe at 71, 74; UNSAFE at 70, 72..73")
        #expect(Self.words(w, "uu?ss") == "no single threshold in 70..74: "
                + "safe at 73..74; UNSAFE at 70..71; undecided at 72")
    }

    /// Rows: worker 60..80/5; columns: head 50, 60; `safe` when worker >= head + `d(head)`.
    static func twoAxes(_ d: (Int) -> Int) -> [String] {
        let grid = SweepGrid(axes: [axis(.workerReconnectTimeout, 60, 80, 5),
                                    axis(.headReconnectTimeout, 50, 60, 10)])
        let points = grid.points.map { v in point(v, v[0] >= v[1] + d(v[1]) ? .holds : .violated) }
        return SweepBoundary.lines(grid, points)
    }

    @Test("two axes: the relation only when the difference is the same in every column")
    func twoAxes() {
        let constant = Self.twoAxes { _ in 15 }
        let relation: String = "safe when workerReconnectTimeoutSeconds >= "
            + "headReconnectTimeoutSeconds + 15 s in every column measured "
            + "(measured every 5 s of workerReconnectTimeoutSeconds)"
        #expect(constant.last == relation)
        let varying = Self.twoAxes { $0 == 50 ? 15 : 10 }
        let differs: String = "no constant difference at the boundary: "
            + "workerReconnectTimeoutSeconds − headReconnectTimeoutSeconds is "
            + "15 s where headReconnectTimeoutSeconds = 50, "
            + "10 s where headReconnectTimeoutSeconds = 60"
        #expect(varying.last == differs)
        #expect(varying.count == 3)
        let oneColumnOnly = Self.twoAxes { $0 == 50 ? 15 : -100 }
        #expect(oneColumnOnly.count == 2, "one threshold column is no relation: \(oneColumnOnly)")
    }
}

/// Counts what a sweep's SVG holds, as an XML parser sees it.
final class SVGCounter: NSObject, XMLParserDelegate {
    var root: String?
    var namespace: String?
    var rects = 0
    var fills: Set<String> = []
    var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil {
            root = name
            namespace = attributes["xmlns"]
        }
        if name == "rect" { rects += 1 }
        if let fill = attributes["fill"] { fills.insert(fill) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
