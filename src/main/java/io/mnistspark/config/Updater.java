package io.mnistspark.config;

/** Optimiser ({@code training.updater}). */
public enum Updater {
    SGD, NESTEROVS, ADAM
}
