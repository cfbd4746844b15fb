package io.mnistspark.train;

import io.mnistspark.config.ConfigChoice;
import io.mnistspark.config.EarlyStoppingSpec;
import io.mnistspark.config.InvalidConfigException;
import io.mnistspark.config.ValidationMetric;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Keeps the best validation epoch and its network ({@code training.early-stopping.metric}; the test set never
 * takes part) and, with {@code patience > 0}, stops training after that many epochs in a row whose metric did
 * not improve on the best by more than {@code min-delta} (Keras' EarlyStopping). Without validation data it
 * keeps nothing, and refuses to stop early.
 */
final class EarlyStopping {
    private final EarlyStoppingSpec spec;
    private final boolean validation;
    private BestSoFar state;

    private EarlyStopping(EarlyStoppingSpec spec, boolean validation, BestSoFar state) {
        this.spec = spec;
        this.validation = validation;
        this.state = state;
    }

    /**
     * @param validation whether the run has validation data
     * @param from       the resumed run's start (its best-so-far and patience counter), or null
     */
    static EarlyStopping start(EarlyStoppingSpec spec, boolean validation, TrainingStart from) {
        if (spec.enabled() && !validation) {
            throw new InvalidConfigException("training.early-stopping.patience = " + spec.patience()
                    + ": early stopping needs validation data, but none is held out (training.validation-size"
                    + " rounds to 0 images): raise training.validation-size, or set patience = 0");
        }
        return new EarlyStopping(spec, validation, from == null || from.bestSoFar() == null ? BestSoFar.NONE
                : from.bestSoFar());
    }

    /** Whether the metric is the validation loss, which costs one more pass over the validation images. */
    boolean needsLoss() {
        return validation && spec.metric() == ValidationMetric.VALIDATION_LOSS;
    }

    /**
     * Takes a finished epoch's validation figures: a better one becomes the best (its network is copied), any
     * other adds one to the patience counter. {@code loss} is asked only when the metric is the loss.
     */
    void observe(int epoch, Double validationAccuracy, DoubleSupplier loss, MultiLayerNetwork network) {
        if (!validation) {
            return;
        }
        double value = spec.metric() == ValidationMetric.VALIDATION_ACCURACY ? validationAccuracy : loss.getAsDouble();
        BestValidation best = state.best();
        boolean improved = best == null || !best.metric().equals(metricName()) || (spec.metric().higherIsBetter()
                ? value - spec.minDelta() > best.value() : value + spec.minDelta() < best.value());
        state = improved ? new BestSoFar(new BestValidation(epoch, metricName(), value), network.clone(), 0)
                : new BestSoFar(best, state.network(), state.epochsWithoutImprovement() + 1);
    }

    /** Whether training stops now: early stopping is on and patience has run out. */
    boolean stopped() {
        return spec.enabled() && state.best() != null && state.epochsWithoutImprovement() >= spec.patience();
    }

    BestSoFar bestSoFar() {
        return state;
    }

    /** Why training stopped before its last epoch, or null when it did not. */
    String stopReason() {
        if (!stopped()) {
            return null;
        }
        BestValidation best = state.best();
        return String.format(Locale.ROOT, "%s did not improve by more than %s for %d epochs (patience %d) after"
                        + " its best, %s at epoch %d", metricName(), spec.minDelta(), state.epochsWithoutImprovement(),
                spec.patience(), format(best.value()), best.epoch());
    }

    private String metricName() {
        return ConfigChoice.spelling(spec.metric());
    }

    private String format(double value) {
        return spec.metric() == ValidationMetric.VALIDATION_ACCURACY
                ? String.format(Locale.ROOT, "%.2f%%", 100 * value) : String.format(Locale.ROOT, "%.4f", value);
    }
}
