#!/usr/bin/env bash
# A real single-node YARN and HDFS on this machine, from Hadoop's mini clusters (hadoop-client-minicluster, a test
# dependency: no Hadoop download, nothing in the product jars): a ResourceManager and one NodeManager, whose
# containers are separate JVMs, and a NameNode with one DataNode, all on 127.0.0.1, in one daemon JVM
# (io.mnistspark.devyarn.DevYarn in src/test/java, run with the test class path).
#
#   submit/dev-yarn.sh start [--memory-mb M] [--vcores V] [--namenode-port P] [--rm-port P] [--web-port P] [--dir DIR]
#   submit/dev-yarn.sh status [--dir DIR]     (exit 0 while running, 3 when not)
#   submit/dev-yarn.sh stop [--dir DIR]
#   submit/dev-yarn.sh [--dir DIR] fs -put ../shared/data/mnist-npm10k /data   (Hadoop's file system shell on it)
#
# Defaults: NodeManager of 12288 MB and 4 vcores (two executors of conf/spark-defaults.conf, 2g + 3g overhead,
# and the application master), ResourceManager 127.0.0.1:8032 (scheduler 8030, resource tracker 8031, admin 8033),
# its web port 8088 (bound, but in one JVM with the NodeManager's web app its pages answer 404: Guice's filter is
# shared), HDFS hdfs://127.0.0.1:9000. Work directory .dev-yarn/ in the
# repository (DEV_YARN_DIR); it holds
#   conf/                     core-site.xml, hdfs-site.xml, yarn-site.xml: HADOOP_CONF_DIR for clients
#   logs/dev-yarn.log         the daemon's output
#   dev-yarn.pid              the daemon's process id; stop ends it (its process group) and every container process
#                             still running in a directory of DIR
#   hdfs/                     the NameNode's and DataNode's storage (formatted at each start)
#   target/test/data/yarn/    the NodeManager's local and log directories (yarn-logDir-nm-0_0/APP/CONTAINER/stderr)
# Submit to it with:  HADOOP_CONF_DIR=.dev-yarn/conf submit/yarn.sh train ... --data hdfs://127.0.0.1:9000/...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  sed -n '7,10p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit 2
}

ACTION=""
MEMORY_MB="${DEV_YARN_MEMORY_MB:-12288}"
VCORES="${DEV_YARN_VCORES:-4}"
NAMENODE_PORT="${DEV_YARN_NAMENODE_PORT:-9000}"
RM_PORT="${DEV_YARN_RM_PORT:-8032}"
WEB_PORT="${DEV_YARN_WEB_PORT:-8088}"
DIR="${DEV_YARN_DIR:-$MNIST_SPARK_HOME/.dev-yarn}"
while [ $# -gt 0 ]; do
  case "$1" in
    --memory-mb|--vcores|--namenode-port|--rm-port|--web-port|--dir)
      [ $# -ge 2 ] || { echo "error: dev-yarn.sh: $1 needs a value" >&2; exit 2; } ;;&
    --memory-mb) MEMORY_MB="$2"; shift 2 ;;
    --vcores) VCORES="$2"; shift 2 ;;
    --namenode-port) NAMENODE_PORT="$2"; shift 2 ;;
    --rm-port) RM_PORT="$2"; shift 2 ;;
    --web-port) WEB_PORT="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    -h|--help) usage ;;
    start|stop|status) [ -z "$ACTION" ] || usage; ACTION="$1"; shift ;;
    fs) [ -z "$ACTION" ] || usage; ACTION=fs; shift; FS_ARGS=("$@"); break ;;
    *) echo "error: dev-yarn.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$ACTION" ] || usage
for n in "$MEMORY_MB" "$VCORES" "$NAMENODE_PORT" "$RM_PORT" "$WEB_PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "error: dev-yarn.sh: '$n' is not a number" >&2; exit 2; }
done
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
# status and stop use the ports the cluster was started with
if [ "$ACTION" != start ] && [ -f "$DIR/cluster.env" ]; then
  source "$DIR/cluster.env"
fi
# The daemon carries this marker on its command line, so that stop and status recognise it.
MARKER="-Dmnist.devyarn=$DIR"
PID_FILE="$DIR/dev-yarn.pid"
TEST_CLASSPATH_FILE="$MNIST_SPARK_HOME/target/classpath-test.txt"
DAEMON_CLASS="$MNIST_SPARK_HOME/target/test-classes/io/mnistspark/devyarn/DevYarn.class"

live_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # no pipe: grep -q would stop reading early, and pipefail would see tr's SIGPIPE (the class path is long)
  grep -qaF -- "$MARKER" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

# The processes working in a directory under DIR: the NodeManager's containers (launch scripts and their JVMs).
container_pids() {
  local link pid
  for link in /proc/[0-9]*/cwd; do
    pid="${link#/proc/}"
    pid="${pid%/cwd}"
    case "$(readlink "$link" 2>/dev/null)" in
      "$DIR"/*) [ "$pid" != "$$" ] && echo "$pid" ;;
    esac
  done
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The launcher's class path: the compiled test classes and the test-scope jars (hadoop-client-minicluster).
# Built on first use, and again when pom.xml or DevYarn's source is newer.
ensure_daemon_build() {
  local src="$MNIST_SPARK_HOME/src/test/java/io/mnistspark/devyarn"
  if [ -f "$DAEMON_CLASS" ] && [ -s "$TEST_CLASSPATH_FILE" ] && [ "$TEST_CLASSPATH_FILE" -nt "$MNIST_SPARK_HOME/pom.xml" ] \
      && [ -z "$(find "$src" -newer "$DAEMON_CLASS" -name '*.java')" ]; then
    return
  fi
  echo "Building the dev YARN launcher (once): ./mvnw test-compile dependency:build-classpath" >&2
  if ! "$MNIST_SPARK_HOME/mvnw" -B -q -f "$MNIST_SPARK_HOME/pom.xml" test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$TEST_CLASSPATH_FILE" > "$DIR/build.log" 2>&1; then
    tail -20 "$DIR/build.log" >&2
    echo "error: dev-yarn.sh: cannot build the launcher with ./mvnw test-compile (see $DIR/build.log)" >&2
    exit 1
  fi
  touch "$TEST_CLASSPATH_FILE"
}

start() {
  local pid p i
  if pid="$(live_pid)"; then
    echo "error: dev-yarn.sh: a dev YARN is already running from $DIR (pid $pid): submit/dev-yarn.sh stop first" >&2
    exit 2
  fi
  for p in "$NAMENODE_PORT" "$RM_PORT" $((RM_PORT - 2)) $((RM_PORT - 1)) $((RM_PORT + 1)) "$WEB_PORT"; do
    if port_busy "$p"; then
      echo "error: dev-yarn.sh: port $p on 127.0.0.1 is in use (choose others with --namenode-port / --rm-port / --web-port)" >&2
      exit 2
    fi
  done
  ensure_daemon_build
  rm -rf "$DIR/conf" "$DIR/logs" "$DIR/hdfs" "$DIR/target" "$DIR/ready"
  mkdir -p "$DIR/logs" "$DIR/webapps-root/webapps/cluster" "$DIR/webapps-root/webapps/node"
  sed -e 's/^rootLogger.level = .*/rootLogger.level = info/' "$LOG4J_CONF" > "$DIR/log4j2-daemon.properties"
  # The containers' launch scripts run $JAVA_HOME/bin/java.
  JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
  # webapps-root: the web UIs' resource directories (webapps/cluster, webapps/node), which the minicluster jar lacks.
  # setsid may fork: the session's first process records its own pid, then becomes the daemon JVM.
  rm -f "$PID_FILE"
  # shellcheck disable=SC2016
  (cd "$DIR" && JAVA_HOME="$JAVA_HOME" MALLOC_ARENA_MAX=4 SPARK_LOCAL_IP=127.0.0.1 setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
      java -Xmx1g "${JAVA17_OPENS[@]}" "$MARKER" \
      -Dlog4j2.configurationFile="file:$DIR/log4j2-daemon.properties" \
      -cp "$DIR/webapps-root:$MNIST_SPARK_HOME/target/test-classes:$(cat "$TEST_CLASSPATH_FILE")" \
      io.mnistspark.devyarn.DevYarn --dir "$DIR" --namenode-port "$NAMENODE_PORT" --rm-port "$RM_PORT" \
      --web-port "$WEB_PORT" --memory-mb "$MEMORY_MB" --vcores "$VCORES" \
      < /dev/null > "$DIR/logs/dev-yarn.log" 2>&1 &)
  for ((i = 0; i < 50; i++)); do
    [ -s "$PID_FILE" ] && break
    sleep 0.1
  done
  pid="$(cat "$PID_FILE")"
  for ((i = 0; i < 120; i++)); do
    [ -f "$DIR/ready" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if [ ! -f "$DIR/ready" ]; then
    local why
    why="$(grep -E '^error|Exception|ERROR' "$DIR/logs/dev-yarn.log" | tail -3 || true)"
    echo "error: dev-yarn.sh: YARN/HDFS did not start; see $DIR/logs/dev-yarn.log${why:+, which says:}" >&2
    [ -z "$why" ] || echo "$why" >&2
    stop > /dev/null
    exit 1
  fi
  printf 'NAMENODE_PORT=%q\nRM_PORT=%q\nWEB_PORT=%q\n' "$NAMENODE_PORT" "$RM_PORT" "$WEB_PORT" > "$DIR/cluster.env"
  echo "Dev YARN: ResourceManager 127.0.0.1:$RM_PORT (web port $WEB_PORT), one NodeManager of $MEMORY_MB MB x $VCORES vcores, HDFS hdfs://127.0.0.1:$NAMENODE_PORT; HADOOP_CONF_DIR=$DIR/conf; logs in $DIR/logs, containers' in $DIR/target/test/data/yarn"
}

stop() {
  local pid i stopped=0 left
  if pid="$(live_pid)"; then
    # The daemon's shutdown hook stops the NodeManager (which ends its containers), the ResourceManager and HDFS.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
      pgrep -g "$pid" > /dev/null || break
      sleep 0.5
    done
    if pgrep -g "$pid" > /dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    echo "stopped dev YARN (pid $pid)"
    stopped=1
  fi
  # Container processes the NodeManager did not end (each runs in its own session, in a container directory of DIR).
  left="$(container_pids | paste -sd' ')"
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    echo "killed container process(es) $left"
    stopped=1
  fi
  rm -f "$PID_FILE" "$DIR/ready"
  [ "$stopped" -eq 1 ] || echo "no dev YARN running from $DIR"
}

status() {
  local pid
  if ! pid="$(live_pid)"; then
    echo "no dev YARN running from $DIR"
    return 3
  fi
  echo "dev YARN: running (pid $pid), $(container_pids | wc -l) container process(es); HADOOP_CONF_DIR=$DIR/conf"
  local p
  for p in "ResourceManager $RM_PORT" "HDFS NameNode $NAMENODE_PORT"; do
    if port_busy "${p##* }"; then echo "${p% *} 127.0.0.1:${p##* }: listening"; else echo "${p% *} 127.0.0.1:${p##* }: not listening"; fi
  done
}

# Hadoop's FsShell with the build's Hadoop client jars and this dev YARN's configuration.
fs_shell() {
  local cp
  if ! live_pid > /dev/null; then
    echo "error: dev-yarn.sh fs: no dev YARN running from $DIR (submit/dev-yarn.sh start first)" >&2
    exit 2
  fi
  cp="$(spark_classpath | tr ':' '\n' \
    | grep -E '/(hadoop-client-(api|runtime)|slf4j-api|log4j-[a-z0-9.-]*|commons-logging)-[0-9][^/]*\.jar$' | paste -sd:)"
  exec java -Xmx256m -Dlog4j2.configurationFile="file:$LOG4J_CONF" -cp "$DIR/conf:$cp" org.apache.hadoop.fs.FsShell \
    "${FS_ARGS[@]}"
}

case "$ACTION" in
  fs) fs_shell ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
