import Foundation
import RayClusterModel
import SimulationKernel

/// Renders reviews: a report a person reads in a minute, one JSON object, or SARIF 2.1.0.
enum ReviewFormat {
    /// One row of the effective-settings table.
    struct Setting {
        let name: String
        let value: String
        /// `user`, `kuberay-default` or `ray-default`.
        let source: String
        let line: Int?
    }

    static func settings(_ review: ManifestReview) -> [Setting] {
        let c = review.definition.cluster
        let m = review.cluster
        func from(_ key: String, _ fallback: String) -> (String, Int?) {
            m.line(of: key).map { ("user", $0) } ?? (fallback, nil)
        }
        var rows: [Setting] = []
        let ft = from(ManifestSetting.ftEnabled, "kuberay-default")
        rows.append(Setting(name: "GCS fault tolerance", value: c.ftEnabled ? "on" : "off",
                            source: ft.0, line: ft.1))
        let storage = from(ManifestSetting.gcsStorage, "kuberay-default")
        rows.append(Setting(name: "GCS storage", value: c.gcsStorage.rawValue, source: storage.0,
                            line: storage.1))
        if c.gcsStorage == .redis {
            let ns = from(ManifestSetting.storageNamespace,
                          c.ftEnabled ? "kuberay-default" : "ray-default")
            rows.append(Setting(name: "storage namespace", value: c.storageNamespace,
                                source: ns.0, line: ns.1))
        }
        let head = from(ManifestSetting.headTimeout, "ray-default")
        rows.append(Setting(name: "head RAY_gcs_rpc_server_reconnect_timeout_s",
                            value: "\(c.headReconnectTimeout.milliseconds / 1000)s",
                            source: head.0, line: head.1))
        let scaling = from(ManifestSetting.autoscaling, "kuberay-default")
        rows.append(Setting(name: "autoscaling (enableInTreeAutoscaling)",
                            value: m.autoscaling ? "on" : "off", source: scaling.0,
                            line: scaling.1))
        for g in c.workerGroups { rows += groupRows(g, review) }
        rows += probeRows("head", c.headProbes, group: nil, m)
        let policy = from(ManifestSetting.headRestartPolicy, "kuberay-default")
        rows.append(Setting(name: "head restartPolicy", value: c.headRestartPolicy.rawValue,
                            source: forced(c) ? "kuberay-default" : policy.0, line: policy.1))
        return rows
    }

    /// Autoscaler v2 on KubeRay 1.4+ decided every pod's restartPolicy (Never).
    static func forced(_ c: EffectiveCluster) -> Bool {
        c.notes.contains { $0.field == "restartPolicy" }
    }

    /// One worker group's rows: its timeout, replicas (and their range when set or when the
    /// autoscaler may use it), restartPolicy and probes, each with its manifest line.
    static func groupRows(_ g: EffectiveWorkerGroup, _ review: ManifestReview) -> [Setting] {
        let m = review.cluster
        let name = "worker group \(g.name)"
        let counts = m.replicas.first { $0.group == g.name } ?? ManifestReplicas(group: g.name)
        let line = { (key: String) in m.line(of: ManifestSetting.groupReplicas(g.name, key)) }
        var rows = [Setting(
            name: "\(name) RAY_gcs_rpc_server_reconnect_timeout_s",
            value: "\(g.reconnectTimeout.milliseconds / 1000)s",
            source: g.reconnectTimeoutSource.rawValue,
            line: m.line(of: ManifestSetting.groupTimeout(g.name)))]
        let set = counts.replicas != nil || counts.minReplicas != nil || counts.maxReplicas != nil
        rows.append(Setting(
            name: "\(name) replicas", value: "\(counts.desired)",
            source: set ? "user" : "kuberay-default",
            line: line("replicas") ?? line("minReplicas") ?? line("maxReplicas")
                ?? m.line(of: ManifestSetting.group(g.name))))
        for (key, value, fallback) in [
            ("minReplicas", counts.minReplicas, 0),
            ("maxReplicas", counts.maxReplicas, ManifestReplicas.maxReplicasDefault),
        ] where value != nil || m.autoscaling {
            rows.append(Setting(name: "\(name) \(key)", value: "\(value ?? fallback)",
                                source: value == nil ? "kuberay-default" : "user",
                                line: line(key)))
        }
        let policyLine = m.line(of: ManifestSetting.groupRestartPolicy(g.name))
        let c = review.definition.cluster
        rows.append(Setting(
            name: "\(name) restartPolicy", value: g.restartPolicy.rawValue,
            source: policyLine == nil || forced(c) ? "kuberay-default" : "user",
            line: policyLine))
        return rows + probeRows(name, g.probes, group: g.name, m)
    }

    /// The readiness and liveness rows of the head (`group` nil) or of a worker group.
    static func probeRows(_ pod: String, _ probes: PodProbes, group: String?,
                          _ m: ManifestCluster) -> [Setting] {
        [("readinessProbe", probes.readiness), ("livenessProbe", probes.liveness)].map {
            kind, probe in
            let set = m.line(of: ManifestSetting.probe(kind, group: group))
            return Setting(name: "\(pod) \(kind)", value: probe?.summary ?? "none",
                           source: set == nil ? "kuberay-default" : "user", line: set)
        }
    }

    static func assumptionLines(_ review: ManifestReview) -> [(String, String)] {
        let a = review.assumptions
        var lines: [(String, String)] = [
            ("kuberayVersion", a.kuberayVersion.description),
            ("redisPersistence", a.redisPersistence.rawValue
                + (a.redisEvidence.map { " (inferred: \($0))" } ?? "")),
            ("headPodStartup", "\(a.timing.headPodStartup)"),
            ("workerPodStartup", "\(a.timing.workerPodStartup)"),
            ("containerRestartStartup", "\(a.timing.containerRestartStartup)"),
            ("gcsTableLoad", "\(a.timing.gcsTableLoad)"),
            ("time", a.time.rawValue),
        ]
        for note in review.notes { lines.append(("replicas", note)) }
        return lines
    }

    static func text(_ reviewed: [ReviewCommand.Reviewed], _ scan: ManifestScan, _ path: String)
        -> String
    {
        var out: [String] = []
        let names = reviewed.map { "\($0.review.cluster.kind.rawValue) \($0.review.cluster.name)" }
        out.append("review of \(InputText.path(path)): \(names.joined(separator: ", "))"
                   + ReviewCommand.skippedText(scan))
        for r in reviewed {
            let c = r.review.cluster
            out.append("")
            out.append("\(c.kind.rawValue) \(c.name) (line \(c.line))"
                       + (c.rayVersion.map { ", rayVersion \($0)" } ?? ""))
            out.append("settings in force:")
            let rows = settings(r.review)
            let width = rows.map(\.name.count).max() ?? 0
            for s in rows {
                let pad = String(repeating: " ", count: width - s.name.count)
                let line = s.line.map { ", line \($0)" } ?? ""
                out.append("  \(s.name)\(pad)  \(s.value)  (\(s.source)\(line))")
            }
            var line = r.review.definition.faultLine
            if r.review.assumptions.time == .zones, let grid = line.range(of: "; grid ") {
                line = line[..<grid.lowerBound] + "; every real-valued timing (zones)"
            }
            if let check = r.result.check {
                out.append("rules (\(line)):")
                for p in check.report.properties {
                    let trace = r.traces[p.id].map { "; evidence: \($0) (simulate replay it)" }
                        ?? ""
                    out.append("  \(p.id): \(p.verdict.jsonValue)\(trace)")
                }
            } else {
                out.append("rules: not checked: KubeRay rejects this \(c.kind.rawValue), so it "
                           + "never runs (see the kuberay-rejects findings)")
            }
            if r.result.findings.isEmpty { out.append("findings: none") } else {
                out.append("findings:")
                for f in r.result.findings {
                    let line = f.line.map { " (line \($0))" } ?? ""
                    out.append("  \(f.severity.rawValue): \(f.message)\(line). Fix: "
                               + f.recommendation)
                }
            }
            out.append("assumptions: " + assumptionLines(r.review).map { "\($0.0)=\($0.1)" }
                .joined(separator: ", "))
            let verdict = r.result.verdict
            out.append("verdict: \(verdict.word)" + verdictNote(verdict, traces: r.traces))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// What the verdict line adds: where the evidence is, or that nothing is proven.
    static func verdictNote(_ verdict: ReviewVerdict, traces: [String: String]) -> String {
        switch verdict {
        case .checked(.violated) where traces.isEmpty: " (write the evidence with --trace-out DIR)"
        case .checked(.unknown), .checked(.incomplete):
            " (nothing is proven: see the warning findings for what to do)"
        case .rejected: " (KubeRay does not run it: fix the kuberay-rejects findings)"
        default: ""
        }
    }

    static func json(_ reviewed: [ReviewCommand.Reviewed], _ scan: ManifestScan) -> String {
        var firstFields: [(String, String)] = []
        let clusters = reviewed.map { r -> String in
            let c = r.review.definition.cluster
            let groups = c.workerGroups.map { g in
                let counts = r.review.cluster.replicas.first { $0.group == g.name }
                    ?? ManifestReplicas(group: g.name)
                return JSONText.object([
                    ("name", JSONText.quote(g.name)),
                    ("replicas", String(counts.desired)),
                    ("minReplicas", String(counts.minReplicas ?? 0)),
                    ("maxReplicas",
                     String(counts.maxReplicas ?? ManifestReplicas.maxReplicasDefault)),
                    ("replicasReviewed", String(g.replicas)),
                    ("reconnectTimeoutSeconds", String(g.reconnectTimeout.milliseconds / 1000)),
                    ("source", JSONText.quote(g.reconnectTimeoutSource.rawValue)),
                    ("restartPolicy", JSONText.quote(g.restartPolicy.rawValue)),
                    ("readinessProbe", g.probes.readiness.map { JSONText.quote($0.summary) }
                        ?? "null"),
                    ("livenessProbe", g.probes.liveness.map { JSONText.quote($0.summary) }
                        ?? "null"),
                ])
            }
            let settings = settings(r.review).map { row in
                JSONText.object([
                    ("name", JSONText.quote(row.name)), ("value", JSONText.quote(row.value)),
                    ("source", JSONText.quote(row.source)),
                    ("line", row.line.map(String.init) ?? "null"),
                ])
            }
            let effective = JSONText.object([
                ("ftEnabled", c.ftEnabled ? "true" : "false"),
                ("gcsStorage", JSONText.quote(c.gcsStorage.rawValue)),
                ("storageNamespace", c.gcsStorage == .redis ? JSONText.quote(c.storageNamespace)
                    : "null"),
                ("headReconnectTimeoutSeconds", String(c.headReconnectTimeout.milliseconds / 1000)),
                ("workerGroups", "[" + groups.joined(separator: ",") + "]"),
                ("headRestartPolicy", JSONText.quote(c.headRestartPolicy.rawValue)),
                ("autoscaling", r.review.cluster.autoscaling ? "true" : "false"),
            ])
            let properties = (r.result.check?.report.properties ?? []).map { p in
                var fields = [("id", JSONText.quote(p.id)),
                              ("verdict", JSONText.quote(p.verdict.jsonValue)),
                              ("trace", r.traces[p.id].map(JSONText.quote) ?? "null")]
                // As in `check --json`: why an unknown one could not be made concrete.
                if let reason = p.unknownReason {
                    fields.append(("reason", JSONText.quote(reason)))
                }
                return JSONText.object(fields)
            }
            let findings = r.result.findings.map { f in
                JSONText.object([
                    ("rule", JSONText.quote(f.rule)),
                    ("severity", JSONText.quote(f.severity.rawValue)),
                    ("message", JSONText.quote(f.message)),
                    ("recommendation", JSONText.quote(f.recommendation)),
                    ("line", f.line.map(String.init) ?? "null"),
                ])
            }
            let assumptions = JSONText.object(assumptionLines(r.review).enumerated().map { i, a in
                (a.0 == "replicas" ? "replicas\(i)" : a.0, JSONText.quote(a.1))
            })
            let fields: [(String, String)] = [
                ("kind", JSONText.quote(r.review.cluster.kind.rawValue)),
                ("name", JSONText.quote(r.review.cluster.name)),
                ("line", String(r.review.cluster.line)),
                ("verdict", JSONText.quote(r.result.verdict.jsonValue)),
                ("effective", effective),
                ("settings", "[" + settings.joined(separator: ",") + "]"),
                ("properties", "[" + properties.joined(separator: ",") + "]"),
                ("findings", "[" + findings.joined(separator: ",") + "]"),
                ("assumptions", assumptions),
            ]
            if firstFields.isEmpty { firstFields = fields }
            return JSONText.object(fields)
        }
        let overall = ReviewVerdict.combined(reviewed.map(\.result.verdict)).jsonValue
        let skipped = scan.skipped.map { s in
            JSONText.object([("kind", JSONText.quote(s.kind)), ("name", JSONText.quote(s.name)),
                             ("line", String(s.line))])
        }
        // The first cluster's fields at the top (effective, properties, findings, assumptions),
        // so a one-cluster manifest reads flat; `clusters` has every cluster's.
        var fields: [(String, String)] = [
            ("schemaVersion", "1"), ("verdict", JSONText.quote(overall)),
        ]
        fields += firstFields.filter { $0.0 != "verdict" }
        fields.append(("clusters", "[" + clusters.joined(separator: ",") + "]"))
        fields.append(("skipped", "[" + skipped.joined(separator: ",") + "]"))
        return JSONText.object(fields)
    }

    /// A SARIF rule's short description: the property's summary, or what the rule id means.
    static func ruleSummary(_ id: String) -> String {
        if let p = ClusterProperties.all.first(where: { $0.id == id }) { return p.summary }
        switch id {
        case KubeRayValidation.findingRule:
            return "KubeRay's own validation rejects the manifest, so the cluster never runs"
        case "check-incomplete": return "the check stopped before it explored every state"
        default: return id
        }
    }

    /// SARIF 2.1.0: one result per finding at its manifest line.
    static func sarif(_ reviewed: [ReviewCommand.Reviewed], _ path: String) -> String {
        var ruleIDs: [String] = []
        var results: [String] = []
        let uri = path == "-" ? "stdin" : path
        for r in reviewed {
            for f in r.result.findings {
                if !ruleIDs.contains(f.rule) { ruleIDs.append(f.rule) }
                let level = switch f.severity { case .error: "error"; case .warning: "warning"
                                                case .info: "note" }
                let start = f.line ?? r.review.cluster.line
                let region = JSONText.object([("startLine", String(start))])
                let location = JSONText.object([("physicalLocation", JSONText.object([
                    ("artifactLocation", JSONText.object([("uri", JSONText.quote(uri))])),
                    ("region", region),
                ]))])
                results.append(JSONText.object([
                    ("ruleId", JSONText.quote(f.rule)), ("level", JSONText.quote(level)),
                    ("message", JSONText.object([("text", JSONText.quote(
                        "\(r.review.cluster.name): \(f.message). Fix: \(f.recommendation)"))])),
                    ("locations", "[" + location + "]"),
                ]))
            }
        }
        let rules = ruleIDs.map { id in
            JSONText.object([("id", JSONText.quote(id)), ("shortDescription", JSONText.object([
                ("text", JSONText.quote(ruleSummary(id))),
            ]))])
        }
        let driver = JSONText.object([
            ("name", JSONText.quote("simulate review")),
            ("informationUri", JSONText.quote("https://github.com/ray-project/kuberay")),
            ("rules", "[" + rules.joined(separator: ",") + "]"),
        ])
        let run = JSONText.object([("tool", JSONText.object([("driver", driver)])),
                                   ("results", "[" + results.joined(separator: ",") + "]")])
        return JSONText.object([
            ("$schema", JSONText.quote("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", JSONText.quote("2.1.0")), ("runs", "[" + run + "]"),
        ])
    }
}
