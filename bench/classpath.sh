# Sourced by the bench scripts that run the benchmark classes (io.mnistspark.bench, bench/src/main/java) in a
# JVM of their own. After submit/common.sh (JAVA17_OPENS, THIN_JAR, ...), it builds once if a jar is missing and
# sets BENCH_JAR (target/mnist-spark-bench.jar) and BENCH_CLASSPATH: the product's thin jar, the bench jar, the
# product's runtime jars and the provided ones (Spark, Spark MLlib, Hadoop), as target/ lists them, then conf/
# (last, as submit/common.sh does: a JVM class-data archive cannot follow a non-empty directory).
#   source "$(dirname "$0")/classpath.sh"
#   java "${JAVA17_OPENS[@]}" -cp "$BENCH_CLASSPATH" io.mnistspark.bench.IterationProfile ...
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../submit/common.sh"
BENCH_JAR="$MNIST_SPARK_HOME/target/mnist-spark-bench.jar"
if [ ! -f "$THIN_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  (cd "$MNIST_SPARK_HOME" && ./mvnw -B -q package -DskipTests)
fi
require_build
if [ ! -f "$BENCH_JAR" ]; then
  echo "error: $BENCH_JAR not found: build it with ./mvnw -q package -DskipTests (pom.xml, execution bench-jar)" >&2
  exit 2
fi
BENCH_CLASSPATH="$THIN_JAR:$BENCH_JAR:$(cat "$MNIST_SPARK_HOME/target/classpath-runtime.txt"):$(cat "$PROVIDED_CLASSPATH_FILE"):$MNIST_SPARK_HOME/conf"
