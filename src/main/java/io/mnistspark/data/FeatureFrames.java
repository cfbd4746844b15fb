package io.mnistspark.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * MNIST images as Spark ML DataFrames: a {@code features} vector column (pixel / 255, row by row) and, when
 * labels are known, a {@code label} column (a whole number as a double), the columns Spark's classifiers read.
 * The rows are made on the executors from blocks they read themselves ({@link ImageBlocks}).
 */
public final class FeatureFrames {
    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    public static final String INDEX = "index";
    /** {@link #input}'s values. */
    private static final float[] INPUTS = new float[256];

    static {
        for (int level = 0; level < INPUTS.length; level++) {
            INPUTS[level] = (float) (level / 255.0);
        }
    }

    private FeatureFrames() {
    }

    /**
     * The feature value of grey level {@code level} (0-255: {@code level / 255}, as the {@code features} column
     * holds it) in the network's precision, float: what scoring gives the network for a pixel.
     */
    public static float input(int level) {
        return INPUTS[level];
    }

    /** The training images and labels of an MNIST-format directory (any Hadoop URI): index, label, features. */
    public static Dataset<Row> train(SparkSession spark, String directory) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        MnistFiles files = MnistFiles.in(new Path(directory), hadoop);
        return fromIdx(spark, IdxPair.read(files.trainImages(), files.trainLabels(), hadoop));
    }

    /** The test images and labels ({@code t10k-*}) of an MNIST-format directory: index, label, features. */
    public static Dataset<Row> test(SparkSession spark, String directory) {
        return fromIdx(spark, MnistDataset.openTest(new Path(directory), spark.sparkContext().hadoopConfiguration()));
    }

    /**
     * The images of an IDX pair (labels optional) as rows {@code index, [label], features} in index order, read by
     * the executors: the driver reads only the headers.
     */
    public static Dataset<Row> fromIdx(SparkSession spark, IdxPair pair) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ImageBlocks blocks = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{pair.count()}).get(0);
        blocks.awaitCached(); // a gzip file's problems fail here, not in the first action on the frame
        return fromBlocks(spark, blocks, pair.labelled());
    }

    /** Blocks as rows {@code index, [label], features}: each executor turns its blocks into rows. */
    public static Dataset<Row> fromBlocks(SparkSession spark, ImageBlocks blocks, boolean labelled) {
        long[] firsts = blocks.offsets();
        JavaRDD<Row> rows = blocks.rdd().mapPartitionsWithIndex((p, it) -> {
            List<Row> out = new ArrayList<>();
            long first = firsts[p];
            while (it.hasNext()) {
                LabeledImages block = it.next();
                rows(block, first, labelled, out);
                first += block.count();
            }
            return out.iterator();
        }, true);
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(INDEX, DataTypes.LongType, false));
        if (labelled) {
            fields.add(DataTypes.createStructField(LABEL, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), false));
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }

    /** Images already on the driver (tests, small examples) as rows {@code index, label, features}. */
    public static Dataset<Row> fromImages(SparkSession spark, LabeledImages images) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return fromBlocks(spark, ImageBlocks.of(sc, images), true);
    }

    private static void rows(LabeledImages block, long first, boolean labelled, List<Row> out) {
        int n = block.pixelsPerImage();
        byte[] pixels = block.pixelBytes();
        for (int i = 0; i < block.count(); i++) {
            double[] values = new double[n];
            for (int p = 0; p < n; p++) {
                values[p] = (pixels[i * n + p] & 0xFF) / 255.0;
            }
            Vector features = Vectors.dense(values);
            out.add(labelled ? RowFactory.create(first + i, (double) block.label(i), features)
                    : RowFactory.create(first + i, features));
        }
    }
}
