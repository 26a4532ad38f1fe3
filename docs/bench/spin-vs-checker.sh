#!/usr/bin/env bash
# Checks Lamport's TwoPhase commit with N resource managers twice on this machine, back to back:
# once with SPIN (the reference explicit-state checker, via shared/bench/spin-two-phase.sh) and
# once with our checker, then prints both JSON lines and the ratios. These machines are shared
# and noisy: quote the ratio from one run of this script, not absolute times.
#
# Usage: docs/bench/spin-vs-checker.sh N [THREADS]
# Needs: apt-get install -y spin gcc python3, and the Swift toolchain.
#
# Our side runs `simulate bench two-phase --rms N --threads THREADS` (release build), which must
# print one JSON line with distinctStates, seconds, statesPerSecond and peakMemoryBytes (the
# process's peak resident set, VmHWM: the same measure as SPIN's max RSS). Set CHECKER_CMD to
# run something else that prints such a line.
set -euo pipefail
n=${1:?usage: spin-vs-checker.sh N [THREADS]}
threads=${2:-1}
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}

if [ -z "${CHECKER_CMD:-}" ]; then
  swift build -c release --package-path "$repo" --product simulate >&2
  bin=$(swift build -c release --package-path "$repo" --show-bin-path)
  CHECKER_CMD="$bin/simulate bench two-phase --rms $n --threads $threads"
fi

spin_json=$(bash "$shared/bench/spin-two-phase.sh" "$n" | tail -n 1)
ours_json=$($CHECKER_CMD | tail -n 1)

python3 - "$spin_json" "$ours_json" <<'PY'
import json, sys
spin, ours = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps(spin, sort_keys=True))
print(json.dumps(ours, sort_keys=True))
same = spin["distinctStates"] == ours["distinctStates"]
summary = {
    "rms": spin["rms"],
    "sameStateCount": same,
    "speedRatio": round(ours["statesPerSecond"] / spin["statesPerSecond"], 2),
    "spinBytesPerState": round(spin["peakMemoryBytes"] / spin["distinctStates"], 1),
    "oursBytesPerState": round(ours["peakMemoryBytes"] / ours["distinctStates"], 1),
}
print(json.dumps(summary, sort_keys=True))
sys.exit(0 if same else 1)
PY
