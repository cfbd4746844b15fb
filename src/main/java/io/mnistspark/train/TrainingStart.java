package io.mnistspark.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * Where training continues from: a network (with its updater state) after {@code history.size()} epochs, the
 * metrics of those epochs, the state of DL4J's split generator ({@link SplitRandomness}) and the checkpoint
 * they were read from, and early stopping's best-so-far and patience counter.
 */
public record TrainingStart(MultiLayerNetwork network, List<EpochResult> history, byte[] splitRandomness,
                            Path checkpoint, BestSoFar bestSoFar) {

    public int epochsDone() {
        return history.size();
    }

    /**
     * {@code fresh} (a network built from the run's configuration) with this start's parameters, updater
     * state and iteration and epoch counts. The configuration, not the checkpoint, sets the hyperparameters,
     * so that a resume with {@code --force} trains with the new learning rate or updater; an updater of
     * another kind starts with fresh state.
     */
    public MultiLayerNetwork continueWith(MultiLayerNetwork fresh) {
        if (fresh.numParams() != network.numParams()) {
            throw new IllegalArgumentException("the checkpoint's network has " + network.numParams()
                    + " parameters, the configured one " + fresh.numParams());
        }
        fresh.setParams(network.params());
        org.nd4j.linalg.api.ndarray.INDArray saved = network.getUpdater() == null ? null
                : network.getUpdater().getStateViewArray();
        org.nd4j.linalg.api.ndarray.INDArray state = fresh.getUpdater().getStateViewArray();
        if (saved != null && state != null && saved.length() == state.length()
                && network.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W").getClass()
                == fresh.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W").getClass()) {
            state.assign(saved);
        }
        fresh.setIterationCount(network.getIterationCount());
        fresh.setEpochCount(network.getEpochCount());
        return fresh;
    }
}
