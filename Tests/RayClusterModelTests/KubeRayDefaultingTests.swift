import Testing
import SimulationKernel
@testable import RayClusterModel

@Suite("KubeRay defaulting of reconnect timeouts and storage namespace (reference §6)")
struct KubeRayDefaultingTests {
    @Test("with FT on and the worker timeout unset, KubeRay gives workers 600 s and the head keeps Ray's 60 s")
    func ftUnset() {
        let c = KubeRayDefaulting.apply(ClusterSpec(ftEnabled: true))
        #expect(c.workerReconnectTimeout == .seconds(600))
        #expect(c.headReconnectTimeout == .seconds(60))
        #expect(c.notes.contains { $0.rule.contains("injects 600") })
    }

    @Test("a worker timeout the user set is kept, even below the head's")
    func userSet() {
        let c = KubeRayDefaulting.apply(ClusterSpec(ftEnabled: true, headReconnectTimeoutSeconds: 120, workerReconnectTimeoutSeconds: 30))
        #expect(c.workerReconnectTimeout == .seconds(30))
        #expect(c.headReconnectTimeout == .seconds(120))
    }

    @Test("without FT nothing is injected: workers keep Ray's 60 s")
    func noFT() {
        let c = KubeRayDefaulting.apply(ClusterSpec(ftEnabled: false))
        #expect(c.workerReconnectTimeout == .seconds(60))
    }

    @Test("the storage namespace is the RayCluster UID unless set")
    func namespace() {
        #expect(KubeRayDefaulting.apply(ClusterSpec(rayClusterUID: "uid-1")).storageNamespace == "uid-1")
        #expect(KubeRayDefaulting.apply(ClusterSpec(storageNamespace: "shared", rayClusterUID: "uid-1")).storageNamespace == "shared")
    }

    @Test("the kubelet's CrashLoopBackOff: a first crash at once, then 10 s doubling to the 300 s cap")
    func crashLoopBackoff() {
        let t = Timing()
        #expect((0..<8).map { t.crashLoopBackoff(level: $0) } == [0, 10, 20, 40, 80, 160, 300, 300].map { SimDuration.seconds($0) })
        #expect(t.crashLoopBackoffLevelMax == 6)
    }
}
