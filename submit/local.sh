#!/usr/bin/env bash
# Runs mnist-spark in Spark local mode in this JVM, with the Spark jars from the build: no Spark install needed.
#   submit/local.sh train --conf conf/nielsen.conf --data DIR --out runs/nielsen [--master local[4]]
# Environment: MASTER (default local[2]; --master wins), DRIVER_MEMORY (default 1g, the JVM heap, fixed:
# -Xms = -Xmx, touched at start-up, so the driver does not grow as the heap expands),
# OFFHEAP_MAX (default 2G, ND4J's off-heap limit: past it JavaCPP runs the GC to free unreachable arrays),
# PHYSICAL_MAX (default 5G, the resident-memory ceiling JavaCPP enforces, heap included), JAVA_OPTS.
# The trainer frees each epoch's off-heap garbage itself; with these defaults the driver stays at 1.6-1.7 GB
# resident over 30 epochs of conf/nielsen.conf on full MNIST in local[2] (bench/driver-rss.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_build
split_master "$@"
MASTER="${MASTER:-local[2]}"
CP="$MNIST_SPARK_HOME/conf:$THIN_JAR:$(cat "$MNIST_SPARK_HOME/target/classpath-runtime.txt"):$(cat "$MNIST_SPARK_HOME/target/classpath-provided.txt")"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# glibc's per-thread malloc arenas (8 per core by default) let native memory creep up; Hadoop's YARN uses 4.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-4}"
# shellcheck disable=SC2086
exec java -Xms"${DRIVER_MEMORY:-1g}" -Xmx"${DRIVER_MEMORY:-1g}" -XX:+AlwaysPreTouch "${JAVA17_OPENS[@]}" \
  -Dorg.bytedeco.javacpp.maxbytes="${OFFHEAP_MAX:-2G}" \
  -Dorg.bytedeco.javacpp.maxphysicalbytes="${PHYSICAL_MAX:-5G}" \
  -Dlog4j2.configurationFile="$MNIST_SPARK_HOME/conf/log4j2.properties" \
  ${JAVA_OPTS:-} \
  -cp "$CP" org.apache.spark.deploy.SparkSubmit \
  --master "$MASTER" \
  --properties-file "$MNIST_SPARK_HOME/conf/spark-defaults.conf" \
  --class "$MAIN_CLASS" \
  "$THIN_JAR" "${APP_ARGS[@]}"
