package io.mnistspark.evaluate;

/** Precision, recall and F1 of one digit, and how many test images carry that label. */
public record ClassMetrics(int digit, double precision, double recall, double f1, long support) {
}
