package io.mnistspark.config;

import java.util.List;

/** The {@code network} section: the shape of the dense network and its cost. */
public record NetworkSpec(List<Integer> hiddenLayers, HiddenActivation activation,
                          OutputActivation outputActivation, Loss loss, WeightInit weightInit) {
    public NetworkSpec {
        hiddenLayers = List.copyOf(hiddenLayers);
    }
}
