package io.mnistspark.cli;

import io.mnistspark.model.NativeBuild;
import io.mnistspark.model.NativeBuildPlugin;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark context of one command. Under spark-submit the master and settings come from it; run directly
 * (tests, an IDE) the command falls back to {@code local[workers]}. A context this class did not create (a
 * test's) is left running.
 */
public final class SparkRuntime implements AutoCloseable {
    static final String LOCAL_DIRECT_RESULT_SIZE = "128m";
    static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    static final String HEARTBEAT_INTERVAL = "1s";

    private final JavaSparkContext context;
    private final boolean owned;

    private SparkRuntime(JavaSparkContext context, boolean owned) {
        this.context = context;
        this.owned = owned;
    }

    /** @param verbose INFO logging from Spark (WARN otherwise) */
    public static SparkRuntime start(String appName, int localWorkers, boolean verbose) {
        NativeBuild.select(); // before anything loads ND4J in this JVM (see NativeBuild)
        // DL4J's default time source asks NTP servers: workers on closed networks have none.
        System.setProperty(TIME_SOURCE_PROPERTY, "org.deeplearning4j.spark.time.SystemClockTimeSource");
        boolean existed = SparkContext$.MODULE$.getActive().isDefined();
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(localWorkers > 0 ? "local[" + localWorkers + "]" : "local[*]");
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(appName);
        }
        conf.setIfMissing("spark.locality.wait", "0");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        // each executor loads the ND4J build its CPU runs
        conf.set(NativeBuildPlugin.CONF_KEY, NativeBuildPlugin.addTo(conf.get(NativeBuildPlugin.CONF_KEY, null)));
        conf.setIfMissing("spark.executor.extraJavaOptions", "-D" + TIME_SOURCE_PROPERTY
                + "=org.deeplearning4j.spark.time.SystemClockTimeSource");
        // Executor heartbeats carry the fitted-example counts of running tasks to the progress line (10 s by default).
        conf.setIfMissing("spark.executor.heartbeatInterval", HEARTBEAT_INTERVAL);
        if (inOneJvm(conf.get("spark.master"))) {
            // A round's result (best.conf: 15.5 MB of parameters and updater state per worker) above 1 MB would go
            // through the block manager, which fetches it back into this same JVM over a socket; as a direct
            // result it is handed over in memory (Spark caps this at spark.rpc.message.maxSize).
            conf.setIfMissing("spark.task.maxDirectResultSize", LOCAL_DIRECT_RESULT_SIZE);
        }
        if (!verbose) {
            // Before the context starts. A task that finds bad input (a label out of range deep inside a file)
            // fails its job: the command prints the task's one-line message; the executor's stack trace and the
            // scheduler's retries are noise in local mode, where executors log to this console (on a cluster they
            // go to the executors' logs). So is the local executor's first heartbeat when it comes before the
            // scheduler is registered (likelier with the 1 s interval): Spark drops it and the next one arrives.
            for (String logger : new String[]{"org.apache.spark.executor.Executor",
                    "org.apache.spark.scheduler.TaskSetManager", "org.apache.spark.rpc.netty.Inbox"}) {
                org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.OFF);
            }
        }
        SparkContext sc = SparkContext.getOrCreate(conf);
        sc.setLogLevel(verbose ? "INFO" : "WARN");
        return new SparkRuntime(JavaSparkContext.fromSparkContext(sc), !existed);
    }

    /** Spark's local masters ({@code local}, {@code local[N]}, {@code local[N,F]}, {@code local[*]}): executors in this JVM. */
    static boolean inOneJvm(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    public JavaSparkContext context() {
        return context;
    }

    @Override
    public void close() {
        if (owned) {
            context.stop();
        }
    }
}
