#!/usr/bin/env bash
# Submits mnist-spark to YARN with the cluster's Hadoop configuration (HADOOP_CONF_DIR or YARN_CONF_DIR), from the
# build's Spark jars (spark-yarn included) or a Spark 3.5 / Scala 2.12 installation (SPARK_HOME).
#   submit/yarn.sh [spark-submit options] train|evaluate|score|fetch ...
#   submit/yarn.sh --num-executors 4 --executor-cores 2 train --conf conf/nielsen.conf \
#     --data hdfs:///data/mnist --out hdfs:///runs/nielsen --workers 8
# DEPLOY_MODE=client (default: the driver runs here, prints the epochs, and may read local files) or cluster
# (the driver runs in the YARN application master: a local --conf FILE is shipped with --files, its log4j2
# configuration too, and --data/--out must be cluster paths: hdfs://, s3a://). Executor containers get
# spark.executor.memory + spark.executor.memoryOverhead (conf/spark-defaults.conf) for the ND4J off-heap memory.
# Every container JVM (application master, executors) gets Java 17's --add-opens list and DL4J's system clock.
# Without SPARK_HOME, the containers need the build's Spark jars: SPARK_YARN_JARS (spark.yarn.jars) names them,
# e.g. local:/path/to/target/spark-home/jars/* where every node has them there (submit/dev-yarn.sh's single
# node), or hdfs:///spark-jars/*.jar after uploading them once; unset, spark-submit zips and uploads them for
# each application.
# Environment: SPARK_HOME, DEPLOY_MODE, QUEUE (YARN queue), SPARK_YARN_JARS, DRIVER_MEMORY, OFFHEAP_MAX, JAVA_OPTS,
# MNIST_SPARK_DRY_RUN=1 (print the command only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_build
split_submit_args "$@"
MASTER="${MASTER:-yarn}"
if [ "$MASTER" != yarn ]; then
  echo "error: --master $MASTER: yarn.sh submits to --master yarn" >&2
  exit 2
fi
if [ -z "${HADOOP_CONF_DIR:-}" ] && [ -z "${YARN_CONF_DIR:-}" ]; then
  echo "error: yarn.sh needs HADOOP_CONF_DIR or YARN_CONF_DIR: the directory with the cluster's yarn-site.xml and core-site.xml" >&2
  exit 2
fi
DEPLOY_MODE="${DEPLOY_MODE:-client}"
case "$DEPLOY_MODE" in
  client) ;;
  cluster)
    ship_files "$LOG4J_CONF"
    DRIVER_LOG4J=log4j2.properties ;;
  *) echo "error: DEPLOY_MODE=$DEPLOY_MODE: expected client or cluster" >&2; exit 2 ;;
esac
# Spark gives the application master's and the executors' JVMs Java 17's --add-opens list itself (JavaModuleOptions);
# DL4J's clock comes from conf/spark-defaults.conf for the executors and the driver (in cluster mode, the
# application master's JVM), and here for the client-mode application master, so that every JVM has it.
# One application attempt: a second one would find the first's run directory (--out) and fail on that instead.
YARN_CONF=(--conf spark.yarn.maxAppAttempts=1)
if [ "$DEPLOY_MODE" = client ]; then
  YARN_CONF+=(--conf "spark.yarn.am.extraJavaOptions=-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource")
fi
if [ -n "${SPARK_YARN_JARS:-}" ]; then
  YARN_CONF+=(--conf "spark.yarn.jars=$SPARK_YARN_JARS")
fi
if [ "$DEPLOY_MODE" = cluster ] && [ -z "${SPARK_HOME:-}" ]; then
  # spark-submit runs in this JVM: the driver's heap and options go to the application master's JVM as settings.
  REMOTE_DRIVER=1
fi
SUBMIT_ARGS=(--deploy-mode "$DEPLOY_MODE" ${QUEUE:+--queue "$QUEUE"} "${YARN_CONF[@]}" "${SUBMIT_ARGS[@]}")
if [ "$DEPLOY_MODE" = cluster ] && [ -z "${YARN_SH_CLIENT:-}" ] && [ "${MNIST_SPARK_DRY_RUN:-}" != 1 ]; then
  # The driver's one-line error is in the application master's log; spark-submit here ends with a stack trace.
  # Run it, and on failure say in one line which application failed, why, and where its driver's output is.
  verbose=0
  for arg in "${APP_ARGS[@]}"; do [ "$arg" != --verbose ] || verbose=1; done
  errors="$(mktemp)"
  trap 'rm -f "$errors"' EXIT
  status=0
  YARN_SH_CLIENT=1 "${BASH_SOURCE[0]}" "$@" 2> "$errors" || status=$?
  if [ "$status" -eq 0 ] || [ "$verbose" -eq 1 ]; then
    cat "$errors" >&2
    exit "$status"
  fi
  app="$(grep -o 'application_[0-9]*_[0-9]*' "$errors" | tail -1)"
  why="$(sed -n 's/.*Application diagnostics message: //p' "$errors" | tail -1)"
  if [ -n "$app" ]; then
    echo "error: yarn.sh: YARN application $app failed${why:+ ($why)}; its driver's output: yarn logs -applicationId $app (run with --verbose for spark-submit's output)" >&2
  else
    grep -E '^error:' "$errors" >&2 || tail -1 "$errors" >&2
  fi
  # the driver's exit code (2: bad input) when the application master reports it
  code="$(sed -n 's/.*User application exited with \(status \)\{0,1\}\([0-9]*\).*/\2/p' <<< "$why")"
  exit "${code:-1}"
fi
run_spark_submit "$CLUSTER_JAR"
