package io.mnistspark.config;

/** The {@code spark} section: how the parameter-averaging training is spread over Spark. */
public record SparkSpec(int workers, int averagingFrequency, int prefetchBatches,
                        TrainingApproach rddTrainingApproach, boolean averageUpdaterState,
                        int evaluationBatchSize, TrainingLoss trainingLoss, boolean trainingStats) {
}
