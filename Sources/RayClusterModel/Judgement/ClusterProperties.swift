import SimulationKernel

/// The properties checked after every step, with stable ids.
public enum ClusterProperties {
    public static let workersSurvive = Property<ClusterState>(
        id: "workers-survive-head-restart",
        summary: "no worker raylet exits because of a GCS outage or a GCS that lost its data",
        holds: { !$0.monitor.workerLostToOutage })

    public static let actorSurvives = Property<ClusterState>(
        id: "detached-actor-survives",
        summary: "the detached actor's counter never goes backwards or resets "
            + "(its process never dies)",
        holds: { !$0.monitor.actorStateLost })

    public static let clusterRecovers = Property<ClusterState>(
        id: "cluster-recovers",
        summary: "within the recovery bound after the last fault, the GCS serves and every "
            + "raylet is connected",
        holds: { !$0.monitor.recoveryOverdue })

    /// In the order they are reported.
    public static let all = [workersSurvive, actorSurvives, clusterRecovers]

    /// Every stable property id.
    public static var ids: [String] { all.map(\.id) }

    /// The "sometimes" properties of a model with random faults, which catch a vacuous check:
    /// each fault kind of the budget is injected in some reachable world (`exercises-KIND`: a
    /// world where a fault is due next and the kind has a target, so the checker explores it),
    /// and the cluster recovers after a fault in some world (`reaches-recovery`). Scripted
    /// models state their own expectations instead, so they get none.
    static func sometimes(_ rules: RuleBook) -> [Property<ClusterState>] {
        let faults = rules.definition.faults
        guard faults.maxFaults > 0, !faults.kinds.isEmpty else { return [] }
        let kinds = faults.kinds.map { kind in
            Property<ClusterState>(
                id: "exercises-\(kind.rawValue)",
                summary: "some reachable world injects \(kind.rawValue)",
                holds: { s in
                    guard s.faultsLeft > 0, s.agenda.mayFireNext(.fault) else { return false }
                    let probe = Transition(rules: rules, s: s, choices: .first, log: nil)
                    return probe.hasTarget(kind.disruption)
                })
        }
        return kinds + [Property(
            id: "reaches-recovery",
            summary: "in some reachable world the cluster recovers after a fault",
            holds: { $0.monitor.recoveredAfter != nil })]
    }
}

/// What the properties read: kept by the judge (`Judge.swift`) from the rules' facts, never set by
/// a rule. A property, its monitor fields and their description (for the checker's encodings,
/// `World/ClusterState+Fields.swift`) live in this file.
public struct Monitor: Hashable, Codable, Sendable {
    /// A worker raylet exited because of a GCS outage or a GCS that forgot it.
    public var workerLostToOutage = false
    /// The detached actor's process died, so its counter is gone or reset.
    public var actorStateLost = false
    /// The recovery bound passed after a fault without the cluster recovering.
    public var recoveryOverdue = false
    /// A fault happened and the cluster has not recovered since.
    public var awaitingRecovery = false
    /// Set only by the step in which the cluster recovered: how long after the last fault. The
    /// checker reads it for the worst-case recovery time; the next step clears it, so worlds
    /// merge again.
    public var recoveredAfter: SimDuration?
}

extension Monitor: FieldDescribed {
    mutating func visitFields(_ v: inout some FieldVisitor) {
        v.plain("workerLostToOutage", workerLostToOutage)
        v.plain("actorStateLost", actorStateLost)
        v.plain("recoveryOverdue", recoveryOverdue)
        v.plain("awaitingRecovery", awaitingRecovery)
        v.plain("recoveredAfter", recoveredAfter)
    }
}
