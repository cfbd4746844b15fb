package io.mnistspark.score;

import io.mnistspark.data.FeatureFrames;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.ImageFolder;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.ml.BatchScorer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows {@code score} writes, made on the executors straight from pixels: IDX blocks or decoded image files
 * go through the model's {@link BatchScorer} (the scorer of its {@code transform}) {@code batchSize} images a
 * call, and each image becomes one row of {@link Predictions}' columns, with no DataFrame of feature vectors in
 * between. Every scored batch is added to {@code scored} (the progress count).
 */
public final class PredictionRows {
    /** Images per task when scoring IDX blocks: big enough that task start-up is nothing, small enough for progress. */
    static final int IMAGES_PER_TASK = 100_000;

    private PredictionRows() {
    }

    /**
     * The columns: {@code idColumn} ({@code index}: long, or {@code path}: string), {@code label} (when
     * labelled), {@code prediction}, {@code probability}, {@code p0}..{@code p(K-1)}.
     */
    public static StructType schema(String idColumn, boolean labelled, int classes) {
        List<StructField> fields = new ArrayList<>();
        DataType idType = FeatureFrames.INDEX.equals(idColumn) ? DataTypes.LongType : DataTypes.StringType;
        fields.add(DataTypes.createStructField(idColumn, idType, false));
        if (labelled) {
            fields.add(DataTypes.createStructField(FeatureFrames.LABEL, DataTypes.IntegerType, false));
        }
        fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("probability", DataTypes.DoubleType, false));
        for (int c = 0; c < classes; c++) {
            fields.add(DataTypes.createStructField("p" + c, DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(fields);
    }

    /**
     * The images of IDX blocks, in index order: {@code index, [label], prediction, probability, p0..}. Blocks are
     * grouped into tasks of at most about {@value #IMAGES_PER_TASK} images, a multiple of the cores.
     */
    public static JavaRDD<Row> ofBlocks(ImageBlocks blocks, BatchScorer scorer, int batchSize, boolean labelled,
                                        LongAccumulator scored) {
        int[] counts = blocks.blockCounts();
        long[] firsts = new long[counts.length];
        for (int b = 1; b < counts.length; b++) {
            firsts[b] = firsts[b - 1] + counts[b - 1];
        }
        int cores = Math.max(1, blocks.rdd().context().defaultParallelism());
        long waves = Math.max(1, (blocks.count() + (long) IMAGES_PER_TASK * cores - 1) / ((long) IMAGES_PER_TASK * cores));
        int tasks = (int) Math.max(1, Math.min(counts.length, waves * cores)); // whole waves: no core idles at the end
        // coalescing keeps neighbouring blocks together and in order (the blocks have no preferred hosts)
        JavaRDD<Numbered> numbered = blocks.rdd().mapPartitionsWithIndex((p, it) -> new Iterator<Numbered>() {
            private long first = firsts[p];

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Numbered next() {
                LabeledImages block = it.next();
                Numbered numberedBlock = new Numbered(first, block);
                first += block.count();
                return numberedBlock;
            }
        }, true);
        return numbered.coalesce(tasks).mapPartitions(it -> new Iterator<Row>() {
            private Iterator<Row> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && it.hasNext()) {
                    current = blockRows(it.next(), scorer, batchSize, labelled, scored);
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        });
    }

    /** A block and the index of its first image. */
    record Numbered(long first, LabeledImages block) implements Serializable {
    }

    private static Iterator<Row> blockRows(Numbered numbered, BatchScorer scorer, int batchSize, boolean labelled,
                                           LongAccumulator scored) {
        LabeledImages block = numbered.block();
        int features = scorer.numFeatures();
        if (block.pixelsPerImage() != features) {
            throw new IllegalArgumentException("images of " + block.pixelsPerImage() + " pixels, the model takes " + features);
        }
        byte[] pixels = block.pixelBytes();
        int classes = scorer.numClasses();
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private final float[] inputs = new float[Math.min(batchSize, block.count()) * features];
            private int from;

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && from < block.count()) {
                    int n = Math.min(batchSize, block.count() - from);
                    int offset = from * features;
                    for (int i = 0; i < n * features; i++) {
                        inputs[i] = FeatureFrames.input(pixels[offset + i] & 0xFF);
                    }
                    BatchScorer.Scores scores = scorer.score(inputs, n);
                    for (int r = 0; r < n; r++) {
                        Object[] values = new Object[(labelled ? 4 : 3) + classes];
                        int c = 0;
                        values[c++] = numbered.first() + from + r;
                        if (labelled) {
                            values[c++] = block.label(from + r);
                        }
                        fill(scores, r, values, c);
                        ready.add(RowFactory.create(values));
                    }
                    from += n;
                    scored.add(n);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.pollFirst();
            }
        };
    }

    /**
     * The files of a folder, decoded on the executors: {@code path, prediction, probability, p0..} for each file
     * that is a usable image. Each other file is added to {@code rejected} with the reason instead: the driver
     * gets them with the tasks' results, once a file (Spark's DAGScheduler applies a result task's accumulator
     * updates only once per partition, whatever the retries), so the outputs need one pass over the files and
     * nothing kept on the executors' disks. Rejections are no larger than the listing the driver holds already.
     */
    public static JavaRDD<Row> ofFiles(JavaRDD<ImageFolder.Decoded> files, BatchScorer scorer, int batchSize,
                                       LongAccumulator done, CollectionAccumulator<Rejected> rejected) {
        int features = scorer.numFeatures();
        int classes = scorer.numClasses();
        return files.mapPartitions(it -> new Iterator<Row>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private final float[] inputs = new float[batchSize * features];
            private final String[] paths = new String[batchSize];

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && it.hasNext()) {
                    int n = 0;
                    int files = 0;
                    while (n < batchSize && it.hasNext()) {
                        ImageFolder.Decoded file = it.next();
                        files++;
                        if (file.error() != null) {
                            rejected.add(new Rejected(file.path(), file.error()));
                            continue;
                        }
                        System.arraycopy(file.pixels(), 0, inputs, n * features, features);
                        paths[n++] = file.path();
                    }
                    if (n > 0) {
                        BatchScorer.Scores scores = scorer.score(inputs, n);
                        for (int r = 0; r < n; r++) {
                            Object[] values = new Object[3 + classes];
                            values[0] = paths[r];
                            fill(scores, r, values, 1);
                            ready.add(RowFactory.create(values));
                        }
                    }
                    done.add(files);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.pollFirst();
            }
        });
    }

    /** A file that is not a usable image, and why: a row of {@code rejected/}. */
    public record Rejected(String path, String reason) implements Serializable {
        /** The columns of {@code rejected/}: {@code path}, {@code reason}. */
        public static StructType schema() {
            return DataTypes.createStructType(List.of(
                    DataTypes.createStructField("path", DataTypes.StringType, false),
                    DataTypes.createStructField("reason", DataTypes.StringType, false)));
        }

        public Row row() {
            return RowFactory.create(path, reason);
        }
    }

    /** prediction, probability (of the predicted class: the largest), p0..p(K-1) from {@code values[at]} on. */
    private static void fill(BatchScorer.Scores scores, int r, Object[] values, int at) {
        double[] probability = scores.probability(r);
        values[at] = scores.prediction(r, probability);
        double max = probability[0];
        for (int c = 1; c < probability.length; c++) {
            max = Math.max(max, probability[c]);
        }
        values[at + 1] = max;
        for (int c = 0; c < probability.length; c++) {
            values[at + 2 + c] = probability[c];
        }
    }
}
