import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// The zone checker against the grid checker and the simulator, on random small model and
/// scenario files written as JSON text and read by the reader the command line uses. Zones cover
/// every real-valued timing, so whatever they prove must hold on every grid and in every seeded
/// run, and every violation they report must come with a concrete run that breaks the property
/// (docs/checking.md, "Zones"). A grid or a run that breaks a property zones hold is a false
/// proof, the bug class this test is for.
@Suite("Zones against grids and seeded runs on random model files")
struct ZoneDifferentialTests {
    @Test("12 random small model and scenario files: zones prove nothing a grid or a run breaks")
    func smallSweep() {
        let s = ZoneDifferential.sweep(seed: 0x20_5E_ED, count: 12, budget: .small)
        print(s.report)
        #expect(s.compared >= 8, "\(s.compared) of \(s.accepted) compared")
        ZoneDifferential.expectSound(s)
    }

    @Test("the generator covers every cluster key, release, fault kind and step; most files load")
    func generatorCoverage() throws {
        var keys = Set<String>(), versions = Set<String>(), kinds = Set<String>()
        var steps = Set<String>()
        var accepted = 0
        let count = 400
        for index in 0..<count {
            let file = ModelFileGenerator.file(seed: 0xC0_7E4, index: index)
            let parsed = try? JSONSerialization.jsonObject(with: Data(file.utf8))
            let json = try #require(parsed as? [String: Any], "\(file)")
            let cluster = json["cluster"] as? [String: Any] ?? [:]
            keys.formUnion(cluster.keys)
            if let v = cluster["kuberayVersion"] as? String,
               let known = KubeRayVersion(parsing: v) {
                versions.insert("\(known.major).\(known.minor)")
            }
            let faults = json["faults"] as? [String: Any]
            kinds.formUnion(faults?["kinds"] as? [String] ?? [])
            let scripted = json["steps"] as? [[String: Any]] ?? []
            steps.formUnion(scripted.compactMap { $0["do"] as? String })
            if ZoneDifferential.load(file, name: "coverage-\(index)").definition != nil {
                accepted += 1
            }
        }
        let clusterKeys = Set(ClusterSpec.CodingKeys.allKeys)
        #expect(clusterKeys.subtracting(keys).isEmpty, "\(clusterKeys.subtracting(keys))")
        #expect(versions == Set(KubeRayVersion.known.map { "\($0.major).\($0.minor)" }))
        #expect(kinds == Set(FaultKind.faultIDs))
        #expect(steps == Set(ScriptAction.ids))
        #expect(accepted * 10 >= count * 8, "\(accepted) of \(count) accepted")
    }
}

/// The long version, for the separate job (`swift test -c release --filter LongSweeps`).
@Suite("Zones against grids and seeded runs on random model files (LongSweeps)")
struct ZoneDifferentialLongSweeps {
    @Test("600 random small model and scenario files, grids at 1 s, 500 ms and 100 ms, 8 seeds")
    func manyRandomFiles() {
        let s = ZoneDifferential.sweep(seed: 0x10_96_5EED, count: 600, budget: .long)
        print(s.report)
        #expect(s.compared >= 500, "\(s.compared) of \(s.accepted) compared")
        ZoneDifferential.expectSound(s)
    }
}

extension ClusterSpec.CodingKeys {
    /// Every key of the model file's `cluster` section.
    static var allKeys: [String] {
        ["ftEnabled", "gcsStorage", "kuberayVersion", "workers", "headRestartPolicy",
         "workerRestartPolicy", "autoscalerV2", "probes", "headReconnectTimeoutSeconds",
         "workerReconnectTimeoutSeconds", "storageNamespace", "rayClusterUID",
         "redisPersistence", "actorMaxRestarts", "workerGroups"]
            .filter { Self(stringValue: $0) != nil }
    }
}

/// Writes one random small model or scenario file as JSON text, from the kernel's own
/// deterministic generator: the same seed and index give the same bytes on every machine.
struct ModelFileGenerator {
    var g: SplitMix64
    let index: Int
    var workers = 1

    init(seed: UInt64, index: Int) {
        g = SplitMix64(seed: seed).derived(UInt64(index))
        self.index = index
    }

    /// The file for `index` of the sweep seeded with `seed`.
    static func file(seed: UInt64, index: Int) -> String {
        var generator = ModelFileGenerator(seed: seed, index: index)
        return generator.file()
    }

    mutating func pick<T>(_ xs: [T]) -> T { xs[g.next(below: xs.count)] }
    /// True one time in `n`.
    mutating func oneIn(_ n: Int) -> Bool { g.next(below: n) == 0 }

    static let timeouts = [10, 20, 30, 45, 46, 60, 75, 87, 600]

    /// A model file (two in three) or a scenario file (one in three).
    mutating func file() -> String {
        var top: [(String, String)] = [("name", JSONText.quote("zd-\(index)"))]
        let cluster = clusterObject()
        if !cluster.isEmpty || oneIn(2) { top.append(("cluster", JSONText.object(cluster))) }
        let timing = timingObject()
        if !timing.isEmpty { top.append(("timing", JSONText.object(timing))) }
        if oneIn(8) { top.append(("check", #"{"granularity":"\#(pick(["1s", "500ms"]))"}"#)) }
        if oneIn(3) {
            top += scenarioFields()
        } else {
            if !oneIn(12) { top.append(("faults", faultsObject())) }
            if oneIn(3) {
                let bound = pick(["30s", "45s", "1m", "90s", "5m"])
                top.append(("properties", #"{"recoveryBound":"\#(bound)"}"#))
            }
        }
        return JSONText.object(top)
    }

    /// `kuberayVersion` as users write it: `1.1`, `1.1.0` or `v1.1.2`, every known release.
    mutating func version() -> String {
        let v = pick(KubeRayVersion.known)
        switch g.next(below: 3) {
        case 0: return "\(v.major).\(v.minor)"
        case 1: return "\(v.major).\(v.minor).\(g.next(below: 3))"
        default: return "v\(v.major).\(v.minor).\(g.next(below: 3))"
        }
    }

    mutating func clusterObject() -> [(String, String)] {
        var c: [(String, String)] = []
        func quoted(_ s: String) -> String { JSONText.quote(s) }
        if !oneIn(3) { c.append(("kuberayVersion", quoted(version()))) }
        if !oneIn(3) { c.append(("ftEnabled", oneIn(4) ? "false" : "true")) }
        if oneIn(4) { c.append(("gcsStorage", quoted(pick(GCSStorage.allCases).rawValue))) }
        if oneIn(3) {
            c.append(("workerGroups", workerGroupsArray()))
        } else {
            workers = 1 + g.next(below: 2)
            if workers > 1 || oneIn(2) { c.append(("workers", String(workers))) }
            if oneIn(2) {
                c.append(("workerReconnectTimeoutSeconds", String(pick(Self.timeouts))))
            }
        }
        for key in ["headRestartPolicy", "workerRestartPolicy"] where oneIn(2) {
            c.append((key, quoted(pick(RestartPolicy.allCases).rawValue)))
        }
        if oneIn(5) { c.append(("autoscalerV2", oneIn(2) ? "true" : "false")) }
        if oneIn(2) {
            var probes: [(String, String)] = []
            for pod in ["head", "worker"] where !oneIn(3) {
                probes.append((pod, podProbes()))
            }
            c.append(("probes", JSONText.object(probes)))
        }
        if oneIn(2) { c.append(("headReconnectTimeoutSeconds", String(pick(Self.timeouts)))) }
        if oneIn(6) { c.append(("storageNamespace", quoted(pick(["ns-a", "raycluster-uid"])))) }
        if oneIn(6) { c.append(("rayClusterUID", quoted(pick(["uid-b", "raycluster-uid"])))) }
        if !oneIn(3) {
            c.append(("redisPersistence", quoted(pick(RedisPersistence.allCases).rawValue)))
        }
        if oneIn(3) { c.append(("actorMaxRestarts", pick(["0", "-1"]))) }
        return c
    }

    /// One or two groups with one or two workers in all (a group may have none).
    mutating func workerGroupsArray() -> String {
        let groups = 1 + g.next(below: 2)
        workers = 1 + g.next(below: 2)
        var replicas = [workers]
        if groups == 2 {
            let first = g.next(below: workers + 1)
            replicas = [first, workers - first]
        }
        let items = replicas.enumerated().map { i, n in
            var o: [(String, String)] = [
                ("name", JSONText.quote("group-\(i + 1)")), ("replicas", String(n)),
            ]
            if oneIn(2) { o.append(("reconnectTimeoutSeconds", String(pick(Self.timeouts)))) }
            if oneIn(3) {
                o.append(("restartPolicy", JSONText.quote(pick(RestartPolicy.allCases).rawValue)))
            }
            if oneIn(3) { o.append(("probes", podProbes())) }
            return JSONText.object(o)
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    /// A pod's `readiness` and `liveness`, each left out, `"none"` or a probe object.
    mutating func podProbes() -> String {
        var o: [(String, String)] = []
        for kind in ["readiness", "liveness"] {
            switch g.next(below: 4) {
            case 0: break
            case 1: o.append((kind, JSONText.quote("none")))
            default: o.append((kind, probe()))
            }
        }
        return JSONText.object(o)
    }

    mutating func probe() -> String {
        JSONText.object([
            ("initialDelaySeconds", String(pick([0, 5, 10, 30]))),
            ("periodSeconds", String(pick([1, 2, 5, 10]))),
            ("timeoutSeconds", String(pick([1, 2, 5]))),
            ("failureThreshold", String(pick([1, 3, 10, 120]))),
            ("checks", JSONText.quote(pick(ProbeCheck.allCases).rawValue)),
        ])
    }

    /// A few timing keys, most left at their defaults; ranges narrowed to keep grids small, and
    /// the simulator's grid (`granularity`) sometimes off the checker's (1 ms, 250 ms, 300 ms).
    mutating func timingObject() -> [(String, String)] {
        func range(_ lo: String, _ hi: String) -> String {
            lo == hi ? JSONText.quote(lo) : #"{"min":"\#(lo)","max":"\#(hi)"}"#
        }
        let choices: [(String, [String])] = [
            ("headPodStartup", [range("5s", "6s"), range("5s", "5s"), range("20s", "30s"),
                                range("28s", "32s"), range("1s", "44s")]),
            ("workerPodStartup", [range("5s", "6s"), range("5s", "5s"), range("25s", "30s")]),
            ("containerRestartStartup", [range("2s", "2s"), range("2s", "3s"), range("9s", "10s")]),
            ("gcsTableLoad", [range("300ms", "300ms"), range("300ms", "500ms"),
                              range("1s", "2s")]),
            ("redisRestartDowntime", [range("1s", "1s"), range("1s", "5s"), range("20s", "40s")]),
            ("deadNodeDetectionServing", [range("12s", "12s"), range("12s", "13s")]),
            ("rayletSelfCheckInterval", [JSONText.quote("10s"), JSONText.quote("1m")]),
            ("podDeletionDrainTimeout", ["0s", "5s", "30s"].map(JSONText.quote)),
            ("grpcReconnectBackoffMax", ["0s", "1s", "2s"].map(JSONText.quote)),
            ("connectionCheckInterval", ["500ms", "1s"].map(JSONText.quote)),
            ("gcsRedisLossGrace", ["0s", "3.5s", "10s"].map(JSONText.quote)),
            ("crashLoopBackoffInitial", ["1s", "10s"].map(JSONText.quote)),
            ("deadNodeDetection", ["5s", "17s"].map(JSONText.quote)),
            ("workerInitPollInterval", ["1s", "5s"].map(JSONText.quote)),
            ("blockPollInterval", ["0s", "1s"].map(JSONText.quote)),
            ("granularity", ["1ms", "250ms", "300ms", "1s"].map(JSONText.quote)),
        ]
        var t: [(String, String)] = []
        for (key, values) in choices where oneIn(key == "granularity" ? 3 : 8) {
            t.append((key, pick(values)))
        }
        return t
    }

    /// 0 to 2 faults of 1 to 3 kinds within a small horizon, `0s` included.
    mutating func faultsObject() -> String {
        var kinds: [String] = []
        for _ in 0...g.next(below: 3) { kinds.append(JSONText.quote(pick(FaultKind.faultIDs))) }
        let maxFaults = pick([0, 1, 1, 1, 2, 2])
        let horizon = pick(["0s", "0s", "1s", "5s", "10s", "30s", "1m"])
        return JSONText.object([
            ("kinds", "[" + kinds.joined(separator: ",") + "]"),
            ("maxFaults", String(maxFaults)), ("horizon", JSONText.quote(horizon)),
        ])
    }

    /// `supervisor`, `steps` and `until`: random steps, or one of two shapes that sit on the
    /// timeouts (a GCS killed at 0 s and started later; two outages close together).
    mutating func scenarioFields() -> [(String, String)] {
        var f: [(String, String)] = []
        var steps: [(ms: Int, text: String)] = []
        func step(_ ms: Int, _ action: String, _ extra: [(String, String)] = []) -> String {
            JSONText.object([("at", JSONText.quote(Self.duration(ms))),
                             ("do", JSONText.quote(action))] + extra)
        }
        var supervisor: String? = pick([nil, "kubernetes", "manual"])
        switch g.next(below: 4) {
        case 0:
            supervisor = "manual"
            let start = pick([1, 10, 44, 45, 46, 59, 60, 61, 75, 87]) * 1000
                + pick([0, 0, 500])
            steps = [(0, step(0, "gcs-process-kill")), (start, step(start, "gcs-start"))]
        case 1:
            let first = pick(["gcs-process-kill", "head-pod-delete", "head-container-crash",
                              "gcs-process-sigkill", "redis-restart"])
            let second = pick(["gcs-process-kill", "head-pod-delete", "head-container-crash",
                               "gcs-process-sigkill", "redis-restart"])
            let gap = pick([0, 500, 1000, 2000, 5000, 30_000, 40_000])
            steps = [(0, step(0, first)), (gap, step(gap, second))]
            if supervisor == "manual" {
                let later = gap + pick([1000, 20_000, 50_000])
                steps.append((later, step(later, "gcs-start")))
            }
        default:
            var at = pick([0, 0, 1000, 5000, 10_000])
            for i in 0...g.next(below: 3) {
                if i > 0 { at += pick([0, 500, 1000, 2000, 5000, 10_000, 20_000, 45_000, 60_000]) }
                let action = pick(ScriptAction.ids)
                var extra: [(String, String)] = []
                if action == "worker-pod-delete" && !oneIn(3) {
                    extra.append(("worker", String(1 + g.next(below: workers))))
                }
                if action == "gcs-start" && oneIn(3) {
                    extra.append(("storageNamespace", JSONText.quote("other")))
                }
                steps.append((at, step(at, action, extra)))
            }
        }
        if let supervisor { f.append(("supervisor", JSONText.quote(supervisor))) }
        f.append(("steps", "[" + steps.map(\.text).joined(separator: ",") + "]"))
        if !oneIn(4) {
            let until = steps.last!.ms + pick([30_000, 60_000, 120_000, 300_000])
            f.append(("until", JSONText.quote(Self.duration(until))))
        }
        return f
    }

    /// Milliseconds as a model file writes them: `0s`, `1.5s`, `45s`.
    static func duration(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}

/// The comparison: one model file, checked with zones, on three grids and in seeded runs.
enum ZoneDifferential {
    /// How much each model may cost.
    struct Budget: Sendable {
        /// The cap of every check: a check that reaches it is incomplete and not compared.
        var maxStates: Int
        /// A backstop in seconds for each check (also incomplete, not compared), so one heavy
        /// model cannot hold up the suite.
        var maxSeconds: Double
        var seeds: UInt64
        /// The grids, coarsest first.
        var grids: [SimDuration]
    }
}

extension ZoneDifferential.Budget {
    static let small = Self(maxStates: 2_000, maxSeconds: 2, seeds: 4, grids: [.seconds(1)])
    static let long = Self(maxStates: 20_000, maxSeconds: 5, seeds: 8,
                           grids: [.seconds(1), .ms(500), .ms(100)])
}

extension ZoneDifferential {

    /// One disagreement between zones and the grid, a run, or its own counterexample.
    struct Finding: Sendable, CustomStringConvertible {
        enum Kind: String, Sendable, CaseIterable {
            /// Zones hold a property a grid check violates.
            case falseProofGrid = "FALSE PROOF: zones hold, a grid violates"
            /// Zones hold a property a seeded run violates.
            case falseProofRun = "FALSE PROOF: zones hold, a seeded run violates"
            /// A zone counterexample that does not break its property when replayed.
            case counterexampleDoesNotReplay = "zone counterexample does not replay"
            /// A zone counterexample that the trace file's reader or replay would refuse.
            case traceRefused = "zone trace refused by replay"
            /// A grid counterexample that does not break its property when replayed.
            case gridCounterexampleDoesNotReplay = "grid counterexample does not replay"
            /// A seeded run on a grid's points breaks a property that grid holds.
            case gridMissesRun = "grid holds, a run on its points violates"
            /// Zones could not make a violation concrete that a grid or a run shows (not
            /// unsound, but a violation zones do not report).
            case unknownButViolated = "zones unknown, a grid or a run violates"

            /// Breaks the soundness rule (the last kind only loses precision).
            var breaksSoundness: Bool { self != .unknownButViolated }
        }

        var kind: Kind
        var model: String
        var property: String
        var detail: String
        var json: String

        var description: String { "[\(kind.rawValue)] \(model) \(property): \(detail)\n  \(json)" }
    }

    /// What a sweep found.
    struct Summary: Sendable {
        var generated = 0
        var accepted = 0
        /// The reader's first error for each file it refused, by field.
        var skipped: [String: Int] = [:]
        var compared = 0
        var zonesIncomplete = 0
        var gridsIncomplete = 0
        var unknown = 0
        /// Properties only zones violate (every complete grid and every run held them).
        var zonesOnly = 0
        var verdicts: [String: Int] = [:]
        var findings: [Finding] = []
        var seconds = 0.0

        var report: String {
            let skips = skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            var lines = [
                "zone differential: \(generated) files generated, \(accepted) accepted, "
                    + "\(generated - accepted) skipped by the reader "
                    + "(\(skips.joined(separator: ", "))), \(compared) compared, "
                    + "\(zonesIncomplete) over the cap with zones, \(gridsIncomplete) grid "
                    + "checks over the cap, in \(String(format: "%.1f", seconds)) s",
                "zone verdicts: " + verdicts.sorted { $0.key < $1.key }
                    .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    + "; \(unknown) unknown, \(zonesOnly) violated by zones only",
                "findings: \(findings.count)",
            ]
            for kind in Finding.Kind.allCases {
                let these = findings.filter { $0.kind == kind }
                guard !these.isEmpty else { continue }
                lines.append("== \(kind.rawValue): \(these.count)")
                lines += these.map(\.description)
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Each finding that breaks the soundness rule is an issue of the calling test.
    static func expectSound(_ s: Summary, sourceLocation: SourceLocation = #_sourceLocation) {
        for f in s.findings where f.kind.breaksSoundness {
            Issue.record("\(f)", sourceLocation: sourceLocation)
        }
    }

    /// Reads `text` as the command line does (a scenario when it has `steps`); nil with the
    /// field of the reader's error when it refuses it.
    static func load(_ text: String, name: String)
        -> (definition: ModelDefinition?, error: String?) {
        do throws(InputError) {
            let s = try Scenario.parse(Data(text.utf8), name: name, baseDirectory: "/")
            return (s.definition, nil)
        } catch {
            return (nil, error.field)
        }
    }

    /// `ZONE_DIFFERENTIAL_VERBOSE=1`: one line per model on standard error, unbuffered.
    static var verbose: Bool {
        ProcessInfo.processInfo.environment["ZONE_DIFFERENTIAL_VERBOSE"] != nil
    }

    /// `ZONE_DIFFERENTIAL_DUMP=DIR`: each generated file is also written to `DIR/zd-INDEX.json`,
    /// for `simulate check` and `simulate run`.
    static var dumpDirectory: String? {
        ProcessInfo.processInfo.environment["ZONE_DIFFERENTIAL_DUMP"]
    }

    /// Generates `count` files and compares every one the reader accepts.
    static func sweep(seed: UInt64, count: Int, budget: Budget) -> Summary {
        var s = Summary()
        let start = Date()
        for index in 0..<count {
            let text = ModelFileGenerator.file(seed: seed, index: index)
            s.generated += 1
            if let dir = dumpDirectory {
                try? (text + "\n").write(toFile: "\(dir)/zd-\(index).json", atomically: true,
                                         encoding: .utf8)
            }
            guard let d = load(text, name: "zd-\(index)").definition else {
                s.skipped[load(text, name: "").error ?? "?", default: 0] += 1
                continue
            }
            s.accepted += 1
            let before = Date()
            compare(d, text: text, budget: budget, into: &s)
            if verbose {
                let ms = Int(Date().timeIntervalSince(before) * 1000)
                let line = "model \(index): \(ms) ms, \(s.findings.count) findings so far\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        s.seconds = Date().timeIntervalSince(start)
        return s
    }

    static func options(_ budget: Budget) -> CheckOptions {
        let limits = CheckLimits(maxStates: budget.maxStates, maxSeconds: budget.maxSeconds)
        return CheckOptions(limits: limits, stopAtFirstViolation: false)
    }

    /// Zones, each grid of the budget, and its seeds, on one model, property by property.
    static func compare(_ d: ModelDefinition, text: String, budget: Budget,
                        into s: inout Summary) {
        func found(_ kind: Finding.Kind, _ property: String, _ detail: String) {
            s.findings.append(Finding(kind: kind, model: d.name, property: property,
                                      detail: detail, json: text))
        }
        let zones = ClusterCheck(d, options: options(budget), time: .zones).run()
        guard zones.report.stopReason == .exhausted else {
            s.zonesIncomplete += 1
            return
        }
        s.compared += 1
        var grids: [(SimDuration, ClusterCheckResult)] = []
        for step in budget.grids {
            let r = ClusterCheck(d, granularity: step, options: options(budget)).run()
            if r.report.stopReason == .exhausted { grids.append((step, r)) } else {
                s.gridsIncomplete += 1
            }
        }
        let simulator = Simulator(model: ClusterModel(d))
        let runs = (0..<budget.seeds).map { simulator.runQuietly(seed: $0) }
        for (i, zp) in zones.report.properties.enumerated() {
            let id = zp.id
            s.verdicts[zp.verdict.rawValue, default: 0] += 1
            let gridViolations = grids.filter { $0.1.report.properties[i].verdict == .violated }
            let runViolations = runs.filter { $0.verdict(id)?.held == false }
            for (step, r) in gridViolations {
                if r.counterexamples.first(where: { $0.property == id })?.violates != true {
                    found(.gridCounterexampleDoesNotReplay, id, "grid \(step)")
                }
            }
            for (step, r) in grids where r.report.properties[i].verdict == .holds
                && (d.timing.granularity.milliseconds % step.milliseconds == 0) {
                if let run = runViolations.first {
                    found(.gridMissesRun, id, "grid \(step) holds; seed \(run.seed!) violates "
                          + "at \(run.verdict(id)!.violatedAt!) (timing.granularity "
                          + "\(d.timing.granularity))")
                }
            }
            switch zp.verdict {
            case .holds:
                for (step, _) in gridViolations {
                    found(.falseProofGrid, id, "zones hold; the grid at \(step) violates")
                }
                if let run = runViolations.first {
                    let seeds = runViolations.map { String($0.seed!) }.prefix(5)
                    found(.falseProofRun, id, "zones hold; seeds \(seeds.joined(separator: ", "))"
                          + " violate (first at \(run.verdict(id)!.violatedAt!))")
                }
            case .violated:
                if gridViolations.isEmpty && runViolations.isEmpty { s.zonesOnly += 1 }
                checkCounterexample(zones, property: id, found: found)
            case .unknown:
                s.unknown += 1
                if !gridViolations.isEmpty || !runViolations.isEmpty {
                    let why = zp.unknownReason ?? "-"
                    found(.unknownButViolated, id,
                          "grids \(gridViolations.map { "\($0.0)" }), "
                          + "\(runViolations.count) seeds violate; zones: \(why)")
                }
            case .incomplete:
                break
            }
        }
    }

    /// A zone counterexample replays to its violation in the checked model, and again as
    /// `simulate replay` would run its trace file: the model written by the project's JSON
    /// writer, read back and validated, every choice within the trace reader's limits.
    static func checkCounterexample(
        _ zones: ClusterCheckResult, property id: String,
        found: (Finding.Kind, String, String) -> Void
    ) {
        guard let cx = zones.counterexamples.first(where: { $0.property == id }) else {
            found(.counterexampleDoesNotReplay, id, "violated without a counterexample")
            return
        }
        guard cx.violates else {
            let why = cx.mismatch.map { "\($0)" } ?? "ran \(cx.run.steps) of \(cx.steps.count) "
                + "steps, held \(cx.run.verdict(id)?.held.description ?? "-")"
            found(.counterexampleDoesNotReplay, id, why)
            return
        }
        for (i, step) in cx.steps.enumerated() {
            if step.count > InputLimits.traceChoicesPerStepMax
                || step.contains(where: { $0 < 0 || $0 > InputLimits.traceChoiceIndexMax }) {
                found(.traceRefused, id, "step \(i) has choices \(step.prefix(8))")
                return
            }
        }
        let model = zones.model.definition
        let text = JSONText.pretty(model)
        let read: ModelDefinition
        do throws(InputError) {
            read = try StrictJSON(Data(text.utf8), what: "trace", field: "model")
                .decode(ModelDefinition.self)
            try read.validate(names: .encoded(under: "model"))
        } catch {
            found(.traceRefused, id, "the trace's model is refused: \(error)")
            return
        }
        let replayed = ClusterModel(read, symmetry: zones.model.symmetry)
        let again = ClusterReplay(property: id, steps: cx.steps, in: replayed)
        let recorded = zones.report.property(id)?.counterexample?.violatingFingerprint
        if !again.violates || again.finalFingerprint != recorded {
            found(.traceRefused, id, "the trace's model, read back, replays differently "
                  + "(violates \(again.violates), "
                  + "mismatch \(again.mismatch.map { "\($0)" } ?? "-"))")
        }
    }
}
