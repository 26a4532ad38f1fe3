import SimulationKernel

/// The least worker `RAY_gcs_rpc_server_reconnect_timeout_s` that makes
/// `workers-survive-head-restart` hold, found by the checker, per worker group.
public struct LeastSafeTimeout: Sendable, Hashable {
    public let group: String
    /// The group's timeout in the model.
    public let currentSeconds: Int
    /// The least value that holds (one second less does not; both were checked), or nil when
    /// not even 86,400 s holds.
    public let seconds: Int?
    /// The verdict one second below ``seconds``: `violated` (a concrete counterexample), or, with
    /// zones, `unknown` when its symbolic violation could not be made concrete.
    public let belowVerdict: CheckReport.Verdict?
}

extension ClusterCheck {
    /// For each worker group, the least reconnect timeout under which `workers-survive-head-
    /// restart` holds, with the check's own bounds and engine: the group's value is raised while
    /// every other group gets the largest one (so only this group's workers can give up),
    /// doubling and then bisecting, each candidate a whole check of that property alone (so a
    /// shallower violation of another property cannot leave it undecided). Only groups for which
    /// the property is violated at their current value are listed.
    public func leastSafeWorkerTimeouts() -> [LeastSafeTimeout] {
        let limit = InputLimits.reconnectTimeoutSeconds.upperBound
        var options = self.options
        options.stopAtFirstViolation = true
        let survive = ClusterProperties.workersSurvive.id
        return definition.cluster.workerGroups.compactMap { group in
            let current = Int(group.reconnectTimeout.milliseconds / 1000)
            var verdicts: [Int: CheckReport.Verdict] = [:]
            func holds(_ seconds: Int) -> Bool {
                var d = definition
                // Only this property: another one's earlier violation cannot stop its search.
                d.checkedProperties = [survive]
                for g in d.spec.workerGroups.indices {
                    let mine = d.spec.workerGroups[g].name == group.name
                    d.spec.workerGroups[g].reconnectTimeoutSeconds = mine ? seconds : limit
                }
                let check = ClusterCheck(d, granularity: d.timing.granularity,
                                         symmetry: symmetry, options: options, time: time)
                let verdict = check.run().report.property(survive)?.verdict
                verdicts[seconds] = verdict
                return verdict == .holds
            }
            switch ManifestReview.leastHolding(from: current, limit: limit, holds) {
            case .alreadyHolds: return nil
            case .leastSafe(let s):
                return LeastSafeTimeout(group: group.name, currentSeconds: current, seconds: s,
                                        belowVerdict: verdicts[s - 1])
            case .noneUpToLimit:
                return LeastSafeTimeout(group: group.name, currentSeconds: current, seconds: nil,
                                        belowVerdict: nil)
            }
        }
    }
}
