package io.mnistspark.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * A complete checkpoint read back from {@code OUT/checkpoints/epoch-NNNN}: the network with its updater state
 * after {@code epoch}, the metrics of epochs 1 to {@code epoch}, the state of the averaging splits, and the
 * configuration and data directory of the run that wrote it.
 */
public record Checkpoint(Path location, int epoch, MultiLayerNetwork network, List<EpochResult> history,
                         byte[] splitRandomness, String config, String data) {

    /** Where a resumed run starts: this checkpoint's network, history and split state. */
    public TrainingStart start() {
        return new TrainingStart(network, history, splitRandomness, location);
    }
}
