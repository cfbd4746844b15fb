package io.mnistspark.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * Where training continues from: a network (with its updater state) after {@code history.size()} epochs, the
 * metrics of those epochs, the state of DL4J's split generator ({@link SplitRandomness}) and the checkpoint
 * they were read from.
 */
public record TrainingStart(MultiLayerNetwork network, List<EpochResult> history, byte[] splitRandomness,
                            Path checkpoint) {

    public int epochsDone() {
        return history.size();
    }
}
