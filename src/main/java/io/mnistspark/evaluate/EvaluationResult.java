package io.mnistspark.evaluate;

import java.util.List;

/**
 * Classification quality on one data set, as plain data: accuracy, per-digit metrics and the confusion
 * matrix ({@code confusion[actual][predicted]} counts).
 */
public record EvaluationResult(double accuracy, long correct, long total, List<ClassMetrics> perClass,
                               long[][] confusion) {

    /** Nielsen's form: {@code 9127 / 10000 (91.27%)}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%d / %d (%.2f%%)", correct, total, 100.0 * accuracy);
    }
}
