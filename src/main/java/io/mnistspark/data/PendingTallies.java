package io.mnistspark.data;

import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The job that caches a persisted set of blocks and counts each segment's labels on the way, started without
 * waiting for it: the driver goes on (the training and test sets' jobs run side by side, the network is built)
 * until it needs the counts. It computes the blocks in at most {@code tasks} tasks rather than one a block: one
 * job where a {@code count()} and a label count would take two, each with a task per block (60 for MNIST's
 * training set, tens of milliseconds each).
 */
final class PendingTallies {
    private final JavaFutureAction<List<LabelTally[]>> job;
    private LabelTally[] tallies;

    private PendingTallies(JavaFutureAction<List<LabelTally[]>> job) {
        this.job = job;
    }

    /**
     * Starts the job over {@code all}: block {@code b} belongs to segment {@code segmentOf[b]} and starts at image
     * {@code firstOf[b]} of its file.
     */
    static PendingTallies start(JavaRDD<LabeledImages> all, int[] segmentOf, long[] firstOf, int segments, int tasks) {
        int blocks = all.getNumPartitions();
        JavaRDD<LabelTally[]> perBlock = all.mapPartitionsWithIndex((b, images) -> {
            LabelTally[] tally = LabelTally.empty(segments);
            while (images.hasNext()) {
                tally[segmentOf[b]].add(images.next().labelBytes(), firstOf[b]);
            }
            return Collections.singletonList(tally).iterator();
        }, true);
        JavaRDD<LabelTally[]> perTask = perBlock.coalesce(Math.max(1, Math.min(blocks, tasks)))
                .mapPartitions(tallies -> {
                    LabelTally[] sum = LabelTally.empty(segments);
                    tallies.forEachRemaining(t -> LabelTally.merge(sum, t));
                    return Collections.singletonList(sum).iterator();
                });
        return new PendingTallies(perTask.collectAsync());
    }

    /** Each segment's tally, once the job is done; its failure (a bad file found by a task) is thrown here. */
    synchronized LabelTally[] await() {
        if (tallies == null) {
            List<LabelTally[]> parts;
            try {
                parts = job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                job.cancel(true);
                throw new IllegalStateException("interrupted while the executors read the data", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw PendingTallies.<RuntimeException>unchecked(e.getCause()); // SparkException, as runJob throws it
            }
            LabelTally[] sum = parts.get(0);
            for (int i = 1; i < parts.size(); i++) {
                LabelTally.merge(sum, parts.get(i));
            }
            tallies = sum;
        }
        return tallies;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T unchecked(Throwable e) throws T {
        throw (T) e;
    }

    /** Stops the job if it still runs (the data set is closed before its labels were needed). */
    void cancel() {
        if (!job.isDone()) {
            job.cancel(true);
        }
    }
}
