package io.mnistspark.train;

import io.mnistspark.RunFailedException;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Locale;

/** The loss became NaN or infinite: training stopped (exit code 1, the configuration needs changing). */
public class TrainingDivergedException extends RunFailedException {
    public TrainingDivergedException(String message) {
        super(message);
    }

    /**
     * Stops training when the loss after {@code epoch} or a parameter of the network is NaN or infinite; the
     * message names the epoch and the last good checkpoint ({@code null} when none was written).
     */
    static void check(int epoch, double trainLoss, MultiLayerNetwork network, double learningRate,
                      Path lastCheckpoint) {
        String problem = null;
        if (!Double.isFinite(trainLoss)) {
            problem = "the training loss is " + trainLoss;
        } else if (!Double.isFinite(network.params().sumNumber().doubleValue())) {
            problem = "the parameters hold NaN or infinite values";
        }
        if (problem != null) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged in epoch %d: %s (try a smaller training.learning-rate than %s); %s",
                    epoch, problem, learningRate, lastCheckpoint == null ? "no checkpoint was written"
                            : "the last good checkpoint is " + lastCheckpoint));
        }
    }
}
