package io.mnistspark.train;

/**
 * The best validation epoch so far, as {@code metrics.json} records it ({@code best_validation}): the epoch,
 * the metric it was chosen on ({@code validation-accuracy} or {@code validation-loss}) and its value.
 */
public record BestValidation(int epoch, String metric, double value) {
}
