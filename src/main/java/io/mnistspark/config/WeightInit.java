package io.mnistspark.config;

/** Initial parameters ({@code network.weight-init}). */
public enum WeightInit {
    /** Weights and biases from N(0,1), as in Nielsen's chapter 1. */
    STANDARD_NORMAL,
    /** Xavier/Glorot weights, zero biases. */
    XAVIER,
    /** He et al. weights for relu layers, zero biases. */
    RELU
}
