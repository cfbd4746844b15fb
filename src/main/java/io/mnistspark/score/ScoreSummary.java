package io.mnistspark.score;

import io.mnistspark.evaluate.EvaluationResult;
import io.mnistspark.store.Provenance;

/**
 * The content of {@code summary.json}: what was scored with which model, how many images were scored and
 * rejected, how long it took, the metrics when labels were given ({@code null} otherwise), provenance.
 */
public record ScoreSummary(String model, String input, String labels, String format, long scored, long rejected,
                           double seconds, double imagesPerSecond, EvaluationResult metrics, Provenance provenance) {
}
