import SimulationKernel
@testable import RayClusterModel

/// Builds test models: the KubeRay sample with the given changes.
func makeModel(faults: [FaultKind], maxFaults: Int = 1, horizon: SimDuration = .zero,
               _ change: (inout ModelDefinition) -> Void = { _ in }) -> ClusterModel {
    var d = EmbeddedModels.kuberaySample
    d.faults = FaultBudget(kinds: faults, maxFaults: maxFaults, horizon: horizon)
    change(&d)
    return ClusterModel(d)
}

/// The run that takes alternative 0 at every choice after `script`: with horizon 0 the first
/// fault happens at time 0, every range gives its minimum and every phase is 0.
func earliestRun(_ model: ClusterModel, script: [Int] = [0]) -> RunResult<ClusterModel> {
    Simulator(model: model).replay(script)
}

extension RunResult where Model == ClusterModel {
    /// The first event named `name` (optionally on `component`).
    func first(_ name: String, on component: String? = nil) -> TimedEvent<ClusterEvent>? {
        timeline.first { $0.event.name == name && (component == nil || $0.event.component == component) }
    }

    func all(_ name: String, on component: String? = nil) -> [TimedEvent<ClusterEvent>] {
        timeline.filter { $0.event.name == name && (component == nil || $0.event.component == component) }
    }

    func held(_ property: Property<ClusterState>) -> Bool { verdict(property.id)!.held }

    /// The typed facts of the run, in order.
    var facts: [ClusterFact] { timeline.map(\.event.fact) }

    /// The first event whose fact is `fact`.
    func first(_ fact: ClusterFact) -> TimedEvent<ClusterEvent>? {
        timeline.first { $0.event.fact == fact }
    }

    /// The fault kinds injected, in order.
    var faultsInjected: [String] {
        timeline.compactMap { e in
            if case .faultInjected(let kind, _) = e.event.fact { kind.rawValue } else { nil }
        }
    }
}
