package io.mnistspark.config;

/** How DL4J feeds the RDD to its workers ({@code spark.rdd-training-approach}). */
public enum TrainingApproach {
    DIRECT, EXPORT
}
