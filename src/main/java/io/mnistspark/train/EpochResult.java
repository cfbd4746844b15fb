package io.mnistspark.train;

/**
 * One epoch of the history: the mean training loss (the configured cost, over all training images after the
 * epoch), validation accuracy ({@code null} without a validation set), test accuracy, and the seconds spent
 * fitting and evaluating.
 */
public record EpochResult(int epoch, double trainLoss, Double validationAccuracy, double testAccuracy,
                          long testCorrect, long testTotal, double seconds, double evaluationSeconds) {
}
