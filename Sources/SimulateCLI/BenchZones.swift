import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate bench zones`: the zone checker and the grid checker side by side on the same bounds,
/// for the cases the zone checker was built for (docs/checking.md, "Zones": the table there is
/// this command's output).
enum BenchZones {
    static let options: [Option] = [
        .valued("--granularity", "D", "the grid checker's grid (default 1s)"),
        .valued("--grid-max-seconds", "S",
                "stop each grid check after S seconds, as incomplete\n(default 60)"),
        .toggle("--zones-only", "run the zone checker only"),
        .quiet,
        .toggle("--json",
                "one JSON object: {\"schemaVersion\": 1, \"benchmark\": \"zones\", \"rows\": [...]}"),
        .help,
    ]

    /// One benchmark case: the zone check's bounds, and the grid check's (the same, or smaller
    /// where the issue compares zones on 5 minutes with the grid on 1).
    struct Case {
        var name: String
        var zones: ModelDefinition
        var grid: ModelDefinition
    }

    static let headFaults: [FaultKind] = [.gcsProcessKill, .headPodDelete, .headContainerCrash]

    static func cases() -> [Case] {
        let base = EmbeddedModels.kuberaySample
        func with(_ kinds: [FaultKind], _ k: Int, _ horizon: SimDuration,
                  workers: Int = 1) -> ModelDefinition {
            var d = base
            d.faults = FaultBudget(kinds: kinds, maxFaults: k, horizon: horizon)
            d.spec.workers = workers
            return d
        }
        let four = headFaults + [.redisRestart]
        let fourWorkers = with(base.faults.kinds, 1, base.faults.horizon, workers: 4)
        var list = [
            Case(name: "default model, 1 head fault", zones: base, grid: base),
            Case(name: "2 faults of 4 kinds (redis-restart too) within 5m; grid within 1m",
                 zones: with(four, 2, .minutes(5)), grid: with(four, 2, .minutes(1))),
            Case(name: "2 head faults within 5m; grid within 1m",
                 zones: with(headFaults, 2, .minutes(5)), grid: with(headFaults, 2, .minutes(1))),
            Case(name: "3 faults of 4 kinds within 5m; grid within 1m",
                 zones: with(four, 3, .minutes(5)), grid: with(four, 3, .minutes(1))),
            Case(name: "3 head faults within 5m; grid within 1m",
                 zones: with(headFaults, 3, .minutes(5)), grid: with(headFaults, 3, .minutes(1))),
            Case(name: "4 workers, 1 head fault", zones: fourWorkers, grid: fourWorkers),
        ]
        for file in ["redis-no-persistence.json", "redis-persistent-volume.json"] {
            guard let d = try? ModelDefinition.load(path: "models/" + file) else { continue }
            list.append(Case(name: "models/" + file, zones: d, grid: d))
        }
        return list
    }

    static func execute(_ arguments: [String], environment: CommandEnvironment) -> CommandOutcome {
        let args: Arguments
        do throws(UsageError) {
            args = try Arguments(arguments, options: options)
            if let extra = args.positional.first {
                throw UsageError("unexpected argument \"\(extra)\"")
            }
        } catch { return .usage(error, command: "bench") }
        if args.has("--help") { return CommandOutcome(stdout: Help.bench) }
        do throws(InputError) {
            let granularity = try CheckCommand.granularity(args) ?? .seconds(1)
            let gridSeconds = try args.value("--grid-max-seconds").map { text throws(InputError) in
                try FlagValue.seconds(text, flag: "--grid-max-seconds",
                                      max: CheckCommand.maxSecondsLimit)
            } ?? 60
            return run(granularity: granularity, gridSeconds: gridSeconds,
                       zonesOnly: args.has("--zones-only"), json: args.has("--json"),
                       quiet: args.has("--quiet"), environment: environment)
        } catch {
            return .badInput(error)
        }
    }

    static func run(granularity: SimDuration, gridSeconds: Double, zonesOnly: Bool, json: Bool,
                    quiet: Bool, environment: CommandEnvironment) -> CommandOutcome {
        var out = CommandOutcome()
        if !json {
            out.line("zones (every real-valued timing) against the grid (\(granularity) grid, "
                     + "stopped after \(Int(gridSeconds)) s); release build, one thread")
            out.line("case | grid states | grid s | grid verdict | symbolic states | zones s | "
                     + "zones verdict | speed-up")
        }
        var rows: [String] = []
        for c in cases() {
            var options = CheckOptions(control: environment.control)
            let zone = environment.longTask(quiet: quiet) {
                ClusterCheck(c.zones, options: options, time: .zones).run()
            }.report
            var grid: CheckReport?
            if !zonesOnly {
                options.limits.maxSeconds = gridSeconds
                grid = environment.longTask(quiet: quiet) {
                    ClusterCheck(c.grid, granularity: granularity, options: options).run()
                }.report
            }
            let speedup = grid.map { g in zone.seconds > 0 ? g.seconds / zone.seconds : 0 }
            rows.append(JSONText.object([
                ("case", JSONText.quote(c.name)),
                ("gridStates", grid.map { String($0.distinctStates) } ?? "null"),
                ("gridSeconds", grid.map { String(format: "%.3f", $0.seconds) } ?? "null"),
                ("gridVerdict", grid.map { JSONText.quote($0.verdict.jsonValue) } ?? "null"),
                ("symbolicStates", String(zone.distinctStates)),
                ("zonesSeconds", String(format: "%.3f", zone.seconds)),
                ("zonesVerdict", JSONText.quote(zone.verdict.jsonValue)),
                ("speedup", speedup.map { String(format: "%.1f", $0) } ?? "null"),
            ]))
            if !json {
                let g = grid.map {
                    String(format: "%d | %.2f | %@", $0.distinctStates, $0.seconds,
                           $0.verdict.jsonValue)
                } ?? "- | - | -"
                out.line(c.name + " | " + g + String(
                    format: " | %d | %.3f | %@ | %@", zone.distinctStates, zone.seconds,
                    zone.verdict.jsonValue, speedup.map { String(format: "%.0fx", $0) } ?? "-"))
            }
        }
        if json {
            out.line(JSONText.object([
                ("schemaVersion", String(TimelineFormat.schemaVersion)),
                ("benchmark", JSONText.quote("zones")),
                ("granularityMs", String(granularity.milliseconds)),
                ("rows", "[" + rows.joined(separator: ",") + "]"),
            ]))
        }
        return out
    }
}
