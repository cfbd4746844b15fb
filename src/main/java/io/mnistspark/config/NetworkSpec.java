package io.mnistspark.config;

import java.util.List;

/**
 * The {@code network} section: the shape of the dense network and its cost.
 *
 * @param classes output units; 0: the highest training label + 1
 */
public record NetworkSpec(List<Integer> hiddenLayers, HiddenActivation activation,
                          OutputActivation outputActivation, Loss loss, WeightInit weightInit,
                          int classes) {
    public NetworkSpec {
        hiddenLayers = List.copyOf(hiddenLayers);
    }
}
