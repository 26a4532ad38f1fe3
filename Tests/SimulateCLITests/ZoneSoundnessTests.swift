import Foundation
import Testing
@testable import SimulateCLI

/// Issue "No false proof from zones": a KubeRay 1.1 head readiness probe's first tick lies in
/// [initialDelay, initialDelay + period); zones explored only up to period − 1 s and proved a
/// cluster the 100 ms grid and seeded runs violate.
@Suite("Zones: no false proof from the head's readiness phase")
struct ZoneSoundnessTests {
    static let model = """
        {"name": "readiness-v11-pinned",
         "cluster": {"ftEnabled": true, "kuberayVersion": "1.1", "workers": 1,
                     "workerReconnectTimeoutSeconds": 45},
         "timing": {"headPodStartup": "30s", "gcsTableLoad": "300ms"},
         "faults": {"kinds": ["head-pod-delete"], "maxFaults": 1, "horizon": "0s"}}
        """

    @Test("zones violate what the 500 ms grid violates, and the written trace replays")
    func readinessPhaseViolates() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("m.json").path
        try Self.model.write(toFile: file, atomically: true, encoding: .utf8)
        let grid = simulate("check", file, "--time", "grid", "--granularity", "500ms")
        #expect(grid.exitCode == 1, "\(grid.stdout)")
        let traces = dir.appendingPathComponent("traces").path
        try FileManager.default.createDirectory(atPath: traces, withIntermediateDirectories: true)
        let zones = simulate("check", file, "--trace-out", traces + "/")
        #expect(zones.exitCode == 1, "\(zones.stdout)")
        let written = try FileManager.default.contentsOfDirectory(atPath: traces)
        #expect(!written.isEmpty)
        for name in written {
            let replay = simulate("replay", traces + "/" + name)
            #expect(replay.exitCode == 1, "\(name): \(replay.stderr)")
        }
    }
}
