package io.mnistspark.train;

import io.mnistspark.evaluate.EvaluationResult;
import io.mnistspark.store.Provenance;

import java.util.List;
import java.util.Map;

/**
 * The content of {@code metrics.json}: the resolved configuration, provenance, the per-epoch history, the best
 * epoch (on test data, Nielsen's figure), the best validation epoch (the one of best-model.zip; null without
 * validation data), why training stopped early (null when it did not), the final test evaluation (null in a
 * report written while training runs), where the time went and what data it was.
 */
public record RunMetrics(Map<String, Object> config, Provenance provenance, List<EpochResult> epochs,
                         Best best, BestValidation bestValidation, String stopReason, EvaluationResult test,
                         Timing timing, DataSummary data) {

    /**
     * What was trained on: {@code source} is idx-raw (read in byte ranges), idx-gzip (streamed) or parquet.
     */
    public record DataSummary(String source, long trainImages, long validationImages, long testImages, int rows,
                              int columns, int classes) {

        public static DataSummary of(String source, TrainingData data) {
            return new DataSummary(source, data.train().count(), data.validation() == null ? 0 : data.validation().count(),
                    data.test().count(), data.train().rows(), data.train().columns(), data.classes());
        }
    }

    /** The epoch with the highest test accuracy. */
    public record Best(int epoch, double testAccuracy) {
    }

    /**
     * Wall-clock seconds: the whole command and its phases; with {@code spark.training-stats} also where the
     * fitting time went (DL4J's parameter-averaging statistics), in total ({@code averaging}) and per epoch
     * ({@code averagingEpochs}); {@code null} and empty without.
     */
    public record Timing(double totalSeconds, Map<String, Double> phases, AveragingTimes averaging,
                         List<AveragingTimes> averagingEpochs) {

        public static Timing of(double totalSeconds, Map<String, Double> phases, List<AveragingTimes> averagingEpochs) {
            return new Timing(totalSeconds, phases,
                    averagingEpochs.isEmpty() ? null : AveragingTimes.total(averagingEpochs), averagingEpochs);
        }
    }
}
