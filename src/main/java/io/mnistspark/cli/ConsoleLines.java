package io.mnistspark.cli;

import io.mnistspark.train.BestValidation;
import io.mnistspark.train.EpochResult;
import io.mnistspark.train.TrainingOutcome;

import java.util.Locale;

/** The lines a user reads on the console, in the spirit of Nielsen's book. */
final class ConsoleLines {
    private ConsoleLines() {
    }

    /** {@code Epoch 1/30: 9127 / 10000 (91.27%)  validation 91.50%  train loss 0.0712  12.4 s}. */
    static String epoch(EpochResult r, int totalEpochs) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d: %d / %d (%.2f%%)",
                r.epoch(), totalEpochs, r.testCorrect(), r.testTotal(), 100.0 * r.testAccuracy()));
        if (r.validationAccuracy() != null) {
            line.append(String.format(Locale.ROOT, "  validation %.2f%%", 100.0 * r.validationAccuracy()));
        }
        line.append(String.format(Locale.ROOT, "  train loss %.4f  %.1f s", r.trainLoss(), r.seconds()));
        return line.toString();
    }

    /**
     * After the "best test accuracy" line: the best validation epoch (kept as best-model.zip) and why training
     * stopped, e.g. {@code Best validation epoch 24 (validation-accuracy 95.32%, best-model.zip); stopped early
     * after epoch 29: ...} or {@code ...; ran all 30 epochs}.
     */
    static String ending(TrainingOutcome outcome, int configuredEpochs) {
        int last = outcome.history().isEmpty() ? 0 : outcome.history().get(outcome.history().size() - 1).epoch();
        String stop = outcome.stopReason() != null
                ? "stopped early after epoch " + last + " of " + configuredEpochs + ": " + outcome.stopReason()
                : configuredEpochs == 1 ? "ran its 1 epoch" : "ran all " + configuredEpochs + " epochs";
        BestValidation best = outcome.bestSoFar().best();
        if (best == null) {
            return "No validation data, so no best-model.zip; " + stop + ".";
        }
        String value = best.metric().endsWith("accuracy") ? String.format(Locale.ROOT, "%.2f%%", 100 * best.value())
                : String.format(Locale.ROOT, "%.4f", best.value());
        return String.format(Locale.ROOT, "Best validation epoch %d (%s %s, kept as best-model.zip); %s.",
                best.epoch(), best.metric(), value, stop);
    }
}
