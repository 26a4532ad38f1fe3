import RayClusterModel
import SimulationKernel

/// Renders a run for people (a timeline) and for machines (JSON Lines, docs/trace-format.md).
enum TimelineFormat {
    static let schemaVersion = 1

    static func human(_ r: RunResult<ClusterModel>, model: ModelDefinition, expectations: [ExpectationResult] = []) -> String {
        var out = CommandOutcome()
        out.line("seed \(r.seed.map(String.init) ?? "(replay)")")
        for line in model.headerLines { out.line(line) }
        out.line()
        out.line(pad("time", 10) + "  " + pad("component", 16) + "  event")
        out.line(pad("0.000s", 10, right: true) + "  " + pad("cluster", 16) + "  " + initialLine(model))
        for e in r.timeline {
            out.line(e.timelineLine)
        }
        out.line()
        for v in r.verdicts {
            if v.held {
                out.line("property \(v.id): held")
            } else {
                out.line("property \(v.id): VIOLATED at \(v.violatedAt!.secondsText) (step \(v.violatedAtStep!)): \(v.summary)")
            }
        }
        for e in expectations { out.line(ExpectationResult.line(e)) }
        let broken = r.verdicts.filter { !$0.held }.count
        let verdict = r.allHeld ? "all properties held" : broken == 1 ? "1 property violated" : "\(broken) properties violated"
        let met = expectations.isEmpty ? "" : expectations.allSatisfy(\.met) ? "; every expectation met" : "; some expectation NOT met"
        let cut = r.end == .stepLimit ? " (INCOMPLETE: the run hit --max-steps; nothing after it was seen)" : ""
        out.line("result: \(verdict)\(met)\(cut); \(r.steps) steps, ended \(r.end.rawValue) at \(r.endTime.secondsText)")
        out.line("digest \(hex16(r.digest))")
        return TerminalText.escaped(out.stdout)
    }

    static func initialLine(_ model: ModelDefinition) -> String {
        let c = model.cluster
        return "running: GCS serving, head and \(c.workers) worker raylet(s) connected, detached actor counter 1 on worker-1"
    }

    static func jsonLines(_ r: RunResult<ClusterModel>, model: ModelDefinition, expectations: [ExpectationResult] = []) -> String {
        var out = CommandOutcome()
        out.line(JSONText.object([
            ("type", JSONText.quote("run")),
            ("schemaVersion", String(schemaVersion)),
            ("seed", r.seed.map(String.init) ?? "null"),
            ("model", JSONText.quote(model.name)),
        ] + model.clusterJSONFields + [
            ("faults", "[" + model.faults.kinds.map { JSONText.quote($0.rawValue) }.joined(separator: ",") + "]"),
            ("maxFaults", String(model.faults.maxFaults)),
            ("horizonMs", String(model.faults.horizon.milliseconds)),
            ("granularityMs", String(model.timing.granularity.milliseconds)),
        ]))
        for line in r.timelineJSONLines { out.line(line) }
        for v in r.verdicts {
            out.line(JSONText.object([
                ("type", JSONText.quote("property")),
                ("id", JSONText.quote(v.id)),
                ("verdict", JSONText.quote(v.held ? "held" : "violated")),
                ("violatedAtMs", v.violatedAt.map { String($0.milliseconds) } ?? "null"),
                ("violatedAtStep", v.violatedAtStep.map(String.init) ?? "null"),
            ]))
        }
        for e in expectations {
            out.line(JSONText.object([("type", JSONText.quote("expectation")), ("property", JSONText.quote(e.property)),
                                      ("expected", JSONText.quote(e.expected)), ("actual", JSONText.quote(e.actual)),
                                      ("met", e.met ? "true" : "false")]))
        }
        out.line(JSONText.object([
            ("type", JSONText.quote("summary")),
            ("verdict", JSONText.quote(r.allHeld ? "held" : "violated")),
            ("steps", String(r.steps)),
            ("endMs", String(r.endTime.milliseconds)),
            ("end", JSONText.quote(r.end.rawValue)),
            ("digest", JSONText.quote(hex16(r.digest))),
        ]))
        return out.stdout
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }
}
