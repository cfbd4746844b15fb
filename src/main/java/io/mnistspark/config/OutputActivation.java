package io.mnistspark.config;

/** Activation function of the output layer ({@code network.output-activation}). */
public enum OutputActivation {
    SIGMOID, SOFTMAX
}
