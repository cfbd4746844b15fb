package io.mnistspark.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's program: a plain SparkSession that sets nothing (no DL4J time source), then
 * {@link DenseNetClassifier#fit} with DL4J's training statistics on (which ask for the time source on the driver
 * and the executors). Prints the time source in force and "fitted".
 */
public final class PlainSessionFit {
    private PlainSessionFit() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("plain")
                .config("spark.ui.enabled", "false").getOrCreate();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] pixels = new double[16];
            pixels[i % 2 == 0 ? 3 : 12] = 1;
            pixels[(i * 7) % 16] += 0.1;
            rows.add(RowFactory.create(Vectors.dense(pixels), (double) (i % 2)));
        }
        Dataset<Row> data = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
                DataTypes.createStructField("label", DataTypes.DoubleType, false))));
        new DenseNetClassifier().setHiddenLayers(8).setEpochs(1).setWorkers(2).setValidationSize(0)
                .setConfig("spark.training-stats", true).fit(data);
        System.out.println("time source: " + System.getProperty("org.deeplearning4j.spark.time.TimeSource"));
        System.out.println("fitted");
        spark.stop();
    }
}
