// The same check from an XCTest suite, for teams that have not moved to Swift Testing.
import XCTest
import RayClusterModel
import SimulationKernel

final class OurClusterXCTestCase: XCTestCase {
    func testWorkersSurviveOneHeadFaultForManySeeds() {
        let simulator = Simulator(model: ClusterModel(ourCluster))
        for seed: UInt64 in 0..<300 {
            let run = simulator.runQuietly(seed: seed)
            XCTAssertTrue(run.allHeld, "seed \(seed) violated \(run.verdicts.filter { !$0.held }.map(\.id)); reproduce: simulate --seed \(seed)")
        }
    }

    func testWithoutFaultToleranceTheWorkersDie() {
        var noFT = ourCluster
        noFT.spec.ftEnabled = false
        noFT.spec.workerReconnectTimeoutSeconds = nil
        let run = Simulator(model: ClusterModel(noFT)).run(seed: 1)
        XCTAssertEqual(run.verdict("workers-survive-head-restart")?.held, false)
        XCTAssertTrue(run.timeline.contains { $0.event.name == "rayletExited" && $0.event.component.hasPrefix("worker") })
    }
}
