#!/usr/bin/env bash
# Runs mnist-spark in Spark local mode in this JVM, with the Spark jars from the build: no Spark install needed.
#   submit/local.sh train --conf conf/nielsen.conf --data DIR --out runs/nielsen [--master local[4]]
# Environment: MASTER (default local[2]; --master wins), DRIVER_MEMORY (default 4g, the JVM heap),
# OFFHEAP_MAX (default 6G, ND4J's off-heap limit), JAVA_OPTS (more JVM flags).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_build
split_master "$@"
MASTER="${MASTER:-local[2]}"
CP="$MNIST_SPARK_HOME/conf:$THIN_JAR:$(cat "$MNIST_SPARK_HOME/target/classpath-runtime.txt"):$(cat "$MNIST_SPARK_HOME/target/classpath-provided.txt")"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# shellcheck disable=SC2086
exec java -Xmx"${DRIVER_MEMORY:-4g}" "${JAVA17_OPENS[@]}" \
  -Dorg.bytedeco.javacpp.maxbytes="${OFFHEAP_MAX:-6G}" \
  -Dorg.bytedeco.javacpp.maxphysicalbytes="${PHYSICAL_MAX:-12G}" \
  -Dlog4j2.configurationFile="$MNIST_SPARK_HOME/conf/log4j2.properties" \
  ${JAVA_OPTS:-} \
  -cp "$CP" org.apache.spark.deploy.SparkSubmit \
  --master "$MASTER" \
  --properties-file "$MNIST_SPARK_HOME/conf/spark-defaults.conf" \
  --class "$MAIN_CLASS" \
  "$THIN_JAR" "${APP_ARGS[@]}"
