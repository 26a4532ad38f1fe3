/// The help texts. Every OPTIONS section is rendered from the options the command parses with,
/// and every text ends with the same exit-code table; tests hold both to the parser.
enum Help {
    /// The one version line (`simulate --version`).
    static let version = "simulate 0.6.0 (ray-gcs-ft-lab)"

    /// The exit codes every subcommand shares (README.md has the same table).
    static let exitCodes = """
    EXIT CODES
      0  every property held (a scenario with `expect`: every expectation met)
      1  a property was violated (a scenario with `expect`: an expectation not met)
      2  bad input or usage: nothing was run; the message on stderr says what to fix
      3  incomplete or unknown: a state, memory or time limit, --max-steps, or Ctrl-C stopped
         it first, or a zone violation could not be made concrete; nothing is proven
    """

    /// The help of `simulate help COMMAND`; nil for an unknown command.
    static func text(for command: String) -> String? {
        switch command {
        case "run": run
        case "check": check
        case "replay": replay
        case "sweep": sweep
        case "bench": bench
        case "review": review
        case "help", "version": main
        default: nil
        }
    }

    /// An OPTIONS section from `options`, each flag with its placeholder in a column.
    static func options(_ options: [Option], arguments: [(String, String)] = []) -> String {
        let rows = arguments + options.map { o in (o.value.map { "\(o.flag) \($0)" } ?? o.flag, o.help) }
        var text = "OPTIONS\n"
        for (name, help) in rows {
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            let column = name.count <= 20 ? name + String(repeating: " ", count: 22 - name.count) : name + "\n" + String(repeating: " ", count: 24)
            text += "  " + column + lines[0] + "\n"
            for more in lines.dropFirst() { text += String(repeating: " ", count: 24) + more + "\n" }
        }
        return text
    }

    /// `text` broken at spaces into lines of at most `width` characters, joined by `\n`: for help
    /// texts built from lists (the fault ids come from `FaultKind.allCases`, so a new fault cannot
    /// be missing from `--help`).
    static func wrapped(_ text: String, width: Int = 70) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return (lines + [line]).joined(separator: "\n")
    }

    static let modelArgument = ("MODEL", "a JSON model or scenario file (models/, docs/model-files.md), or\n--model FILE, not both; default: the embedded KubeRay external-Redis sample")

    static let main = """
    simulate: a deterministic simulation of a Ray cluster with GCS fault tolerance on KubeRay.

    One run kills the GCS or deletes the head pod at a time the seed picks, lets the head raylet
    give up after its reconnect timeout, the kubelet or KubeRay bring the head back, the GCS reload
    from Redis, and shows whether the workers and the detached actor ride it out. The same seed
    prints the same bytes, always.

    USAGE
      simulate [MODEL | --model FILE] --seed N [--faults LIST] [--max-faults K] [--horizon D]
               [--max-steps N] [--json]
      simulate run     [MODEL | --model FILE] [--seed N] ...        one run of a model or scenario
      simulate check   [MODEL | --model FILE] [--trace-out PATH|DIR] ...   every interleaving
      simulate replay  TRACE [--json]                               re-run a counterexample
      simulate sweep   [MODEL | --model FILE] [--seeds COUNT] ...   many seeds
      simulate bench   two-phase | ray ...                          checker benchmarks
      simulate review  MANIFEST [--format json|sarif] ...            review a RayCluster manifest
      simulate help [COMMAND]        this help, or a command's (also COMMAND --help)
      simulate --version             \(version)

    \(options(RunCommand.options(seedRequired: true), arguments: [modelArgument]))
    OUTPUT
      The seed first, then the model, the timeline (virtual time, component, what happened), one
      line per property, and a digest of the trace last. Properties:
        workers-survive-head-restart  no worker raylet exits because of a GCS outage
        detached-actor-survives       the detached actor's counter never goes backwards or resets
        cluster-recovers              within the recovery bound after the last fault, the GCS
                                      serves and every raylet is connected

    \(exitCodes)

    EXAMPLES
      simulate --seed 42
      simulate models/ft-equal-timeouts.json --seed 7
      simulate --seed 3 --faults redis-restart,gcs-process-kill --max-faults 2 --json
      swift run -c release simulate sweep models/no-ft.json --seeds 500

    """

    static let review = """
    simulate review: review a RayCluster or RayService manifest as KubeRay would run it. Applies
    KubeRay's defaulting, shows the settings in force and where each came from, checks the
    cluster against head faults, and gives each broken rule its fix, found by the checker.

    USAGE
      simulate review MANIFEST [--faults LIST] [--assume KEY=VALUE,...] [--kuberay-version V]
                      [--time MODE] [--format text|json|sarif] [--trace-out DIR]

    \(options(ReviewCommand.options, arguments: [("MANIFEST", ReviewCommand.manifestHelp)]))
    \(exitCodes)

    EXAMPLES
      simulate review my-cluster.yaml
      kubectl get raycluster my-cluster -o json | simulate review - --format sarif
      simulate review my-cluster.yaml --assume redisPersistence=none --kuberay-version 1.1

    """

    static let run = """
    simulate run: run a scripted scenario (or a model) once and print its timeline. With `expect`
    in the scenario, exit 0 exactly when every expectation is met.

    USAGE
      simulate run [MODEL | --model FILE] [--seed N] [--faults LIST] [--max-faults K]
                   [--horizon D] [--max-steps N] [--json]

    \(options(RunCommand.options(seedRequired: false), arguments: [("MODEL", "a scenario file (models/scenarios/, docs/scenarios.md) or a model file,\nor --model FILE, not both; default: the embedded KubeRay sample")]))
    \(exitCodes)

    EXAMPLES
      simulate run models/scenarios/issue-example-flush-other-namespace.json
      simulate run --model models/no-ft.json --seed 3 --json

    """

    static let sweep = """
    simulate sweep: two sweeps. Over seeds: run many seeds and report, per property, how many
    seeds violated it and the first one (to reproduce with `simulate --seed N`); it prints
    simulated events per second: build with `swift run -c release` for the benchmark figure.
    Over settings, with --vary: check the model exhaustively (as `simulate check`) at every
    point of a grid of one or two reconnect timeouts, print a Markdown table of the verdicts and
    the boundary of the safe region read off them, and with --out write it as files too. Ctrl-C
    stops either with the figures so far.

    USAGE
      simulate sweep [MODEL | --model FILE] [--seeds COUNT] [--from N] [--faults LIST]
                     [--max-faults K] [--horizon D] [--quiet] [--json]
      simulate sweep [MODEL | --model FILE] --vary PARAM=FROM..TO/STEP [--vary PARAM=FROM..TO/STEP]
                     [--granularity D] [--out DIR] [--faults LIST] [--max-faults K] [--horizon D]
                     [--quiet] [--json]

    \(options(SweepCommand.options, arguments: [modelArgument]))
    SETTINGS (PARAM of --vary: the model file's keys, docs/model-files.md)
    \(sweepSettings)
    SETTINGS SWEEP OUTPUT
      A table, one row per value of the first PARAM and one column per value of the second (or
      one column): safe (every property holds), UNSAFE (one is violated) or ? (incomplete), each
      with the least time a worker had left on its reconnect deadline when it reconnected. Then
      the boundary, e.g. "safe when workerReconnectTimeoutSeconds >= 75 (74 violates
      workers-survive-head-restart)"; for two settings, the least safe first PARAM per value of
      the second, and the relation between the two when every point measured agrees with it.
      --out DIR writes DIR/sweep.md (the same text), DIR/sweep.csv (one row per point) and
      DIR/sweep.svg (a heatmap for a browser); nothing else, nowhere else.

    \(exitCodes)

    EXAMPLES
      swift run -c release simulate sweep models/ft-equal-timeouts.json --seeds 10000
      simulate sweep models/kuberay-sample.json --faults gcs-process-kill \\
          --vary workerReconnectTimeoutSeconds=70..80/1 --out /tmp/sweep
      simulate sweep models/kuberay-sample.json --faults gcs-process-kill --granularity 10s \\
          --vary workerReconnectTimeoutSeconds=60..100/5 \\
          --vary headReconnectTimeoutSeconds=40..60/10

    """

    /// The `--vary` settings, one a line, from ``SweepParameter/forms``.
    static var sweepSettings: String {
        SweepParameter.forms.map { form in
            let name = "  " + form.name
            let pad = name.count < 40
                ? String(repeating: " ", count: 40 - name.count)
                : "\n" + String(repeating: " ", count: 40)
            return name + pad + form.meaning
        }.joined(separator: "\n") + "\n"
    }

    static let check = """
    simulate check: explore EVERY interleaving of the model within its bounds, and either prove the
    properties or show the shortest counterexample (and, with --trace-out, write it as a trace
    file that `simulate replay` re-runs). Nothing is written unless --trace-out is given.

    "Every interleaving" means: every placement of up to K faults of the chosen kinds at any real
    time within the horizon (and placing fewer), every real duration of every declared range, every
    order of events due at the same instant. That is the default, zones (--time zones): a violation
    is shown only as a concrete run on a 1 ms grid that replay re-runs (a symbolic one that cannot
    be made concrete is "unknown", exit 3), and a broken worker timeout comes with the least value
    that fixes it. With --time grid (or --granularity, --threads, --exact, --no-symmetry), times and
    durations are the points of the --granularity grid instead (both ends of each range included);
    durations off the grid are then not covered. See docs/checking.md, "Zones". Ctrl-C stops the
    search: the verdict is then incomplete (interrupted), with the figures so far. A progress line
    is shown on standard error every 2 s when it is a terminal.

    Every property gets its own verdict: the search goes on past the first violation until each
    property is violated (with its shortest counterexample), held or unknown, or a limit stops it.
    --stop-at-first stops at the end of the first level where one is violated, as before (the
    others are then "not decided"); --property checks only the properties named.

    USAGE
      simulate check [MODEL | --model FILE] [--faults LIST] [--max-faults K] [--time MODE]
                     [--granularity D] [--horizon D] [--max-states N] [--max-memory BYTES]
                     [--max-seconds S] [--threads N] [--no-symmetry] [--exact]
                     [--property ID[,ID...]] [--stop-at-first] [--trace-out PATH|DIR]
                     [--quiet] [--json]

    \(options(CheckCommand.options, arguments: [modelArgument]))
    TRACE FILES
      --trace-out /tmp/cx.json   one violated property: /tmp/cx.json; several: one file each,
                                 /tmp/cx.PROPERTY.json
      --trace-out /tmp/traces/   an existing directory, or a path ending in /: files named
                                 MODEL.PROPERTY.trace.json inside it, MODEL being the model's
                                 name reduced to A-Z a-z 0-9 . _ - (at most 64 characters)
      A scenario whose expectations are all met writes nothing.

    \(exitCodes)

    EXAMPLES
      swift run -c release simulate check
      swift run -c release simulate check models/ft-equal-timeouts.json --trace-out /tmp/cx.json
      swift run -c release simulate check --time zones --max-faults 2 --horizon 5m
      swift run -c release simulate check models/no-ft.json --property cluster-recovers
      swift run -c release simulate check models/no-ft.json --stop-at-first
      swift run -c release simulate replay /tmp/cx.workers-survive-head-restart.json

    """

    static let replay = """
    simulate replay: re-run a counterexample trace (written by `simulate check --trace-out`)
    through the simulator, print its timeline up to the violation and the violated property, and
    exit 1. A trace that no longer reproduces (the model's rules changed since) is reported as
    such, with exit code 2.

    USAGE
      simulate replay TRACE [--json]

    \(options(ReplayCommand.options, arguments: [("TRACE", "a counterexample trace file")]))
    \(exitCodes)

    """

    static let bench = """
    simulate bench: checker benchmarks (build with -c release). Ctrl-C stops them (exit 3).

    USAGE
      simulate bench two-phase [--rms N] [--threads T] [--quiet] [--json]
          Lamport's TwoPhase commit with N resource managers, symmetry off; the same JSON fields as
          `simulate check`. Published distinct-state counts: 288 for 3, 8,832 for 5.
      simulate bench ray [--workers N] [--granularity D] [--faults LIST] [--max-faults K]
                         [--horizon D] [--max-states N] [--threads T] [--no-symmetry] [--quiet]
                         [--json]
          the default Ray model checked with 1..N workers: distinct states and time per size.
      simulate bench zones [--granularity D] [--grid-max-seconds S] [--zones-only] [--quiet]
                           [--json]
          the zone checker and the grid checker side by side on the same bounds (states,
          seconds, verdicts), for one to three faults, 4 workers and the Redis model files
          (read from models/ when run in the repository).

    bench two-phase \(options(BenchCommand.twoPhaseOptions))
    bench ray \(options(BenchCommand.rayOptions))
    bench zones \(options(BenchZones.options))
    \(exitCodes)

    """
}
