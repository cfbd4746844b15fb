package io.mnistspark.config;

/**
 * The {@code training} section: the optimisation hyperparameters. {@code validationSize} is a fraction of the
 * training images when below 1, else a count of them (0: none held out); {@code earlyStopping} needs some.
 * {@code fusedLayers} picks the implementation that trains dense layers, not their math.
 */
public record TrainingSpec(Updater updater, double learningRate, double learningRateDecay, double momentum,
                           double l2, double dropout, int batchSize, int epochs, long seed,
                           double validationSize, int shuffleWindow, EarlyStoppingSpec earlyStopping,
                           boolean fusedLayers) {

    /** The learning rate epoch {@code epoch} (from 1) trains with: decayed once after every earlier epoch. */
    public double learningRate(int epoch) {
        return learningRate * Math.pow(learningRateDecay, epoch - 1);
    }

    /** The number of the {@code trainingImages} to hold out for validation. */
    public int validationCount(int trainingImages) {
        return validationSize < 1 ? (int) Math.round(validationSize * trainingImages) : (int) validationSize;
    }
}
