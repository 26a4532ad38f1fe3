import RayClusterModel
import SimulationKernel

/// The options every subcommand shares for choosing a model and its fault budget.
struct ModelOptions {
    static let options: [Option] = [
        .valued("--model", "FILE", "the model or scenario file; the same as MODEL (give one of the two)"),
        .valued("--faults", "LIST", Help.wrapped(
            "comma-separated fault ids to inject: \(FaultKind.idList); default: the model's")),
        .valued("--max-faults", "K", "at most K faults (0 to 10); default: the model's (1 for the default)"),
        .valued("--horizon", "D", "faults happen within D of the start, e.g. 5m; default: the model's"),
    ]

    /// The model file (or the embedded default) with the command line's overrides applied.
    static func load(_ args: Arguments, modelPath: String?) throws(InputError) -> ModelDefinition {
        try loadScenario(args, modelPath: modelPath).definition
    }

    /// A scenario or model file (`modelPath`, from ``Arguments/modelPath(_:)``; nil for the
    /// embedded default) with the command line's overrides applied.
    static func loadScenario(_ args: Arguments, modelPath: String?) throws(InputError) -> Scenario {
        var scenario = try modelPath.map { path throws(InputError) in try Scenario.load(path: path) }
            ?? Scenario(definition: EmbeddedModels.kuberaySample, expectations: [], isScripted: false)
        scenario.definition = try overrides(args, scenario.definition)
        return scenario
    }

    static func overrides(_ args: Arguments, _ base: ModelDefinition) throws(InputError) -> ModelDefinition {
        var model = base
        if let list = args.value("--faults") {
            let kinds = try FaultKind.parseList(list, field: "--faults")
            model.faults = FaultBudget(kinds: kinds, maxFaults: model.faults.maxFaults, horizon: model.faults.horizon)
        }
        if let text = args.value("--max-faults") {
            let range = InputLimits.maxFaults
            guard let k = Int(text), range.contains(k) else {
                throw .flag("--max-faults", "\"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)",
                            "e.g. --max-faults 2")
            }
            model.faults.maxFaults = k
        }
        if let text = args.value("--horizon") {
            do { model.faults.horizon = try SimDuration(parsing: text) } catch {
                throw .flag("--horizon", error.description, "e.g. --horizon 5m")
            }
        }
        return model
    }
}

/// An expected verdict next to the actual one.
struct ExpectationResult {
    let property: String
    let expected: String
    /// The actual verdict's ``SimulationKernel/CheckReport/Verdict/expectationWord``.
    let actual: String
    /// Whether the property was decided (held or violated); an undecided one is neither met nor
    /// a mismatch.
    var decided = true
    var met: Bool { decided && expected == actual }

    static func line(_ e: ExpectationResult) -> String {
        let outcome = !e.decided ? "not decided" : e.met ? "met" : "NOT MET"
        return "expectation \(e.property): expected \(e.expected), got \(e.actual): \(outcome)"
    }

    /// 1 when a decided property differs from its expectation, else 3 when one is undecided,
    /// else 0 (every expectation met).
    static func exitCode(_ results: [ExpectationResult]) -> Int32 {
        if results.contains(where: { $0.decided && !$0.met }) {
            return CommandOutcome.Code.violated
        }
        if results.contains(where: { !$0.decided }) { return CommandOutcome.Code.incomplete }
        return CommandOutcome.Code.held
    }

    static func json(_ results: [ExpectationResult]) -> String {
        "[" + results.map { e in
            JSONText.object([("property", JSONText.quote(e.property)), ("expected", JSONText.quote(e.expected)),
                             ("actual", JSONText.quote(e.actual)), ("met", e.met ? "true" : "false")])
        }.joined(separator: ",") + "]"
    }
}

extension ModelDefinition {
    /// One paragraph describing the effective cluster and budget, for the top of every report.
    var headerLines: [String] {
        let c = cluster
        let workers = c.workers == 1 ? "1 worker" : "\(c.workers) workers"
        return [
            "model \(name): \(Self.storageText(c)), \(workers), \(restartText)"
                + Self.serviceText(c),
            timeoutLine,
            faultLine,
        ]
    }

    /// The reconnect timeouts in force: the head's, then the workers' (one group) or each
    /// group's with its replicas, each with the rule that decided it.
    var timeoutLine: String {
        let c = cluster
        let head = "timeouts: RAY_gcs_rpc_server_reconnect_timeout_s head "
            + "\(c.headReconnectTimeout.milliseconds / 1000)s"
        let rules = c.notes.filter { $0.field.hasPrefix("worker") }.map(\.rule)
        if spec.isOneDefaultGroup, let group = c.workerGroups.first {
            return head + ", workers \(group.reconnectTimeout.milliseconds / 1000)s (\(rules[0]))"
        }
        let groups = zip(c.workerGroups, rules).map { group, rule in
            let seconds = group.reconnectTimeout.milliseconds / 1000
            return "group \(group.name) (\(group.replicas)) \(seconds)s "
                + "(\(rule))"
        }
        return head + "; " + groups.joined(separator: "; ")
    }

    /// `KubeRay 1.7.0, GCS FT on, storage redis (appendOnly), namespace X`: the FT flag and where
    /// the GCS keeps its tables are separate settings (a head can have Redis without FT).
    static func storageText(_ c: EffectiveCluster) -> String {
        let storage = c.gcsStorage == .redis
            ? "storage redis (\(c.redisPersistence.rawValue)), namespace \(c.storageNamespace)"
            : "storage memory"
        return "KubeRay \(c.kuberayVersion), GCS FT \(c.ftEnabled ? "on" : "off"), \(storage)"
    }

    /// Who restarts what: the head's policy, the workers' only when it is not the default, each
    /// group's when the groups differ.
    var restartText: String {
        guard supervisor != .manual else { return "nothing restarts processes (manual)" }
        let c = cluster
        let head = "head restartPolicy \(c.headRestartPolicy.rawValue)"
        let forced = c.notes.contains { $0.field == "restartPolicy" }
            ? " (forced by autoscaler v2)" : ""
        guard c.workerGroups.allSatisfy({ $0.restartPolicy == c.workerRestartPolicy }) else {
            let groups = c.workerGroups.map { "group \($0.name) \($0.restartPolicy.rawValue)" }
            return head + ", workers restartPolicy " + groups.joined(separator: ", ")
        }
        guard c.workerRestartPolicy != .always else { return head }
        return head + ", workers restartPolicy \(c.workerRestartPolicy.rawValue)" + forced
    }

    /// Before KubeRay 1.2 the head Service holds only Ready pods; said only when it does.
    static func serviceText(_ c: EffectiveCluster) -> String {
        guard c.headServiceNeedsReadiness else { return "" }
        return "; head Service routes only to a Ready head pod (KubeRay before 1.2)"
    }

    /// The effective cluster for `--json` outputs: the run record's fields, and the `cluster`
    /// object of `check` and `sweep`.
    var clusterJSONFields: [(String, String)] {
        let c = cluster
        return [
            ("kuberayVersion", JSONText.quote(c.kuberayVersion.description)),
            ("ftEnabled", c.ftEnabled ? "true" : "false"),
            ("gcsStorage", JSONText.quote(c.gcsStorage.rawValue)),
            ("redisPersistence", JSONText.quote(c.redisPersistence.rawValue)),
            ("storageNamespace", JSONText.quote(c.storageNamespace)),
            ("workers", String(c.workers)),
            ("headRestartPolicy", JSONText.quote(c.headRestartPolicy.rawValue)),
            ("workerRestartPolicy", JSONText.quote(c.workerRestartPolicy.rawValue)),
            ("headServiceNeedsReadiness", c.headServiceNeedsReadiness ? "true" : "false"),
            ("headReconnectTimeoutMs", String(c.headReconnectTimeout.milliseconds)),
            ("workerReconnectTimeoutMs",
             String((c.shortestWorkerReconnectTimeout ?? c.headReconnectTimeout).milliseconds)),
        ] + (spec.isOneDefaultGroup ? [] : [("workerGroups", workerGroupsJSON)])
    }

    /// Each worker group as the reports show it (only for clusters with named groups); its
    /// `restartPolicy` when some group sets its own.
    var workerGroupsJSON: String {
        let policies = spec.workerGroups.contains { $0.restartPolicy != nil }
        return "[" + cluster.workerGroups.map { g in
            JSONText.object([
                ("name", JSONText.quote(g.name)), ("replicas", String(g.replicas)),
                ("reconnectTimeoutMs", String(g.reconnectTimeout.milliseconds)),
                ("source", JSONText.quote(g.reconnectTimeoutSource.rawValue)),
            ] + (policies ? [("restartPolicy", JSONText.quote(g.restartPolicy.rawValue))] : []))
        }.joined(separator: ",") + "]"
    }

    var faultLine: String {
        let bound = "recovery bound \(recoveryBound); grid \(timing.granularity)"
        let random = faults.maxFaults > 0 && !faults.kinds.isEmpty
            ? "faults: up to \(faults.maxFaults) of \(faults.kinds.map(\.rawValue).joined(separator: ", ")) within \(faults.horizon)"
            : "faults: no random faults"
        let script = script.isEmpty ? "" : "; script of \(script.count) steps until \(until ?? .zero), \(supervisor.rawValue) supervision"
        return random + script + "; " + bound
    }
}
