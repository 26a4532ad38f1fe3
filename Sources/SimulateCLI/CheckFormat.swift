import Foundation
import RayClusterModel
import SimulationKernel

/// Renders a check report: a proof statement or a counterexample for people, one JSON object for machines.
enum CheckFormat {
    static func bounds(_ s: CheckCommand.Settings) -> String {
        let m = s.model
        let kinds = m.faults.kinds.map(\.rawValue).joined(separator: ", ")
        if s.time == .zones {
            return "up to \(m.faults.maxFaults) fault(s) of [\(kinds)] at any real time within "
                + "\(m.faults.horizon), every real duration of every range (zones), every order "
                + "of simultaneous events"
        }
        return "up to \(m.faults.maxFaults) fault(s) of [\(kinds)] at any time on a \(m.timing.granularity) grid within \(m.faults.horizon), "
            + "every duration of every range on the same grid, every order of simultaneous events"
    }

    /// Workers a script step names: symmetry never moves them (docs/checking.md, "Symmetry").
    static func pinnedWorkers(_ s: CheckCommand.Settings) -> [Int] {
        s.symmetry ? ClusterModel(s.model).pinnedWorkers : []
    }

    /// `on`, `off`, or `on, except worker-1 (named by the script)`.
    static func symmetryText(_ s: CheckCommand.Settings) -> String {
        guard s.symmetry else { return "off" }
        let pinned = pinnedWorkers(s)
        guard !pinned.isEmpty else { return "on" }
        let names = pinned.map { "worker-\($0)" }.joined(separator: ", ")
        return "on, except \(names) (named by the script, so told apart from the others)"
    }

    /// `workers-survive-head-restart holds when worker ... >= 86 (now 60; 85 s violates it)`.
    static func fixLine(_ f: LeastSafeTimeout, _ s: CheckCommand.Settings) -> String {
        let who = s.model.spec.isOneDefaultGroup ? "worker" : "worker group \(f.group)'s"
        let key = "RAY_gcs_rpc_server_reconnect_timeout_s"
        guard let seconds = f.seconds else {
            return "\(ClusterProperties.workersSurvive.id) does not hold for any \(who) \(key) up "
                + "to 86400 (now \(f.currentSeconds)): the timeout is not what breaks it"
        }
        let below = f.belowVerdict == .violated
            ? "violates it" : "is \(f.belowVerdict?.jsonValue ?? "not decided")"
        return "\(ClusterProperties.workersSurvive.id) holds when \(who) \(key) >= \(seconds) "
            + "(now \(f.currentSeconds); \(seconds - 1) \(below); both checked)"
    }

    static func human(
        _ result: ClusterCheckResult, _ s: CheckCommand.Settings, _ traces: [String: String],
        _ expectations: [ExpectationResult] = [], fixes: [LeastSafeTimeout] = []
    ) -> String {
        let r = result.report
        var out = CommandOutcome()
        for line in s.model.headerLines where !line.hasPrefix("faults:") { out.line(line) }
        out.line("bounds: " + bounds(s))
        if let ids = s.model.checkedProperties {
            out.line("properties: only " + ids.joined(separator: ", ") + " (--property)")
        }
        if s.time == .zones {
            out.line("time: zones (symbolic states; counterexamples concrete on a 1 ms grid); "
                     + "symmetry over workers: off in zones; threads: 1")
        } else {
            out.line("symmetry over workers: \(symmetryText(s)); visited states: \(r.visited.rawValue); threads: \(r.threads)")
        }
        out.line()
        for p in r.properties {
            switch p.verdict {
            case .holds: out.line("property \(p.id): holds")
            case .unknown:
                out.line("property \(p.id): UNKNOWN: violated by a symbolic path that could not "
                         + "be made concrete (\(p.unknownReason ?? "no reason given"))")
            case .incomplete: out.line("property \(p.id): not decided (search stopped: \(r.stopReason.rawValue))")
            case .violated:
                let cx = p.counterexample!
                let unwritten = s.traces == .none ? "not written (to keep it: --trace-out DIR)" : "not written (every expectation met)"
                let where_ = traces[p.id].map { "written to \($0)" } ?? unwritten
                out.line("property \(p.id): VIOLATED; shortest counterexample: \(cx.depth) steps, \(where_)")
            }
        }
        if let line = sometimesLine(r) { out.line(line) }
        for f in fixes { out.line(fixLine(f, s)) }
        for e in expectations { out.line(ExpectationResult.line(e)) }
        // Figures over the states explored: partial when the search stopped early (a limit, or
        // --stop-at-first), which the verdict alone does not tell.
        let partial = r.stopReason == .exhausted
            ? "" : ", in the states explored before the search stopped"
        if let worst = result.worstCaseRecovery {
            out.line("worst-case recovery after the last fault: \(worst.secondsText) (bound \(s.model.recoveryBound))\(partial)")
        }
        let groups = result.groupDeadlineMargins
        for g in groups {
            guard let margin = g.margin else { continue }
            let who = s.model.spec.isOneDefaultGroup ? "a worker" : "a worker of group \(g.group)"
            let timeout = g.reconnectTimeout.milliseconds / 1000
            out.line("least time \(who) had left on its \(timeout) s "
                     + "reconnect deadline when it reconnected: \(margin.secondsText)\(partial)")
        }
        out.line()
        out.line(statistics(r))
        out.line()
        switch r.verdict {
        case .holds:
            let states = s.time == .zones ? "symbolic states" : "distinct states"
            out.line("\(r.verdict.word): every property held in all \(r.distinctStates) "
                     + "\(states) reachable with \(bounds(s)).")
            if !r.unreached.isEmpty {
                out.line("WARNING: vacuous in part: no reachable world is an example of "
                         + r.unreached.map(\.id).joined(separator: ", ")
                         + "; what holds, holds without it (see docs/checking.md, \"Sometimes\").")
            }
        case .unknown:
            out.line("\(r.verdict.word): no concrete counterexample, and no proof: a symbolic "
                     + "violation could not be replayed concretely (try --time grid; "
                     + "docs/checking.md).")
        case .incomplete:
            let advice = r.stopReason == .interrupted ? "It was stopped with Ctrl-C." : "Raise the limit or coarsen --granularity."
            out.line("\(r.verdict.word): the search stopped (\(r.stopReason.rawValue)) before "
                     + "exploring every state; nothing is proven. \(advice)")
        case .violated:
            // The first violated property in the model's order: its timeline, and its own trace.
            let shown = result.counterexamples.first
            let replay = shown.flatMap { traces[$0.property] }
                .map { "replay it with `simulate replay \($0)`" }
                ?? "write it with --trace-out DIR to replay it with `simulate replay`"
            out.line("\(r.verdict.word). Shortest counterexample (\(replay)):")
            // The run the check replayed in memory: no file is read back.
            if let shown { out.stdout += ReplayCommand.timeline(shown, model: s.model) }
        }
        return TerminalText.escaped(out.stdout)
    }

    /// The "sometimes" properties in one line: all reached, or which were not (nil if none).
    static func sometimesLine(_ r: CheckReport) -> String? {
        guard !r.sometimes.isEmpty else { return nil }
        let unreached = r.sometimes.filter { $0.verdict == .unreached }.map(\.id)
        let unknown = r.sometimes.filter { $0.verdict == .incomplete }.map(\.id)
        let reached = r.sometimes.count - unreached.count - unknown.count
        var text = "sometimes: \(reached) of \(r.sometimes.count) reached "
            + "(each fault kind injected, recovery reached)"
        if !unreached.isEmpty { text += "; NEVER REACHED: " + unreached.joined(separator: ", ") }
        if !unknown.isEmpty { text += "; not decided: " + unknown.joined(separator: ", ") }
        return text
    }

    /// The "sometimes" results for `--json`.
    static func sometimesJSON(_ r: CheckReport) -> String {
        "[" + r.sometimes.map { p in
            JSONText.object([
                ("id", JSONText.quote(p.id)), ("verdict", JSONText.quote(p.verdict.rawValue)),
                ("exampleDepth", p.example.map { String($0.depth) } ?? "null"),
            ])
        }.joined(separator: ",") + "]"
    }

    /// The figures of a check. The memory is the process's peak resident set (what the machine
    /// gave); the checker's count of its own structures is secondary, since it misses the states'
    /// heap storage.
    static func statistics(_ r: CheckReport) -> String {
        let resident = r.processPeakResidentBytes.map(megabytes) ?? "unavailable"
        return String(format: "%d distinct states, %d transitions, max depth %d, %.2f s, %.0f states/s; ",
                      r.distinctStates, r.transitions, r.maxDepth, r.seconds, r.statesPerSecond)
            + "peak memory (resident) \(resident) (the checker's own structures: \(megabytes(r.peakMemoryBytes))); "
            + String(format: "fingerprint collision probability ≈ %.1e", r.collisionProbability)
    }

    /// A duration as JSON milliseconds, `null` when absent.
    static func milliseconds(_ d: SimDuration?) -> String {
        d.map { String($0.milliseconds) } ?? "null"
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }

    static func json(
        _ result: ClusterCheckResult, _ s: CheckCommand.Settings, _ traces: [String: String],
        _ expectations: [ExpectationResult] = [], fixes: [LeastSafeTimeout] = []
    ) -> String {
        let r = result.report
        let m = s.model
        let bounds = JSONText.object([
            ("faults", "[" + m.faults.kinds.map { JSONText.quote($0.rawValue) }.joined(separator: ",") + "]"),
            ("maxFaults", String(m.faults.maxFaults)),
            ("granularityMs",
             s.time == .zones ? "null" : String(m.timing.granularity.milliseconds)),
            ("horizonMs", String(m.faults.horizon.milliseconds)),
        ])
        let properties = r.properties.map { p in
            var fields = [("id", JSONText.quote(p.id)),
                          ("verdict", JSONText.quote(p.verdict.jsonValue)),
                          ("trace", traces[p.id].map(JSONText.quote) ?? "null")]
            if let reason = p.unknownReason { fields.append(("reason", JSONText.quote(reason))) }
            return JSONText.object(fields)
        }
        var extra: [(String, String)] = [
            ("model", JSONText.quote(m.name)),
            ("time", JSONText.quote(s.time.rawValue)),
            ("symbolicStates", s.time == .zones ? String(r.distinctStates) : "null"),
            ("cluster", JSONText.object(m.clusterJSONFields)),
            ("bounds", bounds),
            ("symmetry", s.symmetry ? "true" : "false"),
            ("pinnedWorkers", "[" + pinnedWorkers(s).map(String.init).joined(separator: ",") + "]"),
            ("worstCaseRecoveryMs", milliseconds(result.worstCaseRecovery)),
            ("workerDeadlineMarginMs", milliseconds(result.workerDeadlineMargin)),
        ]
        if !m.spec.isOneDefaultGroup {
            let groups = result.groupDeadlineMargins.map { g in
                JSONText.object([("group", JSONText.quote(g.group)),
                                 ("workerDeadlineMarginMs", milliseconds(g.margin))])
            }
            extra.append(("groupDeadlineMargins", "[" + groups.joined(separator: ",") + "]"))
        }
        if s.time == .zones {
            extra.append(("leastSafeWorkerTimeouts", "[" + fixes.map { f in
                JSONText.object([
                    ("group", JSONText.quote(f.group)),
                    ("currentSeconds", String(f.currentSeconds)),
                    ("seconds", f.seconds.map(String.init) ?? "null"),
                    ("belowVerdict", f.belowVerdict.map { JSONText.quote($0.jsonValue) } ?? "null"),
                ])
            }.joined(separator: ",") + "]"))
        }
        extra += [
            ("sometimes", sometimesJSON(r)),
            ("properties", "[" + properties.joined(separator: ",") + "]"),
        ]
        if !s.expectations.isEmpty { extra.append(("expectations", ExpectationResult.json(expectations))) }
        return reportObject(r, extra: extra) + "\n"
    }

    /// The fields every check-like command prints, plus `extra`.
    static func reportObject(_ r: CheckReport, extra: [(String, String)]) -> String {
        JSONText.object([
            ("schemaVersion", String(TimelineFormat.schemaVersion)),
            ("verdict", JSONText.quote(r.verdict.jsonValue)),
            ("stopReason", JSONText.quote(r.stopReason.rawValue)),
            ("distinctStates", String(r.distinctStates)),
            ("transitions", String(r.transitions)),
            ("maxDepth", String(r.maxDepth)),
            ("seconds", String(format: "%.3f", r.seconds)),
            ("statesPerSecond", String(Int(r.statesPerSecond))),
            ("peakResidentBytes", r.processPeakResidentBytes.map(String.init) ?? "null"),
            ("peakMemoryBytes", String(r.peakMemoryBytes)),
            ("collisionProbability", String(format: "%.3e", r.collisionProbability)),
            ("threads", String(r.threads)),
        ] + extra)
    }
}
