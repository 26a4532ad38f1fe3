/// A world whose pending events live on an ``Agenda``: what the zone checker reads the timing of.
public protocol ZoneTimedState {
    associatedtype Happening: Hashable & Codable & Sendable
    var agenda: Agenda<Happening> { get }
}

/// The zone checker: explores symbolic states, each a discrete world and a zone over the clocks
/// of its pending events, so one state stands for every real-valued timing within the declared
/// windows (Bengtsson and Yi 2004; docs/checking.md, "Zones").
///
/// The model is the same one the grid checker explores, started with a zone-mode agenda
/// (``Agenda/symbolic()``): its `step` asks which event fires next among those whose window can
/// open first, and every delay it declares stays a window. Breadth-first, like ``Explorer``, so
/// the first violating symbolic state is reached by a shortest path of steps. Visited zones are
/// kept per discrete world (its stable fingerprint, which leaves the zone out); a new zone that a
/// stored one includes is dropped, and a stored zone the new one includes is not expanded
/// (inclusion, "subsumption"). A violation here is only symbolic: ``ZoneConcretiser`` turns the
/// path into a concrete run, or says why it cannot.
public struct ZoneExplorer<Model: SimulationModel>: Sendable where Model.State: ZoneTimedState {
    public let model: Model
    public let options: CheckOptions

    public init(model: Model, options: CheckOptions = CheckOptions()) {
        precondition(model.initialState.agenda.isSymbolic,
                     "the zone checker needs a model whose initial agenda is in zone mode")
        self.model = model
        self.options = options
    }

    /// Checks every reachable symbolic state; `observe` sees each stored one and its depth.
    public func check(observe: (Model.State, _ depth: Int) -> Void = { _, _ in })
        -> ZoneCheckReport<Model.State> {
        var search = ZoneSearch(model: model, options: options)
        search.run(observe: observe)
        return search.report()
    }
}

/// What the zone checker found: the report (counts are symbolic states), and for each property
/// the symbolic path to its first violation (and for each "sometimes" property to its first
/// example), for ``ZoneConcretiser``.
public struct ZoneCheckReport<State>: Sendable where State: Sendable {
    /// Verdicts and statistics; a violated property's counterexample holds the zone steps'
    /// choices, which are not a concrete run (concretise the path first).
    public var report: CheckReport
    /// Per property, in the model's order: the symbolic worlds from the initial one to the first
    /// violating one, or nil.
    public var paths: [[State]?] { candidates.map { $0.first?.path } }
    /// Per property, in the model's order: the symbolic paths to its violating states, in the
    /// order the breadth-first search stored them (so by nondecreasing length), at most
    /// ``ZoneSearch/candidatesPerProperty``. A path the concretiser cannot make concrete does
    /// not decide the property; the next one may (docs/checking.md, "Zones").
    public var candidates: [[ZoneCandidate<State>]]
    /// Per "sometimes" property: the symbolic worlds to its first example, or nil.
    public var examplePaths: [[State]?]
    /// Symbolic states stored and not dropped by inclusion afterwards.
    public var liveStates: Int
}

/// One symbolic path to a violating state: its worlds (initial first) and the zone steps'
/// choices.
public struct ZoneCandidate<State>: Sendable where State: Sendable {
    public var path: [State]
    public var steps: [[Int]]
}

/// One stored symbolic state.
struct ZoneNode<State> {
    var state: State
    var zone: DBM
    var parent: Int32
    var script: [Int]
    var depth: Int32
    /// Included in a zone stored later for the same discrete world: not expanded.
    var covered = false
}

struct ZoneSearch<Model: SimulationModel> where Model.State: ZoneTimedState {
    typealias State = Model.State
    let model: Model
    let options: CheckOptions
    let properties: [Property<State>]
    let alwaysCount: Int
    let limits: LimitGuard
    var nodes: [ZoneNode<State>] = []
    /// Discrete fingerprint to the nodes holding its zones (never iterated: looked up only).
    var visited: [UInt64: [Int32]] = [:]
    var violations: [Int32?]
    /// Per always-property: the violating nodes stored so far, at most
    /// ``candidatesPerProperty``, the first being `violations[p]`.
    var candidateNodes: [[Int32]]
    var transitions = 0
    var depth = 0
    var stop: CheckReport.StopReason?
    var peakBytes = 0
    var zoneBytes = 0

    init(model: Model, options: CheckOptions) {
        self.model = model
        self.options = options
        properties = model.searchedProperties
        alwaysCount = model.properties.count
        limits = LimitGuard(limits: options.limits, control: options.control)
        violations = Array(repeating: nil, count: properties.count)
        candidateNodes = Array(repeating: [], count: alwaysCount)
    }

    /// How many violating symbolic states of one property are kept for the concretiser: a path
    /// that cannot be made concrete (a relation the 1 ms grid cannot meet, say) is not the end
    /// of the property when another violating state can be.
    static var candidatesPerProperty: Int { 16 }

    mutating func run(observe: (State, Int) -> Void) {
        var frontier: [Int32] = []
        let initial = model.initialState
        if let root = store(initial, parent: -1, script: [], depth: 0, observe: observe) {
            frontier.append(root)
        }
        endLevel(frontierIsEmpty: frontier.isEmpty)
        while stop == nil {
            var next: [Int32] = []
            var sinceLook = 0
            for index in frontier {
                if sinceLook >= LimitGuard.interval {
                    sinceLook = 0
                    noteLimits()
                    if stop != nil { break }
                }
                if nodes[Int(index)].covered { continue }
                let state = nodes[Int(index)].state
                let nextDepth = Int32(depth + 1)
                let model = self.model
                model.forEachStep(of: state) { successor, script in
                    transitions += 1
                    sinceLook += 1
                    var canonical = successor
                    model.canonicalize(&canonical)
                    if let added = store(canonical, parent: index, script: script,
                                         depth: nextDepth, observe: observe) {
                        next.append(added)
                    }
                    return true
                }
            }
            noteLimits()
            if !next.isEmpty && stop == nil { depth += 1 }
            frontier = next
            endLevel(frontierIsEmpty: frontier.isEmpty)
        }
    }

    /// Stores `state` unless a stored zone of its discrete world includes its zone; returns its
    /// node. Stored zones it includes are marked covered.
    mutating func store(_ state: State, parent: Int32, script: [Int], depth: Int32,
                        observe: (State, Int) -> Void) -> Int32? {
        let zone = state.agenda.zone!.dbm
        let fingerprint = state.checkerFingerprint
        var kept: [Int32] = []
        if let stored = visited[fingerprint] {
            for s in stored {
                let other = nodes[Int(s)].zone
                if other.dimension == zone.dimension {
                    if other.includes(zone) { return nil }
                    if zone.includes(other) {
                        nodes[Int(s)].covered = true
                        continue
                    }
                }
                kept.append(s)
            }
        }
        let index = Int32(nodes.count)
        kept.append(index)
        visited[fingerprint] = kept
        nodes.append(ZoneNode(state: state, zone: zone, parent: parent, script: script,
                              depth: depth))
        zoneBytes += zone.dimension * zone.dimension * MemoryLayout<DBMBound>.stride
        for p in properties.indices where !properties[p].holds(state) {
            if violations[p] == nil { violations[p] = index }
            if p < alwaysCount && candidateNodes[p].count < Self.candidatesPerProperty {
                candidateNodes[p].append(index)
            }
        }
        observe(state, Int(depth))
        return index
    }

    mutating func endLevel(frontierIsEmpty: Bool) {
        let sites = violations.prefix(alwaysCount).map { v in
            v.map { ViolationSite(depth: 0, index: Int($0)) }
        }
        stop = stopAfterLevel(stop, options: options, violations: sites[...],
                              frontierIsEmpty: frontierIsEmpty, states: nodes.count)
    }

    mutating func noteLimits() {
        let bytes = nodes.count * (MemoryLayout<ZoneNode<State>>.stride + 64) + zoneBytes
        peakBytes = max(peakBytes, bytes)
        if stop == nil,
           let reason = limits.exceeded(states: nodes.count, accountedBytes: bytes, depth: depth) {
            stop = reason
        }
    }

    /// The worlds from the initial one to node `index`.
    func path(to index: Int32) -> [State] {
        var states: [State] = []
        var at = index
        while at >= 0 {
            states.append(nodes[Int(at)].state)
            at = nodes[Int(at)].parent
        }
        return states.reversed()
    }

    func counterexample(to index: Int32) -> Counterexample {
        var steps: [[Int]] = []
        var at = index
        while nodes[Int(at)].parent >= 0 {
            steps.append(nodes[Int(at)].script)
            at = nodes[Int(at)].parent
        }
        return Counterexample(steps: steps.reversed(),
                              violatingFingerprint: nodes[Int(index)].state.checkerFingerprint)
    }

    func report() -> ZoneCheckReport<State> {
        let exhausted = stop == .exhausted
        let results = model.properties.indices.map { p in
            PropertyResult(
                id: properties[p].id, summary: properties[p].summary,
                verdict: violations[p] != nil ? .violated : exhausted ? .holds : .incomplete,
                counterexample: violations[p].map(counterexample(to:)))
        }
        let sometimes = model.sometimes.indices.map { s in
            let site = violations[alwaysCount + s]
            return SometimesResult(
                id: model.sometimes[s].id, summary: model.sometimes[s].summary,
                verdict: site != nil ? .reached : exhausted ? .unreached : .incomplete,
                example: site.map(counterexample(to:)))
        }
        let verdict: CheckReport.Verdict = results.contains { $0.verdict == .violated }
            ? .violated : exhausted ? .holds : .incomplete
        let n = Double(nodes.count)
        let seconds = limits.elapsedSeconds
        let report = CheckReport(
            verdict: verdict, stopReason: stop ?? .exhausted, properties: results,
            sometimes: sometimes, distinctStates: nodes.count, transitions: transitions,
            maxDepth: depth, seconds: seconds, statesPerSecond: seconds > 0 ? n / seconds : 0,
            peakMemoryBytes: peakBytes, processPeakResidentBytes: ProcessMemory.peakResidentBytes(),
            collisionProbability: n * n / 0x1p65, visited: .fingerprints, threads: 1)
        return ZoneCheckReport(
            report: report,
            candidates: candidateNodes.map { nodes in
                nodes.map { ZoneCandidate(path: path(to: $0), steps: counterexample(to: $0).steps) }
            },
            examplePaths: violations.dropFirst(alwaysCount).map { $0.map(path(to:)) },
            liveStates: nodes.count { !$0.covered })
    }
}
