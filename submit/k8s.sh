#!/usr/bin/env bash
# Submits mnist-spark to Kubernetes (cluster deploy mode: driver and executors are pods of the image built from
# docker/Dockerfile, which holds the jar at /opt/spark/app/mnist-spark-cluster.jar and the presets in
# /opt/spark/app/conf/). Needs a Spark 3.5 / Scala 2.12 installation (SPARK_HOME) for its Kubernetes client.
#   submit/k8s.sh [spark-submit options] train|evaluate|score|fetch ... --master k8s://https://HOST:PORT
#   K8S_IMAGE=registry.example.com/mnist-spark:0.1.0 submit/k8s.sh --master k8s://https://10.0.0.1:6443 \
#     train --conf /opt/spark/app/conf/nielsen.conf --data s3a://bucket/mnist --out s3a://bucket/runs/nielsen
# --data/--out must be reachable from the pods (hdfs://, s3a://); --conf names a file in the image (or ship
# one with --files and spark.kubernetes.file.upload.path). conf/spark-defaults.conf and conf/log4j2.properties
# reach the pods through SPARK_CONF_DIR, which Spark copies into the driver's ConfigMap.
# Environment: SPARK_HOME (required), MASTER, K8S_IMAGE (default mnist-spark:0.1.0), K8S_NAMESPACE (default
# default), K8S_SERVICE_ACCOUNT (default spark: may create executor pods), EXECUTORS (default 2),
# MNIST_SPARK_DRY_RUN=1 (print the command only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
split_submit_args "$@"
if [[ "${MASTER:-}" != k8s://* ]]; then
  echo "error: k8s.sh needs --master k8s://https://API-SERVER:PORT (or MASTER)" >&2
  exit 2
fi
require_spark_home k8s.sh Kubernetes
export SPARK_CONF_DIR="$MNIST_SPARK_HOME/conf"
DRIVER_LOG4J=/opt/spark/conf/log4j2.properties
SUBMIT_ARGS=(--deploy-mode cluster
  --name mnist-spark
  --conf "spark.kubernetes.container.image=${K8S_IMAGE:-mnist-spark:0.1.0}"
  --conf "spark.kubernetes.namespace=${K8S_NAMESPACE:-default}"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${K8S_SERVICE_ACCOUNT:-spark}"
  --conf "spark.executor.instances=${EXECUTORS:-2}"
  "${SUBMIT_ARGS[@]}")
run_spark_submit local:///opt/spark/app/mnist-spark-cluster.jar
