package io.mnistspark.train;

/** Told about every finished epoch, e.g. to print Nielsen's per-epoch line. */
@FunctionalInterface
public interface EpochListener {
    void epochFinished(EpochResult result, int totalEpochs);

    /** An epoch starts fitting; {@code progress} tells how far it is until {@link EpochProgress#fitFinished()}. */
    default void epochStarted(EpochProgress progress) {
    }

    /** Tells {@code first}, then {@code second}. */
    static EpochListener both(EpochListener first, EpochListener second) {
        return new EpochListener() {
            @Override
            public void epochFinished(EpochResult result, int totalEpochs) {
                first.epochFinished(result, totalEpochs);
                second.epochFinished(result, totalEpochs);
            }

            @Override
            public void epochStarted(EpochProgress progress) {
                first.epochStarted(progress);
                second.epochStarted(progress);
            }
        };
    }
}
