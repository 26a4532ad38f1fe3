// An example of a platform team's test over the manifest it deploys (docs/review.md quotes the
// two lines): the manifest is read as KubeRay reads it and checked against head faults.
import Foundation
import Testing
import RayClusterModel
import SimulationKernel

/// The manifest we deploy; in a real suite:
/// `Data(contentsOf: URL(fileURLWithPath: "k8s/ray.yaml"))`.
let ourManifest = Data("""
    apiVersion: ray.io/v1
    kind: RayCluster
    metadata:
      name: our-cluster
    spec:
      gcsFaultToleranceOptions:
        redisAddress: redis.redis.svc:6379
      headGroupSpec:
        template: {spec: {containers: [{name: ray-head}]}}
      workerGroupSpecs:
        - groupName: workers
          replicas: 3
          template: {spec: {containers: [{name: ray-worker}]}}
    """.utf8)

@Test("our manifest survives one head fault, as KubeRay will run it")
func ourManifestSurvivesHeadFaults() throws {
    var assumptions = ReviewAssumptions()
    assumptions.granularity = .seconds(10)  // a coarse grid keeps the suite fast
    let review = try ManifestReview(manifest: ourManifest, assumptions: assumptions)
    let result = review.run()
    #expect(result.holds, "\(result.explanation)")
    #expect(result.findings.filter { $0.severity == .error }.isEmpty)
}
