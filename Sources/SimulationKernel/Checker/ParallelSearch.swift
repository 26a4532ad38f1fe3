import Synchronization

/// Breadth-first search on several threads that finds exactly what ``SequentialSearch`` finds,
/// in the same order.
///
/// Each level is cut into chunks (``ChunkPlan``) that threads take in turn. Phase 1 expands the
/// chunks; every successor is claimed in the shared table (``ConcurrentFingerprintTable/claim(_:chunk:)``),
/// and the lowest chunk that generates a new state owns it. Phase 2 drops the candidates a lower
/// chunk took, marks the rest final and checks properties. Phase 3, on the calling thread,
/// concatenates the chunks in order: the next level is then exactly the one-thread BFS order, so
/// counts, verdicts and counterexamples do not depend on the threads or their timing. A time or
/// memory limit or a stop request inside a level still settles and merges what was generated, so a
/// violation found there is reported (every shallower level is complete, so it is a shortest one);
/// which states a cut-short level holds then depends on the threads' timing.
@usableFromInline
struct ParallelSearch<Model: SimulationModel> {
    @usableFromInline typealias State = Model.State

    @usableFromInline let model: Model
    @usableFromInline let properties: [Property<State>]
    /// The first `alwaysCount` of ``properties`` are "always" properties; the rest are inverted
    /// "sometimes" ones, whose examples never stop the search.
    @usableFromInline let alwaysCount: Int
    @usableFromInline let options: CheckOptions
    @usableFromInline let limits: LimitGuard
    @usableFromInline let table = ConcurrentFingerprintTable()
    @usableFromInline var distinct = 0
    @usableFromInline var links = LevelLinks()
    @usableFromInline var transitions = 0
    @usableFromInline var depth = 0
    @usableFromInline var violations: [ViolationSite?]
    @usableFromInline var stop: CheckReport.StopReason?
    @usableFromInline var peakBytes = 0

    @inlinable init(model: Model, options: CheckOptions) {
        self.model = model
        self.properties = model.searchedProperties
        self.alwaysCount = model.properties.count
        self.options = options
        self.limits = LimitGuard(limits: options.limits, control: options.control)
        self.violations = Array(repeating: nil, count: properties.count)
    }

    @inlinable mutating func run(observe: (State, Int) -> Void) -> SearchOutcome {
        var initial = model.initialState
        model.canonicalize(&initial)
        table.insertFinal(initial.checkerFingerprint)
        distinct = 1
        recordViolations(of: initial, site: ViolationSite(depth: 0, index: 0), properties: properties, into: &violations)
        observe(initial, 0)
        var frontier = [initial]
        endLevel(frontierIsEmpty: false)
        while stop == nil {
            frontier = expand(frontier, observe: observe)
            endLevel(frontierIsEmpty: frontier.isEmpty)
        }
        return SearchOutcome(stopReason: stop!, distinctStates: distinct, transitions: transitions,
                             maxDepth: depth, violations: violations, links: links, peakMemoryBytes: peakBytes,
                             seconds: limits.elapsedSeconds, threads: options.threads)
    }

    /// The next level, in one-thread BFS order.
    @inlinable mutating func expand(_ frontier: [State], observe: (State, Int) -> Void) -> [State] {
        let fixedBytes = frontier.capacity * MemoryLayout<State>.stride + links.memoryBytes
        peakBytes = max(peakBytes, table.bytes + fixedBytes)
        if let reason = limits.exceeded(states: distinct, accountedBytes: table.bytes + fixedBytes, depth: depth) {
            stop = reason
            return []
        }
        let plan = ChunkPlan(states: frontier.count)
        let outputs = (0..<plan.count).map { _ in ChunkOutput<State>() }
        let workers = min(options.threads, plan.count)
        stop = generateAll(frontier, plan: plan, outputs: outputs, workers: workers, fixedBytes: fixedBytes)
        settleAll(outputs, workers: workers)
        return merge(outputs, plan: plan, observe: observe)
    }

    /// Phase 1 on `workers` threads; the limit that stopped it, if one did.
    @inlinable mutating func generateAll(_ frontier: [State], plan: ChunkPlan, outputs: [ChunkOutput<State>],
                                         workers: Int, fixedBytes: Int) -> CheckReport.StopReason? {
        let shared = LevelShared()
        let queue = ChunkQueue(count: plan.count, regions: workers)
        let (model, table, limits, base, depth) = (self.model, self.table, self.limits, self.distinct, self.depth)
        runOnThreads(workers) { rank in
            while !shared.isStopped, let c = queue.take(rank: rank) {
                Self.generate(chunk: c, plan: plan, frontier: frontier, model: model, table: table,
                              output: outputs[c], shared: shared, limits: limits,
                              statesBefore: base, depth: depth, fixedBytes: fixedBytes)
            }
        }
        for output in outputs { transitions += output.transitions }
        peakBytes = max(peakBytes, table.bytes + fixedBytes + shared.candidateBytes.load(ordering: .relaxed))
        table.releaseRetiredBuffers()
        return shared.stopReason
    }

    /// Phase 2 on `workers` threads.
    @inlinable func settleAll(_ outputs: [ChunkOutput<State>], workers: Int) {
        let queue = ChunkQueue(count: outputs.count, regions: workers)
        let (table, properties) = (self.table, self.properties)
        runOnThreads(workers) { rank in
            while let c = queue.take(rank: rank) {
                Self.settle(chunk: c, table: table, output: outputs[c], properties: properties)
            }
        }
    }

    /// Phase 1 for one chunk: expand its states, claim their successors, keep the candidates.
    @inlinable static func generate(chunk c: Int, plan: ChunkPlan, frontier: [State], model: Model,
                                    table: ConcurrentFingerprintTable, output: ChunkOutput<State>, shared: LevelShared,
                                    limits: LimitGuard, statesBefore: Int, depth: Int, fixedBytes: Int) {
        var states: [State] = []
        var fingerprints: [UInt64] = []
        var parents: [UInt32] = []
        var ordinals: [UInt32] = []
        var transitions = 0
        var published = 0
        var sinceLook = 0
        let range = plan.range(c)
        let look = { () -> CheckReport.StopReason? in
            if let reason = shared.stopReason { return reason }
            guard let reason = limits.exceededInsideBatch(states: statesBefore, depth: depth) else { return nil }
            shared.stop(reason)
            return reason
        }
        let pipeline = SuccessorPipeline(model: model, frontier: frontier, range: range, look: look,
                                         prefetch: { table.prefetch($0) })
        for i in range {
            let batch = pipeline.batch(i) { table.prefetch($0) }
            let contents = batch.contents
            if contents.stopReason != nil { break }
            let parent = UInt32(truncatingIfNeeded: i - range.lowerBound)
            for ordinal in 0..<contents.count where table.claim(contents.fingerprints[ordinal], chunk: c) {
                states.append(contents.states[ordinal])
                fingerprints.append(contents.fingerprints[ordinal])
                parents.append(parent)
                ordinals.append(UInt32(truncatingIfNeeded: ordinal))
            }
            transitions += contents.count
            sinceLook += contents.count + 1
            if sinceLook >= LimitGuard.interval {
                sinceLook = 0
                let fresh = states.count - published
                published = states.count
                if checkLimits(fresh: fresh, shared: shared, limits: limits, table: table,
                               statesBefore: statesBefore, depth: depth, fixedBytes: fixedBytes) { break }
            }
        }
        _ = shared.candidateBytes.wrappingAdd((states.count - published) * ChunkOutput<State>.candidateBytes,
                                              ordering: .relaxed)
        output.states = states
        output.fingerprints = fingerprints
        output.parents = parents
        output.ordinals = ordinals
        output.transitions = transitions
    }

    /// Publishes a worker's progress and stops the level if a limit is crossed; true to stop.
    /// Candidates over-count new states a little (stolen ones count twice); the state limit is
    /// decided at the end of the level, like the one-thread search does.
    @inlinable static func checkLimits(fresh: Int, shared: LevelShared, limits: LimitGuard, table: ConcurrentFingerprintTable,
                                       statesBefore: Int, depth: Int, fixedBytes: Int) -> Bool {
        let inserted = shared.inserted.wrappingAdd(fresh, ordering: .relaxed).newValue
        let candidates = shared.candidateBytes.wrappingAdd(fresh * ChunkOutput<State>.candidateBytes,
                                                           ordering: .relaxed).newValue
        let bytes = table.bytes + fixedBytes + candidates
        if let reason = limits.exceeded(states: statesBefore + inserted, accountedBytes: bytes, depth: depth) {
            shared.stop(reason)
        }
        return shared.isStopped
    }

    /// Phase 2 for one chunk: keep the candidates this chunk still owns, in order; check properties.
    @inlinable static func settle(chunk c: Int, table: ConcurrentFingerprintTable, output: ChunkOutput<State>,
                                  properties: [Property<State>]) {
        keepOwned(chunk: c, table: table, output: output)
        var violations = [ViolationSite?](repeating: nil, count: properties.count)
        for (j, s) in output.states.enumerated() {
            recordViolations(of: s, site: ViolationSite(depth: 0, index: j), properties: properties, into: &violations)
        }
        output.violations = violations.map { $0?.index }
    }

    /// Drops the candidates whose entry a lower chunk took and marks the rest final, keeping order.
    @inlinable static func keepOwned(chunk c: Int, table: ConcurrentFingerprintTable, output: ChunkOutput<State>) {
        var (states, parents, ordinals) = (output.states, output.parents, output.ordinals)
        let fingerprints = output.fingerprints
        output.states = []
        output.fingerprints = []
        let ahead = 8
        for r in fingerprints.indices.prefix(ahead) { table.prefetch(fingerprints[r]) }
        var kept = 0
        for r in fingerprints.indices {
            if r + ahead < fingerprints.count { table.prefetch(fingerprints[r + ahead]) }
            guard table.settle(fingerprints[r], chunk: c) else { continue }
            states.swapAt(kept, r)
            parents[kept] = parents[r]
            ordinals[kept] = ordinals[r]
            kept += 1
        }
        states.removeLast(states.count - kept)
        parents.removeLast(parents.count - kept)
        ordinals.removeLast(ordinals.count - kept)
        (output.states, output.parents, output.ordinals) = (states, parents, ordinals)
    }

    /// Phase 3: the chunks' survivors concatenated in chunk order, with their links and violations.
    @inlinable mutating func merge(_ outputs: [ChunkOutput<State>], plan: ChunkPlan,
                                   observe: (State, Int) -> Void) -> [State] {
        var next: [State] = []
        next.reserveCapacity(outputs.reduce(0) { $0 + $1.states.count })
        var childCounts = ByteCounts()
        childCounts.reserveCapacity(plan.states)
        var ordinals = ByteCounts()
        let nextDepth = depth + 1
        for (c, output) in outputs.enumerated() {
            for p in properties.indices where violations[p] == nil {
                if let j = output.violations[p] { violations[p] = ViolationSite(depth: nextDepth, index: next.count + j) }
            }
            var r = 0
            for offset in 0..<plan.range(c).count {
                var children = 0
                while r < output.parents.count && output.parents[r] == UInt32(offset) { children += 1; r += 1 }
                childCounts.append(children)
            }
            for o in output.ordinals { ordinals.append(Int(o)) }
            next.append(contentsOf: output.states)
            output.states = []
        }
        for s in next { observe(s, nextDepth) }
        distinct += next.count
        if !next.isEmpty { depth = nextDepth }
        links.append(childCounts: childCounts, nextOrdinals: ordinals)
        peakBytes = max(peakBytes, table.bytes + next.capacity * MemoryLayout<State>.stride + links.memoryBytes)
        return next
    }

    /// Decides whether the search goes on after a level: out of states, or a violation found.
    @inlinable mutating func endLevel(frontierIsEmpty: Bool) {
        stop = stopAfterLevel(stop, options: options, violations: violations.prefix(alwaysCount),
                              frontierIsEmpty: frontierIsEmpty,
                              states: distinct)
    }
}
