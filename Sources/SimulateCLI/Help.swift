/// The help texts; tests hold them to the flags each command really accepts.
enum Help {
    static let main = """
    simulate: a deterministic simulation of a Ray cluster with GCS fault tolerance on KubeRay.

    One run kills the GCS or deletes the head pod at a time the seed picks, lets the head raylet
    give up after its reconnect timeout, the kubelet or KubeRay bring the head back, the GCS reload
    from Redis, and shows whether the workers and the detached actor ride it out. The same seed
    prints the same bytes, always.

    USAGE
      simulate --seed N [--model FILE] [--faults LIST] [--max-faults K] [--horizon D] [--json]
      simulate sweep [MODEL] [--seeds COUNT] [--from N] [--faults LIST] [--max-faults K] [--horizon D] [--json]
      simulate run SCENARIO [--seed N] [--json]
      simulate check [MODEL] [--granularity D] [--threads N] [--json] ...   (simulate check --help)
      simulate replay TRACE
      simulate bench two-phase --rms N [--threads T] [--json]
      simulate bench ray --workers N [--json]

    OPTIONS
      --seed N          the run's seed (0 to 18446744073709551615); required
      --model FILE      a JSON model file (see models/ and docs/model-files.md);
                        default: the embedded KubeRay external-Redis sample
      --faults LIST     comma-separated fault ids the run may inject:
                          gcs-process-kill, head-pod-delete, head-container-crash,
                          redis-restart, redis-data-loss, worker-pod-delete
                        default: the model's (gcs-process-kill,head-pod-delete,head-container-crash)
      --max-faults K    at most K faults per run (0 to 10); default: the model's (1)
      --horizon D       faults happen within D of the start, e.g. 5m; default: the model's
      --max-steps N     stop after N steps (default 100000)
      --json            print the trace as JSON Lines (docs/trace-format.md) instead of a timeline
      -h, --help        show this help

    OUTPUT
      The seed first, then the model, the timeline (virtual time, component, what happened), one
      line per property, and a digest of the trace last. Properties:
        workers-survive-head-restart  no worker raylet exits because of a GCS outage
        detached-actor-survives       the detached actor's counter never goes backwards or resets
        cluster-recovers              within the recovery bound after the last fault, the GCS
                                      serves and every raylet is connected

    EXIT CODES
      0 every property held   1 a property was violated   2 bad input or usage
      3 the run hit --max-steps before anything was violated (incomplete)

    EXAMPLES
      simulate --seed 42
      simulate --seed 7 --model models/ft-equal-timeouts.json
      simulate --seed 3 --faults redis-restart,gcs-process-kill --max-faults 2 --json
      swift run -c release simulate sweep models/no-ft.json --seeds 500

    """

    static let sweep = """
    simulate sweep: run many seeds and report, per property, how many seeds violated it and the
    first one (to reproduce with `simulate --seed N`). Prints simulated events per second: build
    with `swift run -c release` for the benchmark figure.

    USAGE
      simulate sweep [MODEL] [--seeds COUNT] [--from N] [--faults LIST] [--max-faults K] [--horizon D] [--json]

    OPTIONS
      MODEL             a JSON model file; default: the embedded KubeRay external-Redis sample
      --seeds COUNT     how many seeds (default 1000)
      --from N          first seed (default 0)
      --faults, --max-faults, --horizon   as for `simulate --seed`
      --json            one JSON object: model, seeds, events, seconds, eventsPerSecond, properties

    EXIT CODES
      0 every property held for every seed   1 some seed violated a property   2 bad input or usage

    """

    static let check = """
    simulate check: explore EVERY interleaving of the model within its bounds, and either prove the
    properties or write the shortest counterexample as a trace file that `simulate replay` re-runs.

    "Every interleaving" means: every placement of up to K faults of the chosen kinds at times on
    the grid within the horizon (and placing fewer), every duration of every declared range on the
    same grid (both ends included), every order of events due at the same instant. Durations off
    the grid are not covered; see docs/checking.md.

    USAGE
      simulate check [MODEL] [--faults LIST] [--max-faults K] [--granularity D] [--horizon D]
                     [--max-states N] [--max-memory BYTES] [--max-seconds S] [--threads N]
                     [--no-symmetry] [--exact] [--json] [--trace-out FILE]

    OPTIONS
      MODEL               a JSON model file; default: the embedded KubeRay external-Redis sample
      --faults LIST       fault ids to place (default: the model's)
      --max-faults K      at most K faults (default: the model's, 1 for the default model)
      --granularity D     the grid for fault times and durations (default: the model's check
                          granularity, 1s); coarser is faster, finer covers more
      --horizon D         faults within D of the start (default: the model's, 5m)
      --max-states N      stop with verdict incomplete after N distinct states (default 1e9)
      --max-memory BYTES  stop with verdict incomplete past this memory, e.g. 4G (default 3/4 of RAM)
      --max-seconds S     stop with verdict incomplete after S seconds (default 3600)
      --threads N         search threads (default 1); the result is the same for any N
      --no-symmetry       do not merge states that differ only by renaming workers
      --exact             keep whole states instead of 64-bit fingerprints (small models only)
      --json              one JSON object: verdict, distinctStates, transitions, maxDepth, seconds,
                          statesPerSecond, peakMemoryBytes, bounds, worstCaseRecoveryMs, properties
      --trace-out FILE    where to write the counterexample (default MODEL-NAME.PROPERTY.trace.json)

    EXIT CODES
      0 every property holds   1 a property is violated   2 bad input or usage   3 incomplete

    EXAMPLES
      swift run -c release simulate check
      swift run -c release simulate check models/ft-equal-timeouts.json --trace-out /tmp/cx.json
      swift run -c release simulate replay /tmp/cx.json

    """

    static let run = """
    simulate run: run a scripted scenario (or a model) once and print its timeline. With `expect`
    in the scenario, exit 0 exactly when every expectation is met.

    USAGE
      simulate run SCENARIO [--seed N] [--json]

    OPTIONS
      SCENARIO   a scenario file (models/scenarios/, format in docs/scenarios.md) or a model file
      --seed N   seed for the choices the script leaves open (default 0)
      --json     JSON Lines, with one `expectation` record per expectation

    EXIT CODES
      0 expectations met (or, without expectations, every property held)   1 otherwise   2 bad input

    """

    static let replay = """
    simulate replay: re-run a counterexample trace (written by `simulate check`) through the
    simulator, print its timeline and the violated property, and exit 1. A trace that no longer
    reproduces (the model's rules changed since) is reported as such, with exit code 2.

    USAGE
      simulate replay TRACE [--json]

    """

    static let bench = """
    simulate bench: checker benchmarks (build with -c release).

    USAGE
      simulate bench two-phase --rms N [--threads T] [--json]
          Lamport's TwoPhase commit with N resource managers, symmetry off; the same JSON fields as
          `simulate check`. Published distinct-state counts: 288 for 3, 8,832 for 5.
      simulate bench ray --workers N [--granularity D] [--max-faults K] [--no-symmetry] [--json]
          the default Ray model checked with 1..N workers: distinct states and time per size.

    """
}
