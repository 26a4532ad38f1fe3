import Foundation
import Testing
import SimulationKernel
@testable import RayClusterModel

@Suite("Model files: loading and validation")
struct ModelFileTests {
    @Test("the embedded default is byte for byte models/kuberay-sample.json")
    func embeddedMatchesFile() throws {
        let file = try String(contentsOfFile: ModelFiles.directory + "/kuberay-sample.json", encoding: .utf8)
        #expect(file == EmbeddedModels.kuberaySampleJSON)
    }

    @Test("every shipped model file loads", arguments: ["kuberay-sample.json", "apiserver-ha.json", "no-ft.json", "ft-equal-timeouts.json", "redis-no-persistence.json", "redis-persistent-volume.json"])
    func shippedModelsLoad(name: String) throws {
        let m = try ModelFiles.load(name)
        #expect(!m.summary.isEmpty && !m.source.isEmpty)
    }

    @Test("the sample's effective timeouts are KubeRay's: head 60 s, workers 600 s")
    func sampleTimeouts() {
        let c = EmbeddedModels.kuberaySample.cluster
        #expect(c.headReconnectTimeout == .seconds(60) && c.workerReconnectTimeout == .seconds(600) && c.ftEnabled)
    }

    static let badFiles: [(String, String, String)] = [
        (#"{"name": "x", "cluster": {"workerReconnectTimeoutSeconds": -5}}"#, "cluster.workerReconnectTimeoutSeconds", "negative"),
        (#"{"name": "x", "faults": {"kinds": ["gcs-kill"]}}"#, "faults.kinds", "unknown fault \"gcs-kill\""),
        (#"{"name": "x", "clustr": {}}"#, "clustr", "unknown field"),
        (#"{"name": "x", "cluster": {"workers": 0}}"#, "cluster.workers", "out of range"),
        (#"{"name": "x", "timing": {"headPodStartup": {"min": "30s", "max": "5s"}}}"#, "timing.headPodStartup", "greater than max"),
        (#"{"name": "x", "timing": {"granularity": "0s"}}"#, "timing.granularity", "must be positive"),
        (#"{"name": "x", "timing": {"gcsTableLoad": "fast"}}"#, "timing.gcsTableLoad", "not a duration"),
        (#"{"name": "x", "cluster": {"ftEnabled": "yes"}}"#, "cluster.ftEnabled", "true or false"),
        (#"{"name": "x", "cluster": {"headRestartPolicy": "OnFailure"}}"#, "cluster.headRestartPolicy", "unknown policy"),
        (#"{"name": "x", "cluster": {"actorMaxRestarts": 3}}"#, "cluster.actorMaxRestarts", "out of range"),
        (#"{"summary": "no name"}"#, "name", "missing"),
        (#"{"name": "x", "cluster": {"workers": 1}"#, "(file)", "not valid JSON"),
        ("apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: x\n", "(file)", "looks like YAML"),
        ("name: x\ncluster:\n  workers: 1\n", "(file)", "looks like YAML"),
        (#"[1, 2]"#, "(file)", "expected an object"),
    ]

    @Test("bad model files are rejected naming the field and the fix", arguments: badFiles)
    func rejects(text: String, field: String, problem: String) {
        do {
            _ = try ModelDefinition.parse(Data(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.field == field)
            #expect(error.problem.contains(problem), "\(error.problem)")
            #expect(!error.fix.isEmpty)
        }
    }

    @Test("a missing file is reported as such")
    func missingFile() {
        #expect(throws: InputError.self) { try ModelDefinition.load(path: "/nonexistent/model.json") }
    }
}
