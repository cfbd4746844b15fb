package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * MNIST-format data as Parquet, the format users' other Spark jobs read: a directory holding {@code train/} and
 * {@code test/}, each a Parquet dataset of an integer {@code label} column and either an {@code image} column of
 * rows x columns bytes (row by row, 0-255) or a {@code features} vector column (pixel intensities in [0, 1]).
 * {@code convert} writes the {@code image} form; executors read and write it, never the driver.
 */
public final class ParquetImages {
    public static final String LABEL = "label";
    public static final String IMAGE = "image";
    public static final String TRAIN = "train";
    public static final String TEST = "test";

    private ParquetImages() {
    }

    /** True when {@code directory} holds {@code train/} and {@code test/} (the layout {@code convert} writes). */
    public static boolean isParquetLayout(Path directory, Configuration hadoop) {
        try {
            FileSystem fs = directory.getFileSystem(hadoop);
            return fs.isDirectory(new Path(directory, TRAIN)) && fs.isDirectory(new Path(directory, TEST));
        } catch (IOException e) {
            return false;
        }
    }

    /** A Parquet dataset, checked for the columns this tool reads. */
    public static Dataset<Row> read(SparkSession spark, Path path) {
        Dataset<Row> frame;
        try {
            frame = spark.read().parquet(path.toString());
        } catch (RuntimeException e) {
            throw new InvalidInputException(path + ": not a Parquet dataset (" + firstLine(e.getMessage()) + ")", e);
        }
        StructType schema = frame.schema();
        List<String> names = List.of(schema.fieldNames());
        if (!names.contains(LABEL)) {
            throw new InvalidInputException(path + ": has no '" + LABEL + "' column (columns: " + String.join(", ", names)
                    + "); expected an integer label and an image (bytes) or features (vector) column");
        }
        if (!names.contains(IMAGE) && !names.contains(FeatureFrames.FEATURES)) {
            throw new InvalidInputException(path + ": has neither an '" + IMAGE + "' (bytes) nor a '" + FeatureFrames.FEATURES
                    + "' (vector) column (columns: " + String.join(", ", names) + ")");
        }
        return frame;
    }

    /** The column holding the pixels: {@code image} when present, else {@code features}. */
    public static String pixelColumn(Dataset<Row> frame) {
        return List.of(frame.schema().fieldNames()).contains(IMAGE) ? IMAGE : FeatureFrames.FEATURES;
    }

    /** Blocks as rows {@code label (int), image (bytes)}, made by the executors. */
    public static Dataset<Row> rows(SparkSession spark, ImageBlocks blocks) {
        JavaRDD<Row> rows = blocks.rdd().flatMap(block -> {
            List<Row> out = new ArrayList<>(block.count());
            int n = block.pixelsPerImage();
            byte[] pixels = block.pixelBytes();
            for (int i = 0; i < block.count(); i++) {
                byte[] image = new byte[n];
                System.arraycopy(pixels, i * n, image, 0, n);
                out.add(RowFactory.create(block.label(i), image));
            }
            return out.iterator();
        });
        StructType schema = DataTypes.createStructType(new StructField[]{
                DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
                DataTypes.createStructField(IMAGE, DataTypes.BinaryType, false)});
        return spark.createDataFrame(rows, schema);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
