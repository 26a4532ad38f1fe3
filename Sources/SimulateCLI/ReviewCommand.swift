import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate review MANIFEST`: a user's RayCluster or RayService manifest, with KubeRay's
/// defaulting applied, checked, and each broken rule with its fix (docs/review.md).
enum ReviewCommand {
    /// The fault flags every model command shares (the model is the manifest: no `--model`),
    /// then the review's own.
    static let options: [Option] = ModelOptions.options.filter { $0.flag != "--model" } + [
        .valued("--assume", "LIST",
                "what the manifest cannot tell, KEY=VALUE,...: redisPersistence\n"
            + "(none|appendOnly), headPodStartup, workerPodStartup, containerRestartStartup,\n"
            + "gcsTableLoad (MIN..MAX, e.g. 5s..60s)"),
        .valued("--kuberay-version", "V",
                "the KubeRay release that reconciles it (default: the newest known)"),
        .valued("--time", "MODE", "zones (default: every real-valued timing, each check in "
                + "milliseconds)\nor grid (the default with --granularity); see `simulate check --help`"),
        .valued("--granularity", "D", "the check's grid (default 1s); coarser is faster, and the "
                + "fix is\nthe least safe value on that grid; --time grid only"),
        .valued("--format", "F", "text (default), json or sarif (SARIF 2.1.0, for code scanning)"),
        .toggle("--json", "the same as --format json"),
        .valued("--trace-out", "DIR",
                "write each counterexample there (replay it with `simulate replay`)"),
        .help,
    ]

    static let manifestHelp = "a YAML or JSON file (several `---` documents, a List, a RayService, "
        + "or a\nKubeRay API-server cluster body); - reads standard input"

    struct Reviewed {
        let review: ManifestReview
        let result: ReviewResult
        var traces: [String: String]
    }

    static func execute(_ arguments: [String], environment: CommandEnvironment = .none)
        -> CommandOutcome
    {
        let args: Arguments
        let path: String
        do throws(UsageError) {
            args = try Arguments(arguments, options: options)
            if args.has("--help") { return CommandOutcome(stdout: Help.review) }
            guard let given = try args.modelPath("MANIFEST") else {
                throw UsageError("give the manifest to review (a path, or - for standard input)")
            }
            path = given
        } catch { return .usage(error, command: "review") }
        do throws(InputError) {
            let format = try self.format(args)
            var assumptions = try self.assumptions(args)
            let faults = try self.faults(args)
            let data = try InputFile.read(path: path == "-" ? "/dev/stdin" : path, what: "manifest")
            let scan = try ManifestReader.scan(data, what: "manifest")
            guard !scan.clusters.isEmpty else {
                throw InputError(
                    field: "(file)",
                    problem: "no RayCluster or RayService in \(InputText.path(path))"
                        + skippedText(scan),
                    fix: "give a RayCluster, a RayService, a List holding one, or a KubeRay "
                        + "API-server cluster body")
            }
            if let redis = scan.redis, !assumed(args, "redisPersistence") {
                assumptions.redisPersistence = redis.persistence
                assumptions.redisEvidence = "\(redis.reason) (line \(redis.line))"
            }
            let reviews = try scan.clusters.map { c throws(InputError) in
                try ManifestReview(c, assumptions: assumptions, faults: faults)
            }
            let placement = TracePlacement(args.value("--trace-out"))
            try placement.prepare()
            var reviewed: [Reviewed] = []
            for review in reviews {
                let result = environment.longTask(quiet: format != .text) { review.run() }
                reviewed.append(Reviewed(review: review, result: result,
                                         traces: try writeTraces(result, review, placement)))
            }
            var out = CommandOutcome()
            out.exitCode = ReviewVerdict.combined(reviewed.map(\.result.verdict)).exitCode
            switch format {
            case .text: out.stdout = TerminalText.escaped(ReviewFormat.text(reviewed, scan, path))
            case .json: out.stdout = ReviewFormat.json(reviewed, scan) + "\n"
            case .sarif: out.stdout = ReviewFormat.sarif(reviewed, path) + "\n"
            }
            return out
        } catch {
            return .badInput(error)
        }
    }

    enum Format { case text, json, sarif }

    static func format(_ args: Arguments) throws(InputError) -> Format {
        switch (args.value("--format"), args.has("--json")) {
        case (nil, false), ("text"?, false): return .text
        case (nil, true), ("json"?, _): return .json
        case ("sarif"?, false): return .sarif
        case (let f?, _):
            throw .flag("--format", "\"\(f)\" is not a format" + (args.has("--json")
                ? " that goes with --json" : ""), "use text, json or sarif")
        }
    }

    static func faults(_ args: Arguments) throws(InputError) -> FaultBudget {
        var model = EmbeddedModels.kuberaySample
        model = try ModelOptions.overrides(args, model)
        return model.faults
    }

    static func assumptions(_ args: Arguments) throws(InputError) -> ReviewAssumptions {
        var a = ReviewAssumptions()
        a.granularity = try CheckCommand.granularity(args)
        a.time = try CheckCommand.timeEngine(args)
        if a.time == .zones, a.granularity != nil {
            throw .flag("--granularity", "the grid is not used with --time zones",
                        "drop --granularity, or use --time grid")
        }
        if let text = args.value("--kuberay-version") {
            guard let v = KubeRayVersion(parsing: text) else {
                throw .flag("--kuberay-version", "unknown KubeRay version \"\(text)\"",
                            "use one of \(KubeRayVersion.knownList), e.g. 1.1.0")
            }
            a.kuberayVersion = v
        }
        for item in (args.value("--assume") ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw .flag("--assume", "\"\(item)\" is not KEY=VALUE",
                            "e.g. --assume redisPersistence=none")
            }
            let (key, value) = (parts[0], parts[1])
            if key == "redisPersistence" {
                guard let p = RedisPersistence(rawValue: value) else {
                    throw .flag("--assume", "redisPersistence \"\(value)\" is unknown",
                                "use redisPersistence=none or redisPersistence=appendOnly")
                }
                a.redisPersistence = p
                continue
            }
            let paths: [String: WritableKeyPath<Timing, DurationRange>] = [
                "headPodStartup": \.headPodStartup, "workerPodStartup": \.workerPodStartup,
                "containerRestartStartup": \.containerRestartStartup,
                "gcsTableLoad": \.gcsTableLoad,
            ]
            guard let path = paths[key] else {
                throw .flag("--assume", "unknown key \"\(key)\"",
                            "use redisPersistence, headPodStartup, workerPodStartup, "
                                + "containerRestartStartup or gcsTableLoad")
            }
            let bounds = value.components(separatedBy: "..")
            guard bounds.count == 2, let lo = try? SimDuration(parsing: bounds[0]),
                  let hi = try? SimDuration(parsing: bounds[1]), lo >= .zero, lo <= hi else {
                throw .flag("--assume", "\(key) \"\(value)\" is not a range MIN..MAX",
                            "e.g. \(key)=5s..60s")
            }
            a.timing[keyPath: path] = DurationRange(lo, hi)
        }
        return a
    }

    /// Whether `--assume` sets `key`.
    static func assumed(_ args: Arguments, _ key: String) -> Bool {
        (args.value("--assume") ?? "").split(separator: ",").contains { $0.hasPrefix(key + "=") }
    }

    static func skippedText(_ scan: ManifestScan) -> String {
        guard !scan.skipped.isEmpty else { return "" }
        return " (skipped: " + scan.skipped.map { "\($0.kind) \($0.name), line \($0.line)" }
            .joined(separator: "; ") + ")"
    }

    static func writeTraces(
        _ result: ReviewResult, _ review: ManifestReview, _ placement: TracePlacement
    ) throws(InputError) -> [String: String] {
        guard let check = result.check else { return [:] }  // rejected: nothing was run
        let paths = placement.paths(model: check.model.definition.name,
                                    properties: check.counterexamples.map(\.property))
        let (written, error) = TraceFile.write(counterexamplesOf: check, to: paths)
        if let error { throw error }
        return written
    }
}
