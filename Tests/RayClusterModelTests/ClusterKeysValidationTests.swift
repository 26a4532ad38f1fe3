import Testing
import Foundation
@testable import RayClusterModel

/// The cluster keys of the Kubernetes-side issue: read from model files, refused with the field named.
@Suite("Model files: KubeRay version, GCS storage, worker restart policy, autoscaler v2")
struct ClusterKeysValidationTests {
    static func load(_ cluster: String) throws(InputError) -> ModelDefinition {
        try ModelDefinition.parse(Data(#"{"name": "x", "cluster": {\#(cluster)}}"#.utf8))
    }

    @Test("each key is read into the spec")
    func read() throws {
        let d = try Self.load(#""kuberayVersion": "v1.1.3", "gcsStorage": "memory", "workerRestartPolicy": "Never", "autoscalerV2": true"#)
        #expect(d.spec.kuberayVersion == KubeRayVersion(1, 1, 3))
        #expect(d.spec.gcsStorage == .memory && d.spec.workerRestartPolicy == .never && d.spec.autoscalerV2)
        #expect(try Self.load("").spec.kuberayVersion == .newest)
    }

    @Test("a bad value names its field", arguments: [
        (#""kuberayVersion": "2.0.0""#, "cluster.kuberayVersion"),
        (#""kuberayVersion": "1.x""#, "cluster.kuberayVersion"),
        (#""gcsStorage": "rocksdb""#, "cluster.gcsStorage"),
        (#""workerRestartPolicy": "OnFailure""#, "cluster.workerRestartPolicy"),
        (#""autoscalerV2": "yes""#, "cluster.autoscalerV2"),
        (#""ftEnabled": false, "gcsStorage": "redis""#, "cluster.gcsStorage"),
    ])
    func refused(cluster: String, field: String) {
        #expect(throws: InputError.self) { try Self.load(cluster) }
        do {
            _ = try Self.load(cluster)
        } catch {
            #expect(error.field == field)
        }
    }

    @Test("Redis without FT is accepted before KubeRay 1.3, as KubeRay did")
    func redisWithoutFTBefore13() throws {
        let d = try Self.load(#""ftEnabled": false, "gcsStorage": "redis", "kuberayVersion": "1.2.0""#)
        #expect(d.cluster.gcsStorage == .redis && d.cluster.workerReconnectTimeout == .seconds(60))
    }
}
