import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

/// Worker groups are part of the world: each group has its replicas and its own reconnect
/// timeout, findings name the group, and symmetry permutes workers only within a group.
@Suite("Worker groups: per-group timeouts, names in findings, symmetry within a group")
struct WorkerGroupTests {
    /// The KubeRay sample with two groups: `cpu` (600 s, KubeRay's default) and `gpu`.
    static func twoGroups(gpuTimeout: Int?, cpu: Int = 1, gpu: Int = 1) -> ModelDefinition {
        var d = EmbeddedModels.kuberaySample
        d.name = "two-groups"
        d.spec.workerGroups = [
            WorkerGroupSpec(name: "cpu", replicas: cpu),
            WorkerGroupSpec(name: "gpu", replicas: gpu, reconnectTimeoutSeconds: gpuTimeout),
        ]
        return d
    }

    static func file(_ cluster: String) -> Data {
        Data("""
            {"name": "groups", "cluster": {"ftEnabled": true, \(cluster)},
             "faults": {"kinds": ["gcs-process-kill"], "maxFaults": 1, "horizon": "1m"}}
            """.utf8)
    }

    @Test("workers are numbered group after group; each group keeps its own timeout and source")
    func effectiveGroups() {
        let c = Self.twoGroups(gpuTimeout: 45, cpu: 2, gpu: 3).cluster
        #expect(c.workers == 5)
        #expect(c.workerGroups.map(\.name) == ["cpu", "gpu"])
        #expect(c.workerGroups.map(\.nodes) == [1..<3, 3..<6])
        #expect(c.workerGroups.map(\.reconnectTimeoutSource) == [.kuberayDefault, .user])
        #expect(c.reconnectTimeout(of: 0) == c.headReconnectTimeout)
        #expect(c.reconnectTimeout(of: 2) == .seconds(600))
        #expect(c.reconnectTimeout(of: 3) == .seconds(45))
        #expect(c.group(of: 5)?.name == "gpu" && c.group(of: 0) == nil)
        #expect(c.shortestWorkerReconnectTimeout == .seconds(45))
        let notes = c.notes.map(\.field).filter { $0.hasPrefix("worker group") }
        #expect(notes == ["worker group cpu RAY_gcs_rpc_server_reconnect_timeout_s",
                          "worker group gpu RAY_gcs_rpc_server_reconnect_timeout_s"])
    }

    @Test("one group with a short timeout breaks the rule, and the trace names that group")
    func shortGroupIsNamed() throws {
        let result = ClusterCheck(Self.twoGroups(gpuTimeout: 60), granularity: .seconds(10)).run()
        #expect(result.report.property("workers-survive-head-restart")?.verdict == .violated)
        let run = try #require(result.counterexample("workers-survive-head-restart"))
        let exits = run.timeline.filter {
            if case .rayletExited(_, .reconnectTimeout) = $0.event.fact { true } else { false }
        }
        let exit = try #require(exits.first)
        #expect(exit.event.component == "worker-2/raylet")
        #expect(exit.event.attributes.contains { $0.key == "group" && $0.value == "gpu" })
        #expect(exit.event.detail.contains("60 seconds"))
        #expect(exit.event.detail.contains("of worker group gpu"))
        let margins = result.groupDeadlineMargins
        #expect(margins.map(\.group) == ["cpu", "gpu"])
        #expect(margins[0].reconnectTimeout == .seconds(600))
    }

    @Test("both groups on KubeRay's 600 s: the rules hold, with a margin for each group")
    func bothLongHold() {
        let result = ClusterCheck(Self.twoGroups(gpuTimeout: nil), granularity: .seconds(10)).run()
        #expect(result.holds)
        #expect(result.groupDeadlineMargins.map(\.margin) == [.seconds(525), .seconds(525)])
    }

    @Test("symmetry permutes workers only within a group, and never changes a verdict")
    func symmetryWithinGroups() {
        let grid = SimDuration.seconds(10)
        func small(_ d: ModelDefinition) -> ModelDefinition {
            var d = d
            d.faults = FaultBudget(kinds: [.headPodDelete], maxFaults: 1, horizon: .seconds(60))
            return d
        }
        for timeout in [nil, 60] {
            // Worker 1 hosts the actor; the gpu group's two workers are interchangeable.
            let d = small(Self.twoGroups(gpuTimeout: timeout, cpu: 1, gpu: 2))
            let reduced = ClusterCheck(d, granularity: grid).run().report
            let plain = ClusterCheck(d, granularity: grid, symmetry: false).run().report
            #expect(reduced.verdict == plain.verdict)
            #expect(reduced.properties.map(\.verdict) == plain.properties.map(\.verdict))
            #expect(reduced.distinctStates < plain.distinctStates)
        }
        // Three workers in one group merge more worlds than 2 + 1 in two groups with the same
        // timeouts (there workers 2 and 3 are in different groups): groups are told apart even
        // when nothing else differs.
        var one = EmbeddedModels.kuberaySample
        one.spec.workers = 3
        let oneGroup = ClusterCheck(small(one), granularity: grid).run().report
        let twoGroups = ClusterCheck(small(Self.twoGroups(gpuTimeout: nil, cpu: 2, gpu: 1)),
                                     granularity: grid).run().report
        #expect(oneGroup.distinctStates < twoGroups.distinctStates)
    }

    @Test("canonical form: swapping two workers of one group is the same world, across groups not")
    func canonicalFormRespectsGroups() {
        // Node 1 hosts the actor; nodes 2 and 3 are the other cpu workers, 4 and 5 the gpu ones.
        let model = ClusterModel(Self.twoGroups(gpuTimeout: nil, cpu: 3, gpu: 2))
        func reconnecting(_ n: Int) -> ClusterState {
            var s = model.initialState
            s.nodes[n].raylet = .reconnecting
            s.agenda.schedule(.rayletGivesUp(n), after: .seconds(600))
            return s
        }
        var (base, withinGroup, acrossGroups) = (reconnecting(2), reconnecting(3), reconnecting(4))
        model.canonicalize(&base)
        model.canonicalize(&withinGroup)
        model.canonicalize(&acrossGroups)
        #expect(base == withinGroup)
        #expect(base != acrossGroups)
    }

    @Test("model files: workerGroups read with names, replicas, timeouts; workers is one group")
    func modelFileGroups() throws {
        let d = try ModelDefinition.parse(Self.file("""
            "workerGroups": [{"name": "small-group", "replicas": 2},
                             {"name": "gpu-group", "replicas": 1, "reconnectTimeoutSeconds": 45}]
            """))
        #expect(d.spec.workerGroups == [
            WorkerGroupSpec(name: "small-group", replicas: 2),
            WorkerGroupSpec(name: "gpu-group", replicas: 1, reconnectTimeoutSeconds: 45),
        ])
        let shorthand = try ModelDefinition.parse(Self.file(
            "\"workers\": 3, \"workerReconnectTimeoutSeconds\": 120"))
        #expect(shorthand.spec.workerGroups == [
            WorkerGroupSpec(name: WorkerGroupSpec.defaultName, replicas: 3,
                            reconnectTimeoutSeconds: 120)])
        #expect(shorthand.spec.isOneDefaultGroup)
    }

    @Test("bad worker groups are refused with the field and the fix", arguments: [
        ("\"workers\": 1, \"workerGroups\": [{\"name\": \"a\", \"replicas\": 1}]",
         "cluster.workers", "given together with workerGroups"),
        ("\"workerGroups\": [{\"name\": \"a\", \"replicas\": 1}, "
            + "{\"name\": \"a\", \"replicas\": 1}]",
         "cluster.workerGroups[1].name", "is also the name of group 0"),
        ("\"workerGroups\": [{\"name\": \"a\"}]", "cluster.workerGroups[0].replicas", "missing"),
        ("\"workerGroups\": [{\"replicas\": 1}]", "cluster.workerGroups[0].name", "missing"),
        ("\"workerGroups\": [{\"name\": \"a\", \"replicas\": 0}]", "cluster.workerGroups",
         "out of range"),
        ("\"workerGroups\": [{\"name\": \"a\", \"replicas\": -1}]",
         "cluster.workerGroups[0].replicas", "is negative"),
        ("\"workerGroups\": [{\"name\": \"a\", \"replicas\": 1, \"reconnectTimeoutSeconds\": 0}]",
         "cluster.workerGroups[0].reconnectTimeoutSeconds", "out of range"),
        ("\"workerGroups\": [{\"name\": \"a\", \"replicas\": 1, \"replica\": 2}]",
         "cluster.workerGroups[0].replica", "unknown field"),
        ("\"workerGroups\": {\"name\": \"a\"}", "cluster.workerGroups", "expected an array"),
        ("\"workerGroups\": [{\"name\": \"a\", \"replicas\": 1}, "
            + "{\"name\": \"b\", \"replicas\": 1}], "
            + "\"workerReconnectTimeoutSeconds\": 60",
         "cluster.workerReconnectTimeoutSeconds", "one-group shorthand"),
    ])
    func refused(cluster: String, field: String, problem: String) {
        do {
            _ = try ModelDefinition.parse(Self.file(cluster))
            Issue.record("accepted \(cluster)")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
            #expect(!error.fix.isEmpty)
        }
    }

    @Test("one default group encodes as before groups existed; named groups round-trip")
    func encoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plain = String(decoding: try encoder.encode(EmbeddedModels.kuberaySample.spec),
                           as: UTF8.self)
        #expect(plain.contains("\"workers\":1") && !plain.contains("workerGroups"))
        let spec = Self.twoGroups(gpuTimeout: 45).spec
        let data = try encoder.encode(spec)
        #expect(String(decoding: data, as: UTF8.self).contains("\"workerGroups\""))
        #expect(try JSONDecoder().decode(ClusterSpec.self, from: data) == spec)
    }
}
