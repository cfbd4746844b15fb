package io.mnistspark.config;

/** The {@code training} section: the optimisation hyperparameters. */
public record TrainingSpec(Updater updater, double learningRate, double momentum, double l2, int batchSize,
                           int epochs, long seed, int validationSize) {
}
