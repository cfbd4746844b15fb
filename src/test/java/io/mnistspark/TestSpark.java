package io.mnistspark;

import io.mnistspark.cli.SparkRuntime;
import org.apache.spark.api.java.JavaSparkContext;

/** One local[2] Spark context for the whole test JVM; commands run in tests find it and leave it running. */
public final class TestSpark {
    private static JavaSparkContext context;

    private TestSpark() {
    }

    public static synchronized JavaSparkContext context() {
        if (context == null) {
            // DenseNetClassifierTest proves that fit collects nothing with a limit far below its data's size
            System.setProperty("spark.driver.maxResultSize", "4m");
            context = SparkRuntime.start("mnist-spark tests", 2, false).context();
        }
        return context;
    }
}
