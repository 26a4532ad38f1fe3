import SimulationKernel

/// Scripted steps (scenario files): the disruptions of `Rules/Disruptions.swift` at fixed times.
extension Transition {
    mutating func perform(_ step: ScriptStep) {
        let action = step.action
        let d = action.disruption
        guard hasTarget(d) else { return note(.stepSkipped(action)) }
        // The client's call reports its own outcome; every other step is on the timeline.
        if d != .actorCall { note(.stepPerformed(action)) }
        var namespace: String? = nil
        if case .gcsStart(let ns) = action { namespace = ns }
        apply(d, node: action.namedWorker ?? ClusterState.head, byStep: true, namespace: namespace)
    }
}
