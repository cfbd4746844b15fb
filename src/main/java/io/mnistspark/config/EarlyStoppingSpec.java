package io.mnistspark.config;

/**
 * The {@code training.early-stopping} section: the validation metric that picks the best epoch, the epochs
 * without an improvement of at least {@code minDelta} after which training stops ({@code patience}; 0 never
 * stops early).
 */
public record EarlyStoppingSpec(ValidationMetric metric, int patience, double minDelta) {

    /** Whether training may stop before its last epoch. */
    public boolean enabled() {
        return patience > 0;
    }
}
