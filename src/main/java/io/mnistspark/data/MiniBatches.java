package io.mnistspark.data;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A data set spread over the cluster, cached on the executors as compact pixel bytes, from which each epoch
 * builds its {@link DataSet} mini-batches.
 *
 * <p>The driver cuts the images into blocks of 1000 images (one task each) and ships each block once: a
 * shuffle places block {@code i} in partition {@code i mod partitions}, sorted by block number, so the
 * placement is the same on every run and no later task carries pixels in its closure (which a plain
 * {@code parallelize} would do). Each epoch every partition shuffles its own images with a seed derived from
 * (seed, epoch, partition), as Nielsen's SGD reshuffles before every epoch, and cuts them into mini-batches.
 * Mini-batches are built one at a time as Spark asks for them.
 */
public final class MiniBatches implements AutoCloseable {
    static final int BLOCK_IMAGES = 1000;

    private final JavaRDD<LabeledImages> blocks;
    private final long count;

    private MiniBatches(JavaRDD<LabeledImages> blocks, long count) {
        this.blocks = blocks;
        this.count = count;
    }

    /** The number of images. */
    public long count() {
        return count;
    }

    public static MiniBatches distribute(JavaSparkContext sc, LabeledImages images, int partitions) {
        List<Tuple2<Integer, LabeledImages>> pieces = new ArrayList<>();
        for (int from = 0, block = 0; from < images.count(); from += BLOCK_IMAGES, block++) {
            pieces.add(new Tuple2<>(block, images.slice(from, Math.min(images.count(), from + BLOCK_IMAGES))));
        }
        JavaRDD<LabeledImages> blocks = sc.parallelizePairs(pieces, pieces.size())
                .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
                .values()
                .persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        return new MiniBatches(blocks, images.count());
    }

    /**
     * The mini-batches of one epoch: every partition's images in a seeded random order, {@code batchSize} at
     * a time (a partition's last batch may be smaller). Not cached: persist it for repeated use.
     */
    public JavaRDD<DataSet> epoch(long seed, int epoch, int batchSize) {
        return blocks.mapPartitionsWithIndex((partition, it) ->
                shuffledBatches(concat(it), seed, epoch, partition, batchSize), true);
    }

    /** The images in their stored order, {@code batchSize} at a time, for evaluation and scoring. */
    public JavaRDD<DataSet> inOrder(int batchSize) {
        return blocks.mapPartitions(it -> batches(concat(it), null, batchSize), true);
    }

    /** The mini-batches partition {@code partition} yields in {@code epoch}: the same on the driver and on Spark. */
    public static Iterator<DataSet> shuffledBatches(LabeledImages images, long seed, int epoch, int partition,
                                                    int batchSize) {
        int[] order = new int[images.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + partition);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return batches(images, order, batchSize);
    }

    static LabeledImages concat(Iterator<LabeledImages> parts) {
        List<LabeledImages> list = new ArrayList<>();
        parts.forEachRemaining(list::add);
        return list.size() == 1 ? list.get(0) : LabeledImages.concat(list);
    }

    /** Mini-batches of the images at {@code order} (all images in order when null), each built when asked for. */
    static Iterator<DataSet> batches(LabeledImages images, int[] order, int batchSize) {
        return new Iterator<>() {
            private int from;

            @Override
            public boolean hasNext() {
                return from < images.count();
            }

            @Override
            public DataSet next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int to = Math.min(images.count(), from + batchSize);
                DataSet batch = toDataSet(images, order, from, to);
                from = to;
                return batch;
            }
        };
    }

    /**
     * Features scaled to [0,1] (pixel / 255) and one-hot labels, as float32. The arrays are filled with one bulk
     * copy each: {@code Nd4j.create(float[], ...)} copies element by element, which profiled at a tenth of an
     * epoch's time for batches of 10.
     */
    public static DataSet toDataSet(LabeledImages images, int[] order, int from, int to) {
        int rows = to - from;
        int n = images.pixelsPerImage();
        float[] features = new float[rows * n];
        float[] labels = new float[rows * IdxFile.CLASSES];
        for (int r = 0; r < rows; r++) {
            int index = order == null ? from + r : order[from + r];
            for (int p = 0; p < n; p++) {
                features[r * n + p] = images.pixel(index, p) / 255f;
            }
            labels[r * IdxFile.CLASSES + images.label(index)] = 1f;
        }
        return new DataSet(matrix(features, rows, n), matrix(labels, rows, IdxFile.CLASSES));
    }

    /** A rows x columns float32 matrix in row-major order holding {@code values}. */
    static INDArray matrix(float[] values, int rows, int columns) {
        INDArray matrix = Nd4j.createUninitialized(DataType.FLOAT, rows, columns);
        new FloatPointer(matrix.data().addressPointer()).put(values, 0, values.length);
        return matrix;
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
