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
        self.init(definition, symmetry: symmetry, symbolicTime: false)
    }

    /// The model for the zone checker: every uncertain delay stays a window on a clock
    /// (docs/checking.md, "Zones"). Symmetry is not applied to symbolic worlds yet.
    public static func symbolic(_ definition: ModelDefinition) -> ClusterModel {
        ClusterModel(definition, symmetry: false, symbolicTime: true)
    }

    private init(_ definition: ModelDefinition, symmetry: Bool, symbolicTime: Bool) {
        self.definition = definition
        self.rules = RuleBook(definition)
        self.sometimes = ClusterProperties.sometimes(rules)
        self.properties = definition.checkedProperties.map { ids in
            ClusterProperties.all.filter { ids.contains($0.id) }
        } ?? ClusterProperties.all
        self.symmetry = symmetry && !symbolicTime
        self.symbolicTime = symbolicTime
    }

    /// Whether worlds start with a zone-mode agenda (``ClusterModel/symbolic(_:)``).
    public let symbolicTime: Bool

    public func canonicalize(_ state: inout ClusterState) {
        guard !state.agenda.isSymbolic else { return }
        state.canonicalize(interchangeable: symmetry ? rules.interchangeableWorkers : [])
    }

    /// The workers the script names, which symmetry never moves, ascending: the check reports them.
    public var pinnedWorkers: [Int] { rules.pinnedWorkers }

    public var timing: Timing { definition.timing }

    public var initialState: ClusterState {
        var agenda = symbolicTime ? Agenda<Happening>.symbolic() : Agenda<Happening>()
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

    /// ``ClusterProperties/all``, or those of them ``ModelDefinition/checkedProperties`` names,
    /// in the same order.
    public let properties: [Property<ClusterState>]

    /// The "sometimes" properties (``ClusterProperties/sometimes(_:)``), built once.
    public let sometimes: [Property<ClusterState>]

    public func step(_ state: inout ClusterState, choices: inout some ChoiceSource,
                     events: inout some EventSink<ClusterEvent>) -> SimDuration? {
        let log = type(of: events).records ? EventLog() : nil
        let answer = { (count: Int, kind: PickKind, delay: (Int) -> SimDuration?) -> Int in
            switch kind {
            case .plain: choices.pick(count)
            case .first: choices.pickFirst(count)
            case .delay: choices.pickDelay(count, delay)
            case .symbolic: choices.pickSymbolic(count)
            }
        }
        let elapsed = withoutActuallyEscaping(answer) { answer -> SimDuration? in
            var answers = ClosureChoices(answer)
            guard let (elapsed, happening) = state.agenda.takeNext(choices: &answers) else { return nil }
            var t = Transition(rules: rules, s: state, choices: answers, log: log)
            state = rules.vacant  // drop the caller's reference so the rules mutate a unique copy
            t.s.monitor.recoveredAfter = nil
            t.fire(happening)
            t.noteLiveness()
            // Plain models check the counter after each recovery, as KubeRay's e2e test does;
            // scenarios call it where their script says.
            if t.judgeRecovery() && definition.script.isEmpty { t.clientIncrements() }
            t.s.agenda.finishSymbolicStep()
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
    /// Answers the step's choices: the engine's (``ClosureChoices``).
    var choices: ClosureChoices
    /// Where events go; nil while checking, so no event text is ever built then.
    let log: EventLog?
    /// The pod whose container started in this step, if any (its probes wait their initial delay).
    var startedNode: Int? = nil

    var timing: Timing { rules.timing }
    var cluster: EffectiveCluster { rules.cluster }
    var definition: ModelDefinition { rules.definition }
    /// Kubernetes restarts things; under manual supervision nothing does.
    var kubernetes: Bool { rules.definition.supervisor == .kubernetes }

    /// One of `count` alternatives (a single one is no choice at all).
    func choose(_ count: Int) -> Int { count == 1 ? 0 : choices.pick(count) }

    /// Schedules `kind` after a delay somewhere in `range`: the one seam through which every
    /// uncertain delay of the rules passes. Rules declare the range; the engine resolves it (the
    /// simulator draws a grid point with its seed, the grid checker tries every grid point, both
    /// ends included). Returns the delay chosen.
    /// In zone mode the range stays a window on a clock and its lower end is returned.
    @discardableResult
    mutating func schedule(_ kind: Happening, in range: DurationRange) -> SimDuration {
        s.agenda.schedule(kind, in: range, granularity: timing.granularity, choices: &choices)
    }

    /// Schedules `kind` at the first tick, `start` from now or later, of a periodic check whose
    /// phase is unknown: in `[start, start + period)`, the end excluded on every engine.
    @discardableResult
    mutating func schedule(_ kind: Happening, phaseOf period: SimDuration,
                           after start: SimDuration) -> SimDuration {
        s.agenda.schedule(kind, phaseOf: period, after: start, granularity: timing.granularity,
                          choices: &choices)
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
    init(_ definition: ModelDefinition) {
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

/// Which of a ``ChoiceSource``'s questions a pick is.
enum PickKind { case plain, first, delay, symbolic }

/// Answers choices through one closure: lets the non-generic rules use any ``ChoiceSource``, each
/// kind of question passed on as itself (the zone checker's concretiser tells them apart).
struct ClosureChoices: ChoiceSource {
    let answer: (Int, PickKind, (Int) -> SimDuration?) -> Int
    init(_ answer: @escaping (Int, PickKind, (Int) -> SimDuration?) -> Int) { self.answer = answer }
    func pick(_ count: Int) -> Int { answer(count, .plain, { _ in nil }) }
    func pickFirst(_ count: Int) -> Int { answer(count, .first, { _ in nil }) }
    func pickDelay(_ count: Int, _ delay: (Int) -> SimDuration?) -> Int {
        answer(count, .delay, delay)
    }
    func pickSymbolic(_ count: Int) -> Int { answer(count, .symbolic, { _ in nil }) }

    /// Answers every question with its first alternative.
    static var first: ClosureChoices { ClosureChoices { _, _, _ in 0 } }
}
