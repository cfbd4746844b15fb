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

# C2 compiles only really hot code (HotSpot's tier-4 thresholds raised from JDK 17's 5000 / 600 / 15000 / 40000):
# the training and scoring loops still reach C2 within seconds, but Spark's, Hadoop's and DL4J's start-up code, run a
# few thousand times, stays with C1, so a short run's second core is not spent compiling it once more
# (bench/README.md#jit-and-collector)
HOT_C2_ONLY=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000
             -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000)

SPARK_DEFAULTS="$MNIST_SPARK_HOME/conf/spark-defaults.conf"
LOG4J_CONF="$MNIST_SPARK_HOME/conf/log4j2.properties"
PROVIDED_CLASSPATH_FILE="$MNIST_SPARK_HOME/target/classpath-provided.txt"

require_build() {
  if [ ! -f "$THIN_JAR" ] || [ ! -f "$CLUSTER_JAR" ] || [ ! -f "$MNIST_SPARK_HOME/target/classpath-runtime.txt" ] \
      || [ ! -f "$PROVIDED_CLASSPATH_FILE" ]; then
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

# Splits "$@" for the spark-submit wrappers: [spark-submit options] COMMAND [command options].
#   SUBMIT_ARGS  spark-submit options given before the command (--conf k=v, --executor-memory 4g, --files ...)
#   MASTER       --master X or --master=X, wherever it stands (before or after the command)
#   APP_ARGS     the command (train, evaluate, score, fetch, ... passed through unchanged) and its options
# mnist-spark's own global options (--verbose, --help, --version) before the command go to the application.
split_submit_args() {
  MASTER="${MASTER:-}"
  SUBMIT_ARGS=()
  APP_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --master) [ $# -ge 2 ] || { echo "error: --master needs a value" >&2; exit 2; }
                MASTER="$2"; shift 2 ;;
      --master=*) MASTER="${1#--master=}"; shift ;;
      --verbose|--help|-h|--version|-V) APP_ARGS+=("$1"); shift ;;
      --supervise) SUBMIT_ARGS+=("$1"); shift ;;
      --*=*) SUBMIT_ARGS+=("$1"); shift ;;
      -*) [ $# -ge 2 ] || { echo "error: spark-submit option $1 needs a value" >&2; exit 2; }
          SUBMIT_ARGS+=("$1" "$2"); shift 2 ;;
      *) break ;;
    esac
  done
  while [ $# -gt 0 ]; do
    case "$1" in
      --master) [ $# -ge 2 ] || { echo "error: --master needs a value" >&2; exit 2; }
                MASTER="$2"; shift 2 ;;
      --master=*) MASTER="${1#--master=}"; shift ;;
      *) APP_ARGS+=("$1"); shift ;;
    esac
  done
}

# The class path of a Spark distribution's jars/ (Spark's own dependency tree at Spark's versions), resolved
# by Maven from submit/spark-jars/pom.xml into target/classpath-spark.txt on first use (jars from ~/.m2).
spark_classpath() {
  local out="$MNIST_SPARK_HOME/target/classpath-spark.txt" pom="$MNIST_SPARK_HOME/submit/spark-jars/pom.xml"
  if [ ! -s "$out" ] || [ "$pom" -nt "$out" ]; then
    echo "Resolving the Spark jars (once): $pom" >&2
    if ! "$MNIST_SPARK_HOME/mvnw" -B -q -f "$pom" dependency:build-classpath > "$out.log" 2>&1; then
      cat "$out.log" >&2
      echo "error: cannot resolve the Spark jars with $pom (see above)" >&2
      exit 1
    fi
    touch "$out"  # Maven leaves an unchanged file as it was
  fi
  cat "$out"
}

# A directory laid out like a Spark distribution: jars/ (symbolic links to the Spark jars in the Maven
# repository) and conf/ (this project's conf/). Standalone Workers and local-cluster mode build their
# executors' class path from SPARK_HOME/jars and SPARK_HOME/conf. Rebuilt when the Spark class path changes.
make_spark_home() {
  local home="$1" classpath tmp jar
  classpath="$(spark_classpath)"
  if [ -d "$home/jars" ] && [ "$(cat "$home/.classpath" 2>/dev/null)" = "$classpath" ]; then
    return
  fi
  mkdir -p "$(dirname "$home")"
  tmp="$(mktemp -d "$home.XXXXXX")"
  mkdir "$tmp/jars"
  tr ':' '\n' <<< "$classpath" | while IFS= read -r jar; do
    [ -n "$jar" ] && ln -s "$jar" "$tmp/jars/$(basename "$jar")"
  done
  ln -s "$MNIST_SPARK_HOME/conf" "$tmp/conf"
  printf '%s' "$classpath" > "$tmp/.classpath"
  rm -rf "$home"
  mv "$tmp" "$home"
}

# Runs spark-submit with conf/spark-defaults.conf, the application jar $1 and the Java 17 options, then
# SUBMIT_ARGS, MASTER and APP_ARGS. With SPARK_HOME set: that installation's bin/spark-submit. Without:
# SparkSubmit from the build's jars in this JVM (client mode), with a SPARK_HOME made from the build.
# Environment: DRIVER_MEMORY (driver heap, default 1g; fixed, -Xms = -Xmx, not pre-touched; for score only the limit), OFFHEAP_MAX (the driver's ND4J
# off-heap limit, default 2G), PHYSICAL_MAX (JavaCPP's resident-memory limit for the driver, default 0: not
# checked, because the check reads the process's resident size at every native allocation, which cost a
# quarter of an epoch of conf/nielsen.conf; bench/README.md), MALLOC_ARENA_MAX (default 4),
# JAVA_OPTS (more driver JVM flags), SCORE_C1_MAX_BYTES (score_input_is_small), MNIST_SPARK_DRY_RUN=1 (print the command instead of running it);
# DRIVER_LOG4J: the driver's log4j2 configuration where the driver does not run here (cluster deploy mode).
run_spark_submit() {
  local app_jar="$1" driver_cp="${2:-}"
  local driver_opts=(
    "-Dlog4j2.configurationFile=${DRIVER_LOG4J:-file:$LOG4J_CONF}"
    "-Dorg.bytedeco.javacpp.maxbytes=${OFFHEAP_MAX:-2G}"
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=${PHYSICAL_MAX:-0}"
    "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
  )
  local cmd heap="${DRIVER_MEMORY:-1g}" arg command=""
  CDS_OPTS=() CDS_ARCHIVE="" CDS_WRITING=""
  # a fixed driver heap (-Xms = -Xmx: it never resizes), not pre-touched: touching every page of it first took
  # 2 s of every start here, and with train's young generation bounded (below) the pages a run does touch stay
  # few: conf/fast.conf reached 97% 2.6 s sooner and peaked at 751 instead of 1399 MB (bench/README.md#pre-touch)
  local heap_opts=(-Xms"$heap" -Xmx"$heap")
  for arg in "${APP_ARGS[@]}"; do
    case "$arg" in
      -*) ;;
      score)
        command=score
        # A score run is short and its driver holds little: only the heap's limit is set. The serial
        # collector's young collections of short-lived rows cost less than G1's concurrent threads and barriers
        # on 2 cores (3.5 s instead of 4.2 s inside a 70000-image run, the same at 700000; bench/README.md#scoring).
        heap_opts=(-Xmx"$heap")
        user_names_collector || heap_opts+=(-XX:+UseSerialGC)  # a collector the user names wins
        if score_input_is_small; then
          # Only C1 compiles: a short local run spends the cores on the code it runs, not on C2 compiling
          # Spark's and Parquet's code once more (70000 IDX images: 1.5 -> 1.2 s inside). The one loop that
          # needs C2 is the input's SHA-256 (provenance; no intrinsic in C1: about 120 MB/s), so this is for
          # inputs of at most SCORE_C1_MAX_BYTES here (bench/README.md#scoring-fifth-pass)
          driver_opts+=(-XX:TieredStopAtLevel=1)
        else
          # A score run has few hot loops: C2 compiles only what is really hot (the pixel loops, SHA-256),
          # not Spark's and DL4J's start-up code. That halves the JIT's CPU time of a run (bench/README.md).
          driver_opts+=("${HOT_C2_ONLY[@]}")
        fi
        break ;;
      train)
        command=train  # keeps its fixed heap; gets the class-data archive (class_archive)
        # ND4J frees an array's native memory only when the collector finds its Java object dead. Left to
        # itself, G1 grew the young generation until a whole epoch of conf/best.conf passed without a
        # collection, the process grew to 3 GB and such epochs ran 40% slower; a young generation of at most
        # 128 MB collects every few seconds: 12.2 -> 11.1 s an epoch, 2961 -> 2030 MB (bench/README.md#issue-15)
        [[ "${JAVA_OPTS:-}" =~ (-Xmn|NewSize|NewRatio) ]] || heap_opts+=(-XX:MaxNewSize=128m)  # a size the user names wins
        # In local mode, where the driver's JVM also runs the executors: the parallel collector and C2 for really
        # hot code only, so that the second core trains instead of running G1's concurrent threads and compiling
        # start-up code. conf/fast.conf reached 97% after 5.8 instead of 6.9 s, a best.conf epoch with 2 workers
        # fitted in 3.70 instead of 4.21 s, with 17-28% less peak resident memory; nielsen.conf's warm epochs
        # fitted about 13% slower (bench/README.md#jit-and-collector). A collector the user names wins. A driver
        # on a cluster only plans and averages: it keeps the JVM's defaults (not measured there).
        if [[ "${MASTER:-}" == local || "${MASTER:-}" == local\[* ]]; then
          user_names_collector || heap_opts+=(-XX:+UseParallelGC)
          driver_opts+=("${HOT_C2_ONLY[@]}")
        fi
        break ;;
      *) break ;;
    esac
  done
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  # glibc's per-thread malloc arenas (8 per core by default) let native memory creep up; Hadoop's YARN uses 4.
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-4}"
  if [ -n "${SPARK_HOME:-}" ]; then
    if [ ! -x "$SPARK_HOME/bin/spark-submit" ]; then
      echo "error: SPARK_HOME=$SPARK_HOME: no bin/spark-submit there (unset SPARK_HOME to use the build's Spark jars)" >&2
      exit 2
    fi
    cmd=("$SPARK_HOME/bin/spark-submit" --properties-file "$SPARK_DEFAULTS"
         --driver-memory "$heap" --driver-java-options "${heap_opts[*]/-Xmx*/} ${driver_opts[*]} ${JAVA_OPTS:-}")
  else
    make_spark_home "$MNIST_SPARK_HOME/target/spark-home"
    export SPARK_HOME="$MNIST_SPARK_HOME/target/spark-home" SPARK_SCALA_VERSION=2.12
    local classpath="$MNIST_SPARK_HOME/conf${HADOOP_CONF_DIR:+:$HADOOP_CONF_DIR}${YARN_CONF_DIR:+:$YARN_CONF_DIR}:${driver_cp:-$SPARK_HOME/jars/*}"
    class_archive "$command" "$driver_cp"
    if [ -n "$CDS_WRITING" ]; then
      classpath="$driver_cp"  # jars only: the JVM archives from none other (log4j2 and Spark's settings are named by flags)
    elif [ -n "$CDS_ARCHIVE" ]; then
      classpath="$driver_cp:$MNIST_SPARK_HOME/conf"  # the archive's jars first, as when it was written
    fi
    # shellcheck disable=SC2206
    cmd=(java "${heap_opts[@]}" "${JAVA17_OPENS[@]}" "${driver_opts[@]}" "${CDS_OPTS[@]}" ${JAVA_OPTS:-}
         -cp "$classpath" org.apache.spark.deploy.SparkSubmit --properties-file "$SPARK_DEFAULTS")
    if [ "${REMOTE_DRIVER:-}" = 1 ]; then  # cluster deploy mode (yarn.sh): the driver's JVM is launched elsewhere
      cmd+=(--driver-memory "$heap" --conf "spark.driver.extraJavaOptions=${heap_opts[*]/-Xmx*/} ${driver_opts[*]} ${JAVA_OPTS:-}")
    fi
  fi
  cmd+=(--master "$MASTER" "${SUBMIT_ARGS[@]}" --class "$MAIN_CLASS" "$app_jar" "${APP_ARGS[@]}")
  if [ "${MNIST_SPARK_DRY_RUN:-}" = 1 ]; then
    printf '%q ' "${cmd[@]}"
    echo
    exit 0
  fi
  if [ -z "$CDS_WRITING" ]; then
    exec "${cmd[@]}"
  fi
  echo "mnist-spark: this first $command run of the build also writes the JVM's class-data archive $CDS_ARCHIVE (once; later runs start faster)" >&2
  # The JVM writes the archive as it exits, so this shell waits for it (no exec) and passes INT and TERM on. The
  # archive of a run that succeeded is kept if the JVM maps it, otherwise the failure is noted so that later
  # runs do not try again; a run that failed or was stopped leaves the writing to the next one (its archive
  # would lack the classes of the work it did not do).
  local status=0 pid interrupts=0
  trap 'rm -f "$CDS_WRITING"' EXIT
  "${cmd[@]}" <&0 &  # the terminal stays its input: the JVM's console (progress rewritten in place) sees it
  pid=$!
  # A background JVM ignores SIGINT, as bash starts it: both signals reach it as TERM, which stops a run the same
  # way (a training run keeps its last checkpoint). The JVM still writes the archive as it exits, so a second
  # Ctrl-C kills it at once; the exit status of a Ctrl-C is 130, as without the archive.
  trap 'interrupts=$((interrupts + 1)); kill -"$([ "$interrupts" -gt 1 ] && echo KILL || echo TERM)" "$pid" 2>/dev/null || true' INT
  trap 'kill -TERM "$pid" 2>/dev/null || true' TERM
  while true; do
    status=0
    wait "$pid" || status=$?
    kill -0 "$pid" 2>/dev/null || break  # wait returned for a trapped signal: the JVM is still finishing
  done
  trap - INT TERM
  # mapped with the run's heap settings (a heap past 32 GB, the default on a large host, maps no archive)
  if [ "$interrupts" -gt 0 ] && [ "$status" != 0 ]; then
    status=130
  elif [ "$status" != 0 ]; then
    :
  elif [ -s "$CDS_WRITING" ] && java "${heap_opts[@]}" -XX:SharedArchiveFile="$CDS_WRITING" -Xshare:on \
      -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$driver_cp" -version > /dev/null 2>&1; then
    rm -f "$(dirname "$CDS_ARCHIVE")/$command"-*.jsa "$(dirname "$CDS_ARCHIVE")/$command"-*.failed
    mv -f "$CDS_WRITING" "$CDS_ARCHIVE"
  else
    : > "$CDS_ARCHIVE.failed" 2>/dev/null || true
  fi
  exit "$status"
}

# A JVM class-data archive (AppCDS) for the local driver of score and train: the 17000 classes of Spark, DL4J
# and Parquet are mapped from one file instead of being read, parsed and verified from 200 jars, which takes
# 3-4 s of a score run (bench/README.md#scoring) and 1.8 s of conf/fast.conf's 13 s to 97% (bench/README.md#issue-15). Like JDK 19's -XX:+AutoCreateSharedArchive: while a build
# has none, its runs write target/cds/COMMAND-KEY.jsa as the JVM exits (-XX:ArchiveClassesAtExit: about 20 s,
# kept from the first run that succeeds); the next runs map it. An in-process dump after a successful run
# (jcmd's VM.cds dynamic_dump) was tried: it leaves out the classes not yet linked and measured 0.5-0.7 s slower
# a run. KEY covers the java binary and every jar's path, size and time, so a new build or JDK writes a new
# archive (a write that failed leaves COMMAND-KEY.jsa.failed: that build does without). Only for a class path of
# jars (the JVM cannot archive from a directory such as HADOOP_CONF_DIR), and not with Flight Recorder or a Java
# agent in JAVA_OPTS (JDK 17 can crash mapping the archive then); MNIST_SPARK_CDS=0 turns it off.
# Sets CDS_OPTS (JVM flags), CDS_ARCHIVE (the archive) and CDS_WRITING (the file being written, or empty).
class_archive() {
  local command="$1" classpath="$2" dir="$MNIST_SPARK_HOME/target/cds" key java jars=()
  CDS_OPTS=() CDS_ARCHIVE="" CDS_WRITING=""
  if { [ "$command" != score ] && [ "$command" != train ]; } || [ "${MNIST_SPARK_CDS:-1}" = 0 ] || [ -z "$classpath" ] || [ -n "${HADOOP_CONF_DIR:-}" ] \
      || [ -n "${YARN_CONF_DIR:-}" ] || [ "${REMOTE_DRIVER:-}" = 1 ] || ! java="$(command -v java)"; then
    return
  fi
  # JDK 17 can crash mapping a dynamic archive while a class-file hook is on (Flight Recorder, Java agents)
  if [[ "${JAVA_OPTS:-} ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-}" =~ (-javaagent|-agentlib|-agentpath|FlightRecord) ]]; then
    return
  fi
  # the archived runs see conf/ last on the class path, the writing run not at all: only while it holds no
  # class path resources (Hadoop's *-site.xml)
  if compgen -G "$MNIST_SPARK_HOME/conf/*.xml" > /dev/null; then
    return
  fi
  IFS=: read -r -a jars <<< "$classpath"
  # a jar that is gone (an old class path file) or a path stat cannot read: no archive, Java reports the rest
  key="$(stat -c '%n %s %Y' "$(readlink -f "$java")" "${jars[@]}" 2>/dev/null | md5sum | cut -c1-12)" || return
  CDS_ARCHIVE="$dir/$command-$key.jsa"
  if [ -r "$CDS_ARCHIVE" ] && [ -s "$CDS_ARCHIVE" ]; then
    CDS_OPTS=(-XX:SharedArchiveFile="$CDS_ARCHIVE" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  elif [ ! -e "$CDS_ARCHIVE.failed" ] && mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    CDS_WRITING="$dir/.$command-$key.$$.jsa"
    CDS_OPTS=(-XX:ArchiveClassesAtExit="$CDS_WRITING" -Xlog:cds=off -Xlog:cds+dynamic=off)
  else
    CDS_ARCHIVE=""
  fi
}

# True when APP_ARGS are a score run in local mode (its executors are threads of this JVM) whose --input is a
# directory of this machine (folders get no SHA-256 in provenance) or a file of this machine of at most
# SCORE_C1_MAX_BYTES (default 64 MiB, the size of 80000 raw MNIST images: its SHA-256 under C1 then costs at most
# about 0.5 s, about what C1 saves). Anything else (a Hadoop URI, a plain path while HADOOP_CONF_DIR or
# YARN_CONF_DIR may make HDFS the default file system, a larger file, another master) keeps C2.
score_input_is_small() {
  local i input="" size limit="${SCORE_C1_MAX_BYTES:-67108864}"
  if ! [[ "$limit" =~ ^[0-9]+$ ]]; then
    echo "error: SCORE_C1_MAX_BYTES=$limit: expected a number of bytes (default 67108864)" >&2
    exit 2
  fi
  [[ "${MASTER:-}" == local || "${MASTER:-}" == local\[* ]] || return 1
  for ((i = 0; i < ${#APP_ARGS[@]}; i++)); do
    case "${APP_ARGS[$i]}" in
      --input) input="${APP_ARGS[$((i + 1))]:-}" ;;
      --input=*) input="${APP_ARGS[$i]#--input=}" ;;
    esac
  done
  case "$input" in
    file:///*) input="${input#file://}" ;;
    file:/*) input="${input#file:}" ;;
    *:*|"") return 1 ;;  # another scheme, file://host/..., or no --input
    *) [ -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ] || return 1 ;;
  esac
  [ -d "$input" ] && return 0
  size="$(stat -L -c %s "$input" 2>/dev/null)" || return 1
  [ "$size" -le "$limit" ]
}

# True when the user's JVM options already name a garbage collector (the JVM refuses to start with two): JAVA_OPTS,
# the JVM's own JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS, what a Spark installation's spark-submit adds to the driver
# (SPARK_SUBMIT_OPTS), and spark-submit options (spark.driver.defaultJavaOptions, --driver-java-options, ...).
user_names_collector() {
  local opts="${JAVA_OPTS:-} ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-} ${SUBMIT_ARGS[*]:-}"
  [ -z "${SPARK_HOME:-}" ] || opts+=" ${SPARK_SUBMIT_OPTS:-}"
  [[ " $opts " =~ -XX:\+Use(Serial|Parallel|G1|Z|Shenandoah|Epsilon|ConcMarkSweep)GC([[:space:]\"\']|$) ]]
}

# For the wrappers that only work with a Spark installation (YARN, Kubernetes: their clients are not in the build).
require_spark_home() {
  if [ -z "${SPARK_HOME:-}" ]; then
    echo "error: $1 needs a Spark 3.5 / Scala 2.12 installation with $2 support: set SPARK_HOME (the build's Spark jars have no $2 client)" >&2
    exit 2
  fi
}

# Cluster deploy mode: the driver runs elsewhere, so an application --conf FILE that exists here is shipped with
# spark-submit --files and named by its base name (the driver's working directory holds it). Further files to
# ship are the arguments. One --files option results, merged with the user's own.
ship_files() {
  local files=("$@") args=() i
  for ((i = 0; i < ${#APP_ARGS[@]}; i++)); do
    if [ "${APP_ARGS[$i]}" = --conf ] && [ $((i + 1)) -lt ${#APP_ARGS[@]} ] && [ -f "${APP_ARGS[$((i + 1))]}" ]; then
      files+=("${APP_ARGS[$((i + 1))]}")
      APP_ARGS[$((i + 1))]="$(basename "${APP_ARGS[$((i + 1))]}")"
    fi
  done
  for ((i = 0; i < ${#SUBMIT_ARGS[@]}; i++)); do
    case "${SUBMIT_ARGS[$i]}" in
      --files) files+=("${SUBMIT_ARGS[$((i + 1))]}"); i=$((i + 1)) ;;
      --files=*) files+=("${SUBMIT_ARGS[$i]#--files=}") ;;
      *) args+=("${SUBMIT_ARGS[$i]}") ;;
    esac
  done
  SUBMIT_ARGS=("${args[@]}")
  if [ ${#files[@]} -gt 0 ]; then
    SUBMIT_ARGS+=(--files "$(IFS=,; echo "${files[*]}")")
  fi
}
