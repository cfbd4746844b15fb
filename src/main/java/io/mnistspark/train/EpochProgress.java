package io.mnistspark.train;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.util.Locale;

/**
 * How far the fitting of one epoch is: the examples the workers have fitted so far out of the epoch's
 * examples. The workers count every mini-batch into an accumulator; the driver sees a task's count when the
 * task ends and, while it runs, with every executor heartbeat ({@link RunningTaskCounts}), so that an epoch
 * fitted by one long task (one averaging per epoch) still moves.
 *
 * <p>It also names the epoch's Spark jobs: job group {@code epoch-K} with the description
 * {@code epoch K/N: fit}, then {@code epoch K/N: evaluate} from {@link #finishFit()} on.
 */
public final class EpochProgress {
    private final int epoch;
    private final int totalEpochs;
    private final long examples;
    private final LongAccumulator fitted;
    private final long fittedBefore;
    private final SparkContext sc;
    private final RunningTaskCounts running;
    private final long startNanos = System.nanoTime();
    private long shown;
    private volatile boolean fitFinished;

    /** @param sc the context whose heartbeats are followed and whose jobs are named; null for neither */
    EpochProgress(SparkContext sc, int epoch, int totalEpochs, long examples, LongAccumulator fitted) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
        this.examples = examples;
        this.fitted = fitted;
        this.fittedBefore = fitted.value();
        this.sc = sc;
        this.running = sc == null ? null : new RunningTaskCounts(fitted.id());
        if (sc != null) {
            sc.addSparkListener(running);
            sc.setJobGroup("epoch-" + epoch, describe("fit"), false);
        }
    }

    /** For tests and other sources of progress: a fixed count. */
    public static EpochProgress of(int epoch, int totalEpochs, long examples, long done) {
        LongAccumulator counter = new LongAccumulator();
        EpochProgress progress = new EpochProgress(null, epoch, totalEpochs, examples, counter);
        counter.add(done);
        return progress;
    }

    public int epoch() {
        return epoch;
    }

    public int totalEpochs() {
        return totalEpochs;
    }

    /** The training examples of this epoch. */
    public long examples() {
        return examples;
    }

    /** The examples fitted so far in this epoch, at most {@link #examples()}; it never goes down. */
    public synchronized long examplesDone() {
        long ended = fitted.value() - fittedBefore;
        long heartbeats = running == null ? 0 : running.total();
        shown = Math.max(shown, Math.min(examples, Math.max(ended, heartbeats)));
        return shown;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** True once the epoch's fitting is over (evaluation may still be running). */
    public boolean fitFinished() {
        return fitFinished;
    }

    void finishFit() {
        examplesDone(); // the count stays what it was when fitting ended
        fitFinished = true;
        if (sc != null) {
            sc.removeSparkListener(running);
            sc.setJobGroup("epoch-" + epoch, describe("evaluate"), false);
        }
    }

    /** {@code epoch 3/30: fit}. */
    private String describe(String phase) {
        return String.format(Locale.ROOT, "epoch %d/%d: %s", epoch, totalEpochs, phase);
    }
}
