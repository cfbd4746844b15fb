package io.mnistspark.config;

/** Cost function ({@code network.loss}). */
public enum Loss {
    /** Nielsen's quadratic cost, 1/2 |y - a|^2 per example, averaged over the mini-batch. */
    QUADRATIC,
    /** Multi-class cross-entropy with softmax outputs; binary cross-entropy per output with sigmoid outputs. */
    CROSS_ENTROPY
}
