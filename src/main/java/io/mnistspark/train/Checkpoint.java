package io.mnistspark.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * A complete checkpoint read back from {@code OUT/checkpoints/epoch-NNNN}: the network with its updater state
 * after {@code epoch}, the metrics of epochs 1 to {@code epoch}, the state of the averaging splits, and the
 * configuration and data directory of the run that wrote it, and the best validation epoch so far (its network
 * and the patience counter).
 */
public record Checkpoint(Path location, int epoch, MultiLayerNetwork network, List<EpochResult> history,
                         byte[] splitRandomness, String config, String data, BestSoFar bestSoFar) {

    /** Where a resumed run starts: this checkpoint's network, history and split state. */
    public TrainingStart start() {
        return new TrainingStart(network, history, splitRandomness, location, bestSoFar);
    }
}
