package io.mnistspark.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/** Told about every finished, good epoch before it is reported, to write a checkpoint when one is due. */
@FunctionalInterface
public interface EpochCheckpointer {
    /** Does nothing: no checkpoints. */
    EpochCheckpointer NONE = (epoch, totalEpochs, network, splitRandomness, history, bestSoFar) -> null;

    /**
     * @param totalEpochs the last epoch of the run ({@code epoch} itself when early stopping ends it there)
     * @param history the metrics of epochs 1 to {@code epoch}
     * @param bestSoFar the best validation epoch so far, its network and the patience counter
     * @return the checkpoint written, or {@code null} when none was due
     */
    Path epochFinished(int epoch, int totalEpochs, MultiLayerNetwork network, byte[] splitRandomness,
                       List<EpochResult> history, BestSoFar bestSoFar);
}
