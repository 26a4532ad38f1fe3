import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate check`: explores every interleaving of the model within its bounds and either proves
/// the properties or writes the shortest counterexample.
enum CheckCommand {
    static let valued = ModelOptions.valued + ["--granularity", "--max-states", "--max-memory", "--max-seconds", "--threads", "--trace-out"]
    static let switches = ["--json", "--help", "--no-symmetry", "--exact"]

    struct Settings {
        var model: ModelDefinition
        var expectations: [Scenario.Expectation] = []
        var symmetry: Bool
        var options: CheckOptions
        var traceOut: String?
        var json: Bool
    }

    static func execute(_ arguments: [String]) -> CommandOutcome {
        let args: Arguments
        do { args = try Arguments(arguments, valued: valued, switches: switches) } catch { return .usage(error, command: "check ") }
        if args.has("--help") { return CommandOutcome(stdout: Help.check) }
        do {
            let settings = try parse(args)
            return run(settings)
        } catch {
            return .badInput(error)
        }
    }

    static func parse(_ args: Arguments) throws(InputError) -> Settings {
        guard args.positional.count <= 1 else {
            throw .flag("MODEL", "more than one model given: \(args.positional.joined(separator: " "))", "check one model at a time")
        }
        let scenario = try ModelOptions.loadScenario(args, modelPath: args.positional.first)
        var model = scenario.definition
        model.timing.granularity = model.checkGranularity
        if let text = args.value("--granularity") {
            guard let g = try? SimDuration(parsing: text), g > .zero else {
                throw .flag("--granularity", "\"\(text)\" is not a positive duration", "e.g. --granularity 1s (coarser grids check faster)")
            }
            model.timing.granularity = g
        }
        var limits = CheckLimits()
        if let text = args.value("--max-states") { limits.maxStates = try positive(text, flag: "--max-states") }
        if let text = args.value("--max-memory") { limits.maxMemoryBytes = try bytes(text) }
        if let text = args.value("--max-seconds") {
            guard let s = Double(text), s > 0 else { throw .flag("--max-seconds", "\"\(text)\" is not a positive number", "e.g. --max-seconds 600") }
            limits.maxSeconds = s
        }
        let threads = try args.value("--threads").map { text throws(InputError) in try positive(text, flag: "--threads") } ?? 1
        guard threads <= 64 else { throw .flag("--threads", "\(threads) threads is more than 64", "use at most the machine's cores") }
        // A scenario's expectations need a verdict for every property, so its search does not stop
        // at the first violation.
        let options = CheckOptions(limits: limits, threads: args.has("--exact") ? 1 : threads,
                                   visited: args.has("--exact") ? .exactStates : .fingerprints,
                                   stopAtFirstViolation: scenario.expectations.isEmpty)
        return Settings(model: model, expectations: scenario.expectations, symmetry: !args.has("--no-symmetry"), options: options,
                        traceOut: args.value("--trace-out"), json: args.has("--json"))
    }

    static func positive(_ text: String, flag: String) throws(InputError) -> Int {
        guard let n = Int(text), n > 0 else { throw .flag(flag, "\"\(text)\" is not a positive whole number", "e.g. \(flag) 2") }
        return n
    }

    /// Bytes with an optional binary suffix: `500000000`, `512M`, `4G`.
    static func bytes(_ text: String) throws(InputError) -> Int {
        let units: [(String, Int)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)]
        for (suffix, scale) in units where text.uppercased().hasSuffix(suffix) {
            if let n = Int(text.dropLast()), n > 0 { return n * scale }
        }
        if let n = Int(text), n > 0 { return n }
        throw .flag("--max-memory", "\"\(text)\" is not a size", "e.g. --max-memory 4G or --max-memory 500M")
    }

    static func run(_ s: Settings) -> CommandOutcome {
        let model = ClusterModel(s.model, symmetry: s.symmetry)
        var monitor = RecoveryMonitor(workers: s.model.cluster.workers)
        let report = Explorer(model: model, options: s.options).check { state, _ in monitor.observe(state) }
        var traces: [String: String] = [:]
        var out = CommandOutcome()
        for p in report.properties {
            guard let cx = p.counterexample else { continue }
            let file = tracePath(s, property: p.id, violatedCount: report.properties.filter { $0.counterexample != nil }.count)
            let trace = TraceFile(property: p.id, modelDigest: TraceFile.digest(of: s.model), model: s.model, symmetry: s.symmetry,
                                  steps: cx.steps, violatingFingerprint: hex16(cx.violatingFingerprint))
            do { try trace.write(to: file) } catch { return .badInput(error) }
            traces[p.id] = file
        }
        out.exitCode = switch report.verdict {
        case .holds: CommandOutcome.Code.held
        case .violated: CommandOutcome.Code.violated
        case .incomplete: CommandOutcome.Code.incomplete
        }
        let expectations = s.expectations.map { e in
            ExpectationResult(property: e.property, expected: e.verdict, actual: verdictWord(report.property(e.property)!.verdict))
        }
        if !expectations.isEmpty && report.verdict != .incomplete {
            out.exitCode = expectations.allSatisfy(\.met) ? CommandOutcome.Code.held : CommandOutcome.Code.violated
        }
        out.stdout = s.json ? CheckFormat.json(report, s, monitor, traces, expectations) : CheckFormat.human(report, s, monitor, traces, expectations)
        return out
    }

    /// The scenario files' words for a check verdict.
    static func verdictWord(_ v: CheckReport.Verdict) -> String {
        switch v {
        case .holds: "held"
        case .violated: "violated"
        case .incomplete: "incomplete"
        }
    }

    static func tracePath(_ s: Settings, property: String, violatedCount: Int) -> String {
        guard let given = s.traceOut else { return "\(s.model.name).\(property).trace.json" }
        if violatedCount == 1 { return given }
        let url = URL(fileURLWithPath: given)
        let ext = url.pathExtension
        let stem = url.deletingPathExtension().path
        return ext.isEmpty ? "\(given).\(property)" : "\(stem).\(property).\(ext)"
    }
}

/// Reads every distinct state the checker visits: the worst recovery time after the last fault,
/// and the least time any raylet had left on its reconnect deadline when it reconnected.
struct RecoveryMonitor {
    let workers: Int
    var worstRecovery: SimDuration?
    /// Per node (0 = head): the least slack between a scheduled reconnect and the deadline.
    var tightestSlack: [SimDuration?]

    init(workers: Int) {
        self.workers = workers
        tightestSlack = Array(repeating: nil, count: workers + 1)
    }

    mutating func observe(_ state: ClusterState) {
        if let took = state.monitor.recoveredAfter, took > (worstRecovery ?? .ms(-1)) { worstRecovery = took }
        for n in state.nodes.indices where state.nodes[n].raylet == .reconnecting {
            guard let reconnect = state.agenda.remaining(.rayletReconnects(n)) else { continue }
            let slack = (state.agenda.remaining(.rayletGivesUp(n)) ?? reconnect) - reconnect
            if slack < (tightestSlack[n] ?? .ms(Int64.max)) { tightestSlack[n] = slack }
        }
    }

    /// The least slack over all workers (nil when no worker ever reconnected after an outage).
    var workerMargin: SimDuration? { tightestSlack.dropFirst().compactMap { $0 }.min() }
}
