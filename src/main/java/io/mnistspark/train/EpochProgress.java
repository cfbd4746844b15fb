package io.mnistspark.train;

import org.apache.spark.util.LongAccumulator;

/**
 * How far the fitting of one epoch is: the examples the workers have fitted so far (reported to the driver
 * whenever a worker finishes its share of an averaging round) out of the epoch's examples.
 */
public final class EpochProgress {
    private final int epoch;
    private final int totalEpochs;
    private final long examples;
    private final LongAccumulator fitted;
    private final long fittedBefore;
    private final long startNanos = System.nanoTime();
    private volatile boolean fitFinished;

    EpochProgress(int epoch, int totalEpochs, long examples, LongAccumulator fitted) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
        this.examples = examples;
        this.fitted = fitted;
        this.fittedBefore = fitted.value();
    }

    /** For tests and other sources of progress: a fixed count. */
    public static EpochProgress of(int epoch, int totalEpochs, long examples, long done) {
        LongAccumulator counter = new LongAccumulator();
        EpochProgress progress = new EpochProgress(epoch, totalEpochs, examples, counter);
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

    /** The examples fitted so far in this epoch, at most {@link #examples()}. */
    public long examplesDone() {
        return Math.min(examples, Math.max(0, fitted.value() - fittedBefore));
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** True once the epoch's fitting is over (evaluation may still be running). */
    public boolean fitFinished() {
        return fitFinished;
    }

    void finishFit() {
        fitFinished = true;
    }
}
