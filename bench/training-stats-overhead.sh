#!/usr/bin/env bash
# Does collecting DL4J's training statistics (spark.training-stats) slow training down?
# Alternates runs with the statistics on and off (ABBA...) and prints each run's median fitting seconds per
# epoch from its metrics.json, with the load average, since the machine may be shared.
#   bench/training-stats-overhead.sh [DATA_DIR] [EPOCHS] [PAIRS]   (defaults: ../shared/data/mnist 5 2)
# Needs a build (./mvnw -q package -DskipTests) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/mnist}"
epochs="${2:-5}"
pairs="${3:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for pair in $(seq 1 "$pairs"); do
  order="true false"
  if [ $((pair % 2)) -eq 0 ]; then order="false true"; fi   # ABBA: a trend in the load favours neither
  for stats in $order; do
    out="$work/stats-$stats-$pair"
    before="$(cut -d' ' -f1-3 /proc/loadavg)"
    submit/local.sh train --conf conf/nielsen.conf --data "$data" --out "$out" --epochs "$epochs" \
      --set spark.training-stats="$stats" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
    after="$(cut -d' ' -f1-3 /proc/loadavg)"
    python3 - "$out/metrics.json" "$stats" "$before" "$after" <<'PY'
import json, statistics, sys
m = json.load(open(sys.argv[1]))
seconds = [e["seconds"] for e in m["epochs"]]
print(f"training-stats={sys.argv[2]:5}  median fit s/epoch {statistics.median(seconds):6.2f}  "
      f"epochs 2.. {' '.join(f'{s:.1f}' for s in seconds[1:])}  load {sys.argv[3]} -> {sys.argv[4]}")
PY
  done
done
