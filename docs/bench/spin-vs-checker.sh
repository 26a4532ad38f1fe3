#!/usr/bin/env bash
# Checks Lamport's TwoPhase commit with N resource managers twice on this machine, back to back:
# once with SPIN (the reference explicit-state checker, via shared/bench/spin-two-phase.sh) and
# once with our checker, then prints both JSON lines and the ratios. These machines are shared
# and noisy: quote the ratio from one run of this script, not absolute times.
#
# Usage: docs/bench/spin-vs-checker.sh N [THREADS]
# Needs: apt-get install -y spin gcc python3 time, and the Swift toolchain.
#
# Our side runs `simulate bench two-phase --rms N --threads THREADS --json` from a release build;
# set CHECKER_CMD to run something else that prints one JSON line with distinctStates, seconds
# and statesPerSecond. Both sides' memory is the peak resident set measured the same way
# (/usr/bin/time %M), so bytes per state compare like with like. SCRATCH_PATH picks the build folder.
set -euo pipefail
n=${1:?usage: spin-vs-checker.sh N [THREADS]}
threads=${2:-1}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${CHECKER_CMD:-}" ]; then
  build=(swift build -c release --package-path "$repo" --scratch-path "${SCRATCH_PATH:-$repo/.build}")
  "${build[@]}" --product simulate >&2
  bin=$("${build[@]}" --show-bin-path)
  CHECKER_CMD="$bin/simulate bench two-phase --rms $n --threads $threads --json"
fi

spin_json=$(bash "$shared/bench/spin-two-phase.sh" "$n" | tail -n 1)
# shellcheck disable=SC2086  # CHECKER_CMD is a command line
/usr/bin/time -f '%M' -o "$work/mem.txt" $CHECKER_CMD > "$work/ours.txt" || true
ours_json=$(tail -n 1 "$work/ours.txt")

python3 - "$spin_json" "$ours_json" "$(cat "$work/mem.txt")" <<'PY'
import json, sys
spin, ours, ours_kib = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
ours = {"checker": "ours", "rms": spin["rms"], "threads": ours.get("threads", 1),
        "distinctStates": ours["distinctStates"], "seconds": float(ours["seconds"]),
        "statesPerSecond": int(ours["statesPerSecond"]), "peakMemoryBytes": ours_kib * 1024}
print(json.dumps(spin, sort_keys=True))
print(json.dumps(ours, sort_keys=True))
same = spin["distinctStates"] == ours["distinctStates"]
print(json.dumps({
    "rms": spin["rms"],
    "sameStateCount": same,
    "speedRatio": round(ours["statesPerSecond"] / spin["statesPerSecond"], 2),
    "spinBytesPerState": round(spin["peakMemoryBytes"] / spin["distinctStates"], 1),
    "oursBytesPerState": round(ours["peakMemoryBytes"] / ours["distinctStates"], 1),
}, sort_keys=True))
sys.exit(0 if same else 1)
PY
