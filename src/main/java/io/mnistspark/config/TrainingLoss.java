package io.mnistspark.config;

/**
 * How the training loss of an epoch is measured ({@code spark.training-loss}). FULL: the trained network's
 * loss over all training images after the epoch (one more pass over them). RUNNING: the mean loss of the
 * mini-batches as they were fitted during the epoch, each taken before its update (Keras' "loss"; costs nothing).
 */
public enum TrainingLoss {
    FULL, RUNNING
}
