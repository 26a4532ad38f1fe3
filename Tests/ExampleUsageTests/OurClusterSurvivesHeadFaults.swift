// An example of what a platform team writes in its own test suite (docs/library.md quotes it).
// Package.swift of your project:
//   .package(url: "<this repository>", branch: "main")
//   .testTarget(name: "ClusterTests", dependencies: [
//       .product(name: "RayClusterModel", package: "RayFaultToleranceLab"),
//       .product(name: "SimulationKernel", package: "RayFaultToleranceLab")])
import Testing
import RayClusterModel
import SimulationKernel

/// Our cluster: FT on, three workers, worker reconnect timeout set to 300 s in our manifest.
let ourCluster = ModelDefinition(
    name: "our-cluster",
    summary: "production RayCluster, FT on, 3 workers",
    spec: ClusterSpec(ftEnabled: true, workers: 3, workerReconnectTimeoutSeconds: 300))

@Test("for seeds 0..<500, our cluster's workers survive one head fault", arguments: 0..<500 as Range<UInt64>)
func workersSurviveOneHeadFault(seed: UInt64) {
    let run = Simulator(model: ClusterModel(ourCluster)).run(seed: seed)
    #expect(run.verdict("workers-survive-head-restart")?.held == true, "reproduce: simulate --seed \(seed)")
}

@Test("a worker timeout below the head's is caught: some seed loses a worker")
func aTooShortWorkerTimeoutIsCaught() {
    var risky = ourCluster
    risky.spec.workerReconnectTimeoutSeconds = 45
    let simulator = Simulator(model: ClusterModel(risky))
    let lost = (0..<200 as Range<UInt64>).first { !simulator.runQuietly(seed: $0).verdict("workers-survive-head-restart")!.held }
    #expect(lost != nil)
}

@Test("no schedule of one head fault, at any real time, kills a worker of our cluster")
func exhaustivelyNoHeadFaultKillsAWorker() {
    // Zones: every real-valued timing at once (what `simulate check` does by default).
    let result = ClusterCheck(ourCluster, time: .zones).run()
    #expect(result.holds, "\(result.explanation)")
}

@Test("the checker explains a broken cluster with its shortest counterexample")
func brokenClusterIsExplained() {
    var broken = ourCluster
    broken.spec.workerReconnectTimeoutSeconds = 30
    let result = ClusterCheck(broken, time: .zones).run()
    #expect(!result.holds)
    #expect(result.explanation.contains("GCS unavailable for more than 30 seconds"))
}
