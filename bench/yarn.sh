#!/usr/bin/env bash
# Training on a real single-node YARN with HDFS (submit/dev-yarn.sh), in both deploy modes, and its fault tolerance.
#
#   bench/yarn.sh [--data DIR] [--epochs N] [--kill-epoch K] [--work DIR] [-- more train options]
#
# Starts a dev YARN/HDFS of its own (WORK/dev-yarn, ports 9010/8130-8133/8188), uploads the data to its HDFS, then
# trains conf/nielsen.conf (2 workers, same seed, data and run directory on HDFS) through submit/yarn.sh three times:
#   1. client     DEPLOY_MODE=client: the driver here, executors in YARN containers
#   2. cluster    DEPLOY_MODE=cluster: the driver in the YARN application master's container
#   3. disturbed  as 1, but once epoch K+1 has been fitting for half of its undisturbed time, one executor
#                 container's JVM is killed with SIGKILL (YARN then gives Spark a new container)
# Checks (exit 1 when one fails): every run writes _SUCCESS; cluster mode's final accuracy is within 1 point of client
# mode's; the disturbed run's is within 0.5 points of the undisturbed client run's; the driver saw the executor
# lost. Accuracies come from each run's metrics.json on HDFS. Prints a table (mode, wall s, final accuracy) and
# writes it to WORK/summary.md. Default data ../shared/data/mnist-npm10k (8000/2000 digits), 3 epochs.
set -euo pipefail
cd "$(dirname "$0")/.."
source submit/common.sh
DATA=../shared/data/mnist-npm10k
EPOCHS=3
KILL_EPOCH=1
WORK=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    --kill-epoch) KILL_EPOCH="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) sed -n '4p' "$0" | sed 's/^# *//' >&2; exit 2 ;;
  esac
done
[ -d "$DATA" ] || { echo "error: bench/yarn.sh: --data $DATA is not a directory" >&2; exit 2; }
[ "$KILL_EPOCH" -lt "$EPOCHS" ] || { echo "error: bench/yarn.sh: --kill-epoch must be below --epochs" >&2; exit 2; }
require_build
WORK="${WORK:-$(mktemp -d /tmp/mnist-spark-yarn-bench.XXXXXX)}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
YARN_DIR="$WORK/dev-yarn"
DEV_YARN=(submit/dev-yarn.sh --dir "$YARN_DIR")
HDFS=hdfs://127.0.0.1:9010
export HADOOP_CONF_DIR="$YARN_DIR/conf" SPARK_LOCAL_IP=127.0.0.1
unset YARN_CONF_DIR SPARK_HOME
# One host: the containers use the build's Spark jars where they are (no upload for each application).
make_spark_home "$MNIST_SPARK_HOME/target/spark-home"
export SPARK_YARN_JARS="local:$MNIST_SPARK_HOME/target/spark-home/jars/*"
SUBMIT=(submit/yarn.sh --conf spark.driver.host=127.0.0.1)
TRAIN=(train --conf conf/nielsen.conf --data "$HDFS/data/$(basename "$DATA")" --epochs "$EPOCHS" --workers 2
       --seed 7 --set training.validation-size=1000 "${EXTRA[@]}")
BACKGROUND=""
cleanup() {
  if [ -n "$BACKGROUND" ] && kill -0 "$BACKGROUND" 2>/dev/null; then
    kill "$BACKGROUND" 2>/dev/null || true
  fi
  "${DEV_YARN[@]}" stop > /dev/null 2>&1 || true
}
trap cleanup EXIT

source bench/disturbed-run.sh
fs() { "${DEV_YARN[@]}" fs "$@"; }
# The final test accuracy (percent) from a run's metrics.json on HDFS.
final_accuracy() {
  fs -cat "$HDFS/runs/$1/metrics.json" | python3 -c 'import json, sys; print("%.2f" % (100 * json.load(sys.stdin)["test"]["accuracy"]))'
}

run() {  # name, deploy mode
  local name="$1" start
  start="$(now)"
  if ! DEPLOY_MODE="$2" timeout 900 "${SUBMIT[@]}" "${TRAIN[@]}" --out "$HDFS/runs/$name" > "$WORK/$name.log" 2>&1; then
    echo "FAIL: the $name run failed; its output ($WORK/$name.log) ends with:" >&2
    tail -20 "$WORK/$name.log" >&2
    exit 1
  fi
  seconds_since "$start" > "$WORK/$name.wall"
  echo "$name: wall $(cat "$WORK/$name.wall") s"
}

echo "Work directory: $WORK ($(uptime | sed 's/.*load average/load average/'))"
start="$(now)"
"${DEV_YARN[@]}" start --namenode-port 9010 --rm-port 8132 --web-port 8188
fs -mkdir -p "$HDFS/data" "$HDFS/runs"
fs -put "$DATA" "$HDFS/data/"
echo "dev YARN up and data on HDFS in $(seconds_since "$start") s"

run client client
run cluster cluster
# Cluster mode's driver printed its epochs in the application master's container (its stdout in the NodeManager's logs).
driver_out="$(grep -l "Wrote $HDFS/runs/cluster\$" "$YARN_DIR"/target/test/data/yarn/*/yarn-logDir-nm-*/application_*/container_*/stdout | head -1)"
[ -n "$driver_out" ] && cp "$driver_out" "$WORK/cluster-driver.log"

# The disturbed run: wait for the line of epoch KILL_EPOCH, then half of epoch KILL_EPOCH+1's undisturbed fitting time.
DELAY="$(awk -v s="$(epoch_second "$WORK/client.log" $((KILL_EPOCH + 1)))" 'BEGIN { printf "%.1f", s / 2 }')"
start="$(now)"
DEPLOY_MODE=client timeout 900 "${SUBMIT[@]}" "${TRAIN[@]}" --out "$HDFS/runs/disturbed" > "$WORK/disturbed.log" 2>&1 &
BACKGROUND=$!
wait_for_line "$WORK/disturbed.log" "^Epoch $KILL_EPOCH/$EPOCHS: [0-9]* / "
sleep "$DELAY"
# An executor container's JVM: a process working in a container directory of the NodeManager (under YARN_DIR).
EXECUTOR_PID=""
for link in /proc/[0-9]*/cwd; do
  pid="${link#/proc/}"; pid="${pid%/cwd}"
  case "$(readlink "$link" 2>/dev/null)" in
    "$YARN_DIR"/*/container_*)
      if grep -qa YarnCoarseGrainedExecutorBackend "/proc/$pid/cmdline" 2>/dev/null && grep -qa '^java' "/proc/$pid/comm" 2>/dev/null; then
        EXECUTOR_PID="$pid"; CONTAINER="$(basename "$(readlink "$link")")"; break
      fi ;;
  esac
done
[ -n "$EXECUTOR_PID" ] || { echo "FAIL: no executor JVM in a container directory of $YARN_DIR" >&2; exit 1; }
kill -KILL "$EXECUTOR_PID"
echo "killed executor JVM pid $EXECUTOR_PID (YARN container $CONTAINER) ${DELAY} s into epoch $((KILL_EPOCH + 1))"
wait_disturbed "$WORK/disturbed.log"
seconds_since "$start" > "$WORK/disturbed.wall"
echo "disturbed: wall $(cat "$WORK/disturbed.wall") s"

failed=0
for name in client cluster disturbed; do
  fs -test -e "$HDFS/runs/$name/_SUCCESS" || { echo "FAIL: $HDFS/runs/$name/_SUCCESS missing"; failed=1; }
  final_accuracy "$name" > "$WORK/$name.accuracy" || { echo "FAIL: no metrics.json in $HDFS/runs/$name"; failed=1; }
done
check_lost_executor "$WORK/disturbed.log"
client_acc="$(cat "$WORK/client.accuracy")"
cluster_acc="$(cat "$WORK/cluster.accuracy")"
disturbed_acc="$(cat "$WORK/disturbed.accuracy")"
check_within "$cluster_acc" "$client_acc" 1 "cluster mode's $cluster_acc% is not within 1 point of client mode's $client_acc%"
check_within "$disturbed_acc" "$client_acc" 0.5 "disturbed $disturbed_acc% is not within 0.5 points of the undisturbed $client_acc%"
# The executors' containers as the ResourceManager granted them (spark.executor.memory + memoryOverhead).
EXECUTOR_CONTAINER="$(grep -o 'container_[0-9_]*_000002 of capacity <memory:[0-9]*, vCores:[0-9]*>' "$YARN_DIR/logs/dev-yarn.log" | head -1 | sed 's/.*of capacity //')"

{
  echo "| mode | wall s | final test accuracy | fitting s per epoch |"
  echo "|---|---|---|---|"
  for name in client cluster disturbed; do
    log="$WORK/$name.log"
    [ "$name" != cluster ] || log="$WORK/cluster-driver.log"
    echo "| $name | $(cat "$WORK/$name.wall") | $(cat "$WORK/$name.accuracy")% | $(epoch_seconds "$log" 2>/dev/null) |"
  done
  echo
  echo "Killed: one executor container's JVM ${DELAY} s into epoch $((KILL_EPOCH + 1)) (the disturbed run is in client mode)."
  echo "Executor containers: $EXECUTOR_CONTAINER. Data $DATA on HDFS, $EPOCHS epochs, conf/nielsen.conf --workers 2 --seed 7;"
  echo "$(uptime | sed 's/.*load average/load average/')."
} | tee "$WORK/summary.md"
"${DEV_YARN[@]}" stop
if [ -n "$(for link in /proc/[0-9]*/cwd; do case "$(readlink "$link" 2>/dev/null)" in "$YARN_DIR"/*) echo "$link" ;; esac; done)" ]; then
  echo "FAIL: container processes are still running in $YARN_DIR after dev-yarn.sh stop"; failed=1
fi
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "yarn checks: ok"
