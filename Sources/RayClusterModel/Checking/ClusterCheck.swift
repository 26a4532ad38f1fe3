import SimulationKernel

/// Exhaustive checking of a cluster model, for users' own test suites.
///
/// ```swift
/// let result = ClusterCheck(ourCluster).run()
/// #expect(result.holds, "\(result.explanation)")
/// ```
/// On failure, `explanation` carries the shortest counterexample as a readable timeline.
public struct ClusterCheck: Sendable {
    public let definition: ModelDefinition
    public let options: CheckOptions
    public let symmetry: Bool

    /// Checks `definition` on `granularity` (default: the model's check granularity, 1 s).
    public init(_ definition: ModelDefinition, granularity: SimDuration? = nil, symmetry: Bool = true,
                options: CheckOptions = CheckOptions()) {
        var d = definition
        d.timing.granularity = granularity ?? definition.checkGranularity
        self.definition = d
        self.symmetry = symmetry
        self.options = options
    }

    public func run() -> ClusterCheckResult {
        let model = ClusterModel(definition, symmetry: symmetry)
        return ClusterCheckResult(report: Explorer(model: model, options: options).check(), model: model)
    }
}

/// What a check found, with the counterexamples replayed into timelines.
public struct ClusterCheckResult: Sendable {
    public let report: CheckReport
    public let model: ClusterModel

    /// True when every property held in every reachable state (not incomplete, not violated).
    public var holds: Bool { report.verdict == .holds }

    /// The shortest counterexample to `property`, replayed through the simulator.
    public func counterexample(_ property: String) -> RunResult<ClusterModel>? {
        guard let cx = report.property(property)?.counterexample else { return nil }
        return Simulator(model: model, limits: RunLimits(maxSteps: max(cx.depth, 1))).replay(cx.script)
    }

    /// The verdict, and for each violated property its counterexample as a timeline.
    public var explanation: String {
        var lines = ["check of \(model.definition.name): \(report.verdict.rawValue) (\(report.distinctStates) distinct states)"]
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

extension TimedEvent {
    /// `   61.250s  gcs               GCS serving ...`: one line of a timeline.
    public var timelineLine: String {
        let time = at.secondsText
        let component = event.component
        return String(repeating: " ", count: max(0, 10 - time.count)) + time + "  "
            + component + String(repeating: " ", count: max(0, 16 - component.count)) + "  " + event.detail
    }
}
