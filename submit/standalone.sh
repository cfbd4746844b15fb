#!/usr/bin/env bash
# Submits mnist-spark to a Spark standalone cluster (client mode: the driver runs here and reads --data and
# writes --out itself, so local paths work; the executors get target/mnist-spark-cluster.jar from the driver).
#   submit/standalone.sh [spark-submit options] train|evaluate|score|fetch ... [--master spark://HOST:7077]
#   submit/dev-cluster.sh start && submit/standalone.sh train --conf conf/nielsen.conf --data DIR --out DIR
# spark-submit options go before the command, e.g. --executor-memory 4g --total-executor-cores 8.
# Environment: MASTER (default spark://127.0.0.1:7077, the dev cluster; --master wins), SPARK_HOME (use that
# installation's spark-submit; otherwise the build's Spark jars), DRIVER_MEMORY (default 1g), OFFHEAP_MAX
# (driver's ND4J off-heap limit, default 2G), PHYSICAL_MAX (0: unchecked), JAVA_OPTS, MNIST_SPARK_DRY_RUN=1 (print the command only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_build
split_submit_args "$@"
MASTER="${MASTER:-spark://127.0.0.1:7077}"
if [[ "$MASTER" != spark://* ]]; then
  echo "error: --master $MASTER: standalone.sh submits to a standalone master spark://HOST:PORT (use local.sh, yarn.sh or k8s.sh for others)" >&2
  exit 2
fi
if [[ "$MASTER" =~ ^spark://(127\.0\.0\.1|localhost): ]]; then
  # a cluster on this machine (the dev cluster): the driver listens on the loopback interface too
  SUBMIT_ARGS=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 "${SUBMIT_ARGS[@]}")
fi
run_spark_submit "$CLUSTER_JAR"
