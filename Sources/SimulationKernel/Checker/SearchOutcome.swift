/// Where a property first failed: state `index` (in BFS order) of level `depth`.
@usableFromInline
struct ViolationSite: Sendable, Hashable {
    @usableFromInline var depth: Int
    @usableFromInline var index: Int
    @inlinable init(depth: Int, index: Int) { self.depth = depth; self.index = index }
}

/// What a search found, before counterexamples are rebuilt and the report is written.
@usableFromInline
struct SearchOutcome: Sendable {
    @usableFromInline var stopReason: CheckReport.StopReason
    @usableFromInline var distinctStates: Int
    @usableFromInline var transitions: Int
    @usableFromInline var maxDepth: Int
    /// The first violating state of each property, in the model's order.
    @usableFromInline var violations: [ViolationSite?]
    @usableFromInline var links: LevelLinks
    @usableFromInline var peakMemoryBytes: Int
    @usableFromInline var seconds: Double
    @usableFromInline var threads: Int

    @inlinable init(stopReason: CheckReport.StopReason, distinctStates: Int, transitions: Int, maxDepth: Int,
                    violations: [ViolationSite?], links: LevelLinks, peakMemoryBytes: Int, seconds: Double,
                    threads: Int) {
        self.stopReason = stopReason
        self.distinctStates = distinctStates
        self.transitions = transitions
        self.maxDepth = maxDepth
        self.violations = violations
        self.links = links
        self.peakMemoryBytes = peakMemoryBytes
        self.seconds = seconds
        self.threads = threads
    }
}

/// The first failing property check of one state, if any, recorded into `violations`.
@inlinable
func recordViolations<State>(of state: State, site: ViolationSite, properties: [Property<State>],
                             into violations: inout [ViolationSite?]) {
    for p in properties.indices where violations[p] == nil && !properties[p].holds(state) {
        violations[p] = site
    }
}

/// Whether the search stops after a level: a violation found (when asked to stop at the first),
/// nothing left to explore, or more states stored than the state limit. Shared by the sequential
/// and parallel searches; deciding the state limit here, on whole levels, is what makes it give
/// the same answer for any thread count.
@inlinable
func stopAfterLevel(_ current: CheckReport.StopReason?, options: CheckOptions,
                    violations: ArraySlice<ViolationSite?>,
                    frontierIsEmpty: Bool, states: Int) -> CheckReport.StopReason? {
    guard current == nil else { return current }
    if options.stopAtFirstViolation && violations.contains(where: { $0 != nil }) { return .violation }
    if frontierIsEmpty { return .exhausted }
    return states > options.limits.maxStates ? .stateLimit : nil
}
