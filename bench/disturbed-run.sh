# shellcheck shell=bash
# Shared by bench/cluster.sh and bench/yarn.sh: timing, the epoch lines of a run's console output, the disturbed
# run's waits and the result checks. The checks print a FAIL line and set failed=1; the waits end the script
# (exit 1) with the run's last output lines. BACKGROUND is the disturbed run's pid, which the callers' cleanup kills.
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# The fitting seconds of each epoch, and of epoch K, from a run's console output.
epoch_seconds() { sed -n 's/^Epoch [0-9]*\/[0-9]*: .*  \([0-9.]*\) s$/\1/p' "$1" | paste -sd' '; }
epoch_second() { epoch_seconds "$1" | awk -v k="$2" '{ print $k }'; }

# wait_for_line LOG PATTERN: until the disturbed run's output has a line matching PATTERN (it must still run).
wait_for_line() {
  until grep -qs "$2" "$1"; do
    kill -0 "$BACKGROUND" 2>/dev/null || { echo "FAIL: the disturbed run ended early:" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.2
  done
}

# wait_disturbed LOG: waits for the disturbed run to end, which must succeed.
wait_disturbed() {
  if ! wait "$BACKGROUND"; then
    BACKGROUND=""
    echo "FAIL: the disturbed run failed after the kill; its output ends with:" >&2
    tail -20 "$1" >&2
    exit 1
  fi
  BACKGROUND=""
}

# check_lost_executor LOG: the driver's log says an executor was lost.
check_lost_executor() {
  if ! grep -qiE "lost executor|executor.*(exited|lost)" "$1"; then
    echo "FAIL: the driver's log does not mention the lost executor"; failed=1
  fi
}

# check_within ACCURACY REFERENCE POINTS MESSAGE: ACCURACY is within POINTS of REFERENCE (percentages).
check_within() {
  awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; exit !(d <= p && d >= -p) }' || { echo "FAIL: $4"; failed=1; }
}
