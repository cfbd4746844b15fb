package io.mnistspark.train;

/** Told about every finished epoch, e.g. to print Nielsen's per-epoch line. */
@FunctionalInterface
public interface EpochListener {
    void epochFinished(EpochResult result, int totalEpochs);

    /** An epoch starts fitting; {@code progress} tells how far it is until {@link EpochProgress#fitFinished()}. */
    default void epochStarted(EpochProgress progress) {
    }
}
