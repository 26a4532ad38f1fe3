// swift-tools-version:6.0
// A deterministic simulator and exhaustive checker of Ray GCS fault tolerance on KubeRay.
// Foundation only: no package dependencies, by the user's decision.
import PackageDescription

let package = Package(
    name: "RayFaultToleranceLab",
    products: [
        /// The generic kernel: virtual time, choices, the model protocol, the run loop, properties, traces.
        .library(name: "SimulationKernel", targets: ["SimulationKernel"]),
        /// The Ray-on-KubeRay model with GCS fault tolerance, built on the kernel.
        .library(name: "RayClusterModel", targets: ["RayClusterModel"]),
        .executable(name: "simulate", targets: ["simulate"]),
    ],
    targets: [
        .target(name: "SimulationKernel"),
        .target(name: "RayClusterModel", dependencies: ["SimulationKernel"]),
        .target(name: "TwoPhaseCommit", dependencies: ["SimulationKernel"]),
        .target(name: "SimulateCLI", dependencies: ["SimulationKernel", "RayClusterModel", "TwoPhaseCommit"]),
        .executableTarget(name: "simulate", dependencies: ["SimulateCLI"]),
        .testTarget(name: "SimulationKernelTests", dependencies: ["SimulationKernel", "TwoPhaseCommit"]),
        .testTarget(name: "RayClusterModelTests", dependencies: ["SimulationKernel", "RayClusterModel"]),
        .testTarget(name: "SimulateCLITests", dependencies: ["SimulateCLI", "RayClusterModel", "SimulationKernel", "simulate"]),
        .testTarget(name: "ExampleUsageTests", dependencies: ["SimulationKernel", "RayClusterModel"]),
    ],
    swiftLanguageModes: [.v6]
)
