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
      simulate sweep [MODEL] [--seeds COUNT] [--from N] [--faults LIST] [--max-faults K] [--json]

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
}
