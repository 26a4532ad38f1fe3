import SimulationKernel

/// Every delay of the model, with the Ray or Kubernetes setting it stands for.
///
/// Fixed settings are `SimDuration`s; things the environment decides (how long a pod takes to
/// start, how long the GCS takes to load its tables) are `DurationRange`s from which each run
/// draws, so the checker can try them all. Defaults and their sources are in docs/model.md.
public struct Timing: Hashable, Sendable {
    /// `grpc_client_check_connection_status_interval_milliseconds` (1000): how often a GCS client checks
    /// its channel; the reconnect deadline is only noticed at these checks (reference §1).
    public var connectionCheckInterval: SimDuration = .seconds(1)
    /// How long after the GCS serves again a connection check may still find the channel not ready
    /// (gRPC's reconnect back-off, initial 100 ms, max 2000 ms, reference §1). Default 1 s, one more
    /// check: on this machine real Ray 2.60 raylets that had resubscribed still died of the timeout
    /// when the GCS came back 0.5 s before T (a channel stayed down up to 1.4 s), and survived when it
    /// came back 1 s or 2 s before T (docs/conformance.md); 2 s would lose them at T − 2 s too.
    public var grpcReconnectBackoffMax: SimDuration = .seconds(1)
    /// `raylet_liveness_self_check_interval_ms` (60000): a raylet the GCS does not know dies at its next
    /// self-check; the phase of that cycle is a choice (reference §1, §9).
    public var rayletSelfCheckInterval: SimDuration = .seconds(60)
    /// `ray start --block` polls its children once a second; an abnormal exit ends the container (§1).
    public var blockPollInterval: SimDuration = .seconds(1)
    /// Kubelet CrashLoopBackOff: a container's first crash is restarted at once; the wait after the
    /// second is this (10 s), doubling from there (kubelet `doBackOff`, client-go
    /// `flowcontrol/backoff.go`; reference §6).
    public var crashLoopBackoffInitial: SimDuration = .seconds(10)
    /// Kubelet CrashLoopBackOff cap, 300 s (§6).
    public var crashLoopBackoffMax: SimDuration = .seconds(300)
    /// The kubelet forgets a container's back-off entry this long (2 × the cap, 10 min) after the
    /// previous restart: the next crash counts as a first one again (§6).
    public var crashLoopBackoffReset: SimDuration = .minutes(10)
    /// `RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S` (30 s, Ray 2.60): a deleted pod's raylet drains its
    /// node this long when a worker is leased there (the detached actor), and ends at once when the
    /// node is idle; then it shuts down gracefully (§6; ray python/ray/_private/node.py).
    public var podDeletionDrainTimeout: SimDuration = .seconds(30)
    /// A new head pod: scheduling, image pull, container start, until `ray start` launches the GCS.
    public var headPodStartup: DurationRange = DurationRange(.seconds(5), .seconds(30))
    /// A new worker pod, until its raylet is up.
    public var workerPodStartup: DurationRange = DurationRange(.seconds(5), .seconds(30))
    /// A container restarted in place (image already present) until `ray start` has its processes up.
    public var containerRestartStartup: DurationRange = DurationRange(.seconds(2), .seconds(10))
    /// GCS connects to Redis with 120 retries × 500 ms ≈ 60 s, then exits (§2).
    public var gcsRedisConnectTimeout: SimDuration = .seconds(60)
    /// GCS start-up after Redis answers: load tables, read the cluster id, open the RPC server.
    /// Real Ray 2.60 answered 0.3–0.5 s after start with small tables (§9); tables grow it.
    public var gcsTableLoad: DurationRange = DurationRange(.ms(300), .seconds(2))
    /// A GCS that loses Redis exits this long after: Ray 2.60 retries a failed Redis command 5 times
    /// and then aborts, 3.6–3.8 s after Redis went away, even when Redis was back by then (measured,
    /// docs/conformance.md). Newer Ray may reconnect within a grace period (reference §2).
    public var gcsRedisLossGrace: SimDuration = .ms(3500)
    /// Time Redis is away during a `redis-restart` fault.
    public var redisRestartDowntime: DurationRange = DurationRange(.seconds(1), .seconds(30))
    /// How long after the GCS serves a node whose raylet is gone is marked DEAD: initial delay 5 s +
    /// (threshold 5 − 1) × period 3 s = 17 s, for a port that refuses at once (§4, measured §9).
    public var deadNodeDetection: SimDuration = .seconds(17)
    /// How long a serving GCS takes to mark DEAD a node whose raylet died while its pod (and port)
    /// stayed: 12–15 s when the port refuses (§4).
    public var deadNodeDetectionServing: DurationRange = DurationRange(.seconds(12), .seconds(15))
    /// A new worker pod's init container runs `ray health-check` against the head Service this often
    /// until the GCS answers (KubeRay, reference §6); Ray starts after it succeeds.
    public var workerInitPollInterval: SimDuration = .seconds(5)
    /// Draws from ranges land on this grid; both ends of every range are always possible.
    public var granularity: SimDuration = .ms(100)

    public init() {}

    /// The kubelet's wait before restarting a container whose back-off entry is at `level`: 0 with
    /// no entry (first crash), then initial × 2^(level − 1), capped: 0, 10, 20, 40 … 300 s.
    public func crashLoopBackoff(level: Int) -> SimDuration {
        guard level > 0 else { return .zero }
        var d = crashLoopBackoffInitial
        for _ in 1..<level where d < crashLoopBackoffMax { d = d * 2 }
        return Swift.min(d, crashLoopBackoffMax)
    }

    /// The highest back-off level worth telling apart: the first whose wait is the cap, at most
    /// ``crashLoopBackoffLevelLimit``.
    public var crashLoopBackoffLevelMax: Int {
        var level = 1
        while level < Self.crashLoopBackoffLevelLimit
            && crashLoopBackoff(level: level) < crashLoopBackoffMax { level += 1 }
        return level
    }

    /// The most back-off levels ever told apart, whatever the timing: 32 doublings of any initial
    /// wait of a millisecond or more pass the longest duration a model file accepts (30 days), so
    /// the cap is reached before this; it keeps ``NodeState/backoffLevel`` within a few bits.
    public static let crashLoopBackoffLevelLimit = 32
}

extension Timing: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case connectionCheckInterval, grpcReconnectBackoffMax, rayletSelfCheckInterval, blockPollInterval
        case crashLoopBackoffInitial, crashLoopBackoffMax, crashLoopBackoffReset, headPodStartup, workerPodStartup
        case containerRestartStartup, gcsRedisConnectTimeout, gcsTableLoad, gcsRedisLossGrace, redisRestartDowntime
        case deadNodeDetection, workerInitPollInterval, granularity, podDeletionDrainTimeout, deadNodeDetectionServing
    }

    nonisolated(unsafe) static let durations: [(CodingKeys, WritableKeyPath<Timing, SimDuration>)] = [
        (.connectionCheckInterval, \.connectionCheckInterval), (.grpcReconnectBackoffMax, \.grpcReconnectBackoffMax),
        (.rayletSelfCheckInterval, \.rayletSelfCheckInterval), (.blockPollInterval, \.blockPollInterval),
        (.crashLoopBackoffInitial, \.crashLoopBackoffInitial), (.crashLoopBackoffMax, \.crashLoopBackoffMax),
        (.crashLoopBackoffReset, \.crashLoopBackoffReset), (.gcsRedisConnectTimeout, \.gcsRedisConnectTimeout),
        (.gcsRedisLossGrace, \.gcsRedisLossGrace), (.deadNodeDetection, \.deadNodeDetection),
        (.workerInitPollInterval, \.workerInitPollInterval), (.granularity, \.granularity),
        (.podDeletionDrainTimeout, \.podDeletionDrainTimeout),
    ]
    nonisolated(unsafe) static let ranges: [(CodingKeys, WritableKeyPath<Timing, DurationRange>)] = [
        (.headPodStartup, \.headPodStartup), (.workerPodStartup, \.workerPodStartup),
        (.containerRestartStartup, \.containerRestartStartup), (.gcsTableLoad, \.gcsTableLoad),
        (.redisRestartDowntime, \.redisRestartDowntime), (.deadNodeDetectionServing, \.deadNodeDetectionServing),
    ]

    /// Missing keys keep their defaults, so traces written before a timing was added still load
    /// (whether they still reproduce is checked separately, by replay).
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        for (key, path) in Self.durations { if let v = try c.decodeIfPresent(SimDuration.self, forKey: key) { self[keyPath: path] = v } }
        for (key, path) in Self.ranges { if let v = try c.decodeIfPresent(DurationRange.self, forKey: key) { self[keyPath: path] = v } }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, path) in Self.durations { try c.encode(self[keyPath: path], forKey: key) }
        for (key, path) in Self.ranges { try c.encode(self[keyPath: path], forKey: key) }
    }
}
