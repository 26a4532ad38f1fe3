import SimulationKernel

/// Exhaustive checking of a cluster model: the one pipeline behind `simulate check`,
/// `simulate bench ray` and users' own test suites.
///
/// ```swift
/// let result = ClusterCheck(ourCluster).run()
/// #expect(result.holds, "\(result.explanation)")
/// ```
/// It builds the model, runs the explorer with the recovery monitor over every distinct state,
/// and replays each counterexample once through the simulator. On failure, `explanation` carries
/// the shortest counterexample as a readable timeline.
public struct ClusterCheck: Sendable {
    /// The model as checked: its `timing.granularity` is the check's grid.
    public let definition: ModelDefinition
    public let options: CheckOptions
    public let symmetry: Bool
    /// How time is explored: on the grid of `timing.granularity`, or with zones.
    public let time: TimeEngine

    /// How a check explores time (docs/checking.md, "Zones").
    public enum TimeEngine: String, Sendable, Hashable, CaseIterable {
        /// Every fault time and duration on the grid of the model's granularity.
        case grid
        /// Every real-valued time and duration at once, as zones; counterexamples are made
        /// concrete on a 1 ms grid and replayed.
        case zones
    }

    /// Checks `definition` on `granularity` (default: the model's check granularity, 1 s), or,
    /// with `time: .zones`, at every real-valued timing (the granularity is then unused).
    public init(
        _ definition: ModelDefinition, granularity: SimDuration? = nil, symmetry: Bool = true,
        options: CheckOptions = CheckOptions(), time: TimeEngine = .grid
    ) {
        var d = definition
        d.timing.granularity = granularity ?? definition.checkGranularity
        self.definition = d
        self.symmetry = symmetry
        self.options = options
        self.time = time
    }

    public func run() -> ClusterCheckResult {
        time == .zones ? runZones() : runGrid()
    }

    func runGrid() -> ClusterCheckResult {
        let model = ClusterModel(definition, symmetry: symmetry)
        var monitor = RecoveryMonitor(workers: definition.cluster.workers)
        let report = Explorer(model: model, options: options).check { state, _ in
            monitor.observe(state)
        }
        let counterexamples = report.properties.compactMap { p in
            p.counterexample.map { ClusterReplay(property: p.id, $0, in: model) }
        }
        return ClusterCheckResult(
            report: report, model: model, counterexamples: counterexamples,
            worstCaseRecovery: monitor.worstRecovery, workerDeadlineMargin: monitor.workerMargin,
            groupDeadlineMargins: monitor.groupMargins(model.cluster))
    }

    /// The zone checker, then each symbolic violation made concrete on a 1 ms grid and replayed:
    /// only a concrete replay that breaks the property is reported as violated. A property's
    /// violating paths are tried shortest first (``ZoneCheckReport/candidates``); it is `unknown`
    /// only when none of them can be made concrete.
    func runZones() -> ClusterCheckResult {
        let symbolic = ClusterModel.symbolic(definition)
        var fine = definition
        fine.timing.granularity = .ms(1)
        let concrete = ClusterModel(fine, symmetry: false)
        var monitor = RecoveryMonitor(workers: definition.cluster.workers)
        let zone = ZoneExplorer(model: symbolic, options: options).check { state, _ in
            monitor.observe(state)
        }
        var report = zone.report
        let concretiser = ZoneConcretiser(symbolic: symbolic, concrete: concrete)
        var counterexamples: [ClusterReplay] = []
        for p in report.properties.indices where report.properties[p].verdict == .violated {
            let property = symbolic.properties[p]
            var reasons = zone.candidates[p].isEmpty ? ["no violating symbolic path was kept"] : []
            for candidate in zone.candidates[p] {
                let outcome = concretiser.concretise(
                    path: candidate.path, steps: candidate.steps, property: property)
                guard case .concrete(let steps, _) = outcome else {
                    if case .unknown(let reason) = outcome { reasons.append(reason) }
                    continue
                }
                let replay = ClusterReplay(property: property.id, steps: steps, in: concrete)
                report.properties[p].counterexample = Counterexample(
                    steps: steps, violatingFingerprint: replay.finalFingerprint)
                counterexamples.append(replay)
                reasons = []
                break
            }
            if !reasons.isEmpty {
                report.properties[p].verdict = .unknown
                report.properties[p].counterexample = nil
                report.properties[p].unknownReason = reasons.count == 1 ? reasons[0]
                    : "\(reasons[0]) (and \(reasons.count - 1) other violating symbolic "
                        + "path(s) tried, none concrete)"
            }
        }
        let verdicts = report.properties.map(\.verdict)
        if !verdicts.contains(.violated) && verdicts.contains(.unknown) {
            report.verdict = .unknown
        }
        return ClusterCheckResult(
            report: report, model: concrete, counterexamples: counterexamples,
            worstCaseRecovery: monitor.worstRecovery, workerDeadlineMargin: monitor.workerMargin,
            groupDeadlineMargins: monitor.groupMargins(symbolic.cluster),
            time: .zones, liveSymbolicStates: zone.liveStates)
    }
}

/// What a check found: the report, each counterexample replayed into a run, and what the
/// recovery monitor saw in the states explored.
public struct ClusterCheckResult: Sendable {
    public let report: CheckReport
    public let model: ClusterModel
    /// Each violated property's shortest counterexample, replayed once, in the model's property
    /// order.
    public let counterexamples: [ClusterReplay]
    /// The longest time, over every state explored, from the last fault until the GCS served and
    /// every raylet was connected again (`cluster-recovers` measures against
    /// ``ModelDefinition/recoveryBound``); nil when no explored state recovered from a fault. Of
    /// an incomplete check, only over the states explored before it stopped.
    public let worstCaseRecovery: SimDuration?
    /// The least time any worker's raylet had left on its reconnect deadline
    /// (`RAY_gcs_rpc_server_reconnect_timeout_s`) when it reconnected; nil when no worker
    /// reconnected after an outage.
    public let workerDeadlineMargin: SimDuration?
    /// The same per worker group, in the cluster's group order.
    public let groupDeadlineMargins: [WorkerGroupMargin]
    /// How time was explored.
    public let time: ClusterCheck.TimeEngine
    /// With zones: the symbolic states still stored at the end (those no later zone included).
    public let liveSymbolicStates: Int?

    public init(report: CheckReport, model: ClusterModel, counterexamples: [ClusterReplay],
                worstCaseRecovery: SimDuration?, workerDeadlineMargin: SimDuration?,
                groupDeadlineMargins: [WorkerGroupMargin],
                time: ClusterCheck.TimeEngine = .grid, liveSymbolicStates: Int? = nil) {
        self.report = report
        self.model = model
        self.counterexamples = counterexamples
        self.worstCaseRecovery = worstCaseRecovery
        self.workerDeadlineMargin = workerDeadlineMargin
        self.groupDeadlineMargins = groupDeadlineMargins
        self.time = time
        self.liveSymbolicStates = liveSymbolicStates
    }

    /// True when every property held in every reachable state (not incomplete, not violated).
    public var holds: Bool { report.verdict == .holds }

    /// The shortest counterexample to `property`, replayed through the simulator.
    public func counterexample(_ property: String) -> RunResult<ClusterModel>? {
        counterexamples.first { $0.property == property }?.run
    }

    /// The verdict, and for each violated property its counterexample as a timeline.
    public var explanation: String {
        let d = model.definition
        let states = "\(report.distinctStates) distinct states"
        var lines = ["check of \(d.name): \(report.verdict.rawValue) (\(states))"]
        for p in report.properties {
            lines.append("property \(p.id): \(p.verdict.rawValue)")
            if let run = counterexample(p.id) {
                lines.append("shortest counterexample (\(run.steps) steps):")
                lines.append(contentsOf: run.timeline.map(\.timelineLine))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// One property's counterexample run once through the simulator: by a check, straight from its
/// report, and by `simulate replay`, from a trace file.
public struct ClusterReplay: Sendable {
    /// The violated property's id.
    public let property: String
    /// The recorded choices of each step.
    public let steps: [[Int]]
    /// The run, cut after the last recorded step.
    public let run: RunResult<ClusterModel>
    /// The first step that did not take its recorded choices (never for a check's own
    /// counterexample; for a trace file: it was edited, or the rules changed).
    public let mismatch: StepMismatch?
    /// The fingerprint of the run's final world in the model's canonical form: what a check
    /// records as the violating state.
    public let finalFingerprint: UInt64

    /// Replays `counterexample` in `model` (the checked one: its symmetry gives the canonical
    /// form; the simulator itself never canonicalizes).
    public init(property: String, _ counterexample: Counterexample, in model: ClusterModel) {
        self.init(property: property, steps: counterexample.steps, in: model)
    }

    /// Replays recorded `steps`, e.g. a trace file's; never traps on a choice the model does not
    /// offer (see ``mismatch``).
    public init(property: String, steps: [[Int]], in model: ClusterModel) {
        let replay = Simulator(model: model).replay(steps: steps)
        var final = replay.run.finalState
        model.canonicalize(&final)
        self.property = property
        self.steps = steps
        self.run = replay.run
        self.mismatch = replay.mismatch
        self.finalFingerprint = final.fingerprint
    }

    /// True when every recorded step ran as recorded and the property is violated on the way.
    public var violates: Bool {
        mismatch == nil && run.steps == steps.count && run.verdict(property)?.held == false
    }
}

extension TimedEvent {
    /// `   61.250s  gcs               GCS serving ...`: one line of a timeline.
    public var timelineLine: String {
        let time = at.secondsText
        let component = event.component
        return String(repeating: " ", count: max(0, 10 - time.count)) + time + "  "
            + component + String(repeating: " ", count: max(0, 16 - component.count)) + "  "
            + event.detail
    }
}
