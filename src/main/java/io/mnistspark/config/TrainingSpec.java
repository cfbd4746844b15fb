package io.mnistspark.config;

/**
 * The {@code training} section: the optimisation hyperparameters. {@code validationSize} is a fraction of the
 * training images when below 1, else a count of them (0: none held out).
 */
public record TrainingSpec(Updater updater, double learningRate, double momentum, double l2, int batchSize,
                           int epochs, long seed, double validationSize) {

    /** The number of the {@code trainingImages} to hold out for validation. */
    public int validationCount(int trainingImages) {
        return validationSize < 1 ? (int) Math.round(validationSize * trainingImages) : (int) validationSize;
    }
}
