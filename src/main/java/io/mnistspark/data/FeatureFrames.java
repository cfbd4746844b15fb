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

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * MNIST images as Spark ML DataFrames: a {@code features} vector column (pixel / 255, row by row) and, when
 * labels are known, a {@code label} column (0-9 as a double), the columns Spark's classifiers read. And back:
 * a DataFrame's feature vectors as compact {@link LabeledImages} for training.
 */
public final class FeatureFrames {
    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    public static final String INDEX = "index";
    private static final int BLOCK = 1000;

    private FeatureFrames() {
    }

    /** The training images and labels of an MNIST-format directory (any Hadoop URI): index, label, features. */
    public static Dataset<Row> train(SparkSession spark, String directory) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        MnistFiles files = MnistFiles.in(new Path(directory), hadoop);
        return fromImages(spark, MnistDataset.pair(files.trainImages(), files.trainLabels(), hadoop));
    }

    /** The test images and labels ({@code t10k-*}) of an MNIST-format directory: index, label, features. */
    public static Dataset<Row> test(SparkSession spark, String directory) {
        return fromImages(spark, MnistDataset.loadTest(new Path(directory), spark.sparkContext().hadoopConfiguration()));
    }

    public static Dataset<Row> fromImages(SparkSession spark, LabeledImages images) {
        byte[] labels = new byte[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) images.label(i);
        }
        byte[] pixels = new byte[images.count() * images.pixelsPerImage()];
        for (int i = 0; i < images.count(); i++) {
            for (int p = 0; p < images.pixelsPerImage(); p++) {
                pixels[i * images.pixelsPerImage() + p] = (byte) images.pixel(i, p);
            }
        }
        return fromIdx(spark, new IdxFile.Images(images.rows(), images.columns(), pixels, images.count()), labels);
    }

    /**
     * IDX images (and their labels, or null) as rows {@code index, [label], features} in index order. The
     * driver ships each block of 1000 images once, as bytes; the executors turn them into vectors.
     */
    public static Dataset<Row> fromIdx(SparkSession spark, IdxFile.Images images, byte[] labels) {
        int n = images.rows() * images.columns();
        List<Block> blocks = new ArrayList<>();
        for (int from = 0; from < images.count(); from += BLOCK) {
            int to = Math.min(images.count(), from + BLOCK);
            byte[] pixels = java.util.Arrays.copyOfRange(images.pixels(), from * n, to * n);
            blocks.add(new Block(from, n, pixels, labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to)));
        }
        boolean labelled = labels != null;
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(blocks, Math.max(1, blocks.size()))
                .flatMap(block -> block.rows(labelled));
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(INDEX, DataTypes.LongType, false));
        if (labelled) {
            fields.add(DataTypes.createStructField(LABEL, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), false));
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }

    /** Consecutive IDX images starting at image {@code first}. */
    private record Block(long first, int pixelsPerImage, byte[] pixels, byte[] labels) implements Serializable {
        Iterator<Row> rows(boolean labelled) {
            int count = pixels.length / pixelsPerImage;
            List<Row> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                double[] values = new double[pixelsPerImage];
                for (int p = 0; p < pixelsPerImage; p++) {
                    values[p] = (pixels[i * pixelsPerImage + p] & 0xFF) / 255.0;
                }
                Vector features = Vectors.dense(values);
                rows.add(labelled ? RowFactory.create(first + i, (double) labels[i], features)
                        : RowFactory.create(first + i, features));
            }
            return rows.iterator();
        }
    }

    /**
     * A DataFrame's feature vectors and labels as 8-bit images (the precision of the images they come from:
     * value x255, rounded), in the DataFrame's order. Each partition is packed on its executor; the driver
     * receives one byte per pixel. Features must lie in [0, 1] and labels be whole numbers 0-9.
     */
    public static LabeledImages toLabeledImages(Dataset<?> data, String featuresColumn, String labelColumn) {
        List<LabeledImages> parts = data.select(featuresColumn, labelColumn).toJavaRDD()
                .mapPartitions(rows -> pack(rows, featuresColumn, labelColumn)).collect();
        List<LabeledImages> nonEmpty = parts.stream().filter(p -> p.count() > 0).toList();
        if (nonEmpty.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no rows to train on");
        }
        int n = nonEmpty.get(0).pixelsPerImage();
        for (LabeledImages part : nonEmpty) {
            if (part.pixelsPerImage() != n) {
                throw new IllegalArgumentException("column " + featuresColumn + " holds vectors of sizes " + n
                        + " and " + part.pixelsPerImage() + "; all must have the same size");
            }
        }
        return LabeledImages.concat(nonEmpty);
    }

    private static Iterator<LabeledImages> pack(Iterator<Row> rows, String featuresColumn, String labelColumn) {
        java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        int size = -1;
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.isNullAt(0) || row.isNullAt(1)) {
                throw new IllegalArgumentException("null in column " + (row.isNullAt(0) ? featuresColumn : labelColumn));
            }
            double[] values = ((Vector) row.get(0)).toArray();
            if (size >= 0 && values.length != size) {
                throw new IllegalArgumentException("column " + featuresColumn + " holds vectors of sizes " + size
                        + " and " + values.length + "; all must have the same size");
            }
            size = values.length;
            for (double v : values) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("column " + featuresColumn + " holds " + v
                            + ": features must be pixel intensities in [0, 1]");
                }
                pixels.write((int) Math.round(v * 255));
            }
            double label = row.getDouble(1);
            if (label != Math.rint(label) || label < 0 || label >= IdxFile.CLASSES) {
                throw new IllegalArgumentException("column " + labelColumn + " holds " + label
                        + ": labels must be whole numbers 0-" + (IdxFile.CLASSES - 1));
            }
            labels.write((int) label);
        }
        if (size < 0) {
            return List.of(new LabeledImages(0, 0, new byte[0], new byte[0])).iterator();
        }
        int side = (int) Math.round(Math.sqrt(size));
        int height = side * side == size ? side : 1;
        int width = side * side == size ? side : size;
        return List.of(new LabeledImages(height, width, pixels.toByteArray(), labels.toByteArray())).iterator();
    }

    /** Columns of a decoded image folder: {@code path}, {@code features} (null when rejected), {@code error}. */
    public static StructType decodedSchema() {
        return DataTypes.createStructType(List.of(
                DataTypes.createStructField("path", DataTypes.StringType, false),
                DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), true),
                DataTypes.createStructField("error", DataTypes.StringType, true)));
    }
}
