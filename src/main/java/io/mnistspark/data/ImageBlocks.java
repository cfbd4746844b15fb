package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.dataset.DataSet;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A set of labelled images spread over the executors as blocks of at most {@value #BLOCK_IMAGES} images, one
 * block per RDD partition, 1 byte a pixel. The driver holds only the plan: how many images each block has and
 * where it starts in its file.
 *
 * <p>Where the blocks come from decides how they are kept:
 * <ul>
 * <li>a raw IDX file: each block is a byte range that a task reads when it needs it, and is not cached: the
 *     file (and the operating system's page cache) is the copy, so a data set larger than the executors'
 *     memory costs no memory and no local disk;</li>
 * <li>a gzip IDX file cannot be read in ranges: a small one (MNIST's) is inflated once by each executor that
 *     caches blocks of it ({@link InflatedPairs}); a larger one is streamed by one executor task and its blocks
 *     are shuffled to all executors. Either way the blocks are persisted {@code MEMORY_AND_DISK}: what does not
 *     fit in storage memory goes to the executors' local disk;</li>
 * <li>a DataFrame: each partition is packed into blocks on its executor, then persisted the same way.</li>
 * </ul>
 */
public final class ImageBlocks implements AutoCloseable {
    /** Images per block. */
    public static final int BLOCK_IMAGES = 1000;
    static final ClassTag<LabeledImages> TAG = ClassTag$.MODULE$.apply(LabeledImages.class);

    private final JavaRDD<LabeledImages> rdd;
    private final int[] counts;
    private final long[] firsts;
    private final int rows;
    private final int columns;
    private final IdxPair rawSource;
    private final JavaRDD<?> cached;
    private final String origin;
    private final String labelOrigin;
    // the segment's labels, counted by the job that caches the blocks (still running, or null: labelCounts then runs a job)
    private PendingTallies pending;
    private int segment;

    private ImageBlocks(JavaRDD<LabeledImages> rdd, int[] counts, long[] firsts, int rows, int columns,
                        IdxPair rawSource, JavaRDD<?> cached, String origin, String labelOrigin) {
        this.rdd = rdd;
        this.counts = counts;
        this.firsts = firsts;
        this.rows = rows;
        this.columns = columns;
        this.rawSource = rawSource;
        this.cached = cached;
        this.origin = origin;
        this.labelOrigin = labelOrigin;
    }

    /**
     * The images {@code [starts[s], ends[s])} of an IDX pair, one set per segment (e.g. the training and the
     * validation part of one file). A gzip pair's blocks are cached by a job this starts and does not wait for
     * ({@link PendingTallies}): a problem in its content fails with its one-line message in {@link #labelCounts}
     * or {@link #awaitCached}.
     */
    public static List<ImageBlocks> readIdx(JavaSparkContext sc, IdxPair pair, long[] starts, long[] ends) {
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        List<ImageBlocks> sets = new ArrayList<>();
        if (!pair.gzip()) {
            for (int s = 0; s < starts.length; s++) {
                long[] firsts = firsts(starts[s], ends[s]);
                int[] counts = counts(starts[s], ends[s]);
                List<Integer> numbers = new ArrayList<>();
                for (int b = 0; b < firsts.length; b++) {
                    numbers.add(b);
                }
                JavaRDD<LabeledImages> blocks = sc.parallelize(numbers, Math.max(1, numbers.size()))
                        .map(b -> IdxReads.rawBlock(pair, firsts[b], counts[b], hadoop.value().value()));
                sets.add(new ImageBlocks(blocks, counts, firsts, pair.rows(), pair.columns(), pair, null,
                        pair.images().path(), labelsOf(pair)));
            }
            return sets;
        }
        int total = 0;
        int[] firstBlock = new int[starts.length + 1];
        for (int s = 0; s < starts.length; s++) {
            firstBlock[s] = total;
            total += firsts(starts[s], ends[s]).length;
        }
        firstBlock[starts.length] = total;
        int blockCount = total;
        int[] segmentOf = new int[blockCount];
        long[] firstOf = new long[blockCount];
        int[] countOf = new int[blockCount];
        for (int s = 0; s < starts.length; s++) {
            long[] segmentFirsts = firsts(starts[s], ends[s]);
            int[] segmentCounts = counts(starts[s], ends[s]);
            for (int b = 0; b < segmentFirsts.length; b++) {
                segmentOf[firstBlock[s] + b] = s;
                firstOf[firstBlock[s] + b] = segmentFirsts[b];
                countOf[firstBlock[s] + b] = segmentCounts[b];
            }
        }
        JavaRDD<LabeledImages> all;
        boolean inflated = InflatedPairs.fits(pair);
        if (inflated) {
            // each executor inflates the pair once and copies its blocks out: no shuffle
            List<Integer> numbers = new ArrayList<>();
            for (int b = 0; b < blockCount; b++) {
                numbers.add(b);
            }
            String key = InflatedPairs.key(pair, sc.hadoopConfiguration());
            all = sc.parallelize(numbers, Math.max(1, blockCount))
                    .map(b -> InflatedPairs.block(pair, key, b, firstOf[b], countOf[b], blockCount, hadoop.value().value()));
        } else {
            all = sc.parallelize(List.of(0), 1)
                    .flatMapToPair(x -> IdxReads.streamedBlocks(pair, starts, ends, BLOCK_IMAGES, hadoop.value().value()))
                    .partitionBy(new BlockPartitioner(Math.max(1, blockCount)))
                    .values();
        }
        all = all.persist(StorageLevel.MEMORY_AND_DISK());
        all.setName("blocks of " + pair.images().path());
        PendingTallies tallies = PendingTallies.start(all, segmentOf, firstOf, starts.length,
                sc.isLocal() && inflated ? 1 : sc.defaultParallelism());
        for (int s = 0; s < starts.length; s++) {
            JavaRDD<LabeledImages> segment = firstBlock[s] == 0 && firstBlock[s + 1] == blockCount ? all
                    : JavaRDD.fromRDD(PartitionPruningRDD.create(all.rdd(), new PartitionRange(firstBlock[s], firstBlock[s + 1])), TAG);
            ImageBlocks set = new ImageBlocks(segment, counts(starts[s], ends[s]), firsts(starts[s], ends[s]), pair.rows(),
                    pair.columns(), null, s == 0 ? all : null, pair.images().path(), labelsOf(pair));
            set.pending = tallies;
            set.segment = s;
            sets.add(set);
        }
        return sets;
    }

    /** Images already on the driver (tests, benchmarks), cut into blocks and cached on the executors. */
    public static ImageBlocks of(JavaSparkContext sc, LabeledImages images) {
        List<LabeledImages> blocks = new ArrayList<>();
        for (int from = 0; from < images.count(); from += BLOCK_IMAGES) {
            blocks.add(images.slice(from, Math.min(images.count(), from + BLOCK_IMAGES)));
        }
        JavaRDD<LabeledImages> rdd = sc.parallelize(blocks, Math.max(1, blocks.size())).persist(StorageLevel.MEMORY_ONLY());
        return new ImageBlocks(rdd, counts(0, images.count()), firsts(0, images.count()), images.rows(),
                images.columns(), null, rdd, "images", "labels");
    }

    /** Blocks made elsewhere in this package (DataFrames): {@code rdd} has one block per partition. */
    static ImageBlocks ofBlocks(JavaRDD<LabeledImages> rdd, int[] counts, int rows, int columns, JavaRDD<?> cached,
                                String origin) {
        return new ImageBlocks(rdd, counts, offsets(counts), rows, columns, null, cached, origin, origin);
    }

    private static String labelsOf(IdxPair pair) {
        return pair.labelled() ? pair.labels().path() : pair.images().path();
    }

    private static long[] firsts(long start, long end) {
        int n = (int) ((end - start + BLOCK_IMAGES - 1) / BLOCK_IMAGES);
        long[] firsts = new long[n];
        for (int b = 0; b < n; b++) {
            firsts[b] = start + (long) b * BLOCK_IMAGES;
        }
        return firsts;
    }

    private static int[] counts(long start, long end) {
        long[] firsts = firsts(start, end);
        int[] counts = new int[firsts.length];
        for (int b = 0; b < counts.length; b++) {
            counts[b] = (int) (Math.min(end, firsts[b] + BLOCK_IMAGES) - firsts[b]);
        }
        return counts;
    }

    public long count() {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int pixelsPerImage() {
        return rows * columns;
    }

    /** Images per block, in partition order. */
    public int[] blockCounts() {
        return counts.clone();
    }

    /** The index (within this set, from 0) of each block's first image, in partition order. */
    public long[] offsets() {
        return offsets(counts);
    }

    static long[] offsets(int[] counts) {
        long[] offsets = new long[counts.length];
        for (int b = 1; b < counts.length; b++) {
            offsets[b] = offsets[b - 1] + counts[b - 1];
        }
        return offsets;
    }

    /** The blocks, one per partition. */
    public JavaRDD<LabeledImages> rdd() {
        return rdd;
    }

    /** Where the images come from (a file, or "images"/"a DataFrame"), for messages. */
    public String origin() {
        return origin;
    }

    /** True when the blocks are re-read from their file on every use instead of cached. */
    public boolean reread() {
        return rawSource != null;
    }

    /**
     * Waits for the job that caches a gzip pair's blocks, if one runs, and throws its failure (a bad file found
     * by a task); nothing to wait for otherwise.
     */
    public void awaitCached() {
        if (pending != null) {
            pending.await();
        }
    }

    /**
     * How many images carry each label (index = label, 0-255), counted by the executors; with {@code classes > 0}
     * a label of {@code classes} or more fails, naming the file and the image's index. A gzip pair's labels were
     * counted by the job that cached its blocks, so only the check runs here; a raw labels file is read alone
     * (1 byte an image), never the pixels.
     */
    public long[] labelCounts(JavaSparkContext sc, int classes, String limitReason) {
        if (pending != null) {
            return pending.await()[segment].checkedCounts(classes, labelOrigin, limitReason);
        }
        long[] firsts = this.firsts;
        int[] counts = this.counts;
        String origin = this.origin;
        JavaRDD<long[]> perPart;
        if (rawSource != null && rawSource.labelled()) {
            IdxHeader labels = rawSource.labels();
            Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
            int chunkBlocks = 1000; // a million labels a task
            List<Integer> chunks = new ArrayList<>();
            for (int b = 0; b < firsts.length; b += chunkBlocks) {
                chunks.add(b);
            }
            perPart = sc.parallelize(chunks, Math.max(1, chunks.size())).map(b -> {
                long[] histogram = new long[256];
                int last = Math.min(firsts.length, b + chunkBlocks);
                Configuration conf = hadoop.value().value();
                for (int k = b; k < last; k++) {
                    byte[] bytes = IdxReads.rawLabels(labels, firsts[k], counts[k], conf);
                    tally(bytes, firsts[k], histogram, classes, labels.path(), limitReason);
                }
                return histogram;
            });
        } else {
            String source = labelOrigin;
            perPart = rdd.mapPartitionsWithIndex((p, blocks) -> {
                long[] histogram = new long[256];
                while (blocks.hasNext()) {
                    tally(blocks.next().labelBytes(), firsts[p], histogram, classes, source, limitReason);
                }
                return List.of(histogram).iterator();
            }, true);
        }
        return perPart.reduce((a, b) -> {
            long[] sum = new long[256];
            for (int i = 0; i < 256; i++) {
                sum[i] = a[i] + b[i];
            }
            return sum;
        });
    }

    private static void tally(byte[] labels, long first, long[] histogram, int classes, String file, String limitReason) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (classes > 0 && label >= classes) {
                throw new InvalidInputException(file + ": label " + label + " at index " + (first + i) + " is outside 0-"
                        + (classes - 1) + " (" + limitReason + ")");
            }
            histogram[label]++;
        }
    }

    /** The images in their stored order, at most {@code batchSize} a batch, for evaluation and scoring. */
    public JavaRDD<DataSet> inOrder(int batchSize, int classes) {
        int partitions = Math.max(1, Math.min(counts.length, rdd.context().defaultParallelism() * 2));
        return rdd.coalesce(partitions).mapPartitions(blocks -> new InOrderBatches(blocks, batchSize, classes));
    }

    /** Mini-batches of the blocks one after the other, each block cut on its own. */
    private static final class InOrderBatches implements Iterator<DataSet> {
        private final Iterator<LabeledImages> blocks;
        private final int batchSize;
        private final int classes;
        private LabeledImages current;
        private int from;

        InOrderBatches(Iterator<LabeledImages> blocks, int batchSize, int classes) {
            this.blocks = blocks;
            this.batchSize = batchSize;
            this.classes = classes;
        }

        @Override
        public boolean hasNext() {
            while (current == null || from >= current.count()) {
                if (!blocks.hasNext()) {
                    return false;
                }
                current = blocks.next();
                from = 0;
            }
            return true;
        }

        @Override
        public DataSet next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            int to = Math.min(current.count(), from + batchSize);
            DataSet batch = Batches.toDataSet(current, null, from, to, classes);
            from = to;
            return batch;
        }
    }

    @Override
    public void close() {
        if (pending != null) {
            pending.cancel();
        }
        if (cached != null) {
            cached.unpersist(false);
        }
    }

    @Override
    public String toString() {
        return count() + " images of " + rows + "x" + columns + " in " + counts.length + " blocks from " + origin
                + (reread() ? " (read in byte ranges)" : " (cached)");
    }

    /** Key {@code b} goes to partition {@code b}: block numbers become partitions. */
    static final class BlockPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        BlockPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BlockPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** Keeps the partitions {@code [from, to)}. */
    static final class PartitionRange extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;

        PartitionRange(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object index) {
            int i = (Integer) index;
            return i >= from && i < to;
        }
    }
}
