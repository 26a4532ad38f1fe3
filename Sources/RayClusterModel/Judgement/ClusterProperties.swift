import SimulationKernel

/// The properties checked after every step, with stable ids.
public enum ClusterProperties {
    public static let workersSurvive = Property<ClusterState>(
        id: "workers-survive-head-restart",
        summary: "no worker raylet exits because of a GCS outage or a GCS that lost its data",
        holds: { !$0.monitor.workerLostToOutage })

    public static let actorSurvives = Property<ClusterState>(
        id: "detached-actor-survives",
        summary: "the detached actor's counter never goes backwards or resets (its process never dies)",
        holds: { !$0.monitor.actorStateLost })

    public static let clusterRecovers = Property<ClusterState>(
        id: "cluster-recovers",
        summary: "within the recovery bound after the last fault, the GCS serves and every raylet is connected",
        holds: { !$0.monitor.recoveryOverdue })

    /// In the order they are reported.
    public static let all = [workersSurvive, actorSurvives, clusterRecovers]

    /// Every stable property id.
    public static var ids: [String] { all.map(\.id) }
}
