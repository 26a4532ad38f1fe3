import Testing
import SimulationKernel
@testable import RayClusterModel

/// The Kubernetes side held to upstream (reference §2, §4, §6): each rule shown on an exhaustive
/// check or on a run whose times can be worked out by hand. Each test fails if its rule is removed.
@Suite("Kubernetes side: kubelet back-off, KubeRay versions, storage, probes, eviction")
struct KubernetesUpstreamTests {
    /// The KubeRay sample with a fixed script and no random faults (or the given ones).
    static func scripted(_ steps: [ScriptStep], faults: [FaultKind] = [],
                         _ change: (inout ModelDefinition) -> Void = { _ in }) -> ModelDefinition {
        var d = EmbeddedModels.kuberaySample
        d.faults = FaultBudget(kinds: faults, maxFaults: faults.isEmpty ? 0 : 1, horizon: .minutes(5))
        d.script = steps
        change(&d)
        return d
    }

    /// Every interleaving and duration on a 1 s grid.
    static func check(_ d: ModelDefinition, granularity: SimDuration = .seconds(1)) -> CheckReport {
        var d = d
        d.timing.granularity = granularity
        return Explorer(model: ClusterModel(d)).check()
    }

    static func holds(_ report: CheckReport, _ property: Property<ClusterState>) -> Bool {
        report.property(property.id)?.verdict == .holds
    }

    static func pkills(at times: [SimDuration], workerTimeout: Int) -> ModelDefinition {
        scripted(times.map { ScriptStep(at: $0, .gcsProcessKill) }) { $0.spec.workerReconnectTimeoutSeconds = workerTimeout }
    }

    // MARK: CrashLoopBackOff

    @Test("a 78 s worker timeout survives one `pkill gcs_server`: the head container's first crash is restarted at once")
    func oneKill() {
        let r = Self.check(Self.pkills(at: [.zero], workerTimeout: 78))
        #expect(r.verdict != .incomplete)
        #expect(Self.holds(r, ClusterProperties.workersSurvive))
    }

    @Test("…but not a second one three minutes later: the second crash within 10 min waits 10 s")
    func secondKillSoon() {
        let r = Self.check(Self.pkills(at: [.zero, .minutes(3)], workerTimeout: 78))
        #expect(!Self.holds(r, ClusterProperties.workersSurvive))
    }

    @Test("…and survives a second one fifteen minutes later: the back-off entry expired after 10 min")
    func secondKillLate() {
        let r = Self.check(Self.pkills(at: [.zero, .minutes(15)], workerTimeout: 78))
        #expect(r.verdict != .incomplete)
        #expect(Self.holds(r, ClusterProperties.workersSurvive))
    }

    @Test("restart delays by hand: at once, 10 s for a crash within 10 min, at once again after 10 min")
    func backoffTimes() {
        let soon = earliestRun(ClusterModel(Self.scripted([ScriptStep(at: .zero, .headContainerCrash), ScriptStep(at: .seconds(60), .headContainerCrash)])))
        #expect(soon.all("containerRestarting", on: "head/pod").map(\.at) == [.zero, .seconds(70)])
        let late = earliestRun(ClusterModel(Self.scripted([ScriptStep(at: .zero, .headContainerCrash), ScriptStep(at: .seconds(700), .headContainerCrash)])))
        #expect(late.all("containerRestarting", on: "head/pod").map(\.at) == [.zero, .seconds(700)])
    }

    // MARK: SIGKILL

    @Test("equal 60 s timeouts survive `gcs-process-sigkill` (the container ends within a poll) but not `gcs-process-kill`")
    func sigkillVersusSigterm() {
        let sigkill = Self.check(Self.scripted([], faults: [.gcsProcessSigkill]) { $0.spec.workerReconnectTimeoutSeconds = 60 })
        #expect(sigkill.verdict == .holds)
        let sigterm = Self.check(Self.scripted([], faults: [.gcsProcessKill]) { $0.spec.workerReconnectTimeoutSeconds = 60 })
        #expect(!Self.holds(sigterm, ClusterProperties.workersSurvive))
    }

    // MARK: Probes

    /// A `pkill gcs_server` with a 3600 s head timeout (workers 4000 s), on `version`.
    static func longHeadTimeout(_ version: KubeRayVersion) -> RunResult<ClusterModel> {
        let d = scripted([ScriptStep(at: .zero, .gcsProcessKill)]) {
            $0.spec.kuberayVersion = version
            $0.spec.headReconnectTimeoutSeconds = 3600
            $0.spec.workerReconnectTimeoutSeconds = 4000
        }
        return earliestRun(ClusterModel(d))
    }

    @Test("a head timeout of 3600 s is cut short by the head liveness probe on v1.1 (~600 s), not on v1.0")
    func headLiveness() throws {
        let v11 = Self.longHeadTimeout(KubeRayVersion(1, 1))
        let kill = try #require(v11.first("livenessProbeFailed", on: "head/pod"))
        #expect(kill.at == .seconds(595), "119 periods of 5 s, the last probe's phase 0")
        #expect(v11.first("containerRestarting", on: "head/pod")?.at == .seconds(595))
        let headExit = v11.first("rayletExited", on: "head/raylet")
        #expect(headExit?.event.fact.rayletExitCause == .livenessProbe)
        #expect(v11.held(ClusterProperties.workersSurvive))
        let v10 = Self.longHeadTimeout(KubeRayVersion(1, 0))
        #expect(v10.first("livenessProbeFailed") == nil, "up to v1.0 the head probe does not ask the GCS")
        #expect(v10.first("rayletExited", on: "head/raylet")?.at == .seconds(3600))
    }

    @Test("a user liveness probe that fails while the GCS is unreachable restarts workers during a head outage: a violation")
    func userWorkerProbe() {
        let probe = ProbeSpec(initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3, check: .gcs)
        let custom = Self.check(Self.scripted([], faults: [.gcsProcessKill]) { $0.spec.probes.workerLiveness = .custom(probe) })
        #expect(!Self.holds(custom, ClusterProperties.workersSurvive))
        let kuberays = Self.check(Self.scripted([], faults: [.gcsProcessKill]))
        #expect(Self.holds(kuberays, ClusterProperties.workersSurvive), "KubeRay's worker probe counts an unreachable GCS as healthy")
    }

    @Test("KubeRay's worker probe fails when the GCS answers that the node is not alive (a GCS that lost its data)")
    func nodeAliveProbe() throws {
        let probe = ProbeSpec(initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1, check: .nodeAlive)
        let d = Self.scripted([ScriptStep(at: .zero, .headPodDelete)]) {
            $0.spec.ftEnabled = false
            $0.spec.probes.workerLiveness = .custom(probe)
        }
        // The self-check's phase is a choice: in runs where it comes late, the probe kills first.
        let runs = (0..<20).map { Simulator(model: ClusterModel(d)).run(seed: UInt64($0)) }
        let killed = runs.filter { $0.first("livenessProbeFailed", on: "worker-1/pod") != nil }
        #expect(!killed.isEmpty)
        for r in killed {
            let unregistered = try #require(r.first("rayletUnregistered", on: "worker-1/raylet"))
            let kill = try #require(r.first("livenessProbeFailed", on: "worker-1/pod"))
            #expect(kill.at >= unregistered.at && kill.at <= unregistered.at + .seconds(2))
        }
        var defaults = d
        defaults.spec.probes = ProbeSettings()
        let noKill = (0..<20).allSatisfy { Simulator(model: ClusterModel(defaults)).run(seed: UInt64($0)).first("livenessProbeFailed") == nil }
        #expect(noKill, "KubeRay's threshold of 120 leaves it to the self-check")
    }

    @Test("before v1.2 workers reconnect only once the head pod is Ready again (≥ 10 s after the container starts)")
    func readinessGatesReconnect() throws {
        func run(_ v: KubeRayVersion) -> RunResult<ClusterModel> {
            earliestRun(ClusterModel(Self.scripted([ScriptStep(at: .zero, .headContainerCrash)]) { $0.spec.kuberayVersion = v }))
        }
        let v11 = run(KubeRayVersion(1, 1))
        let started = try #require(v11.first("containerStarted", on: "head/pod"))
        let ready = try #require(v11.first("podReady", on: "head/pod"))
        #expect(ready.at == started.at + .seconds(10))
        let resubscribed = try #require(v11.first("rayletResubscribed", on: "worker-1/raylet"))
        #expect(resubscribed.at >= ready.at)
        let v12 = run(KubeRayVersion(1, 2))
        #expect(v12.first("podReady") == nil)
        #expect(try #require(v12.first("rayletResubscribed", on: "worker-1/raylet")).at < ready.at)
    }

    // MARK: Head pod recreation by version

    @Test("an evicted head is recovered on v1.2, not on v1.1 (policy Always); v1.1 with policy Never and v0.6 recover")
    func evictedHead() {
        func recovers(_ v: KubeRayVersion, _ policy: RestartPolicy = .always) -> Bool {
            let r = Self.check(Self.scripted([], faults: [.headPodEvict]) {
                $0.spec.kuberayVersion = v
                $0.spec.headRestartPolicy = policy
            })
            return Self.holds(r, ClusterProperties.clusterRecovers)
        }
        #expect(recovers(KubeRayVersion(1, 2)))
        #expect(!recovers(KubeRayVersion(1, 1)))
        #expect(recovers(KubeRayVersion(1, 1), .never))
        #expect(recovers(KubeRayVersion(0, 6)))
    }

    @Test("v0.6 never recreates a failed head pod (restartPolicy Never); v1.0 does")
    func failedHeadByVersion() {
        func recovers(_ v: KubeRayVersion) -> Bool {
            Self.holds(Self.check(Self.scripted([], faults: [.headContainerCrash]) {
                $0.spec.kuberayVersion = v
                $0.spec.headRestartPolicy = .never
            }), ClusterProperties.clusterRecovers)
        }
        #expect(!recovers(KubeRayVersion(0, 6)))
        #expect(recovers(KubeRayVersion(1, 0)))
    }

    @Test("KubeRay 1.4+ with autoscaler v2 forces restartPolicy Never: a head crash makes a new pod; on 1.3 it restarts in place")
    func autoscalerV2() {
        func run(_ v: KubeRayVersion) -> RunResult<ClusterModel> {
            earliestRun(ClusterModel(Self.scripted([ScriptStep(at: .zero, .headContainerCrash)]) {
                $0.spec.kuberayVersion = v
                $0.spec.autoscalerV2 = true
            }))
        }
        #expect(KubeRayDefaulting.apply(ClusterSpec(kuberayVersion: KubeRayVersion(1, 4), autoscalerV2: true)).workerRestartPolicy == .never)
        #expect(run(KubeRayVersion(1, 4)).first("podCreated") != nil)
        #expect(run(KubeRayVersion(1, 4)).first("containerRestarting") == nil)
        #expect(run(KubeRayVersion(1, 3)).first("containerRestarting", on: "head/pod") != nil)
    }

    @Test("workerRestartPolicy Never: a worker whose Ray container ends gets a new pod (init container first), not an in-place restart")
    func workerNever() {
        func run(_ policy: RestartPolicy) -> RunResult<ClusterModel> {
            earliestRun(ClusterModel(Self.scripted([ScriptStep(at: .zero, .gcsProcessKill)]) {
                $0.spec.workerReconnectTimeoutSeconds = 30
                $0.spec.workerRestartPolicy = policy
            }))
        }
        let never = run(.never)
        #expect(never.first("podFailed", on: "worker-1/pod") != nil)
        #expect(never.first("initWaiting", on: "worker-1/pod") != nil)
        #expect(never.first("containerRestarting", on: "worker-1/pod") == nil)
        let always = run(.always)
        #expect(always.first("containerRestarting", on: "worker-1/pod") != nil)
        #expect(always.first("podCreated") == nil)
    }

    // MARK: The FT flag versus Ray's storage

    @Test("ftEnabled with gcsStorage memory: workers get 600 s, but every head restart loses the cluster and the workers")
    func ftWithoutRedis() {
        let d = Self.scripted([], faults: [.headPodDelete]) { $0.spec.gcsStorage = .memory }
        #expect(d.cluster.workerReconnectTimeout == .seconds(600))
        #expect(!Self.holds(Self.check(d), ClusterProperties.workersSurvive))
    }

    @Test("a Redis address without the annotation (before v1.3): the GCS keeps its data, the workers keep Ray's 60 s")
    func redisWithoutFT() throws {
        let d = Self.scripted([ScriptStep(at: .zero, .gcsProcessSigkill)]) {
            $0.spec.ftEnabled = false
            $0.spec.gcsStorage = .redis
            $0.spec.kuberayVersion = KubeRayVersion(1, 2)
        }
        #expect(d.cluster.workerReconnectTimeout == .seconds(60))
        #expect(d.cluster.storageNamespace == "default", "KubeRay sets no namespace without FT: Ray's default")
        let r = earliestRun(ClusterModel(d))
        #expect(try #require(r.first("gcsServing")).event.fact.keptCluster == true)
        #expect(r.allHeld)
    }

    // MARK: Smaller corrections

    @Test("an actor with max_restarts=-1 is restarted once the GCS declares its old node dead, not when its process died")
    func actorWaitsForNodeDeath() throws {
        let d = Self.scripted([ScriptStep(at: .zero, .gcsProcessKill)]) {
            $0.spec.workerReconnectTimeoutSeconds = 30
            $0.spec.actorMaxRestarts = -1
        }
        let r = earliestRun(ClusterModel(d))
        let died = try #require(r.first("actorDied"))
        let registered = try #require(r.first("rayletRegistered", on: "worker-1/raylet"))
        let dead = try #require(r.all("nodeMarkedDead").last)
        let restarted = try #require(r.first("actorRestarted"))
        #expect(restarted.at == dead.at)
        #expect(restarted.at > registered.at && restarted.at > died.at)
    }

    @Test("a gracefully drained node is DEAD at once: the actor restarts on another worker in the same step")
    func actorAfterDrain() throws {
        let d = Self.scripted([ScriptStep(at: .zero, .workerPodDelete(worker: 1))]) {
            $0.spec.workers = 2
            $0.spec.actorMaxRestarts = -1
        }
        let r = earliestRun(ClusterModel(d))
        let restarted = try #require(r.first("actorRestarted"))
        #expect(restarted.at == .seconds(30))
        #expect(restarted.event.detail.contains("worker-2"))
    }

    @Test("a storage namespace containing @ makes the GCS abort at every start: the cluster never comes up")
    func namespaceWithAt() {
        let d = Self.scripted([]) {
            $0.spec.storageNamespace = "team@prod"
            $0.until = .minutes(10)
        }
        #expect(d.cluster.namespaceAbortsGCS)
        let r = Simulator(model: ClusterModel(d)).run(seed: 1)
        #expect(r.first("gcsServing") == nil)
        #expect(r.all("gcsDied").count >= 3, "it crash-loops")
        #expect(!r.held(ClusterProperties.clusterRecovers))
        let ok = Self.scripted([]) { $0.spec.storageNamespace = "team-prod" }
        #expect(!ok.cluster.namespaceAbortsGCS)
    }
}
