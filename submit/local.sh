#!/usr/bin/env bash
# Runs mnist-spark in Spark local mode: the driver and the executor threads in this JVM. Without SPARK_HOME it
# uses the Spark jars from the build (no Spark install needed); with SPARK_HOME, that installation's spark-submit.
#   submit/local.sh [spark-submit options] train|evaluate|score|fetch ... [--master local[4]]
#   submit/local.sh train --conf conf/nielsen.conf --data DIR --out runs/nielsen
#   submit/local.sh --master 'local-cluster[2,1,2048]' train ...   (2 executor JVMs of 1 core, 2048 MB each)
# Environment: MASTER (default local[2]; --master wins), DRIVER_MEMORY (default 1g, the JVM heap, fixed:
# -Xms = -Xmx, not pre-touched (bench/README.md#pre-touch); for score only the limit),
# OFFHEAP_MAX (default 2G, ND4J's off-heap limit: past it JavaCPP runs the GC to free unreachable arrays),
# PHYSICAL_MAX (default 0: none; else the resident-memory ceiling JavaCPP enforces, heap included, at the cost
# of reading the resident size at every native allocation: 2.5 s instead of 3.3 s an epoch of nielsen.conf), JAVA_OPTS (more JVM
# flags), MNIST_SPARK_DRY_RUN=1 (print the command only).
# The trainer frees each epoch's off-heap garbage itself; with these defaults the driver peaked at 0.95 GB
# resident in the first and 1.34 GB in the 30th epoch of conf/nielsen.conf on full MNIST in local[2]
# (bench/driver-rss.sh, docs/measurements.md#driver-memory).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_build
split_submit_args "$@"
MASTER="${MASTER:-local[2]}"
if [ -z "${SPARK_HOME:-}" ] && [[ "$MASTER" == local\[* || "$MASTER" == local ]]; then
  # Everything in this JVM: the project's classes and their dependencies on the class path, no shaded jar.
  run_spark_submit "$THIN_JAR" \
    "$THIN_JAR:$(cat "$MNIST_SPARK_HOME/target/classpath-runtime.txt"):$(cat "$PROVIDED_CLASSPATH_FILE")"
else
  # Executors in other JVMs (local-cluster) or a Spark installation: they get the self-contained jar.
  run_spark_submit "$CLUSTER_JAR"
fi
