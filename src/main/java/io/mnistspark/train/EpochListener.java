package io.mnistspark.train;

/** Told about every finished epoch, e.g. to print Nielsen's per-epoch line. */
@FunctionalInterface
public interface EpochListener {
    void epochFinished(EpochResult result, int totalEpochs);
}
