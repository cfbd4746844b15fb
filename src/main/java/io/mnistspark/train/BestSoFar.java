package io.mnistspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What early stopping carries from epoch to epoch (and through a checkpoint to a resumed run): the best
 * validation epoch ({@code null} before the first or without validation data), the network of that epoch,
 * and the epochs since it without an improvement (the patience counter).
 */
public record BestSoFar(BestValidation best, MultiLayerNetwork network, int epochsWithoutImprovement) {
    /** Nothing seen yet. */
    public static final BestSoFar NONE = new BestSoFar(null, null, 0);
}
