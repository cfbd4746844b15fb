package io.mnistspark.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.dataset.DataSet;
import scala.Option;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * How one epoch walks over the training blocks: the blocks in a seeded random order are dealt to the workers,
 * each to the one with the fewest images so far (the shares differ by at most one block), each worker's images form a stream cut into averaging
 * rounds of {@code averagingFrequency x batchSize} images, and the stream is shuffled in windows of whole rounds
 * (at least {@code shuffleWindow} images). A window that holds all of a worker's images is a full shuffle, as
 * Nielsen's SGD does before every epoch; larger data sets are shuffled block by block and within each window.
 *
 * <p>Round {@code r} is one Spark job ({@link #round}): task {@code w} reads only the blocks of its window,
 * so an epoch reads every image once however many rounds it has; a window spanning several rounds is kept in the
 * executor's memory ({@link ShuffleWindow}) between them and read again only where a task lands on another
 * executor. The plan is a pure function of (seed, epoch, block sizes, workers, sizes), so {@link #localBatches}
 * gives the driver the very mini-batches the executors build.
 */
public final class EpochPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long seed;
    private final int epoch;
    private final int batchSize;
    private final int roundImages;
    private final int windowImages;
    private final int[][] workerBlocks;
    private final int[] blockCounts;
    private boolean reuseBatchArrays;

    private EpochPlan(String key, long seed, int epoch, int batchSize, int roundImages, int windowImages,
                      int[][] workerBlocks, int[] blockCounts) {
        this.key = key;
        this.seed = seed;
        this.epoch = epoch;
        this.batchSize = batchSize;
        this.roundImages = roundImages;
        this.windowImages = windowImages;
        this.workerBlocks = workerBlocks;
        this.blockCounts = blockCounts;
    }

    /**
     * @param blockCounts        images in each block (partition) of the training set
     * @param averagingFrequency mini-batches each worker fits between two averagings
     * @param shuffleWindow      images shuffled together at least (rounded up to whole rounds)
     */
    public static EpochPlan of(String dataKey, int[] blockCounts, long seed, int epoch, int workers, int batchSize,
                               int averagingFrequency, int shuffleWindow) {
        int[] order = new int[blockCounts.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(seed, epoch, -1, -1));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // each block in turn to the worker with the fewest images so far: shares differ by at most one block
        List<List<Integer>> shares = new ArrayList<>();
        long[] images = new long[workers];
        for (int w = 0; w < workers; w++) {
            shares.add(new ArrayList<>());
        }
        for (int block : order) {
            int least = 0;
            for (int w = 1; w < workers; w++) {
                if (images[w] < images[least]) {
                    least = w;
                }
            }
            shares.get(least).add(block);
            images[least] += blockCounts[block];
        }
        int[][] dealt = new int[workers][];
        for (int w = 0; w < workers; w++) {
            dealt[w] = shares.get(w).stream().mapToInt(Integer::intValue).toArray();
        }
        long round = (long) averagingFrequency * batchSize;
        int roundImages = (int) Math.min(Integer.MAX_VALUE / 2, round);
        long rounds = Math.max(1, (shuffleWindow + (long) roundImages - 1) / roundImages);
        int windowImages = (int) Math.min(Integer.MAX_VALUE / 2, rounds * roundImages);
        return new EpochPlan(dataKey + "/epoch-" + epoch, seed, epoch, batchSize, roundImages, windowImages, dealt,
                blockCounts.clone());
    }

    public int workers() {
        return workerBlocks.length;
    }

    /** Images worker {@code w} fits this epoch. */
    public long imagesOf(int worker) {
        long n = 0;
        for (int b : workerBlocks[worker]) {
            n += blockCounts[b];
        }
        return n;
    }

    /** Averaging rounds this epoch (the busiest worker's). */
    public int rounds() {
        long most = 0;
        for (int w = 0; w < workers(); w++) {
            most = Math.max(most, imagesOf(w));
        }
        return (int) Math.max(1, (most + roundImages - 1) / roundImages);
    }

    /** Mini-batches all workers fit in round {@code r}. */
    public long batchesIn(int round) {
        long batches = 0;
        for (int w = 0; w < workers(); w++) {
            long images = Math.max(0, Math.min(roundImages, imagesOf(w) - (long) round * roundImages));
            batches += (images + batchSize - 1) / batchSize;
        }
        return batches;
    }

    /**
     * Whether a worker's mini-batches are built in arrays it reuses ({@link BatchArrays}): only for a consumer that
     * is done with each mini-batch before it asks for the next, as DL4J's worker is when it builds its own
     * mini-batches (no prefetch) and fits them as they come (the direct approach). Returns this plan.
     */
    public EpochPlan reusingBatchArrays(boolean reuse) {
        this.reuseBatchArrays = reuse;
        return this;
    }

    /** The mini-batches of round {@code r}: one partition per worker, reading only the blocks of its window. */
    public JavaRDD<DataSet> round(ImageBlocks blocks, int round, int classes) {
        RDD<LabeledImages> grouped = blocks.rdd().rdd().coalesce(workers(), false,
                Option.apply(new WindowGroups(this, round)), null);
        EpochPlan plan = this;
        return JavaRDD.fromRDD(grouped, ImageBlocks.TAG)
                .mapPartitionsWithIndex((w, parents) -> plan.batches(w, round, parents, classes), true);
    }

    /** The mini-batches worker {@code w} fits in round {@code r}, its window's blocks coming from {@code parents}. */
    Iterator<DataSet> batches(int worker, int round, Iterator<LabeledImages> parents, int classes) {
        return batches(worker, round, parents, classes, reuseBatchArrays);
    }

    private Iterator<DataSet> batches(int worker, int round, Iterator<LabeledImages> parents, int classes,
                                      boolean reuse) {
        long start = (long) round * roundImages;
        long end = Math.min(imagesOf(worker), start + roundImages);
        if (start >= end) {
            return Collections.emptyIterator();
        }
        int window = (int) (start / windowImages);
        ShuffleWindow images = ShuffleWindow.get(key, worker, window);
        if (images == null) {
            images = readWindow(worker, window, parents);
            if (windowImages > roundImages) {
                ShuffleWindow.keep(key, worker, window, images);
            }
        }
        ShuffleWindow shuffled = images;
        int from = (int) (start - (long) window * windowImages);
        int to = (int) (end - (long) window * windowImages);
        BatchArrays reused = reuse ? new BatchArrays() : null;
        return new Iterator<>() {
            private int at = from;

            @Override
            public boolean hasNext() {
                return at < to;
            }

            @Override
            public DataSet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int last = Math.min(to, at + batchSize);
                DataSet batch = shuffled.toDataSet(at, last, classes, reused);
                at = last;
                return batch;
            }
        };
    }

    private ShuffleWindow readWindow(int worker, int window, Iterator<LabeledImages> parents) {
        long windowStart = (long) window * windowImages;
        long windowEnd = Math.min(imagesOf(worker), windowStart + windowImages);
        List<LabeledImages> blocks = new ArrayList<>();
        parents.forEachRemaining(blocks::add);
        int first = blocksOf(worker, window)[0];
        long firstStart = streamStart(worker, first);
        int skip = (int) (windowStart - firstStart);
        SplittableRandom random = new SplittableRandom(mix(seed, epoch, worker, window));
        return ShuffleWindow.of(blocks, skip, (int) (windowEnd - windowStart), random);
    }

    /** Where block number {@code i} of worker {@code w}'s share starts in its stream. */
    private long streamStart(int worker, int indexInShare) {
        long start = 0;
        for (int i = 0; i < indexInShare; i++) {
            start += blockCounts[workerBlocks[worker][i]];
        }
        return start;
    }

    /** Positions in worker {@code w}'s share of the blocks overlapping window {@code window}: {first, last + 1}. */
    private int[] blocksOf(int worker, int window) {
        long windowStart = (long) window * windowImages;
        long windowEnd = Math.min(imagesOf(worker), windowStart + windowImages);
        int first = -1;
        int last = -1;
        long at = 0;
        for (int i = 0; i < workerBlocks[worker].length; i++) {
            long blockEnd = at + blockCounts[workerBlocks[worker][i]];
            if (blockEnd > windowStart && at < windowEnd) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
            at = blockEnd;
        }
        return new int[]{first, last + 1};
    }

    /** The partitions (blocks) worker {@code w} reads in round {@code r}, in stream order. */
    int[] partitionsFor(int worker, int round) {
        long start = (long) round * roundImages;
        if (start >= imagesOf(worker)) {
            return new int[0];
        }
        int[] span = blocksOf(worker, (int) (start / windowImages));
        int[] partitions = new int[span[1] - span[0]];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = workerBlocks[worker][span[0] + i];
        }
        return partitions;
    }

    /**
     * What the executors compute, on the driver: the mini-batches worker {@code w} fits in this epoch, round
     * after round, from the blocks in partition order (tests and the single-process reference use it).
     */
    public List<DataSet> localBatches(List<LabeledImages> blocks, int worker, int classes) {
        List<DataSet> out = new ArrayList<>();
        for (int r = 0; r < rounds(); r++) {
            List<LabeledImages> parents = new ArrayList<>();
            for (int p : partitionsFor(worker, r)) {
                parents.add(blocks.get(p));
            }
            batches(worker, r, parents.iterator(), classes, false).forEachRemaining(out::add);
        }
        ShuffleWindow.forget(key, worker);
        return out;
    }

    /**
     * The mini-batches of an epoch on one worker for images held in this JVM, cut into blocks as
     * {@link ImageBlocks#of} does: what a one-worker Spark run fits (single-process references, tests).
     */
    public static List<DataSet> oneWorker(LabeledImages images, long seed, int epoch, int batchSize,
                                          int averagingFrequency, int shuffleWindow, int classes) {
        List<LabeledImages> blocks = new ArrayList<>();
        int[] counts = new int[(images.count() + ImageBlocks.BLOCK_IMAGES - 1) / ImageBlocks.BLOCK_IMAGES];
        for (int b = 0; b < counts.length; b++) {
            int from = b * ImageBlocks.BLOCK_IMAGES;
            blocks.add(images.slice(from, Math.min(images.count(), from + ImageBlocks.BLOCK_IMAGES)));
            counts[b] = blocks.get(b).count();
        }
        return of("one-worker", counts, seed, epoch, 1, batchSize, averagingFrequency, shuffleWindow)
                .localBatches(blocks, 0, classes);
    }

    private static long mix(long seed, int epoch, int worker, int window) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + worker * 7_919L;
        return (h ^ (h >>> 29)) * 0x94D049BB133111EBL + window * 104_729L;
    }

    /** Groups the blocks into one partition per worker: those of its window in round {@code r}. */
    private static final class WindowGroups implements PartitionCoalescer, scala.Serializable {
        private static final long serialVersionUID = 1L;
        private final EpochPlan plan;
        private final int round;

        WindowGroups(EpochPlan plan, int round) {
            this.plan = plan;
            this.round = round;
        }

        @Override
        public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
            org.apache.spark.Partition[] partitions = parent.partitions();
            PartitionGroup[] groups = new PartitionGroup[plan.workers()];
            for (int w = 0; w < groups.length; w++) {
                groups[w] = new PartitionGroup(Option.empty());
                for (int p : plan.partitionsFor(w, round)) {
                    groups[w].partitions().$plus$eq(partitions[p]);
                }
            }
            return groups;
        }
    }
}
