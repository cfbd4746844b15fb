package io.mnistspark.cli;

import io.mnistspark.train.EpochResult;

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
}
