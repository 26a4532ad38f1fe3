import SimulationKernel

/// The one place where facts become text: the timeline's component, the stable event name, the
/// sentence a person reads and the machine-readable attributes (docs/trace-format.md, "Events").
extension ClusterFact {
    /// The event of this fact in the model `rules` describes.
    func event(_ rules: RuleBook) -> ClusterEvent {
        let text = FactText(rules: rules)
        let (component, name, detail, attributes) = text.render(self)
        return ClusterEvent(component, name, detail, attributes, fact: self)
    }
}

/// Renders facts with what they need from the model: names, timeouts, namespaces, probes.
struct FactText {
    let rules: RuleBook
    var cluster: EffectiveCluster { rules.cluster }
    var timing: Timing { rules.timing }

    typealias Rendered = (String, String, String, [(key: String, value: String)])

    func node(_ n: Int) -> String { n == ClusterState.head ? "head" : "worker-\(n)" }
    func pod(_ n: Int) -> String { "\(node(n))/pod" }
    func raylet(_ n: Int) -> String { "\(node(n))/raylet" }

    func namespace(_ i: Int) -> String {
        i == 0 ? cluster.storageNamespace : rules.otherNamespaces[i - 1]
    }

    func reconnectTimeoutSeconds(_ n: Int) -> Int64 {
        cluster.reconnectTimeout(of: n).milliseconds / 1000
    }

    /// The worker group of node `n`, when the cluster names its groups (not the one-group
    /// shorthand, whose text stays as it was).
    func namedGroup(_ n: Int) -> String? {
        rules.definition.spec.isOneDefaultGroup ? nil : cluster.group(of: n)?.name
    }

    /// ` of worker group NAME`, or nothing.
    func ofGroup(_ n: Int) -> String { namedGroup(n).map { " of worker group \($0)" } ?? "" }

    func render(_ fact: ClusterFact) -> Rendered {
        switch fact {
        case .faultInjected(let kind, let n): fault(kind, n)
        case .faultsEnded: ("faults", "faultsEnded", "no further faults in this run", [])
        case .faultSkipped:
            ("faults", "faultSkipped", "a fault was due but none of its kinds had a target", [])
        case .stepPerformed(let action):
            ("script", "stepPerformed", performed(action), stepAttribute(action))
        case .stepSkipped(let action): ("script", "stepSkipped", skipped(action), [])
        case .scenarioEnded: ("scenario", "scenarioEnded", "the scenario's time is up", [])
        default: gcsOrStorage(fact) ?? podOrProbe(fact) ?? rayletOrActor(fact) ?? judgement(fact)
        }
    }

    func fault(_ kind: FaultKind, _ n: Int) -> Rendered {
        var attributes = [(key: "fault", value: kind.rawValue)]
        if kind == .workerPodDelete { attributes.append((key: "node", value: node(n))) }
        return ("faults", "faultInjected",
                kind.faultText(target: node(n), namespace: cluster.storageNamespace), attributes)
    }

    func stepAttribute(_ action: ScriptAction) -> [(key: String, value: String)] {
        action == .actorCall ? [] : [(key: "step", value: action.id)]
    }

    func performed(_ action: ScriptAction) -> String {
        var namespace: String? = nil
        if case .gcsStart(let ns) = action { namespace = ns }
        return action.disruption.stepText(target: node(action.namedWorker ?? ClusterState.head),
                                          namespace: namespace)
    }

    func skipped(_ action: ScriptAction) -> String { action.disruption.skipText }

    func gcsOrStorage(_ fact: ClusterFact) -> Rendered? {
        switch fact {
        case .gcsStartedInMemory:
            ("gcs", "gcsStarted", "GCS started with in-memory storage (no RAY_REDIS_ADDRESS)", [])
        case .gcsStartedAborting(let i):
            ("gcs", "gcsStarted", "GCS started with storage namespace \(namespace(i))", [])
        case .gcsStartedLoading(let i):
            ("gcs", "gcsStarted",
             "GCS started and connected to Redis; loading tables of namespace \(namespace(i))", [])
        case .gcsStartedWaitingForRedis:
            ("gcs", "gcsStarted",
             "GCS started; Redis is unreachable, retrying for up to "
                 + "\(timing.gcsRedisConnectTimeout)",
             [])
        case .gcsConnectedToRedis:
            ("gcs", "gcsConnectedToRedis", "GCS connected to Redis; loading tables", [])
        case .gcsServing(true, let i):
            ("gcs", "gcsServing",
             "GCS serving; reloaded the cluster id and tables of namespace \(namespace(i))",
             [(key: "clusterId", value: "kept")])
        case .gcsServing(false, let i):
            ("gcs", "gcsServing",
             "GCS serving with a NEW cluster id and empty tables (\(emptyBecause(i)))",
             [(key: "clusterId", value: "new")])
        case .gcsDied(let exit): ("gcs", "gcsDied", "GCS process died: \(gcsExit(exit))", [])
        case .clusterDataLost(let loss, false):
            ("storage", "clusterDataLost", "cluster metadata lost: \(storageLoss(loss))", [])
        case .clusterDataLost(let loss, true):
            ("storage", "clusterDataLost",
             "cluster metadata lost from namespace \(cluster.storageNamespace): "
                 + "\(storageLoss(loss))",
             [])
        case .redisUp(true): ("redis", "redisUp", "Redis is back, empty (no persistence)", [])
        case .redisUp(false):
            ("redis", "redisUp", "Redis is back with its data (append-only file)", [])
        default: nil
        }
    }

    /// Why a GCS started on namespace `i` found nothing to reload.
    func emptyBecause(_ i: Int) -> String {
        cluster.gcsStorage == .redis
            ? "Redis holds nothing for namespace \(namespace(i))" : "its storage is in memory"
    }

    func gcsExit(_ exit: GCSExit) -> String {
        switch exit {
        case .sigterm:
            "killed with SIGTERM; `ray start --block` treats that as a clean exit, so the head "
                + "container keeps running"
        case .killedByStep: "killed"
        case .error(let error): "it exited with an error: \(gcsError(error))"
        case .containerEnded: "its container ended"
        case .podDeleted: "its pod was deleted"
        case .podEvicted: "its pod was evicted"
        }
    }

    func gcsError(_ error: GCSError) -> String {
        switch error {
        case .sigkill: "killed with SIGKILL (exit code -9)"
        case .redisConnectTimeout: "could not connect to Redis within "
            + "\(timing.gcsRedisConnectTimeout)"
        case .redisGraceExpired:
            "a Redis command failed 5 times (Redis went away \(timing.gcsRedisLossGrace) ago)"
        case .namespaceHoldsKeySeparator:
            "the storage namespace contains \"@\", the Redis key separator: the GCS aborts at "
                + "construction"
        }
    }

    func storageLoss(_ loss: StorageLoss) -> String {
        switch loss {
        case .gcsInMemory: "the GCS kept its tables in memory"
        case .flushed: "Redis was flushed"
        case .redisRestartedEmpty: "Redis restarted without persistence"
        case .keysLost: "Redis lost the keys of namespace \(cluster.storageNamespace)"
        }
    }

    func containerEnd(_ end: ContainerEnd) -> String {
        switch end {
        case .rayProcessFailed:
            "`ray start --block` saw a Ray process exit abnormally and ended the container"
        case .crashed: "the container crashed"
        case .livenessProbe: "the kubelet killed it after its liveness probe failed"
        }
    }

    func podOrProbe(_ fact: ClusterFact) -> Rendered? {
        switch fact {
        case .initWaiting(let n):
            (pod(n), "initWaiting",
             "init container waits for the GCS (`ray health-check` every "
                 + "\(timing.workerInitPollInterval))",
             [])
        case .containerStarted(let n, let restarts):
            (pod(n), "containerStarted", "Ray container running (`ray start --block`)",
             [(key: "restarts", value: String(restarts))])
        case .processesStopped(let n, let end):
            ("\(node(n))/node", "processesStopped",
             "\(containerEnd(end)); nothing restarts them (manual supervision)", [])
        case .containerExitedWhileDeleting(let n, let end):
            (pod(n), "containerExited", "\(containerEnd(end)) while the pod was being deleted", [])
        case .podFailed(let n, let end, true):
            (pod(n), "podFailed",
             "\(containerEnd(end)); restartPolicy Never\(ofGroup(n)), so the pod failed and "
                 + "KubeRay deletes it", namedGroup(n).map { [(key: "group", value: $0)] } ?? [])
        case .podFailed(let n, let end, false):
            (pod(n), "podFailed",
             "\(containerEnd(end)); restartPolicy Never, so the pod failed, and KubeRay "
                + "\(cluster.kuberayVersion) never replaces a failed head pod (before v1.0 it "
                + "handled "
                + "only evicted ones): nothing recovers until a person deletes it",
             [])
        case .containerExited(let n, let end, let wait):
            (pod(n), "containerExited",
             wait == .zero
                ? "\(containerEnd(end)); kubelet restarts it at once (no back-off entry: a "
                    + "first crash)"
                : "\(containerEnd(end)); kubelet restarts it in \(wait) (CrashLoopBackOff)",
             [])
        case .containerRestarting(let n, let restarts):
            (pod(n), "containerRestarting",
             "kubelet restarted the container (restart count \(restarts))",
             [])
        case .podAlreadyDeleting(let n):
            (pod(n), "podAlreadyDeleting", "\(node(n)) pod is already being deleted", [])
        case .podTerminating(let n, let drain): (pod(n), "podTerminating", terminating(drain), [])
        case .evictedPodKept:
            ("kuberay", "evictedPodKept",
             rules.definition.supervisor == .kubernetes
                ? "KubeRay \(cluster.kuberayVersion) does not delete an evicted head pod whose "
                    + "restartPolicy is Always: no new head until a person deletes it"
                : "nothing replaces the pod (manual supervision)",
             [])
        case .evictedPodDeleted(let n):
            ("kuberay", "evictedPodDeleted", "KubeRay deleted the evicted \(node(n)) pod", [])
        case .podCreated(let n):
            ("kuberay", "podCreated", "KubeRay created a new \(node(n)) pod", [])
        case .podReady(let n):
            (pod(n), "podReady",
             "readiness probe passed: the head Service routes workers to the head pod again", [])
        case .livenessProbeFailed(let n): livenessFailed(n)
        default: nil
        }
    }

    func terminating(_ drain: PodDrain) -> String {
        switch drain {
        case .drains:
            "pod deleted: SIGTERM; the raylet drains the node for up to "
                + "\(timing.podDeletionDrainTimeout) (the detached actor holds a worker)"
        case .cannotDrain:
            "pod deleted: SIGTERM; the GCS is unreachable, so the raylet cannot drain and shuts "
                + "down "
                + "at once"
        case .idle: "pod deleted: SIGTERM; the node is idle, so the raylet's drain ends at once"
        }
    }

    /// The liveness probe in force on pod `n`: the head's, or its worker group's (named when the
    /// cluster names its groups).
    func livenessFailed(_ n: Int) -> Rendered {
        let group = namedGroup(n).map { [(key: "group", value: $0)] } ?? []
        guard let probe = cluster.probes(of: n).liveness else {
            return (pod(n), "livenessProbeFailed", "liveness probe failed", group)
        }
        let why = probe.check == .gcs
            ? "the GCS is unreachable" : "the GCS answers that this node is not alive"
        return (pod(n), "livenessProbeFailed",
                "liveness probe\(ofGroup(n)) failed \(probe.failureThreshold) times in a row "
                    + "(\(why)): the kubelet kills the container",
                [(key: "probe", value: probe.summary)] + group)
    }

    func rayletOrActor(_ fact: ClusterFact) -> Rendered? {
        switch fact {
        case .rayletRegistered(let n):
            (raylet(n), "rayletRegistered", "registered with the GCS as a new node", [])
        case .rayletResubscribed(let n):
            (raylet(n), "rayletResubscribed",
             "reconnected to the GCS, which knows this node: resubscribed", [])
        case .rayletUnregistered(let n, let check):
            (raylet(n), "rayletUnregistered",
             "reconnected, but the GCS does not know this node (new cluster id); stays up until "
                 + "its "
                + "self-check in \(check)",
             [])
        case .rayletExited(let n, let cause): rayletExited(n, cause)
        case .nodeMarkedDead(let n, let death):
            ("gcs", "nodeMarkedDead", nodeDeath(n, death), [])
        case .headAgentExited:
            ("head/dashboard-agent", "dashboardAgentExited",
             "GCS unavailable for more than \(reconnectTimeoutSeconds(ClusterState.head)) seconds "
                + "(RAY_gcs_rpc_server_reconnect_timeout_s): the dashboard agent exits",
             [])
        case .actorProcessExited(let n):
            ("actor", "actorProcessExited",
             "the actor's process: GCS unavailable for more than "
                + "\(reconnectTimeoutSeconds(n)) seconds, it exits",
             [])
        case .actorDied(let n, let value, let fate):
            ("actor", "actorDied",
             "the detached actor's process died with \(node(n)); its counter (\(value)) is gone"
                + actorFate(fate),
             [])
        case .actorRestarted(let n):
            ("actor", "actorRestarted",
             "the detached actor restarted on \(node(n)) with its counter reset to 0", [])
        case .counterIncremented(let value):
            ("client", "counterIncremented", "increment_counter.py printed \(value)",
             [(key: "value", value: String(value))])
        case .counterCallFailed(let gcsServing):
            ("client", "counterCallFailed",
             gcsServing ? "increment_counter.py failed: the detached actor is dead"
                : "increment_counter.py failed: ray.get_actor needs the GCS, which is not serving",
             [])
        default: nil
        }
    }

    func rayletExited(_ n: Int, _ cause: RayletExitCause) -> Rendered {
        let (detail, attribute): (String, String) = switch cause {
        case .reconnectTimeout:
            ("GCS unavailable for more than \(reconnectTimeoutSeconds(n)) seconds "
                + "(RAY_gcs_rpc_server_reconnect_timeout_s\(ofGroup(n))): the raylet exits",
             "reconnect-timeout")
        case .selfCheckFailed:
            ("self-check: GCS returned an authentication error / not alive (GCS not backed by a "
                + "DB, "
                + "or data lost): the raylet exits", "self-check")
        case .containerEnded: ("raylet died with its container", "container-ended")
        case .livenessProbe: ("raylet died with its container", "liveness-probe")
        case .agentFateShared:
            ("the dashboard agent exited, and the raylet fate-shares with it", "agent-fate-shared")
        case .podDeleted: ("raylet died with its pod", "pod-deleted")
        case .drained: ("raylet drained and shut down gracefully", "drained")
        }
        let group = namedGroup(n).map { [(key: "group", value: $0)] } ?? []
        return (raylet(n), "rayletExited", detail, [(key: "cause", value: attribute)] + group)
    }

    func nodeDeath(_ n: Int, _ death: NodeDeath) -> String {
        switch death {
        case .replacedHead: "the previous head node was marked DEAD when the new head raylet "
            + "registered"
        case .unregisteredGracefully:
            "the node of \(node(n)) unregistered gracefully and was marked DEAD"
        case .healthCheck:
            "health check: the old node of \(node(n)) missed too many heartbeats and was marked "
                + "DEAD"
        }
    }

    func actorFate(_ fate: ActorFate) -> String {
        switch fate {
        case .forgotten: "; the GCS lost its actor table, so nothing restarts it"
        case .staysDead: "; max_restarts=0, so it stays dead"
        case .restartsAfterNodeDeath: "; max_restarts=-1: it restarts once the GCS declares the "
            + "node dead"
        case .restarts: "; max_restarts=-1, so it will restart with a fresh counter"
        }
    }

    func judgement(_ fact: ClusterFact) -> Rendered {
        let bound = rules.definition.recoveryBound
        return switch fact {
        case .clusterUnaffected:
            ("cluster", "clusterUnaffected",
             "the fault left the GCS serving and every raylet connected",
             [])
        case .clusterRecovered(let took?):
            ("cluster", "clusterRecovered",
             "recovered \(took.secondsText) after the last fault (bound \(bound))",
             [(key: "recoveryMs", value: String(took.milliseconds))])
        case .clusterRecovered(nil):
            ("cluster", "clusterRecovered", "recovered, later than the bound \(bound)", [])
        case .recoveryOverdue:
            ("cluster", "recoveryOverdue", "not recovered \(bound) after the last fault", [])
        default: preconditionFailure("no text for \(fact)")
        }
    }
}
