#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, from the build's jars (no Spark download): one Master and N
# Worker JVMs on 127.0.0.1; each Worker launches the executors of an application as separate JVMs.
#
#   submit/dev-cluster.sh start [--workers N] [--cores C] [--memory M] [--port P] [--webui-port P] [--dir DIR]
#   submit/dev-cluster.sh status [--dir DIR]     (exit 0 while running, 3 when not)
#   submit/dev-cluster.sh stop [--dir DIR]
#
# Defaults: 2 workers of 1 core and 3g each, master spark://127.0.0.1:7077, master web UI on 8080 (worker UIs
# on the following ports), work directory .dev-cluster/ in the repository (DEV_CLUSTER_DIR). It holds
#   logs/master.log, logs/worker-I.log   the daemons' output
#   pids/master.pid, pids/worker-I.pid   the process ids start recorded; stop ends exactly these processes
#                                        (each started as its own process group, with its executors)
#   worker-I/app-*/N/stderr              the executors' logs
#   spark-home/                          jars/ (links to the Spark jars) and conf/ -> the project's conf/
# Submit to it with submit/standalone.sh (default master spark://127.0.0.1:7077).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  sed -n '5,7p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit 2
}

ACTION=""
WORKERS="${DEV_CLUSTER_WORKERS:-2}"
CORES="${DEV_CLUSTER_CORES:-1}"
MEMORY="${DEV_CLUSTER_MEMORY:-3g}"
PORT="${DEV_CLUSTER_PORT:-7077}"
WEBUI_PORT="${DEV_CLUSTER_WEBUI_PORT:-8080}"
DIR="${DEV_CLUSTER_DIR:-$MNIST_SPARK_HOME/.dev-cluster}"
while [ $# -gt 0 ]; do
  case "$1" in
    --workers|--cores|--memory|--port|--webui-port|--dir)
      [ $# -ge 2 ] || { echo "error: dev-cluster.sh: $1 needs a value" >&2; exit 2; } ;;&
    --workers) WORKERS="$2"; shift 2 ;;
    --cores) CORES="$2"; shift 2 ;;
    --memory) MEMORY="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --webui-port) WEBUI_PORT="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    -h|--help) usage ;;
    start|stop|status) [ -z "$ACTION" ] || usage; ACTION="$1"; shift ;;
    *) echo "error: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$ACTION" ] || usage
for n in "$WORKERS" "$CORES" "$PORT" "$WEBUI_PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "error: '$n' is not a number" >&2; exit 2; }
done
[ "$WORKERS" -ge 1 ] || { echo "error: --workers must be >= 1" >&2; exit 2; }
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
# status and stop use the ports the cluster was started with
if [ "$ACTION" != start ] && [ -f "$DIR/cluster.env" ]; then
  source "$DIR/cluster.env"
fi
# Every daemon carries this marker on its command line, so that stop and status recognise their processes.
MARKER="-Dmnist.devcluster=$DIR"

# The pid in pid file $1 if that process is alive and is one of ours.
live_pid() {
  local file="$1" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$MARKER" || return 1
  echo "$pid"
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts one daemon in its own session (so it is its own process group, and so are its executors with it).
daemon() {
  local name="$1"
  shift
  # shellcheck disable=SC2016
  SPARK_HOME="$DIR/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_CONF_DIR="$DIR/spark-home/conf" \
    setsid java -Xmx512m "${JAVA17_OPENS[@]}" "$MARKER" \
      -Dlog4j2.configurationFile="file:$DIR/log4j2-daemons.properties" \
      -cp "$DIR/spark-home/conf:$DIR/spark-home/jars/*" "$@" \
      < /dev/null > "$DIR/logs/$name.log" 2>&1 &
  echo $! > "$DIR/pids/$name.pid"
}

# The workers the master counts as alive (its web UI's JSON; without curl, the registrations in its log).
alive_workers() {
  if command -v curl > /dev/null; then
    curl -s --max-time 2 "http://127.0.0.1:$WEBUI_PORT/json/" 2>/dev/null \
      | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
  else
    grep -c "Registering worker" "$DIR/logs/master.log" 2>/dev/null || echo 0
  fi
}

start() {
  require_build
  if pid="$(live_pid "$DIR/pids/master.pid")"; then
    echo "error: a dev cluster is already running from $DIR (master pid $pid): submit/dev-cluster.sh stop first" >&2
    exit 2
  fi
  for p in "$PORT" "$WEBUI_PORT"; do
    if port_busy "$p"; then
      echo "error: port $p on 127.0.0.1 is in use (choose another with --port / --webui-port)" >&2
      exit 2
    fi
  done
  rm -rf "$DIR/pids" "$DIR/logs"
  mkdir -p "$DIR/pids" "$DIR/logs"
  make_spark_home "$DIR/spark-home"
  # The daemons log at INFO to their files (executor launches and losses); applications use conf/log4j2.properties.
  sed -e 's/^rootLogger.level = .*/rootLogger.level = info/' "$LOG4J_CONF" > "$DIR/log4j2-daemons.properties"

  daemon master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$PORT" --webui-port "$WEBUI_PORT"
  local i
  for ((i = 0; i < 60; i++)); do
    port_busy "$PORT" && break
    live_pid "$DIR/pids/master.pid" > /dev/null || break
    sleep 1
  done
  if ! port_busy "$PORT"; then
    echo "error: the master did not start; its log $DIR/logs/master.log ends with:" >&2
    tail -20 "$DIR/logs/master.log" >&2
    stop > /dev/null
    exit 1
  fi
  for ((i = 1; i <= WORKERS; i++)); do
    mkdir -p "$DIR/worker-$i"
    daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" --work-dir "$DIR/worker-$i" \
      --webui-port $((WEBUI_PORT + i)) "spark://127.0.0.1:$PORT"
  done
  for ((i = 0; i < 90; i++)); do
    [ "$(alive_workers)" -ge "$WORKERS" ] && break
    sleep 1
  done
  if [ "$(alive_workers)" -lt "$WORKERS" ]; then
    echo "error: only $(alive_workers) of $WORKERS workers registered; see $DIR/logs/" >&2
    stop > /dev/null
    exit 1
  fi
  printf 'PORT=%q\nWEBUI_PORT=%q\n' "$PORT" "$WEBUI_PORT" > "$DIR/cluster.env"
  echo "Dev cluster: spark://127.0.0.1:$PORT (web UI http://127.0.0.1:$WEBUI_PORT), $WORKERS worker(s) x $CORES core(s), $MEMORY each; logs in $DIR/logs"
}

stop() {
  local file name pid stopped=0 i
  for file in "$DIR"/pids/worker-*.pid "$DIR/pids/master.pid"; do
    [ -f "$file" ] || continue
    name="$(basename "$file" .pid)"
    if pid="$(live_pid "$file")"; then
      # The process group: the daemon and, for a worker, the executors it launched.
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for ((i = 0; i < 30; i++)); do
        pgrep -g "$pid" > /dev/null || break
        sleep 0.5
      done
      if pgrep -g "$pid" > /dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || true
      fi
      echo "stopped $name (pid $pid)"
      stopped=$((stopped + 1))
    fi
    rm -f "$file"
  done
  [ "$stopped" -gt 0 ] || echo "no dev cluster running from $DIR"
}

status() {
  local file name pid running=0
  for file in "$DIR/pids/master.pid" "$DIR"/pids/worker-*.pid; do
    [ -f "$file" ] || continue
    name="$(basename "$file" .pid)"
    if pid="$(live_pid "$file")"; then
      echo "$name: running (pid $pid, $(($(pgrep -g "$pid" | wc -l) - 1)) executor process(es))"
      running=$((running + 1))
    else
      echo "$name: not running"
    fi
  done
  if [ "$running" -eq 0 ]; then
    echo "no dev cluster running from $DIR"
    return 3
  fi
  echo "master spark://127.0.0.1:$PORT: $(alive_workers) alive worker(s)"
}

case "$ACTION" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
