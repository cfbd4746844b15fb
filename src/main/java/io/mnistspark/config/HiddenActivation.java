package io.mnistspark.config;

/** Activation function of the hidden layers ({@code network.activation}). */
public enum HiddenActivation {
    SIGMOID, RELU, TANH, LEAKY_RELU, IDENTITY
}
