/// The exhaustive model checker: visits every reachable state of a model breadth-first and checks
/// its properties in each.
///
/// Successors come from ``SimulationModel/forEachSuccessor(of:_:)`` (by default every choice
/// vector of one `step`), so the checker explores exactly what the simulator samples from. States
/// are remembered by 64-bit stable fingerprints (or whole, with ``VisitedStore/exactStates``).
/// Breadth-first order makes the first violation a shortest one; it is rebuilt as the choices
/// ``Simulator/replay(_:)`` needs to walk it again.
///
/// ```swift
/// let report = Explorer(model: model, options: CheckOptions(threads: 2)).check()
/// ```
public struct Explorer<Model: SimulationModel>: Sendable {
    public let model: Model
    public let options: CheckOptions

    public init(model: Model, options: CheckOptions = CheckOptions()) {
        self.model = model
        self.options = options
    }

    /// Checks every reachable state.
    @inlinable public func check() -> CheckReport {
        check { _, _ in }
    }

    /// Checks every reachable state, and calls `observe` once with each distinct (canonical) state
    /// and its depth, in BFS order, on the calling thread: room for monitors such as the worst
    /// time to recover after the last fault.
    @inlinable public func check(observe: (Model.State, _ depth: Int) -> Void) -> CheckReport {
        let outcome: SearchOutcome
        switch (options.visited, options.threads) {
        case (.exactStates, _):
            var search = SequentialSearch(model: model, options: options, visited: ExactStateSet<Model.State>())
            outcome = search.run(observe: observe)
        case (.fingerprints, 1):
            var search = SequentialSearch(model: model, options: options, visited: FingerprintSet<Model.State>())
            outcome = search.run(observe: observe)
        case (.fingerprints, _):
            var search = ParallelSearch(model: model, options: options)
            outcome = search.run(observe: observe)
        }
        return report(outcome)
    }

    /// The report: verdicts, counterexamples rebuilt by replay, statistics.
    @usableFromInline func report(_ outcome: SearchOutcome) -> CheckReport {
        let results = propertyResults(outcome)
        let verdict: CheckReport.Verdict
        if results.contains(where: { $0.verdict == .violated }) {
            verdict = .violated
        } else if outcome.stopReason == .exhausted {
            verdict = .holds
        } else {
            verdict = .incomplete
        }
        let n = Double(outcome.distinctStates)
        return CheckReport(
            verdict: verdict, stopReason: outcome.stopReason, properties: results,
            sometimes: sometimesResults(outcome),
            distinctStates: outcome.distinctStates, transitions: outcome.transitions, maxDepth: outcome.maxDepth,
            seconds: outcome.seconds, statesPerSecond: outcome.seconds > 0 ? n / outcome.seconds : 0,
            peakMemoryBytes: outcome.peakMemoryBytes, processPeakResidentBytes: ProcessMemory.peakResidentBytes(),
            collisionProbability: options.visited == .fingerprints ? n * n / 0x1p65 : 0,
            visited: options.visited, threads: outcome.threads)
    }

    /// Each "sometimes" property: reached with a shortest example, else unreached if every state
    /// was visited, else incomplete. Their sites follow the "always" properties' in the outcome.
    func sometimesResults(_ outcome: SearchOutcome) -> [SometimesResult] {
        let builder = CounterexampleBuilder(model: model)
        let offset = model.properties.count
        return model.sometimes.enumerated().map { p, property in
            var result = SometimesResult(
                id: property.id, summary: property.summary,
                verdict: outcome.stopReason == .exhausted ? .unreached : .incomplete, example: nil)
            if let site = outcome.violations[offset + p] {
                let ordinals = outcome.links.ordinalPath(depth: site.depth, index: site.index)
                result.verdict = .reached
                result.example = builder.build(ordinals: ordinals)
            }
            return result
        }
    }

    /// Each property's verdict: violated with its counterexample, else held if every state was
    /// visited, else incomplete.
    func propertyResults(_ outcome: SearchOutcome) -> [PropertyResult] {
        let builder = CounterexampleBuilder(model: model)
        let properties = model.properties
        return properties.indices.map { p in
            var result = PropertyResult(id: properties[p].id, summary: properties[p].summary,
                                        verdict: outcome.stopReason == .exhausted ? .holds : .incomplete,
                                        counterexample: nil)
            if let site = outcome.violations[p] {
                let ordinals = outcome.links.ordinalPath(depth: site.depth, index: site.index)
                result.verdict = .violated
                result.counterexample = builder.build(ordinals: ordinals)
            }
            return result
        }
    }
}
