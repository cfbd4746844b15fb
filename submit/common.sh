# Shared by the launchers in submit/: locations, the Java 17 flags Spark needs, and argument handling.
# shellcheck shell=bash
MNIST_SPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THIN_JAR="$MNIST_SPARK_HOME/target/mnist-spark.jar"
CLUSTER_JAR="$MNIST_SPARK_HOME/target/mnist-spark-cluster.jar"
MAIN_CLASS=io.mnistspark.cli.Main

# Spark's own list for Java 17 (org.apache.spark.launcher.JavaModuleOptions).
JAVA17_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

require_build() {
  if [ ! -f "$THIN_JAR" ] || [ ! -f "$MNIST_SPARK_HOME/target/classpath-runtime.txt" ]; then
    echo "error: $THIN_JAR not found: build first with ./mvnw -q package -DskipTests" >&2
    exit 2
  fi
}

# Splits "$@" into MASTER (from --master X or --master=X) and APP_ARGS (everything else).
split_master() {
  MASTER="${MASTER:-}"
  APP_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --master) MASTER="$2"; shift 2 ;;
      --master=*) MASTER="${1#--master=}"; shift ;;
      *) APP_ARGS+=("$1"); shift ;;
    esac
  done
}
