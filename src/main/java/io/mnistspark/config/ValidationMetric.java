package io.mnistspark.config;

/**
 * What the best validation epoch is chosen on ({@code training.early-stopping.metric}): the accuracy on the
 * validation images (higher is better) or the configured loss over them (lower is better).
 */
public enum ValidationMetric {
    VALIDATION_ACCURACY, VALIDATION_LOSS;

    /** Whether a higher value is better. */
    public boolean higherIsBetter() {
        return this == VALIDATION_ACCURACY;
    }
}
