import Testing
import SimulationKernel
@testable import RayClusterModel

/// Each rule of the model, shown on the run that takes the earliest alternative at every choice
/// (fault at time 0, every range at its minimum, every phase 0), so its times can be worked out by hand.
@Suite("Cluster model rules")
struct ClusterRulesTests {
    @Test("after `pkill gcs_server` the head container lives until the head raylet's 60 s timeout, then the kubelet restarts it and the worker resubscribes")
    func gcsKillWithFT() {
        let r = earliestRun(makeModel(faults: [.gcsProcessKill]))
        #expect(r.first("gcsDied")?.at == .zero)
        let headExit = r.first("rayletExited", on: "head/raylet")
        #expect(headExit?.at == .seconds(60))
        #expect(headExit?.event.fact.rayletExitCause == .reconnectTimeout)
        #expect(r.first("containerExited", on: "head/pod")?.at == .seconds(60))
        #expect(r.first("containerRestarting", on: "head/pod")?.at == .seconds(60), "a first crash is restarted at once")
        #expect(r.first("gcsServing")?.at == .ms(62_300), "2 s container start + 300 ms table load")
        #expect(r.first("gcsServing")?.event.fact.keptCluster == true)
        #expect(r.first("rayletResubscribed", on: "worker-1/raylet") != nil)
        #expect(r.all("rayletExited", on: "worker-1/raylet").isEmpty)
        #expect(r.facts.contains(.counterIncremented(value: 2)))
        #expect(r.allHeld)
    }

    @Test("workers whose reconnect timeout equals the head's exit before the GCS is back")
    func equalTimeouts() throws {
        let model = makeModel(faults: [.gcsProcessKill]) { $0.spec.workerReconnectTimeoutSeconds = 60 }
        let r = earliestRun(model)
        let exit = try #require(r.first("rayletExited", on: "worker-1/raylet"))
        #expect(exit.at == .seconds(60))
        #expect(!r.held(ClusterProperties.workersSurvive))
        #expect(!r.held(ClusterProperties.actorSurvives), "the actor lived on that worker")
        #expect(r.verdict("workers-survive-head-restart")?.violatedAt == .seconds(60))
    }

    @Test("without FT a new head makes a new cluster id; the old worker reconnects unregistered and dies at its self-check")
    func noFTFateSharing() throws {
        let model = makeModel(faults: [.headPodDelete]) { $0.spec.ftEnabled = false }
        let r = earliestRun(model)
        #expect(r.first("clusterDataLost") != nil)
        #expect(r.first("gcsServing")?.event.fact.keptCluster == false)
        let unregistered = try #require(r.first("rayletUnregistered", on: "worker-1/raylet"))
        let exit = try #require(r.first("rayletExited", on: "worker-1/raylet"))
        #expect(exit.event.fact.rayletExitCause == .selfCheckFailed)
        #expect(exit.at >= unregistered.at)
        #expect(r.first("rayletRegistered", on: "worker-1/raylet") != nil, "the kubelet restarts it and it registers as a new node")
        #expect(!r.held(ClusterProperties.workersSurvive))
        #expect(r.held(ClusterProperties.clusterRecovers))
    }

    @Test("a deleted worker pod drains 30 s (the actor holds a worker), unregisters gracefully, loses the actor, and is not an outage death")
    func workerPodDelete() throws {
        let r = earliestRun(makeModel(faults: [.workerPodDelete]))
        #expect(r.held(ClusterProperties.workersSurvive))
        #expect(!r.held(ClusterProperties.actorSurvives))
        #expect(r.first("rayletExited", on: "worker-1/raylet")?.at == .seconds(30))
        let exit = r.first("rayletExited", on: "worker-1/raylet")
        #expect(exit?.event.fact.rayletExitCause == .drained)
        #expect(r.first("nodeMarkedDead")?.at == .seconds(30), "a graceful shutdown is DEAD at once, no health-check wait")
        #expect(r.first("rayletRegistered", on: "worker-1/raylet")?.at == .seconds(35))
        #expect(r.first("counterCallFailed") != nil, "max_restarts=0: the actor stays dead")
    }

    @Test("with max_restarts=-1 the actor comes back, but with its counter reset")
    func actorRestarts() throws {
        let model = makeModel(faults: [.workerPodDelete]) { $0.spec.actorMaxRestarts = -1 }
        let r = earliestRun(model)
        #expect(r.first("actorRestarted") != nil)
        #expect(r.facts.contains(.counterIncremented(value: 1)))
        #expect(!r.held(ClusterProperties.actorSurvives))
    }

    @Test("restartPolicy Never: the crashed head pod fails and KubeRay creates a new one")
    func restartPolicyNever() {
        let model = makeModel(faults: [.headContainerCrash]) { $0.spec.headRestartPolicy = .never }
        let r = earliestRun(model)
        #expect(r.first("podFailed", on: "head/pod")?.at == .zero)
        #expect(r.first("podCreated")?.at == .zero)
        #expect(r.first("containerRestarting") == nil)
        #expect(r.first("containerStarted", on: "head/pod")?.at == .seconds(5))
        #expect(r.allHeld)
    }

    @Test("a head container's first crash is restarted in place at once")
    func headCrashInPlace() {
        let r = earliestRun(makeModel(faults: [.headContainerCrash]))
        #expect(r.first("containerRestarting", on: "head/pod")?.at == .zero)
        #expect(r.first("podCreated") == nil)
        #expect(r.allHeld)
    }

    @Test("a Ray 2.60 GCS exits 3.5 s after losing Redis; the restarted GCS waits for Redis and finds the data")
    func redisLossLongOutage() throws {
        let model = makeModel(faults: [.redisRestart]) {
            $0.timing.redisRestartDowntime = .exactly(.seconds(90))
            $0.spec.redisPersistence = .appendOnly
        }
        let r = earliestRun(model)
        #expect(r.first("gcsDied")?.at == .ms(3_500))
        #expect(r.first("gcsDied")?.event.detail.contains("failed 5 times") == true)
        #expect(r.first("containerRestarting", on: "head/pod") != nil)
        let serving = try #require(r.first("gcsServing"))
        #expect(serving.at > .seconds(90), "no GCS serves before Redis is back")
        #expect(serving.event.fact.keptCluster == true, "append-only Redis kept the data")
        #expect(r.allHeld)
    }

    @Test("even a short Redis restart makes the GCS exit (no reconnect in Ray 2.60); with persistence the workers survive")
    func shortRedisRestart() {
        let r = earliestRun(makeModel(faults: [.redisRestart]) { $0.spec.redisPersistence = .appendOnly })
        #expect(r.first("redisUp")?.at == .seconds(1))
        #expect(r.first("gcsDied")?.at == .ms(3_500), "Redis was back at 1 s, but the GCS does not reconnect")
        #expect(r.first("gcsServing")?.event.fact.keptCluster == true)
        #expect(r.allHeld)
    }

    @Test("the recovery bound is enforced: a bound shorter than the restart is violated")
    func recoveryBound() {
        let model = makeModel(faults: [.gcsProcessKill]) { $0.recoveryBound = .seconds(30) }
        let r = earliestRun(model)
        #expect(!r.held(ClusterProperties.clusterRecovers))
        #expect(r.verdict("cluster-recovers")?.violatedAt == .seconds(30))
        #expect(r.held(ClusterProperties.workersSurvive))
    }
}

@Suite("Worker init container (reference §6)")
struct WorkerInitContainerTests {
    @Test("a worker pod recreated during a head outage waits in its init container and starts once the GCS answers")
    func waitsForGCS() throws {
        var d = EmbeddedModels.kuberaySample
        d.faults = FaultBudget(kinds: [], maxFaults: 0, horizon: .zero)
        d.spec.workerReconnectTimeoutSeconds = 30
        d.script = [ScriptStep(at: .zero, .gcsProcessKill), ScriptStep(at: .seconds(1), .workerPodDelete(worker: 1))]
        d.until = .minutes(5)
        for seed: UInt64 in 0..<30 {
            let r = Simulator(model: ClusterModel(d)).run(seed: seed)
            let waiting = try #require(r.first("initWaiting", on: "worker-1/pod"))
            let serving = try #require(r.first("gcsServing"))
            let started = try #require(r.all("containerStarted", on: "worker-1/pod").last)
            #expect(waiting.at < serving.at)
            #expect(started.at >= serving.at && started.at - serving.at <= .seconds(5), "polls every 5 s")
            #expect(r.held(ClusterProperties.workersSurvive), "seed \(seed): the new raylet never ran without a GCS")
            #expect(r.first("rayletRegistered", on: "worker-1/raylet") != nil)
        }
    }
}
