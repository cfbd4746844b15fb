package io.mnistspark.train;

import io.mnistspark.evaluate.EvaluationResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Comparator;
import java.util.List;

/**
 * The trained network, its per-epoch history, the final test evaluation and, when {@code spark.training-stats}
 * is on, where each epoch's fitting time went (empty otherwise); the best validation epoch with its network
 * ({@link BestSoFar#NONE} without validation data), and why training stopped early (null when it ran all epochs).
 */
public record TrainingOutcome(MultiLayerNetwork network, List<EpochResult> history, EvaluationResult finalTest,
                              double fitSeconds, double evaluationSeconds, int workers,
                              List<AveragingTimes> averaging, BestSoFar bestSoFar, String stopReason) {

    /** The epoch with the highest test accuracy (the earliest of equals). */
    public EpochResult bestEpoch() {
        return history.stream().max(Comparator.comparingDouble(EpochResult::testAccuracy)
                .thenComparing(Comparator.comparingInt(EpochResult::epoch).reversed())).orElseThrow();
    }
}
