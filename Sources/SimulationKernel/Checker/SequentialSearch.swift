/// Breadth-first search on one thread: the reference order every other search reproduces.
///
/// Level by level: each state of the frontier, in order, yields its successors in the model's
/// order; a successor not seen before joins the next level at the end. Properties are checked on
/// every new state, so the first violating level is the shortest.
@usableFromInline
struct SequentialSearch<Model: SimulationModel, Visited: VisitedSet> where Visited.State == Model.State {
    @usableFromInline typealias State = Model.State

    @usableFromInline let model: Model
    @usableFromInline let properties: [Property<State>]
    /// The first `alwaysCount` of ``properties`` are "always" properties; the rest are inverted
    /// "sometimes" ones, whose examples never stop the search.
    @usableFromInline let alwaysCount: Int
    @usableFromInline let options: CheckOptions
    @usableFromInline let limits: LimitGuard
    @usableFromInline var visited: Visited
    @usableFromInline var links = LevelLinks()
    @usableFromInline var transitions = 0
    @usableFromInline var depth = 0
    @usableFromInline var violations: [ViolationSite?]
    @usableFromInline var stop: CheckReport.StopReason?
    @usableFromInline var peakBytes = 0

    @inlinable init(model: Model, options: CheckOptions, visited: Visited) {
        self.model = model
        self.properties = model.searchedProperties
        self.alwaysCount = model.properties.count
        self.options = options
        self.limits = LimitGuard(limits: options.limits, control: options.control)
        self.visited = visited
        self.violations = Array(repeating: nil, count: properties.count)
    }

    @inlinable mutating func run(observe: (State, Int) -> Void) -> SearchOutcome {
        var initial = model.initialState
        model.canonicalize(&initial)
        _ = visited.insert(initial, fingerprint: initial.checkerFingerprint)
        recordViolations(of: initial, site: ViolationSite(depth: 0, index: 0), properties: properties, into: &violations)
        observe(initial, 0)
        var frontier = [initial]
        endLevel(frontierIsEmpty: false)
        while stop == nil {
            frontier = expand(frontier, observe: observe)
            endLevel(frontierIsEmpty: frontier.isEmpty)
        }
        return SearchOutcome(stopReason: stop!, distinctStates: visited.count, transitions: transitions,
                             maxDepth: depth, violations: violations, links: links, peakMemoryBytes: peakBytes,
                             seconds: limits.elapsedSeconds, threads: 1)
    }

    /// The next level, in BFS order, and the links of the expanded states.
    ///
    /// A limit looked at every ``LimitGuard/interval`` transitions (inside a large batch too) stops
    /// it after the last whole state expanded. The links are recorded even then: every shallower
    /// level is complete, so a violation found in the partial level is still a shortest one, and
    /// its counterexample can be rebuilt.
    @inlinable mutating func expand(_ frontier: [State], observe: (State, Int) -> Void) -> [State] {
        var next: [State] = []
        var childCounts = ByteCounts()
        childCounts.reserveCapacity(frontier.count)
        var ordinals = ByteCounts()
        let (limits, levelStart, currentDepth) = (self.limits, visited.count, depth)
        let pipeline = SuccessorPipeline(model: model, frontier: frontier, range: frontier.indices,
                                         look: { limits.exceededInsideBatch(states: levelStart, depth: currentDepth) },
                                         prefetch: { visited.prefetch($0) })
        let nextDepth = depth + 1
        var sinceLook = 0
        for i in frontier.indices {
            if sinceLook >= LimitGuard.interval {
                sinceLook = 0
                noteLimits(frontier.capacity + next.capacity, childCounts.memoryBytes + ordinals.memoryBytes)
                if stop != nil { break }
            }
            let batch = pipeline.batch(i) { visited.prefetch($0) }
            let contents = batch.contents
            if let reason = contents.stopReason { stop = reason; break }
            var children = 0
            let (successors, fingerprints, count) = (contents.states, contents.fingerprints, contents.count)
            for ordinal in 0..<count {
                let successor = successors[ordinal]
                guard visited.insert(successor, fingerprint: fingerprints[ordinal]) else { continue }
                next.append(successor)
                ordinals.append(ordinal)
                children += 1
                let site = ViolationSite(depth: nextDepth, index: next.count - 1)
                recordViolations(of: successor, site: site, properties: properties, into: &violations)
                observe(successor, nextDepth)
            }
            transitions += count
            childCounts.append(children)
            sinceLook &+= count &+ 1
        }
        noteLimits(frontier.capacity + next.capacity, childCounts.memoryBytes + ordinals.memoryBytes)
        if !next.isEmpty { depth = nextDepth }
        links.append(childCounts: childCounts, nextOrdinals: ordinals)
        return next
    }

    /// Decides whether the search goes on after a level: out of states, or a violation found.
    @inlinable mutating func endLevel(frontierIsEmpty: Bool) {
        stop = stopAfterLevel(stop, options: options, violations: violations.prefix(alwaysCount),
                              frontierIsEmpty: frontierIsEmpty,
                              states: visited.count)
    }

    /// Updates the peak memory and stops the search if a limit is crossed.
    @inlinable mutating func noteLimits(_ frontierStates: Int, _ levelBytes: Int) {
        let bytes = visited.bytes + frontierStates * MemoryLayout<State>.stride + levelBytes + links.memoryBytes
        peakBytes = max(peakBytes, bytes)
        if stop == nil, let reason = limits.exceeded(states: visited.count, accountedBytes: bytes, depth: depth) {
            stop = reason
        }
    }
}
