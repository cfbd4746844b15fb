#!/usr/bin/env bash
# Training on a real multi-process cluster, measured against local mode, and its fault tolerance.
#
#   bench/cluster.sh [--data DIR] [--epochs N] [--kill executor|worker] [--kill-epoch K] [--port P] [--work DIR]
#                    [-- more train options]
#
# Three runs of the same training (conf/nielsen.conf with 2 workers, same seed), each through the launchers:
#   1. local      submit/local.sh, local[2]: driver and both workers in one JVM
#   2. cluster    submit/standalone.sh against a fresh submit/dev-cluster.sh (Master + 2 Workers, each Worker
#                 launching one 1-core executor JVM)
#   3. disturbed  as 2, but once epoch K+1 has been fitting for half of its undisturbed time, one executor JVM
#                 (--kill executor, default) or one Worker with its executor (--kill worker) is killed with SIGKILL
# Checks (exit 1 when one fails): every run finishes with _SUCCESS; the cluster's final accuracy is within 1 point
# of local mode's (same band); the disturbed run's is within 0.5 points of the undisturbed one; the disturbed
# run lost an executor for real (the driver's log says so). Prints a table with accuracies, seconds per epoch
# and the time lost, and writes it to WORK/summary.md.
# Default data ../shared/data/mnist-npm10k (8000/2000 digits), 3 epochs, 1000 validation images.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/mnist-npm10k
EPOCHS=3
KILL=executor
KILL_EPOCH=1
PORT=7177
WORK=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    --kill) KILL="$2"; shift 2 ;;
    --kill-epoch) KILL_EPOCH="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) sed -n '4,5p' "$0" >&2; exit 2 ;;
  esac
done
[[ "$KILL" == executor || "$KILL" == worker ]] || { echo "error: --kill executor|worker" >&2; exit 2; }
[ "$KILL_EPOCH" -lt "$EPOCHS" ] || { echo "error: --kill-epoch must be below --epochs" >&2; exit 2; }
WORK="${WORK:-$(mktemp -d /tmp/mnist-spark-cluster-bench.XXXXXX)}"
mkdir -p "$WORK"
CLUSTER_DIR="$WORK/dev-cluster"
CLUSTER=(submit/dev-cluster.sh --dir "$CLUSTER_DIR")
TRAIN=(train --conf conf/nielsen.conf --data "$DATA" --epochs "$EPOCHS" --workers 2 --seed 7
       --set training.validation-size=1000 "${EXTRA[@]}")
BACKGROUND=""
cleanup() {
  if [ -n "$BACKGROUND" ] && kill -0 "$BACKGROUND" 2>/dev/null; then
    kill "$BACKGROUND" 2>/dev/null || true
  fi
  "${CLUSTER[@]}" stop > /dev/null 2>&1 || true
}
trap cleanup EXIT

source bench/disturbed-run.sh
# The final accuracy (percent), from a run's console output.
final_accuracy() { sed -n 's/^Best test accuracy .*final [0-9]* \/ [0-9]* (\([0-9.]*\)%).*/\1/p' "$1"; }
sum() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.1f", s }' <<< "$1"; }

run() {  # name, launcher args...
  local name="$1" start
  shift
  start="$(now)"
  if ! "$@" "${TRAIN[@]}" --out "$WORK/$name" > "$WORK/$name.log" 2>&1; then
    echo "FAIL: the $name run failed; its output ($WORK/$name.log) ends with:" >&2
    tail -20 "$WORK/$name.log" >&2
    exit 1
  fi
  echo "$(seconds_since "$start")" > "$WORK/$name.wall"
  echo "$name: $(final_accuracy "$WORK/$name.log")%, epochs $(epoch_seconds "$WORK/$name.log") s, wall $(cat "$WORK/$name.wall") s"
}

echo "Work directory: $WORK ($(uptime | sed 's/.*load average/load average/'))"
run local submit/local.sh --master 'local[2]'

"${CLUSTER[@]}" start --workers 2 --port "$PORT" --webui-port $((PORT + 1000))
STANDALONE=(submit/standalone.sh --master "spark://127.0.0.1:$PORT")
run cluster "${STANDALONE[@]}"

# The disturbed run: wait for the line of epoch KILL_EPOCH, then half of epoch KILL_EPOCH+1's undisturbed fitting time.
DELAY="$(awk -v s="$(epoch_second "$WORK/cluster.log" $((KILL_EPOCH + 1)))" 'BEGIN { printf "%.1f", s / 2 }')"
start="$(now)"
"${STANDALONE[@]}" "${TRAIN[@]}" --out "$WORK/disturbed" > "$WORK/disturbed.log" 2>&1 &
BACKGROUND=$!
wait_for_line "$WORK/disturbed.log" "^Epoch $KILL_EPOCH/"
sleep "$DELAY"
WORKER_PID="$(cat "$CLUSTER_DIR/pids/worker-1.pid")"
EXECUTOR_PID="$(pgrep -g "$WORKER_PID" -f CoarseGrainedExecutorBackend | head -1)"
[ -n "$EXECUTOR_PID" ] || { echo "FAIL: no executor JVM under worker-1 (pid $WORKER_PID)" >&2; exit 1; }
if [ "$KILL" = executor ]; then
  kill -KILL "$EXECUTOR_PID"
  echo "killed executor JVM pid $EXECUTOR_PID (of worker-1) ${DELAY} s into epoch $((KILL_EPOCH + 1))"
else
  kill -KILL -- "-$WORKER_PID"
  echo "killed worker-1 (pid $WORKER_PID) and its executor JVM (pid $EXECUTOR_PID) ${DELAY} s into epoch $((KILL_EPOCH + 1))"
fi
wait_disturbed "$WORK/disturbed.log"
seconds_since "$start" > "$WORK/disturbed.wall"
echo "disturbed: $(final_accuracy "$WORK/disturbed.log")%, epochs $(epoch_seconds "$WORK/disturbed.log") s, wall $(cat "$WORK/disturbed.wall") s"

failed=0
for name in local cluster disturbed; do
  [ -f "$WORK/$name/_SUCCESS" ] || { echo "FAIL: $WORK/$name/_SUCCESS missing"; failed=1; }
done
check_lost_executor "$WORK/disturbed.log"
local_acc="$(final_accuracy "$WORK/local.log")"
cluster_acc="$(final_accuracy "$WORK/cluster.log")"
disturbed_acc="$(final_accuracy "$WORK/disturbed.log")"
check_within "$cluster_acc" "$local_acc" 1 "cluster $cluster_acc% is not within 1 point of local mode's $local_acc%"
check_within "$disturbed_acc" "$cluster_acc" 0.5 "disturbed $disturbed_acc% is not within 0.5 points of the undisturbed $cluster_acc%"

k=$((KILL_EPOCH + 1))
{
  echo "| run | final test accuracy | fitting s per epoch | epoch $k s | wall s |"
  echo "|---|---|---|---|---|"
  for name in local cluster disturbed; do
    echo "| $name | $(final_accuracy "$WORK/$name.log")% | $(epoch_seconds "$WORK/$name.log") | $(epoch_second "$WORK/$name.log" $k) | $(cat "$WORK/$name.wall") |"
  done
  echo
  echo "Killed: one $KILL ${DELAY} s into epoch $k. Time lost: epoch $k $(awk -v a="$(epoch_second "$WORK/disturbed.log" $k)" -v b="$(epoch_second "$WORK/cluster.log" $k)" 'BEGIN { printf "%.1f", a - b }') s, fitting $(awk -v a="$(sum "$(epoch_seconds "$WORK/disturbed.log")")" -v b="$(sum "$(epoch_seconds "$WORK/cluster.log")")" 'BEGIN { printf "%.1f", a - b }') s, wall $(awk -v a="$(cat "$WORK/disturbed.wall")" -v b="$(cat "$WORK/cluster.wall")" 'BEGIN { printf "%.1f", a - b }') s."
  echo "Data $DATA, $EPOCHS epochs, conf/nielsen.conf --workers 2 --seed 7; $(uptime | sed 's/.*load average/load average/')."
} | tee "$WORK/summary.md"
# dev-cluster.sh stop ends exactly what start started: the daemons and the executors in their process groups
GROUPS_STARTED="$(cat "$CLUSTER_DIR"/pids/*.pid | paste -sd' ')"
"${CLUSTER[@]}" stop
for group in $GROUPS_STARTED; do
  if pgrep -g "$group" > /dev/null; then
    echo "FAIL: processes of group $group are still running after dev-cluster.sh stop"; failed=1
  fi
done
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "cluster checks: ok"
