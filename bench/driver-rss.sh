#!/usr/bin/env bash
# Measures the driver's resident memory over a training run started with submit/local.sh.
#   bench/driver-rss.sh OUT_PREFIX train --conf conf/nielsen.conf --data ../shared/data/mnist --out runs/x
# Samples /proc/PID/status (VmRSS, VmHWM) of the driver JVM every second while it runs and prints, for every
# epoch, the peak VmRSS seen while that epoch ran (from the start of the run for epoch 1). Writes
# OUT_PREFIX.log (the run's console output), OUT_PREFIX.samples (seconds, epochs done, VmRSS kB, VmHWM kB)
# and OUT_PREFIX.rss (epoch, peak RSS MB, VmHWM MB at its end).
set -euo pipefail
prefix="$1"; shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/submit/local.sh" "$@" >"$prefix.log" 2>&1 &
pid=$!
start=$(date +%s)
: >"$prefix.samples"
while kill -0 "$pid" 2>/dev/null; do
  if [ -r "/proc/$pid/status" ]; then
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    done_epochs=$(grep -c '^Epoch ' "$prefix.log" 2>/dev/null || true)
    [ -n "$rss" ] && echo "$(( $(date +%s) - start )) ${done_epochs:-0} $rss $hwm" >>"$prefix.samples"
  fi
  sleep 1
done
wait "$pid" && code=0 || code=$?
# A sample taken while k epochs were done belongs to epoch k+1.
awk '{ e = $2 + 1; if ($3 > peak[e]) peak[e] = $3; hwm[e] = $4; if (e > max) max = e }
     END { print "epoch peak_rss_mb vmhwm_mb"; for (e = 1; e <= max; e++) if (e in peak) printf "%d %.0f %.0f\n", e, peak[e] / 1024, hwm[e] / 1024 }' \
  "$prefix.samples" >"$prefix.rss"
cat "$prefix.rss"
echo "exit $code; uptime: $(uptime)"
exit "$code"
