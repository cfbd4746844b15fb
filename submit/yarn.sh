#!/usr/bin/env bash
# Submits mnist-spark to YARN with a Spark 3.5 / Scala 2.12 installation (SPARK_HOME) and the cluster's Hadoop
# configuration (HADOOP_CONF_DIR or YARN_CONF_DIR).
#   submit/yarn.sh [spark-submit options] train|evaluate|score|fetch ...
#   submit/yarn.sh --num-executors 4 --executor-cores 2 train --conf conf/nielsen.conf \
#     --data hdfs:///data/mnist --out hdfs:///runs/nielsen --workers 8
# DEPLOY_MODE=client (default: the driver runs here, prints the epochs, and may read local files) or cluster
# (the driver runs in the YARN application master: a local --conf FILE is shipped with --files, its log4j2
# configuration too, and --data/--out must be cluster paths: hdfs://, s3a://). Executor containers get
# spark.executor.memory + spark.executor.memoryOverhead (conf/spark-defaults.conf) for the ND4J off-heap memory.
# Environment: SPARK_HOME (required), DEPLOY_MODE, QUEUE (YARN queue), DRIVER_MEMORY, OFFHEAP_MAX, JAVA_OPTS,
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
require_spark_home yarn.sh YARN
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
SUBMIT_ARGS=(--deploy-mode "$DEPLOY_MODE" ${QUEUE:+--queue "$QUEUE"} "${SUBMIT_ARGS[@]}")
run_spark_submit "$CLUSTER_JAR"
