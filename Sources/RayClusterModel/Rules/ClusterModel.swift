import SimulationKernel

/// The Ray-on-KubeRay cluster with GCS fault tolerance as a kernel model.
///
/// One transition function (`step`) for the simulator and the checker alike. The rules live in
/// `Rules/`, one component per file; each cites the reference section it encodes.
public struct ClusterModel: SimulationModel {
    public typealias State = ClusterState
    public typealias Event = ClusterEvent

    public let definition: ModelDefinition
    /// The cluster after KubeRay's defaulting, computed once.
    public var cluster: EffectiveCluster { rules.cluster }
    /// Everything the rules read, computed once and shared by reference (no copying per step).
    let rules: RuleBook

    /// Whether the checker may treat workers as interchangeable (symmetry reduction). Workers a
    /// script step names are never permuted, whatever this says (``pinnedWorkers``).
    public let symmetry: Bool

    /// The model of `definition`; `symmetry` lets the checker merge worlds that differ only by a
    /// renaming of the workers (it never changes what the simulator does).
    public init(_ definition: ModelDefinition, symmetry: Bool = true) {
        self.init(definition, symmetry: symmetry, eagerHeadAgent: false)
    }

    /// Tests only: with `eagerHeadAgent`, the plain version of the agent's lazy draw.
    init(_ definition: ModelDefinition, symmetry: Bool = true, eagerHeadAgent: Bool) {
        self.definition = definition
        self.rules = RuleBook(definition, eagerHeadAgent: eagerHeadAgent)
        self.sometimes = ClusterProperties.sometimes(rules)
        self.symmetry = symmetry
    }

    public func canonicalize(_ state: inout ClusterState) {
        state.canonicalize(interchangeable: symmetry ? rules.interchangeableWorkers : [])
    }

    /// The workers the script names, which symmetry never moves, ascending: the check reports them.
    public var pinnedWorkers: [Int] { rules.pinnedWorkers }

    public var timing: Timing { definition.timing }

    public var initialState: ClusterState {
        var agenda = Agenda<Happening>()
        if definition.faults.maxFaults > 0 && !definition.faults.kinds.isEmpty {
            agenda.schedule(.faultPlanned, after: .zero)
            agenda.schedule(.faultHorizonEnds, after: definition.faults.horizon)
        }
        for (i, step) in definition.script.enumerated() { agenda.schedule(.scriptStep(i), after: step.at) }
        if let until = definition.until { agenda.schedule(.scenarioEnds, after: until) }
        if cluster.namespaceAbortsGCS { return neverUpState(agenda) }
        return ClusterState(
            nodes: Array(repeating: .running, count: cluster.workers + 1),
            gcs: .serving, redisUp: true, storageHasCluster: true,
            actor: ActorState(status: .alive, host: cluster.workers > 0 ? 1 : ClusterState.head, value: 1),
            faultsLeft: definition.faults.maxFaults, monitor: Monitor(), agenda: agenda)
    }

    /// A cluster whose GCS aborts at every start (a storage namespace with `@`, reference §2) was
    /// never up: the run starts as KubeRay creates its pods, the detached actor was never created,
    /// and `cluster-recovers` waits for the cluster to come up within the recovery bound.
    func neverUpState(_ agenda: Agenda<Happening>) -> ClusterState {
        var agenda = agenda
        var starting = NodeState.running
        (starting.pod, starting.raylet, starting.nodeStored) = (.starting, .down, false)
        starting.ready = !rules.headServiceGates
        var nodes = Array(repeating: starting, count: cluster.workers + 1)
        for n in nodes.indices {
            nodes[n].initPending = n != ClusterState.head
            agenda.schedule(.podStarted(n), after: .zero)
        }
        agenda.schedule(.recoveryDeadline, after: definition.recoveryBound)
        var monitor = Monitor()
        monitor.awaitingRecovery = true
        return ClusterState(
            nodes: nodes, gcs: .down, redisUp: true, storageHasCluster: false,
            actor: ActorState(status: .dead, host: cluster.workers > 0 ? 1 : ClusterState.head, value: 0, forgotten: true),
            faultsLeft: definition.faults.maxFaults, monitor: monitor, agenda: agenda)
    }

    public var properties: [Property<ClusterState>] { ClusterProperties.all }

    /// The "sometimes" properties (``ClusterProperties/sometimes(_:)``), built once.
    public let sometimes: [Property<ClusterState>]

    public func step(_ state: inout ClusterState, choices: inout some ChoiceSource,
                     events: inout some EventSink<ClusterEvent>) -> SimDuration? {
        let log = type(of: events).records ? EventLog() : nil
        let elapsed = withoutActuallyEscaping({ (count: Int) in choices.choose(count) }) { pick -> SimDuration? in
            var answers = ClosureChoices(pick)
            guard let (elapsed, happening) = state.agenda.takeNext(choices: &answers) else { return nil }
            var t = Transition(rules: rules, s: state, pick: pick, log: log)
            state = rules.vacant  // drop the caller's reference so the rules mutate a unique copy
            t.s.monitor.recoveredAfter = nil
            t.fire(happening)
            t.noteLiveness()
            // Plain models check the counter after each recovery, as KubeRay's e2e test does;
            // scenarios call it where their script says.
            if t.judgeRecovery() && definition.script.isEmpty { t.clientIncrements() }
            state = t.s
            return elapsed
        }
        if let log { for e in log.events { events.record(e) } }
        return elapsed
    }
}

/// One step in progress: the world being changed, where choices come from, where events go.
///
/// Not generic on purpose: the rules are compiled once, whatever answers the choices (the
/// simulator's PRNG or the checker's enumeration), which keeps them fast across module boundaries.
struct Transition {
    let rules: RuleBook
    var s: ClusterState
    /// Answers one choice among `count` alternatives.
    let pick: (Int) -> Int
    /// Where events go; nil while checking, so no event text is ever built then.
    let log: EventLog?
    /// The pod whose container started in this step, if any (its probes wait their initial delay).
    var startedNode: Int? = nil

    var timing: Timing { rules.timing }
    var cluster: EffectiveCluster { rules.cluster }
    var definition: ModelDefinition { rules.definition }
    /// Kubernetes restarts things; under manual supervision nothing does.
    var kubernetes: Bool { rules.definition.supervisor == .kubernetes }

    func choose(_ count: Int) -> Int { pick(count) }

    /// Schedules `kind` after a delay somewhere in `range`: the one seam through which every
    /// uncertain delay of the rules passes. Rules declare the range; the engine resolves it (the
    /// simulator draws a grid point with its seed, the grid checker tries every grid point, both
    /// ends included). Returns the delay chosen.
    @discardableResult
    mutating func schedule(_ kind: Happening, in range: DurationRange) -> SimDuration {
        let delay = draw(range)
        s.agenda.schedule(kind, after: delay)
        return delay
    }

    /// A duration from `range` on the model's grid (both ends included).
    private func draw(_ range: DurationRange) -> SimDuration {
        let g = timing.granularity
        return range.gridPoint(choose(range.gridCount(granularity: g)), granularity: g)
    }

    mutating func fire(_ happening: Happening) {
        let n = Int(happening.argument)  // the node, or the script step's index
        switch happening.kind {
        case .faultPlanned: planNextFault()
        case .fault: injectFault()
        case .faultHorizonEnds: break
        case .podStarted: podStarted(n)
        case .containerRestart: containerRestarts(n)
        case .backoffReset: s.nodes[n].backoffLevel = 0
        case .containerExited: containerExited(n, reason: .rayProcessFailed)
        case .gcsRedisConnectGiveUp: gcsExitsAbnormally(.redisConnectTimeout)
        case .gcsLoaded: gcsLoaded()
        case .gcsRedisGraceExpired: gcsExitsAbnormally(.redisGraceExpired)
        case .rayletGivesUp: rayletGivesUp(n)
        case .rayletReconnects: rayletReconnects(n)
        case .rayletSelfCheckFails: rayletSelfCheckFails(n)
        case .staleNodeMarkedDead: staleNodeMarkedDead(n)
        case .redisBack: redisBack()
        case .recoveryDeadline: recoveryDeadlinePassed()
        case .scriptStep: perform(definition.script[n])
        case .actorGivesUp: actorGivesUp()
        case .actorReconnects: s.agenda.cancel(.actorGivesUp)
        case .readinessProbe: readinessProbe(n)
        case .livenessFailing: livenessFailing(n)
        case .livenessKill: livenessKill(n)
        case .podGone: podGone(n)
        case .headAgentGivesUp: headAgentGivesUp()
        case .headAgentReconnects: headAgentStops()
        case .scenarioEnds:
            s.agenda.cancel { _ in true }
            note(.scenarioEnded)
        }
    }
}

/// The events of one step, held by reference so facts can be rendered while rules change the world.
final class EventLog {
    var events: [ClusterEvent] = []
}

/// What the rules read, computed once per model and shared by reference.
final class RuleBook: Sendable {
    let definition: ModelDefinition
    let cluster: EffectiveCluster
    let timing: Timing
    /// A placeholder world, swapped in while a step owns the real one.
    let vacant: ClusterState
    /// Workers named by a script step: told apart from the others, so never permuted.
    let pinnedWorkers: [Int]
    /// The other workers, by group: symmetry may permute the workers of one group among
    /// themselves (groups differ in their timeouts, so workers of two groups never swap).
    let interchangeableWorkers: [[Int]]
    /// Each node's `RAY_gcs_rpc_server_reconnect_timeout_s`, by node index.
    let reconnectTimeouts: [SimDuration]
    /// Each node's pod `restartPolicy` (the head's, or its worker group's), by node index.
    let restartPolicies: [RestartPolicy]
    /// Each node's liveness probe when it can fail in this model (nil: none, or one that asks only
    /// the pod's own processes), by node index: the head's, or its worker group's.
    let livenessProbes: [ProbeSpec?]
    /// Before KubeRay v1.2 (with Kubernetes supervision) the head pod's readiness gates workers.
    let headServiceGates: Bool
    /// Some pod has a liveness probe that can fail in this model.
    let hasFailingLiveness: Bool
    /// Storage namespaces other than the cluster's that script steps start a GCS on, sorted;
    /// namespace i > 0 of ``ClusterState/gcsNamespace`` is `otherNamespaces[i - 1]`.
    let otherNamespaces: [String]
    /// Tests only: the head's dashboard agent draws its deadline when the outage starts, as the
    /// plain version of the lazy draw in `Rules/DashboardAgent.swift` (the differential test).
    let eagerHeadAgent: Bool

    init(_ definition: ModelDefinition, eagerHeadAgent: Bool = false) {
        self.eagerHeadAgent = eagerHeadAgent
        self.definition = definition
        self.cluster = definition.cluster
        self.timing = definition.timing
        let kubernetes = definition.supervisor == .kubernetes
        self.headServiceGates = kubernetes && definition.cluster.headServiceNeedsReadiness
        let cluster = definition.cluster
        let workers = cluster.workers
        self.restartPolicies = (0...workers).map(cluster.restartPolicy(of:))
        self.livenessProbes = (0...workers).map { n in
            cluster.probes(of: n).liveness.flatMap { $0.check == .raylet ? nil : $0 }
        }
        self.hasFailingLiveness = kubernetes && livenessProbes.contains { $0 != nil }
        let named = Set(definition.script.compactMap(\.action.namedWorker))
        self.pinnedWorkers = (1...max(workers, 1)).filter { named.contains($0) && $0 <= workers }
        self.interchangeableWorkers = definition.cluster.workerGroups.map { group in
            group.nodes.filter { !named.contains($0) }
        }.filter { $0.count > 1 }
        self.reconnectTimeouts = (0...workers).map(definition.cluster.reconnectTimeout(of:))
        let own = definition.cluster.storageNamespace
        self.otherNamespaces = Set(definition.script.compactMap { step -> String? in
            if case .gcsStart(let namespace?) = step.action, namespace != own { return namespace }
            return nil
        }).sorted()
        self.vacant = ClusterState(nodes: [], gcs: .down, redisUp: false, storageHasCluster: false,
                                   actor: ActorState(status: .dead, host: 0, value: 0), faultsLeft: 0,
                                   monitor: Monitor(), agenda: Agenda())
    }
}

/// Answers choices through a closure: lets the non-generic rules use any ``ChoiceSource``.
struct ClosureChoices: ChoiceSource {
    let answer: (Int) -> Int
    init(_ answer: @escaping (Int) -> Int) { self.answer = answer }
    func pick(_ count: Int) -> Int { answer(count) }
}
